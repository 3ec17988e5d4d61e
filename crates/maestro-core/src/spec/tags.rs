//! `WORKLOAD_RESOURCE_TAGS`: `key=value` pairs put on every resource maestro manages.
//!
//! A value may contain `=` (split on the first one); the original cut values at the second `=`.
//! Keys and values are checked against the limits AWS enforces on tags, so that a bad tag fails
//! here instead of halfway through a deploy.

use serde::Serialize;

use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// AWS allows 50 tags per resource; maestro keeps two: its marker and the environment's identity.
pub const MAX_USER_TAGS: usize = 48;
const MAX_KEY_CHARS: usize = 128;
const MAX_VALUE_CHARS: usize = 256;

fn is_tag_char(character: char) -> bool {
    character.is_alphanumeric() || character == ' ' || "_.:/=+-@".contains(character)
}

pub fn parse(input: impl Into<Location>, text: &str) -> Result<Vec<Tag>, InputError> {
    let input = &input.into();
    let mut tags: Vec<Tag> = Vec::new();
    if text.trim().is_empty() {
        return Ok(tags);
    }
    for (span, piece) in split_with_spans(text, ',') {
        let span = trimmed_span(piece, span);
        let item = &text[span.clone()];
        let at = |start: usize, end: usize, message: String, hint: &str| {
            InputError::at(input, text, span.start + start..span.start + end, message, hint)
        };
        let at_character = |index: usize, message: String, hint: &str| {
            InputError::at_character(input, text, span.start + index, message, hint)
        };
        if item.is_empty() {
            return Err(at(
                0,
                1,
                "empty item in the list".into(),
                "remove the extra comma; write tags as `key=value,key2=value2`",
            ));
        }
        let Some(equals) = item.find('=') else {
            return Err(at(
                0,
                item.len(),
                format!("tag `{item}` has no `=`"),
                "write each tag as `key=value` (the value may be empty: `key=`)",
            ));
        };
        let key = item[..equals].trim();
        let value = item[equals + 1..].trim();
        let value_start = equals + 1 + (item[equals + 1..].len() - item[equals + 1..].trim_start().len());
        if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
            return Err(at(
                0,
                equals,
                "a tag key must have 1 to 128 characters".into(),
                "write each tag as `key=value`",
            ));
        }
        if key.to_ascii_lowercase().starts_with("aws:") {
            return Err(at(
                0,
                equals,
                format!("tag key `{key}` uses the reserved `aws:` prefix"),
                "choose a key that does not start with `aws:`",
            ));
        }
        // maestro's own tags say whose a resource is (`provision::ownership`): a user's would
        // claim another environment's resources, or give this one's away.
        if key.to_ascii_lowercase().starts_with("maestro:") {
            return Err(at(
                0,
                equals,
                format!("tag key `{key}` uses maestro's own `maestro:` prefix"),
                "maestro sets maestro:app and maestro:environment itself; choose a key that does not start with `maestro:`",
            ));
        }
        if let Some(bad) = key.find(|c| !is_tag_char(c)) {
            return Err(at_character(
                bad,
                format!("tag key `{key}` contains a character AWS does not allow"),
                "tags may use letters, digits, spaces and `_ . : / = + - @`",
            ));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(at(
                value_start,
                item.len(),
                format!("the value of tag `{key}` is longer than 256 characters"),
                "shorten the value",
            ));
        }
        if let Some(bad) = value.find(|c| !is_tag_char(c)) {
            return Err(at_character(
                value_start + bad,
                format!("the value of tag `{key}` contains a character AWS does not allow"),
                "tags may use letters, digits, spaces and `_ . : / = + - @`; values cannot contain `,`",
            ));
        }
        if tags.iter().any(|tag| tag.key == key) {
            return Err(at(0, equals, format!("tag `{key}` is given twice"), "give each key once"));
        }
        tags.push(Tag { key: key.to_owned(), value: value.to_owned() });
    }
    if tags.len() > MAX_USER_TAGS {
        return Err(InputError::new(
            input,
            format!("{} tags given, at most {MAX_USER_TAGS} fit", tags.len()),
            "AWS allows 50 tags per resource and maestro adds two of its own (maestro:app, maestro:environment); drop some",
        ));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "WORKLOAD_RESOURCE_TAGS";

    fn tag(key: &str, value: &str) -> Tag {
        Tag { key: key.into(), value: value.into() }
    }

    #[test]
    fn readme_examples() {
        assert_eq!(parse(VAR, "workload=myapp").unwrap(), [tag("workload", "myapp")]);
        assert_eq!(
            parse(VAR, "workload=myapp, environment=staging,owner=me").unwrap(),
            [tag("workload", "myapp"), tag("environment", "staging"), tag("owner", "me")]
        );
    }

    #[test]
    fn original_bug_value_with_equals_is_kept_whole() {
        assert_eq!(parse(VAR, "query=a=b=c").unwrap(), [tag("query", "a=b=c")]);
    }

    #[test]
    fn original_bug_item_without_equals_is_an_error() {
        let error = parse(VAR, "workload=myapp,owner").unwrap_err();
        assert!(error.message.contains("has no `=`"));
        assert_eq!(error.column, Some(16));
    }

    #[test]
    fn empty_values_and_spaces_are_allowed() {
        assert_eq!(
            parse(VAR, "team=,cost center=Data Platform").unwrap(),
            [tag("team", ""), tag("cost center", "Data Platform")]
        );
        assert!(parse(VAR, "").unwrap().is_empty());
    }

    #[test]
    fn aws_limits_are_checked() {
        assert!(parse(VAR, "aws:foo=1").unwrap_err().message.contains("reserved"));
        assert!(parse(VAR, "maestro:environment=x").unwrap_err().message.contains("maestro's own"));
        assert!(parse(VAR, "=x").unwrap_err().message.contains("1 to 128"));
        assert!(parse(VAR, &format!("k={}", "v".repeat(257))).unwrap_err().message.contains("longer than 256"));
        assert!(parse(VAR, "k=a;b").unwrap_err().message.contains("does not allow"));
        assert!(parse(VAR, "k!=1").unwrap_err().message.contains("does not allow"));
        assert!(parse(VAR, "k=1,k=2").unwrap_err().message.contains("twice"));
        let many = (0..49).map(|index| format!("k{index}=v")).collect::<Vec<_>>().join(",");
        assert!(parse(VAR, &many).unwrap_err().message.contains("at most 48"));
    }

    #[test]
    fn limits_are_inclusive() {
        let key = "k".repeat(128);
        let value = "é".repeat(256);
        assert_eq!(parse(VAR, &format!("{key}={value}")).unwrap(), [tag(&key, &value)]);
        assert!(parse(VAR, &format!("{key}k=v")).unwrap_err().message.contains("1 to 128"));
        let most = (0..48).map(|index| format!("k{index}=v")).collect::<Vec<_>>().join(",");
        assert_eq!(parse(VAR, &most).unwrap().len(), 48);
    }

    /// Each error's caret (column, width) in the list's second item, so the item's place counts.
    #[test]
    fn every_error_points_at_its_part_of_the_item() {
        const FIRST: &str = "a=1, ";
        for (item, column, width, message) in [
            ("owner", 1, 5, "tag `owner` has no `=`"),
            ("=x", 1, 1, "a tag key must have 1 to 128 characters"),
            ("aws:team=x", 1, 8, "tag key `aws:team` uses the reserved `aws:` prefix"),
            ("te!am=x", 3, 1, "tag key `te!am` contains a character AWS does not allow"),
            ("key=  ab;c", 9, 1, "the value of tag `key` contains a character AWS does not allow"),
            ("a=2", 1, 1, "tag `a` is given twice"),
        ] {
            let error = parse(VAR, &format!("{FIRST}{item}")).unwrap_err();
            assert_eq!(
                (error.column, error.width, error.message.as_str()),
                (Some(FIRST.len() + column), width, message),
                "{item}"
            );
        }
        let long = format!("k=  {}", "v".repeat(257));
        let error = parse(VAR, &format!("{FIRST}{long}")).unwrap_err();
        assert_eq!((error.column, error.width), (Some(FIRST.len() + 5), 257), "{}", error.message);
        let empty = parse(VAR, "a=1,,b=2").unwrap_err();
        assert_eq!((empty.column, empty.width, empty.message.as_str()), (Some(5), 1, "empty item in the list"));
    }
}
