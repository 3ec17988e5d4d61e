//! Running the real `maestro` binary with a controlled environment.

use std::process::Command;

pub(crate) use maestro_test_support::{
    EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, ScratchApp, repository_root,
};

pub(crate) struct Outcome {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// The binary with an empty environment (only PATH), run from the repository root, so that the
/// machine's own variables never leak into a test.
pub(crate) fn maestro() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_maestro"));
    command.env_clear().current_dir(repository_root());
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    command
}

pub(crate) fn run(command: &mut Command) -> Outcome {
    let output = command.output().expect("maestro runs");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A maestro that runs until its stderr shows a line, then is cancelled as a CI runner cancels
/// a job (SIGTERM). Returns the exit code, the stderr before the line, and the stderr after.
pub(crate) fn cancel_when(command: &mut Command, ready: impl Fn(&str) -> bool) -> (Option<i32>, String, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
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
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    (child.wait().unwrap().code(), seen, rest)
}
