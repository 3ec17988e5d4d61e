//! The top-level error: one rendering, one mapping to exit codes.

use std::process::ExitCode;

use serde::Serialize;

use maestro_core::env::Origin;
use maestro_core::input::Location;
use maestro_core::input_error::{InputError, InputErrors};
use maestro_core::text::label::Label;

use crate::style::Style;

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
    /// The process's exit code: 1, or the one-off command's own (`maestro run`).
    pub exit_code: u8,
}

impl Failure {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), details: Vec::new(), hint: None, exit_code: EXIT_FAILED }
    }

    /// The run exits with `code` rather than 1: a one-off command's own exit code.
    pub(crate) fn exit_code(mut self, code: u8) -> Self {
        self.exit_code = code;
        self
    }

    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.details.push(detail.into());
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The failure as stderr shows it, without colour.
    #[cfg(test)]
    pub(crate) fn render(&self) -> String {
        self.render_styled(Style::default())
    }

    pub(crate) fn render_styled(&self, style: Style) -> String {
        let mut out = format!("{} {}\n", style.label(Label::Error), self.message);
        for detail in &self.details {
            out.push_str(&format!("  {detail}\n"));
        }
        if let Some(hint) = &self.hint {
            out.push_str(&format!("{} {hint}\n", style.label(Label::Hint)));
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
        ExitCode::from(self.code())
    }

    fn code(&self) -> u8 {
        match self {
            Self::Input(_) => EXIT_BAD_INPUT,
            Self::Failed(failure) => failure.exit_code,
            Self::Output(_) => EXIT_FAILED,
        }
    }

    /// The text for stderr: every problem with its position and a hint, labels in `style`.
    pub(crate) fn render(&self, style: Style) -> String {
        match self {
            Self::Input(errors) => {
                let mut out: String = errors
                    .0
                    .iter()
                    .map(|error| error.render_with(|label| style.label(label)))
                    .collect::<Vec<_>>()
                    .join("\n");
                if errors.0.len() > 1 {
                    out.push_str(&format!("\n{} problems found; nothing was changed.\n", errors.0.len()));
                }
                out
            }
            Self::Failed(failure) => failure.render_styled(style),
            Self::Output(_) => format!("{} {self}\n", style.label(Label::Error)),
        }
    }
}

/// An error as `--output json` writes it: a stable shape, documented in docs/json-errors.md.
/// It is built from the same values stderr renders (never from the rendered text), and those
/// carry no secret: an input error shows where a value is, not a secret's value.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum ErrorReport<'a> {
    /// Exit code 2: nothing was changed; every problem found is listed.
    BadInput { exit_code: u8, problems: Vec<Problem<'a>> },
    /// Exit code 1 (or a one-off command's own): the run failed after its input was accepted.
    Failed { exit_code: u8, message: String, details: &'a [String], hint: Option<&'a str> },
}

/// One input problem: which input, where it was written, what is wrong, how to fix it.
#[derive(Debug, Serialize)]
pub(crate) struct Problem<'a> {
    /// The input as stderr names it: `--branch`, `PORT (maestro.env:4)`, `Procfile:3`.
    input: String,
    /// The variable, whichever layer (flag, action input, env file, environment) gave its value.
    variable: Option<&'a str>,
    /// The file the input was written in (an app file, or the env file that set the variable).
    file: Option<&'a str>,
    /// Its 1-based line, when known.
    line: Option<usize>,
    /// The 1-based character column of the offending text in the value or line, when known.
    column: Option<usize>,
    message: &'a str,
    hint: &'a str,
}

impl<'a> ErrorReport<'a> {
    pub(crate) fn of(error: &'a Error) -> Self {
        match error {
            Error::Input(errors) => {
                Self::BadInput { exit_code: EXIT_BAD_INPUT, problems: errors.0.iter().map(Problem::of).collect() }
            }
            Error::Failed(failure) => Self::of_failure(failure),
            Error::Output(_) => {
                Self::Failed { exit_code: error.code(), message: error.to_string(), details: &[], hint: None }
            }
        }
    }

