//! The schedule file named by the Procfile's `scheduledtasks` line (`tasks/run_tasks.conf`).
//!
//! ```text
//! line = name expression command      ; e.g. update-feed rate(3 hours) bundle exec rake feed:update
//! ```
//!
//! `#` comments and blank lines are skipped, the last line needs no newline, and the command is
//! kept exactly as written (quotes, `)` and all). The original stopped at the first blank line,
//! dropped a last line without a newline, cut commands at `)` and stripped their quotes.

use super::schedule_expression;
use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub name: String,
    pub expression: String,
    pub command: String,
    /// 1-based line in the file, for messages.
    pub line: usize,
}

/// The default path of the schedule file, relative to the app.
pub const DEFAULT_PATH: &str = "tasks/run_tasks.conf";

fn is_name_char(character: char) -> bool {
    character.is_ascii_alphanumeric() || "._-".contains(character)
}

/// Parses the schedule file's `text`; `file` is its path as the user knows it.
pub fn parse(file: &str, text: &str) -> Result<Vec<Schedule>, InputError> {
    let mut schedules: Vec<Schedule> = Vec::new();
    for (index, raw_line) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let line_number = index + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let input = Location::line(file, line_number);
        let schedule = parse_line(&input, line, line_number)?;
        if let Some(first) = schedules.iter().find(|seen| seen.name == schedule.name) {
            let start = line.len() - trimmed.len();
            return Err(InputError::at(
                input,
                line,
                start..start + schedule.name.len(),
                format!("schedule `{}` is already defined on line {}", schedule.name, first.line),
                "give each scheduled task its own name; the name becomes the EventBridge rule's",
            ));
        }
        schedules.push(schedule);
    }
    Ok(schedules)
}

