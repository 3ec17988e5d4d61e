//! Running the real `maestro` binary with a controlled environment, and asserting on what it
//! did: `run(maestro().args(..)).expect_code(2).expect_stderr(&[..])`.
//!
//! Only the integration-test crate knows the binary's path (`CARGO_BIN_EXE_maestro`), so it is a
//! parameter here; `tests/it/support.rs` wraps it.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use crate::repository::repository_root;

/// `binary` with an empty environment (only PATH, and `NO_COLOR`), run from the repository root,
/// so that the machine's own variables never leak into a test. `NO_COLOR` keeps the labels plain
/// in tests that play GitHub Actions or GitLab CI, whose logs maestro colours; a test of colour
/// removes it.
pub fn command(binary: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(binary);
    command.env_clear().current_dir(repository_root()).env("NO_COLOR", "1");
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
}

/// Runs `command` to its end.
pub fn run(command: &mut Command) -> Outcome {
    let output = command.output().expect("maestro runs");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// How a run ended. Each `expect_*` panics at the caller's line, showing the output it checked.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "exit code; stderr:\n{}\nstdout:\n{}", self.stderr, self.stdout);
        self
    }

    /// Every fragment is somewhere in stderr.
    #[track_caller]
    pub fn expect_stderr<S: AsRef<str>>(&self, fragments: &[S]) -> &Self {
        expect_all("stderr", &self.stderr, fragments);
        self
    }

    /// Every fragment is somewhere in stdout.
    #[track_caller]
    pub fn expect_stdout<S: AsRef<str>>(&self, fragments: &[S]) -> &Self {
        expect_all("stdout", &self.stdout, fragments);
        self
    }

    /// No fragment is anywhere in stdout or stderr.
    #[track_caller]
    pub fn expect_nowhere<S: AsRef<str>>(&self, fragments: &[S]) -> &Self {
        for fragment in fragments {
            let fragment = fragment.as_ref();
            assert!(!self.stdout.contains(fragment), "{fragment:?} is in stdout:\n{}", self.stdout);
            assert!(!self.stderr.contains(fragment), "{fragment:?} is in stderr:\n{}", self.stderr);
        }
        self
    }

    /// stdout, parsed as the JSON document `--output json` prints.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|error| panic!("stdout is not JSON ({error}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }
}

#[track_caller]
fn expect_all<S: AsRef<str>>(stream: &str, text: &str, fragments: &[S]) {
    for fragment in fragments {
        let fragment = fragment.as_ref();
        assert!(text.contains(fragment), "missing {fragment:?} in {stream}:\n{text}");
    }
}

/// A run followed line by line on stderr: a test acts (cancels it, or changes AWS behind its back)
/// once maestro gets somewhere, then reads how it ended.
pub struct Watched {
    child: std::process::Child,
    stderr: BufReader<std::process::ChildStderr>,
    /// Stderr up to and including the line it waited for.
    pub seen: String,
}

impl Watched {
    /// Starts `command` and reads its stderr until a line satisfies `ready`.
    pub fn until(command: &mut Command, ready: impl Fn(&str) -> bool) -> Watched {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut seen = String::new();
        let mut line = String::new();
        while stderr.read_line(&mut line).unwrap() > 0 {
            seen.push_str(&line);
            if ready(&line) {
                break;
            }
            line.clear();
        }
        assert!(ready(&line), "maestro never got there:\n{seen}");
        Watched { child, stderr, seen }
    }

    /// Cancels the run as a CI runner cancels a job (SIGTERM).
    pub fn cancel(&self) {
        let killed = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(killed.success());
    }

    /// Waits for the end and reads all of it: the exit code, stdout, and stderr from the start.
    pub fn outcome(mut self) -> Outcome {
        let mut stderr = self.seen;
        self.stderr.read_to_string(&mut stderr).unwrap();
        let mut stdout = String::new();
        self.child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
        Outcome { code: self.child.wait().unwrap().code(), stdout, stderr }
    }

    /// Waits for the end: the exit code, the stderr before the line waited for, and the stderr after.
    pub fn end(mut self) -> (Option<i32>, String, String) {
        let mut rest = String::new();
        self.stderr.read_to_string(&mut rest).unwrap();
        (self.child.wait().unwrap().code(), self.seen, rest)
    }
}

/// A run that goes on until its stderr shows a line, then is cancelled as a CI runner cancels a
/// job (SIGTERM). Returns the exit code, the stderr before the line, and the stderr after.
pub fn cancel_when(command: &mut Command, ready: impl Fn(&str) -> bool) -> (Option<i32>, String, String) {
    let watched = Watched::until(command, ready);
    watched.cancel();
    watched.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome() -> Outcome {
        Outcome { code: Some(2), stdout: "{\"a\": 1}".to_owned(), stderr: "error: PORT\nhint: fix it\n".to_owned() }
    }

    #[test]
    fn expectations_that_hold_pass() {
        let outcome = outcome();
        outcome.expect_code(2).expect_stderr(&["error: PORT", "hint: "]).expect_nowhere(&["secret"]);
        assert_eq!(outcome.json()["a"], 1);
    }

    #[test]
    #[should_panic(expected = "missing \"hint: other\" in stderr")]
    fn a_missing_fragment_fails() {
        outcome().expect_stderr(&["hint: other"]);
    }

    #[test]
    #[should_panic(expected = "exit code")]
    fn another_exit_code_fails() {
        outcome().expect_code(0);
    }

    #[test]
    #[should_panic(expected = "is in stderr")]
    fn a_forbidden_fragment_fails() {
        outcome().expect_nowhere(&["PORT"]);
    }
}
