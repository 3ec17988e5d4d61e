//! maestro: from a commit to running AWS ECS services, from any CI.
//!
//! The pure core is the `maestro-core` crate (inputs, naming, planning, the diff, verdicts and
//! payloads); this binary is the I/O shell around it. ARCHITECTURE.md has the map.

// One runtime runs every command on the main thread's stack: a future grown large (the SDK's
// are) is boxed where clippy says so, rather than found as a stack overflow.
#![warn(clippy::large_futures)]

mod aws;
mod build;
mod cancel;
mod cli;
mod cli_help;
mod clock;
mod commands;
mod detection;
mod engine;
mod error;
mod event_stream;
mod git_checkout;
mod http;
mod logging;
mod output;
mod pipeline;
mod random;
mod registry;
mod reporters;
mod style;
mod test_phase;
mod workflow;
mod workflow_writer;
mod workspace;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use cli::Cli;
use maestro_core::env::Env;
use maestro_core::input::vars as var;

/// One runtime for the whole run: every command is an `async fn` on it.
#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The one read of the process environment; everything below gets this snapshot.
    let env = Env::from_process(
        std::env::vars_os()
            .map(|(name, value)| (name.to_string_lossy().into_owned(), value.to_string_lossy().into_owned())),
    );
    // One decision for every label on stderr: the error's and the log's.
    let style = crate::style::Style::decide(&env);
    crate::logging::init(cli.verbose, &env, style);
    let on_github = env.get(var::GITHUB_ACTIONS) == Some("true");
    // Not locked for the run: `--output ndjson`'s events are written from the run's tasks.
    let mut stdout = std::io::stdout();
    match crate::commands::run(cli, env, &mut stdout).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = stdout.flush();
            let mut text = error.render(style);
            if on_github {
                text.push_str(&crate::workflow::annotations(&error));
            }
            let _ = std::io::stderr().write_all(text.as_bytes());
            error.exit_code()
        }
    }
}
