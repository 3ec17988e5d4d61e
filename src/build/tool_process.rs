//! Runs the build's tool, `pack build` or `docker buildx build`: a withheld environment, output
//! streamed live with every secret value hidden, inside a collapsible group on GitHub and GitLab.

use std::collections::VecDeque;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::Command;

use crate::error::Failure;
use crate::workflow::Group;
use maestro_core::ci::Ci;
use maestro_core::redact::Redactor;
use maestro_core::secret::Secret;

/// Lines of the tool's output kept for the failure message.
const TAIL: usize = 15;

pub(crate) struct ToolRun<'a> {
    pub program: &'a Path,
    /// `pack` or `docker`, for messages.
    pub tool: &'static str,
    /// The command as a failure names it: `pack build`, `docker buildx build`.
    pub what: &'static str,
    /// The arguments after the program (`PackBuild::argv`, `DockerBuild::argv`).
    pub argv: Vec<String>,
    /// The tags built, for the group's title.
    pub tags: &'a [String],
    /// The whole environment the tool gets.
    pub env: Vec<(String, String)>,
    /// Secret values the tool reads from its environment (see `build_env`, `docker_secrets`).
    pub secret_env: &'a [(String, Secret)],
    pub redactor: &'a Redactor,
    pub ci: Ci,
    /// What to look at when the build fails.
    pub hint: &'static str,
}

/// Runs the tool to the end; cancelled (and the tool killed) when the future is dropped.
pub(crate) async fn run(run: ToolRun<'_>) -> Result<(), Failure> {
    let tool = run.tool;
    let mut command = Command::new(run.program);
    command
        .args(&run.argv)
        .env_clear()
        .envs(run.env.iter().map(|(name, value)| (name, value)))
        .envs(run.secret_env.iter().map(|(name, value)| (name, value.expose())))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    tracing::info!("running {tool} {}", run.redactor.redact(&run.argv.join(" ")));
    let group = Group::start(run.ci, "maestro_build", &format!("Build {}", run.tags.join(", ")));
    let mut child = command.spawn().map_err(|error| {
        Failure::new(format!("start {}: {error}", run.program.display()))
            .hint(format!("check that {tool} is installed and executable"))
    })?;
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let stdout = child.stdout.take().map(|out| relay(out, run.redactor.clone(), tail.clone(), TAIL));
    let stderr = child.stderr.take().map(|err| relay(err, run.redactor.clone(), tail.clone(), TAIL));
    let status = child.wait().await;
    for relay in [stdout, stderr].into_iter().flatten() {
        let _ = relay.await;
    }
    drop(group);
    let status = status.map_err(|error| Failure::new(format!("wait for {tool}: {error}")))?;
    if status.success() {
        return Ok(());
    }
    let code = status.code().map_or_else(|| "a signal".to_owned(), |code| format!("exit code {code}"));
    let mut failure = Failure::new(format!("{} failed ({code})", run.what));
    for line in tail.lock().map(|tail| tail.clone()).unwrap_or_default() {
        failure = failure.detail(line);
    }
    Err(failure.hint(run.hint))
}

/// Relays `stream` line by line to stderr, redacted and made inert, keeping its last `keep` lines
/// in `tail` (pack's output, and the test phase's).
pub(crate) fn relay(
    stream: impl AsyncRead + Unpin + Send + 'static,
    redactor: Redactor,
    tail: Arc<Mutex<VecDeque<String>>>,
    keep: usize,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut reader = BufReader::new(stream);
        let mut bytes = Vec::new();
        while reader.read_until(b'\n', &mut bytes).await.is_ok_and(|read| read > 0) {
            // Inside the group commands are stopped, but a line that guessed the token, or one
            // written while a mask briefly reopens commands, must still not be one.
            let line = redactor.relay(String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']));
            let _ = writeln!(std::io::stderr().lock(), "{line}");
            if let Ok(mut tail) = tail.lock() {
                if tail.len() == keep {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
            bytes.clear();
        }
    })
}