    pub(crate) fn of_failure(failure: &'a Failure) -> Self {
        Self::Failed {
            exit_code: failure.exit_code,
            message: failure.message.clone(),
            details: &failure.details,
            hint: failure.hint.as_deref(),
        }
    }
}

impl<'a> Problem<'a> {
    fn of(error: &'a InputError) -> Self {
        let (variable, file, line) = match &*error.location {
            Location::Variable { name, origin: Origin::EnvFile { file, line } } => {
                (Some(name.as_str()), Some(file.as_str()), Some(*line))
            }
            Location::Variable { name, .. } => (Some(name.as_str()), None, None),
            Location::File { path, line } => (None, Some(path.as_str()), *line),
            Location::Flag(_) | Location::Described(_) => (None, None, None),
        };
        Self {
            input: error.location.to_string(),
            variable,
            file,
            line,
            column: error.column,
            message: &error.message,
            hint: &error.hint,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(error: &InputError) -> serde_json::Value {
        serde_json::to_value(Problem::of(error)).unwrap()
    }

    #[test]
    fn a_problem_says_which_variable_and_file_from_the_location_itself() {
        let set_in_file = Location::Variable {
            name: "PORT".into(),
            origin: Origin::EnvFile { file: "my app/maestro.env".into(), line: 4 },
        };
        assert_eq!(
            problem(&InputError::at(set_in_file, "30o0", 2..3, "not a number", "write digits")),
            serde_json::json!({"input": "PORT (my app/maestro.env:4)", "variable": "PORT",
                "file": "my app/maestro.env", "line": 4, "column": 3, "message": "not a number",
                "hint": "write digits"})
        );
        let flag = Location::Variable { name: "MAESTRO_BRANCH_OVERRIDE".into(), origin: Origin::Flag("--branch") };
        let shown = problem(&InputError::new(flag, "bad", "fix"));
        assert_eq!(
            (shown["input"].as_str(), shown["variable"].as_str()),
            (Some("--branch"), Some("MAESTRO_BRANCH_OVERRIDE"))
        );
        assert!(shown["file"].is_null() && shown["line"].is_null() && shown["column"].is_null(), "{shown}");
        let whole_file = problem(&InputError::new(Location::file("task-definition-web.json"), "bad", "fix"));
        assert_eq!(
            (whole_file["file"].as_str(), whole_file["line"].is_null()),
            (Some("task-definition-web.json"), true)
        );
        assert!(whole_file["variable"].is_null(), "{whole_file}");
        let described = problem(&InputError::new(Location::described("git HEAD"), "bad", "fix"));
        assert_eq!((described["input"].as_str(), described["file"].is_null()), (Some("git HEAD"), true));
    }

    #[test]
    fn bad_input_lists_every_problem_with_exit_code_2() {
        let errors = InputErrors(vec![
            InputError::new("AWS_REGION", "no AWS region given", "set it"),
            InputError::new(Location::line("Procfile", 3), "no `:`", "write `web: …`"),
        ]);
        let error = Error::Input(errors);
        let shown = serde_json::to_value(ErrorReport::of(&error)).unwrap();
        assert_eq!((shown["kind"].as_str(), shown["exit_code"].as_u64()), (Some("bad_input"), Some(2)));
        assert_eq!(shown["problems"].as_array().map(Vec::len), Some(2));
        assert_eq!(error.code(), EXIT_BAD_INPUT);
    }

    #[test]
    fn a_failure_exits_1_unless_it_carries_a_commands_exit_code() {
        let failed = Error::Failed(Failure::new("AWS refused"));
        assert_eq!(failed.code(), EXIT_FAILED);
        let exited = Error::Failed(Failure::new("the command exited with code 3").exit_code(3));
        assert_eq!(exited.code(), 3);
        let shown = serde_json::to_value(ErrorReport::of(&exited)).unwrap();
        assert_eq!((shown["kind"].as_str(), shown["exit_code"].as_u64()), (Some("failed"), Some(3)));
    }
}
