//! GitHub Actions workflow commands.
//!
//! They are written to stderr: the runner parses stderr for commands exactly as it parses stdout
//! (actions/runner `ScriptHandler`: both streams go through `OutputManager`), and stdout stays
//! pure data for `--output json`.

use std::io::Write;

use crate::error::Failure;
use crate::{clock, random};
use maestro_core::ci::Ci;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::report::annotation;
use maestro_core::text::workflow_command;

/// Hides secrets in the job's log: every value passed to [`Masker::mask`] is printed as `***`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Masker {
    github_actions: bool,
}

impl Masker {
    pub(crate) fn for_env(env: &Env) -> Self {
        Self { github_actions: env.get(var::GITHUB_ACTIONS) == Some("true") }
    }

    /// Masks `secret` from now on; call it before anything could print the value.
    pub(crate) fn mask(&self, secret: &str) {
        if !self.github_actions {
            return;
        }
        // The runner masks line by line; a multi-line secret needs each line masked.
        let mut stderr = std::io::stderr().lock();
        for line in secret.lines().map(str::trim).filter(|line| !line.is_empty()) {
            let _ = writeln!(stderr, "::add-mask::{line}");
        }
    }
}

/// A collapsible section of the job's log around relayed output (pack's): `::group::` on GitHub,
/// with the runner's command parsing stopped inside so relayed text cannot issue workflow
/// commands; a `section_start` on GitLab; plain lines elsewhere. It ends when dropped, so an
/// early return closes it too.
#[derive(Debug)]
pub(crate) struct Group {
    ci: Ci,
    name: &'static str,
    stop_token: String,
}

impl Group {
    pub(crate) fn start(ci: Ci, name: &'static str, title: &str) -> Self {
        let group = Self { ci, name, stop_token: format!("maestro-{}", random::token()) };
        let _ = std::io::stderr().lock().write_all(group.opening(title, clock::unix_seconds()).as_bytes());
        group
    }

    /// The lines that open the section; `now` stamps GitLab's.
    fn opening(&self, title: &str, now: u64) -> String {
        match self.ci {
            // The title is command data: a line break in it would end the command early.
            Ci::Github => format!("::group::{}\n::stop-commands::{}\n", workflow_command::data(title), self.stop_token),
            Ci::Gitlab => format!("\x1b[0Ksection_start:{now}:{}[collapsed=true]\r\x1b[0K{title}\n", self.name),
            Ci::Codebuild | Ci::Local => format!("{title}\n"),
        }
    }

    /// The lines that close the section (and resume command parsing on GitHub).
    fn closing(&self, now: u64) -> String {
        match self.ci {
            Ci::Github => format!("::{}::\n::endgroup::\n", self.stop_token),
            Ci::Gitlab => format!("\x1b[0Ksection_end:{now}:{}\r\x1b[0K\n", self.name),
            Ci::Codebuild | Ci::Local => String::new(),
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let _ = std::io::stderr().lock().write_all(self.closing(clock::unix_seconds()).as_bytes());
    }
}

/// `::error file=…,line=…` for each bad line of the app's files, so GitHub shows it on the diff.
pub(crate) fn annotations(error: &crate::error::Error) -> String {
    let crate::error::Error::Input(errors) = error else { return String::new() };
    errors.0.iter().filter_map(annotation::error_command).map(|command| command + "\n").collect()
}

/// Writes step outputs to the file `GITHUB_OUTPUT` names, when running on GitHub Actions.
pub(crate) fn set_outputs(env: &Env, outputs: &[(&str, &str)]) -> Result<(), Failure> {
    let (Some("true"), Some(path)) = (env.get(var::GITHUB_ACTIONS), env.get(var::GITHUB_OUTPUT)) else {
        return Ok(());
    };
    let mut text = String::new();
    for (name, value) in outputs {
        if value.contains('\n') {
            let delimiter = format!("maestro-{}", random::token());
            text.push_str(&format!("{name}<<{delimiter}\n{value}\n{delimiter}\n"));
        } else {
            text.push_str(&format!("{name}={value}\n"));
        }
    }
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|error| Failure::new(format!("write the step's outputs to {path}: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(ci: Ci) -> Group {
        Group { ci, name: "build", stop_token: "maestro-0123456789abcdef".into() }
    }

    #[test]
    fn a_group_title_cannot_end_its_command_or_issue_another() {
        let github = group(Ci::Github);
        assert_eq!(
            github.opening("build web\n::error::fake 100%", 0),
            "::group::build web%0A::error::fake 100%25\n::stop-commands::maestro-0123456789abcdef\n"
        );
        assert_eq!(github.closing(0), "::maestro-0123456789abcdef::\n::endgroup::\n");
        // Dropping would write the closing lines to the test's stderr.
        std::mem::forget(github);
    }

    #[test]
    fn gitlab_sections_are_stamped_with_the_time() {
        let gitlab = group(Ci::Gitlab);
        assert_eq!(
            gitlab.opening("Building the image", 1_750_000_000),
            "\x1b[0Ksection_start:1750000000:build[collapsed=true]\r\x1b[0KBuilding the image\n"
        );
        assert_eq!(gitlab.closing(1_750_000_042), "\x1b[0Ksection_end:1750000042:build\r\x1b[0K\n");
        std::mem::forget(gitlab);
        let local = group(Ci::Local);
        assert_eq!((local.opening("Building", 0), local.closing(0)), ("Building\n".to_owned(), String::new()));
    }
}
