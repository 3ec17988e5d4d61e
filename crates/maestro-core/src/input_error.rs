//! The one error type for malformed input: a variable, a flag or a line of a file.
//!
//! Every parser in the core returns it, so that the top level can render all of them the same
//! way: which input, where in it, what is wrong, and what to write instead.

use std::fmt;
use std::ops::Range;

use crate::input::Location;
use crate::text::label::Label;

/// A problem with one input, positioned as precisely as the grammar allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// The input as the user knows it: `ECS_SERVICE_TASK_PROCESSES`, `--branch`,
    /// `PORT (maestro.env:4)`, `Procfile:3`, `tasks/run_tasks.conf:7`. Boxed, so that every
    /// `Result` carrying an `InputError` stays small.
    pub location: Box<Location>,
    /// What is wrong, lower case, literals in backticks.
    pub message: String,
    /// The text the caret points into (one line), when showing it cannot leak a secret.
    pub excerpt: Option<String>,
    /// 1-based character column of the offending token inside `excerpt`.
    pub column: Option<usize>,
    /// How many characters the offending token spans (at least 1 when `column` is set).
    pub width: usize,
    /// How to fix it.
    pub hint: String,
}

impl InputError {
    /// A problem with the input as a whole (no position worth showing).
    pub fn new(location: impl Into<Location>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            location: Box::new(location.into()),
            message: message.into(),
            excerpt: None,
            column: None,
            width: 0,
            hint: hint.into(),
        }
    }

    /// A problem at a byte range of `text`, which is shown with a caret under the range.
    pub fn at(
        location: impl Into<Location>,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        let start = text.floor_char_boundary(span.start.min(text.len()));
        let end = text.floor_char_boundary(span.end.clamp(start, text.len()));
        let column = text[..start].chars().count() + 1;
        let width = text[start..end].chars().count().max(1);
        Self {
            location: Box::new(location.into()),
            message: message.into(),
            excerpt: Some(text.to_owned()),
            column: Some(column),
            width,
            hint: hint.into(),
        }
    }

    /// A problem with the one character that starts at byte `index` of `text` (a stray `:`, a
    /// character a name cannot hold): the caret is under that character alone, whatever its size.
    pub fn at_character(
        location: impl Into<Location>,
        text: &str,
        index: usize,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        // An empty span gets the one-column caret `at` gives every span.
        Self::at(location, text, index..index, message, hint)
    }

    /// Renders the error as the user sees it on stderr.
    pub fn render(&self) -> String {
        self.render_with(|label| label.text().to_owned())
    }

    /// Renders the error with each label as `label` writes it (in colour, on a terminal).
    pub fn render_with(&self, label: impl Fn(Label) -> String) -> String {
        let mut out = format!("{} {self}\n", label(Label::Error));
        if let (Some(excerpt), Some(column)) = (&self.excerpt, self.column) {
            let (shown, pad, carets) = shown_excerpt(excerpt, column - 1, self.width);
            out.push_str(&format!("  | {shown}\n"));
            out.push_str(&format!("  | {}{}\n", " ".repeat(pad), "^".repeat(carets)));
        }
        out.push_str(&format!("{} {}\n", label(Label::Hint), self.hint));
        out
    }
}

/// At most this many characters of a line are shown under an error. The line may come from a
/// file the job did not mean to read (a symlink, a generated file) or hold a secret: the caret's
/// surroundings are enough to fix it.
pub const EXCERPT_CHARS: usize = 80;

/// The part of `line` shown with an error at character `start` (0-based) spanning `width`
/// characters: at most [`EXCERPT_CHARS`] characters around the span, `…` where the line goes
/// on, control characters (NUL, escape, carriage return, …) escaped so that the terminal or the
/// CI log shows them instead of obeying them. Returns the text, the caret's indent and its width.
fn shown_excerpt(line: &str, start: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let first = start.saturating_sub(EXCERPT_CHARS / 4).min(chars.len().saturating_sub(EXCERPT_CHARS));
    let last = (first + EXCERPT_CHARS).min(chars.len());
    let mut shown = String::new();
    if first > 0 {
        shown.push('…');
    }
    let (mut pad, mut carets) = (shown.chars().count(), 0);
    for (index, c) in chars.iter().enumerate().take(last).skip(first) {
        let text = escaped(*c);
        let columns = text.chars().count();
        if index < start {
            pad += columns;
        } else if index < start + width {
            carets += columns;
        }
        shown.push_str(&text);
    }
    if last < chars.len() {
        shown.push('…');
    }
    (shown, pad, carets.max(1))
}

