//! GitHub Actions workflow commands.
//!
//! They are written to stderr: the runner parses stderr for commands exactly as it parses stdout
//! (actions/runner `ScriptHandler`: both streams go through `OutputManager`), and stdout stays
//! pure data for `--output json`.

use std::io::Write;

use crate::error::Failure;
use maestro_core::ci::Ci;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::report::annotation;

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
        let group = Self { ci, name, stop_token: format!("maestro-{:016x}", crate::build::random()) };
        let mut stderr = std::io::stderr().lock();
        let _ = match ci {
            Ci::Github => writeln!(stderr, "::group::{}\n::stop-commands::{}", escape_data(title), group.stop_token),
            Ci::Gitlab => {
                writeln!(stderr, "\x1b[0Ksection_start:{}:{name}[collapsed=true]\r\x1b[0K{title}", unix_time())
            }
            Ci::Codebuild | Ci::Local => writeln!(stderr, "{title}"),
        };
        group
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let mut stderr = std::io::stderr().lock();
        let _ = match self.ci {
            Ci::Github => writeln!(stderr, "::{}::\n::endgroup::", self.stop_token),
            Ci::Gitlab => writeln!(stderr, "\x1b[0Ksection_end:{}:{}\r\x1b[0K", unix_time(), self.name),
            Ci::Codebuild | Ci::Local => Ok(()),
        };
    }
}

fn unix_time() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// A workflow command's data, escaped as the runner unescapes it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
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
            let delimiter = format!("maestro-{:016x}", crate::build::random());
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