fn parse_line(input: &Location, line: &str, line_number: usize) -> Result<Schedule, InputError> {
    let name_start = line.len() - line.trim_start().len();
    let name_end = line[name_start..].find(char::is_whitespace).map_or(line.len(), |end| name_start + end);
    let name = &line[name_start..name_end];
    if let Some(bad) = name.find(|c| !is_name_char(c)) {
        return Err(InputError::at_character(
            input,
            line,
            name_start + bad,
            format!("schedule name `{name}` contains a character EventBridge does not allow"),
            "names use letters, digits, `.`, `-` and `_`",
        ));
    }
    let expression_start = name_end + (line[name_end..].len() - line[name_end..].trim_start().len());
    let rest = &line[expression_start..];
    if rest.is_empty() {
        return Err(InputError::at(
            input,
            line,
            name_start..name_end,
            format!("schedule `{name}` has no schedule expression or command"),
            "write `name rate(3 hours) command`",
        ));
    }
    let Some(close) = rest.find(')') else {
        return Err(InputError::at(
            input,
            line,
            expression_start..line.len(),
            "expected a schedule expression such as `rate(3 hours)`",
            "write `name rate(3 hours) command` or `name cron(0 3 * * ? *) command`",
        ));
    };
    let expression = &rest[..=close];
    if !expression.contains('(') {
        return Err(InputError::at(
            input,
            line,
            expression_start..expression_start + close + 1,
            "expected a schedule expression such as `rate(3 hours)`",
            "write `name rate(3 hours) command` or `name cron(0 3 * * ? *) command`",
        ));
    }
    if let Err(error) = schedule_expression::check(expression) {
        let span = expression_start + error.span.start..expression_start + error.span.end;
        return Err(InputError::at(input, line, span, error.message, error.hint));
    }
    let command = rest[close + 1..].trim();
    if command.is_empty() {
        return Err(InputError::at(
            input,
            line,
            expression_start..line.len(),
            format!("schedule `{name}` has no command"),
            format!("write the command after the expression, e.g. `{name} {expression} bundle exec rake {name}`"),
        ));
    }
    Ok(Schedule {
        name: name.to_owned(),
        expression: expression.to_owned(),
        command: command.to_owned(),
        line: line_number,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "tasks/run_tasks.conf";

    #[test]
    fn readme_example() {
        let text = "update-feeed rate(3 hours) bundle exec rake feed:update\nsend-mail rate(12 hours) bundle exec rake mail:send\nupdate-invoices rate(6 hours) bundle exec rake client:update_invoices\n";
        let schedules = parse(FILE, text).unwrap();
        assert_eq!(schedules.len(), 3);
        assert_eq!(
            schedules[1],
            Schedule {
                name: "send-mail".into(),
                expression: "rate(12 hours)".into(),
                command: "bundle exec rake mail:send".into(),
                line: 2,
            }
        );
    }

    #[test]
    fn original_bug_blank_lines_and_comments_do_not_stop_reading() {
        let text = "# nightly jobs\na rate(1 day) x\n\n   \nb cron(0 3 * * ? *) y\n";
        let names: Vec<String> = parse(FILE, text).unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[test]
    fn original_bug_last_line_without_newline_is_kept() {
        let schedules = parse(FILE, "a rate(1 day) x\nb rate(2 days) y").unwrap();
        assert_eq!(schedules[1].command, "y");
    }

    #[test]
    fn original_bug_commands_keep_quotes_and_parentheses() {
        let text = r#"report cron(0 6 ? * MON *) bin/rails runner 'Report.deliver(to: "ops")' && echo "done \"ok\"""#;
        let schedule = &parse(FILE, text).unwrap()[0];
        assert_eq!(schedule.expression, "cron(0 6 ? * MON *)");
        assert_eq!(schedule.command, r#"bin/rails runner 'Report.deliver(to: "ops")' && echo "done \"ok\"""#);
    }

    #[test]
    fn original_bug_unmatched_quote_is_kept_not_fatal() {
        let schedule = &parse(FILE, "say rate(1 hour) echo it's fine").unwrap()[0];
        assert_eq!(schedule.command, "echo it's fine");
    }

    #[test]
    fn errors_point_into_the_line() {
        let error = parse(FILE, "a rate(1 day) x\nb rate(3 hour) y\n").unwrap_err();
        assert_eq!(*error.location, Location::line("tasks/run_tasks.conf", 2));
        assert_eq!(error.column, Some(10));
        assert!(error.message.contains("`3 hours`"));

        let error = parse(FILE, "a rate(1 day) x\na rate(2 days) y").unwrap_err();
        assert!(error.message.contains("already defined on line 1"));

        assert!(parse(FILE, "a").unwrap_err().message.contains("no schedule expression"));
        assert!(parse(FILE, "a every day").unwrap_err().message.contains("expected a schedule expression"));
        assert!(parse(FILE, "a) x").unwrap_err().message.contains("character EventBridge does not allow"));
        assert!(parse(FILE, "a rate(1 day)").unwrap_err().message.contains("has no command"));
        assert!(parse(FILE, "a/b rate(1 day) x").unwrap_err().message.contains("does not allow"));
        assert!(parse(FILE, "a cron(0 3 * * * *) x").unwrap_err().message.contains("exactly one of"));
    }

    /// The caret (column, width) of each error, on lines where the name does not start the line.
    #[test]
    fn every_error_points_at_its_part_of_the_line() {
        for (text, column, width, message) in [
            (
                "a rate(1 day) x\n   feed rate(2 days) y\n   feed rate(2 days) z",
                4,
                4,
                "schedule `feed` is already defined on line 2",
            ),
            ("  abc/d rate(1 day) x", 6, 1, "schedule name `abc/d` contains a character EventBridge does not allow"),
            ("a every) x", 3, 6, "expected a schedule expression such as `rate(3 hours)`"),
            ("a every day", 3, 9, "expected a schedule expression such as `rate(3 hours)`"),
            ("  a", 3, 1, "schedule `a` has no schedule expression or command"),
            ("a  rate(1 day)", 4, 11, "schedule `a` has no command"),
        ] {
            let error = parse(FILE, text).unwrap_err();
            assert_eq!((error.column, error.width, error.message.as_str()), (Some(column), width, message), "{text}");
        }
        let error = parse(FILE, "b rate(3 hour) y").unwrap_err();
        assert_eq!((error.column, error.width), (Some(10), 4), "{}", error.render());
    }

    #[test]
    fn empty_file_has_no_schedules() {
        assert!(parse(FILE, "# none yet\n").unwrap().is_empty());
    }
}
