//! Running the real `maestro` binary with a controlled environment, and scratch app folders.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

pub(crate) const EXAMPLE_APP: &str = "examples/shop";
pub(crate) const EXAMPLE_ENV: &str = "examples/shop/maestro.env";
/// The example's ECR repository (`<slug>-<branch>`) and image tag (its commit's first 8 characters).
pub(crate) const EXAMPLE_REPOSITORY: &str = "acme-shop-api-staging";
pub(crate) const EXAMPLE_TAG: &str = "3f2a9c1d";

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

pub(crate) fn repository_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example app in a fresh folder, removed when dropped.
pub(crate) struct ScratchApp {
    pub(crate) dir: PathBuf,
}

impl ScratchApp {
    pub(crate) fn copy_of_example() -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "maestro-it-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        copy_dir(&repository_root().join(EXAMPLE_APP), &dir);
        Self { dir }
    }

    pub(crate) fn write(&self, relative: &str, text: &str) -> &Self {
        let path = self.dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    pub(crate) fn remove(&self, relative: &str) -> &Self {
        std::fs::remove_file(self.dir.join(relative)).unwrap();
        self
    }
}

impl Drop for ScratchApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
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
