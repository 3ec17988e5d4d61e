//! The top-level error: one rendering, one mapping to exit codes.

use std::process::ExitCode;

use crate::core::input_error::InputErrors;

/// Exit code for malformed input: nothing was changed, fix the input and run again.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a run that failed after its input was accepted.
pub const EXIT_FAILED: u8 = 1;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid input")]
    Input(InputErrors),
    #[error("could not write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl From<InputErrors> for Error {
    fn from(errors: InputErrors) -> Self {
        Self::Input(errors)
    }
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            Self::Input(_) => EXIT_BAD_INPUT,
            Self::Output(_) => EXIT_FAILED,
        })
    }

    /// The text for stderr: every problem with its position and a hint.
    pub fn render(&self) -> String {
        match self {
            Self::Input(errors) => {
                let mut out: String = errors.0.iter().map(|error| error.render()).collect::<Vec<_>>().join("\n");
                if errors.0.len() > 1 {
                    out.push_str(&format!("\n{} problems found; nothing was changed.\n", errors.0.len()));
                }
                out
            }
            Self::Output(_) => format!("error: {self}\n"),
        }
    }
}
