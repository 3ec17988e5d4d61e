//! The little YAML the CI files need: a template's `%name%` slots filled, and a scalar quoted.

/// `template` with each `%name%` replaced by its value.
pub(super) fn fill(template: &str, slots: &[(&str, &str)]) -> String {
    slots.iter().fold(template.to_owned(), |text, (name, value)| text.replace(&format!("%{name}%"), value))
}

/// A double-quoted YAML scalar: `{`, `,` and `[` in a processes line would otherwise start a
/// flow collection.
pub(super) fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `key: value` lines, each indented by `indent` spaces, for the optional settings.
pub(super) fn lines(indent: usize, pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(key, value)| format!("{:indent$}{key}: {value}\n", "")).collect()
}
