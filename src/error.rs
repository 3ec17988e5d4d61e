//! The top-level error: one rendering, one mapping to exit codes.

use std::process::ExitCode;

use maestro_core::input_error::InputErrors;

/// Exit code for malformed input: nothing was changed, fix the input and run again.
pub(crate) const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a run that failed after its input was accepted.
pub(crate) const EXIT_FAILED: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("invalid input")]
    Input(InputErrors),
    #[error("{0}")]
    Failed(#[from] Failure),
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

/// A run that failed after its input was accepted: what happened, the facts that explain it,
/// and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Failure {
    pub message: String,
    pub details: Vec<String>,
    pub hint: Option<String>,
}

impl Failure {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), details: Vec::new(), hint: None }
    }

    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn render(&self) -> String {
        let mut out = format!("error: {}\n", self.message);
        for detail in &self.details {
            out.push_str(&format!("  {detail}\n"));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("hint: {hint}\n"));
        }
        out
    }
}

impl From<InputErrors> for Error {
    fn from(errors: InputErrors) -> Self {
        Self::Input(errors)
    }
}

impl Error {
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Self::Input(_) => EXIT_BAD_INPUT,
            Self::Failed(_) | Self::Output(_) => EXIT_FAILED,
        })
    }

    /// The text for stderr: every problem with its position and a hint.
    pub(crate) fn render(&self) -> String {
        match self {
            Self::Input(errors) => {
                let mut out: String = errors.0.iter().map(|error| error.render()).collect::<Vec<_>>().join("\n");
                if errors.0.len() > 1 {
                    out.push_str(&format!("\n{} problems found; nothing was changed.\n", errors.0.len()));
                }
                out
            }
            Self::Failed(failure) => failure.render(),
            Self::Output(_) => format!("error: {self}\n"),
        }
    }
}
