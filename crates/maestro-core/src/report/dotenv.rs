//! GitLab's dotenv report: what later jobs and `environment:url` read. GitLab's parser takes
//! no spaces, newlines, quotes or comments in values, and at most 5 KB.

const LIMIT: usize = 5 * 1024;

/// `NAME=value` lines; values GitLab could not read are left out and named in the warnings.
pub fn render(pairs: &[(&str, &str)]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut warnings = Vec::new();
    for (name, value) in pairs {
        if value.is_empty() {
            continue;
        }
        if value.chars().any(|c| c.is_whitespace() || c == '"' || c == '\'' || c == '#') {
            warnings.push(format!("{name} is left out of the dotenv report: GitLab cannot read its value"));
            continue;
        }
        let line = format!("{name}={value}\n");
        if text.len() + line.len() > LIMIT {
            warnings.push(format!("{name} is left out of the dotenv report: GitLab reads at most 5 KB"));
            continue;
        }
        text.push_str(&line);
    }
    (text, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_values_gitlab_can_read() {
        let (text, warnings) = render(&[("MAESTRO_URL", "https://x.example.com"), ("EMPTY", ""), ("BAD", "two words")]);
        assert_eq!(text, "MAESTRO_URL=https://x.example.com\n");
        assert_eq!(warnings.len(), 1);
        let (big, warnings) = render(&[("A", &"a".repeat(5000)), ("B", &"b".repeat(500))]);
        assert!(big.starts_with("A=") && !big.contains("B=") && warnings.len() == 1);
    }

    #[test]
    fn spaces_newlines_quotes_and_comments_are_left_out_by_name() {
        let pairs =
            [("TAB", "a\tb"), ("LINE", "a\nb"), ("DOUBLE", "\"a\""), ("SINGLE", "'a'"), ("HASH", "a#b"), ("OK", "a=b")];
        let (text, warnings) = render(&pairs);
        assert_eq!(text, "OK=a=b\n");
        let left_out: Vec<String> = ["TAB", "LINE", "DOUBLE", "SINGLE", "HASH"]
            .iter()
            .map(|name| format!("{name} is left out of the dotenv report: GitLab cannot read its value"))
            .collect();
        assert_eq!(warnings, left_out);
    }

    #[test]
    fn the_report_holds_5_kb_exactly() {
        // `A=<value>\n` of exactly 5120 bytes fits; one byte more does not, and later values still may.
        let fits = "a".repeat(LIMIT - 3);
        let (text, warnings) = render(&[("A", &fits)]);
        assert_eq!((text.len(), warnings.len()), (LIMIT, 0));
        let over = "a".repeat(LIMIT - 2);
        let (text, warnings) = render(&[("A", &over), ("B", "b")]);
        assert_eq!(text, "B=b\n");
        assert_eq!(warnings, ["A is left out of the dotenv report: GitLab reads at most 5 KB"]);
        let (text, warnings) = render(&[("A", &"a".repeat(LIMIT - 8)), ("B", "bb")]);
        assert_eq!((text.len(), warnings.len()), (LIMIT, 0), "the running total counts every line");
        let (_, warnings) = render(&[("A", &"a".repeat(LIMIT - 8)), ("B", "bbb")]);
        assert_eq!(warnings, ["B is left out of the dotenv report: GitLab reads at most 5 KB"]);
    }
}
