//! GitHub Actions workflow commands.
//!
//! They are written to stderr: the runner parses stderr for commands exactly as it parses stdout
//! (actions/runner `ScriptHandler`: both streams go through `OutputManager`), and stdout stays
//! pure data for `--output json`.

use std::io::Write;

use crate::core::env::Env;

/// Hides secrets in the job's log: every value passed to [`Masker::mask`] is printed as `***`.
#[derive(Debug, Clone, Copy)]
pub struct Masker {
    github_actions: bool,
}

impl Masker {
    pub fn for_env(env: &Env) -> Self {
        Self { github_actions: env.get("GITHUB_ACTIONS") == Some("true") }
    }

    /// Masks `secret` from now on; call it before anything could print the value.
    pub fn mask(&self, secret: &str) {
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
