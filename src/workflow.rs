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
use maestro_core::report::stream::StreamEvent;

/// Hides secrets in the job's log: every value passed to [`Masker::mask`] is printed as `***`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Masker {
    github_actions: bool,
}

impl Masker {
    pub(crate) fn for_env(env: &Env) -> Self {
        Self { github_actions: env.get(var::GITHUB_ACTIONS) == Some("true") }
    }

    /// Masks `secret` from now on; call it before anything could print the value. Safe inside a
    /// group: the one writer of workflow commands takes care of the stop-commands block.
    pub(crate) fn mask(&self, secret: &str) {
        if self.github_actions {
            crate::workflow_writer::mask(secret);
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
    /// Since the phase began, for `--output ndjson`'s `phase_finished`.
    began: clock::Stopwatch,
}

impl Group {
    /// Also a phase of `--output ndjson`'s stream, named as the group is without `maestro_`.
    pub(crate) fn start(ci: Ci, name: &'static str, title: &str) -> Self {
        let group = Self { ci, name, began: clock::Stopwatch::start() };
        crate::event_stream::emit(&StreamEvent::PhaseStarted { phase: group.phase() });
        match ci {
            // Its stop-commands token changes whenever a mask is written inside: the writer's.
            Ci::Github => crate::workflow_writer::start_group(title),
            Ci::Gitlab | Ci::Codebuild | Ci::Local => {
                let _ = std::io::stderr().lock().write_all(group.opening(title, clock::unix_seconds()).as_bytes());
            }
        }
        group
    }

    fn phase(&self) -> String {
        self.name.trim_start_matches("maestro_").to_owned()
    }

    /// The lines that open the section elsewhere than on GitHub; `now` stamps GitLab's.
    fn opening(&self, title: &str, now: u64) -> String {
        match self.ci {
            Ci::Gitlab => format!("\x1b[0Ksection_start:{now}:{}[collapsed=true]\r\x1b[0K{title}\n", self.name),
            Ci::Github | Ci::Codebuild | Ci::Local => format!("{title}\n"),
        }
    }

    /// The lines that close the section elsewhere than on GitHub.
    fn closing(&self, now: u64) -> String {
        match self.ci {
            Ci::Gitlab => format!("\x1b[0Ksection_end:{now}:{}\r\x1b[0K\n", self.name),
            Ci::Github | Ci::Codebuild | Ci::Local => String::new(),
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let seconds = (self.began.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
        crate::event_stream::emit(&StreamEvent::PhaseFinished { phase: self.phase(), seconds });
        match self.ci {
            Ci::Github => crate::workflow_writer::end_group(),
            Ci::Gitlab | Ci::Codebuild | Ci::Local => {
                let _ = std::io::stderr().lock().write_all(self.closing(clock::unix_seconds()).as_bytes());
            }
        }
    }
}

/// `::error file=…,line=…` for each bad line of the app's files, so GitHub shows it on the diff.
pub(crate) fn annotations(error: &crate::error::Error) -> String {
    let crate::error::Error::Input(errors) = error else { return String::new() };
    errors.0.iter().filter_map(annotation::error_command).map(|command| command + "\n").collect()
}

/// Each input that is only warned about (an unknown variable): a warning line, and on GitHub an
/// annotation too (on its env-file line when it has one), so it shows on the run's summary.
pub(crate) fn warn_inputs(env: &Env, warnings: &[maestro_core::input_error::InputError]) {
    let github = env.get(var::GITHUB_ACTIONS) == Some("true");
    for warning in warnings {
        if github {
            let _ = writeln!(std::io::stderr().lock(), "{}", annotation::warning_command(warning));
        } else {
            match warning.location.file_line() {
                Some((file, line)) => tracing::warn!("{file}:{line}: {} (fix: {})", warning.message, warning.hint),
                None => tracing::warn!("{} (fix: {})", warning.message, warning.hint),
            }
        }
    }
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
        Group { ci, name: "build", began: clock::Stopwatch::start() }
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
