//! GitHub annotations for bad lines of the app's files, so the problem shows on the PR's diff,
//! and for inputs that are only warned about (an unknown variable), so they show on the run.

use crate::input_error::InputError;
use crate::text::workflow_command::{data, property};

/// `::error file=…,line=…,col=…,title=…::message` for an error on a file's line: a line of one of
/// the app's files (`Procfile:3`), or the env-file line a variable was set on.
pub fn error_command(error: &InputError) -> Option<String> {
    let (file, line) = error.location.file_line()?;
    let mut properties = format!("file={},line={line}", property(file));
    if let Some(column) = error.column {
        properties.push_str(&format!(",col={column},endColumn={}", column + error.width));
    }
    properties.push_str(",title=maestro: bad input");
    let message = format!("{} (fix: {})", error.message, error.hint);
    Some(format!("::error {properties}::{}", data(&message)))
}

/// `::warning …::message (fix: hint)` for a problem that does not stop the run: on the env-file
/// line it was written on when there is one, else on the run's summary alone.
pub fn warning_command(warning: &InputError) -> String {
    let mut properties = String::new();
    if let Some((file, line)) = warning.location.file_line() {
        properties.push_str(&format!("file={},line={line},", property(file)));
    }
    properties.push_str("title=maestro: unknown input");
    format!("::warning {properties}::{}", data(&format!("{} (fix: {})", warning.message, warning.hint)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Origin;
    use crate::input::Location;

    #[test]
    fn file_lines_become_annotations_and_variables_do_not() {
        let set_in_file = Location::Variable {
            name: "ECS_CLUSTER_ID".into(),
            origin: Origin::EnvFile { file: "maestro.env".into(), line: 4 },
        };
        assert_eq!(
            error_command(&InputError::new(set_in_file, "bad", "fix")).unwrap(),
            "::error file=maestro.env,line=4,title=maestro: bad input::bad (fix: fix)"
        );
        let error = InputError::at(
            Location::line("Procfile", 2),
            "web bundle exec puma",
            0..3,
            "no `:` after the process name",
            "write `web: <command>`",
        );
        assert_eq!(
            error_command(&error).unwrap(),
            "::error file=Procfile,line=2,col=1,endColumn=4,title=maestro: bad input::no `:` after the process name (fix: write `web: <command>`)"
        );
        assert_eq!(error_command(&InputError::new("PORT", "bad", "fix")), None);
    }

    #[test]
    fn warnings_point_at_their_env_file_line_when_they_have_one() {
        let in_file = Location::Variable {
            name: "ECS_SERVICE_TASK_PROCESS".into(),
            origin: Origin::EnvFile { file: "typo.env".into(), line: 2 },
        };
        assert_eq!(
            warning_command(&InputError::new(in_file, "unknown", "rename it")),
            "::warning file=typo.env,line=2,title=maestro: unknown input::unknown (fix: rename it)"
        );
        assert_eq!(
            warning_command(&InputError::new("ALB_SCHEM", "unknown", "rename it")),
            "::warning title=maestro: unknown input::unknown (fix: rename it)"
        );
    }
}
