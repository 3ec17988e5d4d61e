//! The app's `Procfile`: Heroku's `type: command` lines.
//!
//! Blank lines and lines starting with `#` are ignored; every other line must be a process type
//! (letters, digits, `-`, `_`), a colon and a command. A type defined twice is an error, because
//! the buildpacks would silently keep only one of them.

use super::{SCHEDULED_TASKS_PROCESS, is_process_name_char};
use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub name: String,
    pub command: String,
    /// 1-based line in the Procfile, for messages.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Procfile {
    /// In file order.
    pub processes: Vec<Process>,
}

impl Procfile {
    pub fn get(&self, name: &str) -> Option<&Process> {
        self.processes.iter().find(|process| process.name == name)
    }

    pub fn names(&self) -> Vec<&str> {
        self.processes.iter().map(|process| process.name.as_str()).collect()
    }
}

/// Parses the Procfile's `text`; `file` is its path as the user knows it (`Procfile`, `app/Procfile`).
pub fn parse(file: &str, text: &str) -> Result<Procfile, InputError> {
    let mut processes: Vec<Process> = Vec::new();
    for (index, raw_line) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let line_number = index + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        let input = Location::line(file, line_number);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some(colon) = line.find(':') else {
            return Err(InputError::at(
                input,
                line,
                indent..line.len(),
                "expected `type: command`",
                "each line names a process type and its command, e.g. `web: bundle exec puma`",
            ));
        };
        let name = line[indent..colon].trim_end();
        if name.is_empty() {
            return Err(InputError::at_character(
                input,
                line,
                colon,
                "missing process type before `:`",
                "write `type: command`, e.g. `worker: bin/worker`",
            ));
        }
        if let Some(bad) = name.find(|c| !is_process_name_char(c)) {
            return Err(InputError::at_character(
                input,
                line,
                indent + bad,
                format!("process type `{name}` contains a character that cannot be used"),
                "process types use letters, digits, `-` and `_` (they become part of ECS names)",
            ));
        }
        let command = line[colon + 1..].trim();
        if command.is_empty() && name != SCHEDULED_TASKS_PROCESS {
            return Err(InputError::at(
                input,
                line,
                colon..line.len(),
                format!("process `{name}` has no command"),
                format!("write the command after the colon, e.g. `{name}: bin/{name}`"),
            ));
        }
        if let Some(first) = processes.iter().find(|process| process.name == name) {
            return Err(InputError::at(
                input,
                line,
                indent..indent + name.len(),
                format!("process `{name}` is already defined on line {}", first.line),
                "define each process type once",
            ));
        }
        processes.push(Process { name: name.to_owned(), command: command.to_owned(), line: line_number });
    }
    if processes.is_empty() {
        return Err(InputError::new(
            file,
            "the Procfile defines no process",
            "add at least one line such as `web: bin/server`",
        ));
    }
    Ok(Procfile { processes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_procfile_with_comments_and_crlf() {
        let text = "# processes\r\nweb: bundle exec unicorn -p $PORT -c config/unicorn.rb # binds unicorn\r\n\r\nworker:bundle exec sidekiq -C config/sidekiq.yml\nclock: bundle exec rails runner bin/clock\nscheduledtasks: tasks/run_tasks.conf\nrelease: bundle exec db:migrate";
        let procfile = parse("Procfile", text).unwrap();
        assert_eq!(procfile.names(), ["web", "worker", "clock", "scheduledtasks", "release"]);
        assert_eq!(
            procfile.get("web").unwrap().command,
            "bundle exec unicorn -p $PORT -c config/unicorn.rb # binds unicorn"
        );
        assert_eq!(procfile.get("worker").unwrap().line, 4);
        // The last line needs no newline.
        assert_eq!(procfile.get("release").unwrap().command, "bundle exec db:migrate");
    }

    #[test]
    fn original_bug_comments_never_define_processes() {
        // The original found the schedule file with `grep scheduledtasks Procfile`, comments included.
        let procfile = parse("Procfile", "# scheduledtasks: tasks/old.conf\nweb: bin/web\n").unwrap();
        assert_eq!(procfile.names(), ["web"]);
    }

    #[test]
    fn scheduledtasks_may_omit_its_path() {
        assert_eq!(parse("Procfile", "scheduledtasks:\n").unwrap().get("scheduledtasks").unwrap().command, "");
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let error = parse("Procfile", "web: a\nweb: b\n").unwrap_err();
        assert_eq!(*error.location, Location::line("Procfile", 2));
        assert!(error.message.contains("already defined on line 1"));

        let error = parse("app/Procfile", "web: a\nweb server\n").unwrap_err();
        assert_eq!(*error.location, Location::line("app/Procfile", 2));
        assert!(error.message.contains("expected `type: command`"));

        let error = parse("Procfile", "we.b: a").unwrap_err();
        assert_eq!(error.column, Some(3));

        assert!(parse("Procfile", "worker:   ").unwrap_err().message.contains("has no command"));
        assert!(parse("Procfile", ": x").unwrap_err().message.contains("missing process type"));
        assert!(parse("Procfile", "# nothing\n\n").unwrap_err().message.contains("defines no process"));
    }

    /// On an indented line the caret is under the bad character alone, counted from the indent.
    #[test]
    fn an_indented_bad_character_is_pointed_at_alone() {
        let error = parse("Procfile", "  web.x: bin/web").unwrap_err();
        assert_eq!((error.column, error.width), (Some(6), 1), "{}", error.render());
        assert_eq!(error.message, "process type `web.x` contains a character that cannot be used");
        let error = parse("Procfile", "web: a\n  web: b").unwrap_err();
        assert_eq!((error.column, error.width), (Some(3), 3), "{}", error.render());
    }
}
