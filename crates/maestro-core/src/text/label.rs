//! The labels that start what maestro says on stderr. The binary decides whether a terminal or a
//! CI log gets them in colour; the text is the same either way.

/// A line's label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Error,
    Warning,
    Hint,
}

impl Label {
    /// The label as plain text, colon included.
    pub fn text(self) -> &'static str {
        match self {
            Self::Error => "error:",
            Self::Warning => "warning:",
            Self::Hint => "hint:",
        }
    }
}
