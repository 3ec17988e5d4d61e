//! Text plumbing shared by the core and the shell: one escaper per format a value is written
//! into, shortening for length-limited fields, the common prefix of names, and the closest of
//! known names to a misspelt one (`suggest`).

pub mod civil_date;
pub mod label;
pub mod markdown;
pub mod percent;
pub mod suggest;
pub mod visible;
pub mod workflow_command;

/// Shortens `text` to `limit` characters, with an ellipsis when cut.
pub fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(limit.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The longest prefix every one of `names` starts with, `None` when they share none (or there
/// are none). It ends on a character boundary, so names that differ inside a multi-byte
/// character share only what comes before it.
pub fn common_prefix<S: AsRef<str>>(names: &[S]) -> Option<&str> {
    let (first, rest) = names.split_first()?;
    let first = first.as_ref();
    let mut length = first.len();
    for name in rest {
        length = first.bytes().zip(name.as_ref().bytes()).take(length).take_while(|(a, b)| a == b).count();
    }
    let length = first.floor_char_boundary(length);
    Some(&first[..length]).filter(|prefix| !prefix.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_cuts_characters_not_bytes_and_marks_the_cut() {
        assert_eq!(truncate("short", 5), "short");
        assert_eq!(truncate("shorten", 5), "shor…");
        assert_eq!(truncate("déjà vu", 4), "déj…");
        assert_eq!(truncate("anything", 0), "…");
    }

    #[test]
    fn common_prefix_of_an_apps_names() {
        let groups = ["/ecs/a-main-web".to_owned(), "/ecs/a-main-worker".to_owned(), "/ecs/a-main-clock".to_owned()];
        assert_eq!(common_prefix(&groups), Some("/ecs/a-main-"));
        assert_eq!(common_prefix(&["shop-web", "shop-web"]), Some("shop-web"));
        assert_eq!(common_prefix(&["shop-web", "shop-webhooks"]), Some("shop-web"));
        assert_eq!(common_prefix(&["only"]), Some("only"));
        assert_eq!(common_prefix(&["web", "worker", "clock"]), None);
        assert_eq!(common_prefix::<&str>(&[]), None);
        assert_eq!(common_prefix(&["", "web"]), None);
    }

    #[test]
    fn common_prefix_never_splits_a_character() {
        // `é` (C3 A9) and `è` (C3 A8) share their first byte: the prefix stops before both.
        assert_eq!(common_prefix(&["café-web", "cafè-web"]), Some("caf"));
        assert_eq!(common_prefix(&["é", "è"]), None);
    }
}
