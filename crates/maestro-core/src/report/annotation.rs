//! GitHub annotations for bad lines of the app's files, so the problem shows on the PR's diff.

use crate::input_error::InputError;
use crate::text::workflow_command::{data, property};

/// The file and line an input names: `Procfile:3`, `api/tasks/run_tasks.conf:7`, or an env
/// file's line as `NAME (maestro.env:4)`.
pub fn file_line(input: &str) -> Option<(&str, usize)> {
    let located = input.rsplit_once(" (").map_or(input, |(_, inner)| inner.trim_end_matches(')'));
    let (file, line) = located.rsplit_once(':')?;
    let line = line.parse().ok()?;
    (!file.is_empty() && !file.contains(' ')).then_some((file, line))
}

/// `::error file=…,line=…,col=…,title=…::message` for an error on a file's line.
pub fn error_command(error: &InputError) -> Option<String> {
    let (file, line) = file_line(&error.input)?;
    let mut properties = format!("file={},line={line}", property(file));
    if let Some(column) = error.column {
        properties.push_str(&format!(",col={column},endColumn={}", column + error.width));
    }
    properties.push_str(",title=maestro: bad input");
    let message = format!("{} (fix: {})", error.message, error.hint);
    Some(format!("::error {properties}::{}", data(&message)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_lines_become_annotations_and_variables_do_not() {
        assert_eq!(file_line("Procfile:3"), Some(("Procfile", 3)));
        assert_eq!(file_line("api/tasks/run_tasks.conf:7"), Some(("api/tasks/run_tasks.conf", 7)));
        assert_eq!(file_line("ECS_CLUSTER_ID (maestro.env:4)"), Some(("maestro.env", 4)));
        assert_eq!(file_line("ECS_SERVICE_TASK_PROCESSES"), None);
        let error = InputError::at(
            "Procfile:2",
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
}