fn escaped(c: char) -> String {
    match c {
        '\0' => "\\0".to_owned(),
        '\t' => "\\t".to_owned(),
        '\r' => "\\r".to_owned(),
        '\n' => "\\n".to_owned(),
        c if c.is_control() => format!("\\u{{{:x}}}", u32::from(c)),
        c => c.to_string(),
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}, column {}: {}", self.location, column, self.message),
            None => write!(f, "{}: {}", self.location, self.message),
        }
    }
}

/// Several input problems at once, so that one run shows everything there is to fix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    pub fn push(&mut self, error: InputError) {
        self.0.push(error);
    }

    /// Keeps the value of `result`, or records its error and returns `None`.
    pub fn take<T>(&mut self, result: Result<T, InputError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.push(error);
                None
            }
        }
    }

    pub fn into_result(self) -> Result<(), InputErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<InputError> for InputErrors {
    fn from(error: InputError) -> Self {
        Self(vec![error])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_points_at_the_span_in_characters() {
        let error = InputError::at("X", "ação[gpu=1]", 7..10, "bad metric", "use cpu");
        assert_eq!(error.column, Some(6));
        assert_eq!(error.width, 3);
        let rendered = error.render();
        assert!(rendered.contains("error: X, column 6: bad metric"));
        assert!(rendered.contains("  | ação[gpu=1]\n  |      ^^^\n"));
        assert!(rendered.ends_with("hint: use cpu\n"));
    }

    #[test]
    fn span_past_the_end_is_clamped() {
        let error = InputError::at("X", "abc", 3..9, "unexpected end", "finish it");
        assert_eq!(error.column, Some(4));
        assert_eq!(error.width, 1);
    }

    /// Each end of a byte span that falls inside a character moves back to that character's start.
    #[test]
    fn a_span_inside_a_character_moves_back_to_its_start() {
        // `ç` is bytes 1..3, `ã` bytes 3..5.
        let error = InputError::at("X", "ação", 2..4, "bad", "fix");
        assert_eq!((error.column, error.width), (Some(2), 1));
        assert!(error.render().contains("  | ação\n  |  ^\n"), "{}", error.render());
    }

    #[test]
    fn one_character_is_pointed_at_whatever_its_size() {
        for (index, column) in [(0, 1), (1, 2), (3, 3), (6, 5)] {
            let error = InputError::at_character("X", "ação!", index, "bad", "fix");
            assert_eq!((error.column, error.width), (Some(column), 1), "{index}");
        }
        assert_eq!(
            InputError::at_character("X", "ação!", 6, "bad", "fix"),
            InputError::at("X", "ação!", 6..7, "bad", "fix")
        );
    }

    #[test]
    fn one_error_is_a_list_of_one() {
        let error = InputError::new("X", "bad", "fix");
        assert_eq!(InputErrors::from(error.clone()).0, vec![error]);
    }

    /// M6: a long line (here a file that is one line of environment, NUL-separated) shows at most
    /// 80 characters around the caret, control characters escaped. (Before, the whole line.)
    #[test]
    fn a_long_line_shows_80_escaped_characters_around_the_caret() {
        let line =
            format!("PATH=/usr/bin\0HOME=/root\0{}\x1b[31mred\0TOKEN=ghs_CANARY{}", "x".repeat(60), "y".repeat(200));
        let at = line.find("red").unwrap();
        let error = InputError::at(Location::file("f"), &line, at..at + 3, "bad", "fix it");
        let rendered = error.render();
        let shown = rendered.lines().nth(1).unwrap().strip_prefix("  | ").unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("\\u{1b}[31mred\\0TOKEN") && !shown.contains('\x1b') && !shown.contains('\0'));
        assert!(shown.chars().count() <= EXCERPT_CHARS + 2 + 4 * 2, "{shown}");
        assert!(!shown.contains("HOME=/root") && !shown.contains(&"y".repeat(100)), "{shown}");
        let caret = rendered.lines().nth(2).unwrap().strip_prefix("  | ").unwrap();
        let indent = caret.len() - caret.trim_start().len();
        assert_eq!(&shown.chars().skip(indent).take(3).collect::<String>(), "red", "{rendered}");
        assert_eq!(caret.trim_start(), "^^^");
        // A short line is shown whole, its column unchanged.
        let short = InputError::at(Location::file("f"), "a\tb", 2..3, "bad", "fix it");
        assert_eq!(short.render(), "error: f, column 3: bad\n  | a\\tb\n  |    ^\nhint: fix it\n");
    }
}
