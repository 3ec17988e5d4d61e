//! Where an input was written, kept as data so that each consumer takes what it needs: the
//! message shows it the way the user wrote it (`--branch`, `PORT (maestro.env:4)`,
//! `Procfile:3`), and a GitHub annotation takes its file and line without parsing that text.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::env::Origin;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A variable, shown as the layer that gave its value: its flag, its env-file line, its
    /// action input, or its own name.
    Variable { name: String, origin: Origin },
    /// A file, or one line of it.
    File { path: String, line: Option<usize> },
    /// A command-line flag that stands for no variable (`--env-file`).
    Flag(&'static str),
    /// Any other source, named as maestro shows it: a payload path
    /// (`event.pull_request.head.sha`), `git HEAD`, or the variables a value was made from.
    Described(String),
}

impl Location {
    /// A variable of the process environment, or one named as such (`MAESTRO_COMMIT_OVERRIDE`
    /// in "no commit given").
    pub fn variable(name: impl Into<String>) -> Self {
        Self::Variable { name: name.into(), origin: Origin::Process }
    }

    /// A whole file (`task-definition-web.json`).
    pub fn file(path: impl Into<String>) -> Self {
        Self::File { path: path.into(), line: None }
    }

    /// One line of a file, 1-based (`Procfile:3`).
    pub fn line(path: impl Into<String>, line: usize) -> Self {
        Self::File { path: path.into(), line: Some(line) }
    }

    /// A source that is neither a variable nor a file's line (`git HEAD`).
    pub fn described(text: impl Into<String>) -> Self {
        Self::Described(text.into())
    }

    /// The file and line a GitHub annotation can point at: a file's line, or the env-file line
    /// a variable was set on.
    pub fn file_line(&self) -> Option<(&str, usize)> {
        match self {
            Self::File { path, line: Some(line) } => Some((path, *line)),
            Self::Variable { origin: Origin::EnvFile { file, line }, .. } => Some((file, *line)),
            _ => None,
        }
    }
}

/// A variable's name.
impl From<&str> for Location {
    fn from(name: &str) -> Self {
        Self::variable(name)
    }
}

impl From<&Location> for Location {
    fn from(location: &Location) -> Self {
        location.clone()
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Variable { name, origin } => match origin {
                Origin::Process => f.write_str(name),
                Origin::EnvFile { file, line } => write!(f, "{name} ({file}:{line})"),
                Origin::ActionInput(input) => write!(f, "`{input}` input"),
                Origin::Flag(flag) => f.write_str(flag),
            },
            Self::File { path, line: Some(line) } => write!(f, "{path}:{line}"),
            Self::File { path, line: None } => f.write_str(path),
            Self::Flag(flag) => f.write_str(flag),
            Self::Described(text) => f.write_str(text),
        }
    }
}

/// As it is shown (the `sources` of `maestro detect --output json`).
impl Serialize for Location {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_location_shows_what_the_user_wrote_and_only_lines_are_annotated() {
        let env_file = Origin::EnvFile { file: "maestro.env".into(), line: 4 };
        let cases = [
            (Location::variable("PORT"), "PORT", None),
            (
                Location::Variable { name: "PORT".into(), origin: env_file },
                "PORT (maestro.env:4)",
                Some(("maestro.env", 4)),
            ),
            (Location::Variable { name: "X".into(), origin: Origin::Flag("--branch") }, "--branch", None),
            (
                Location::Variable { name: "MAESTRO_ROLE_ARN".into(), origin: Origin::ActionInput("role-to-assume") },
                "`role-to-assume` input",
                None,
            ),
            (Location::line("api/Procfile", 3), "api/Procfile:3", Some(("api/Procfile", 3))),
            (Location::file("task-definition-web.json"), "task-definition-web.json", None),
            (Location::Flag("--env-file"), "--env-file", None),
            (Location::Described("event.pull_request.head.sha".into()), "event.pull_request.head.sha", None),
        ];
        for (location, shown, annotated) in cases {
            assert_eq!(location.to_string(), shown);
            assert_eq!(location.file_line(), annotated, "{shown}");
        }
        // A path with spaces or colons is still one file: nothing is parsed back out of the text.
        assert_eq!(Location::line("my app/a:b.conf", 2).file_line(), Some(("my app/a:b.conf", 2)));
    }
}
