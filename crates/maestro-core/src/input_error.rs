//! The one error type for malformed input: a variable, a flag or a line of a file.
//!
//! Every parser in the core returns it, so that the top level can render all of them the same
//! way: which input, where in it, what is wrong, and what to write instead.

use std::fmt;
use std::ops::Range;

use crate::input::Location;

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
        let mut out = format!("error: {self}\n");
        if let (Some(excerpt), Some(column)) = (&self.excerpt, self.column) {
            out.push_str(&format!("  | {excerpt}\n"));
            out.push_str(&format!("  | {}{}\n", " ".repeat(column - 1), "^".repeat(self.width)));
        }
        out.push_str(&format!("hint: {}\n", self.hint));
        out
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
}
