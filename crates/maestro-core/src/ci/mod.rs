//! CI detection: which CI runs maestro, and the facts it gives about the commit being deployed.
//!
//! One module per CI, each a pure function over the environment snapshot (plus GitHub's event
//! payload, or the local checkout's git facts, both read by the shell). Every fact records where
//! it came from, so `maestro detect` can explain "why did you deploy branch X".

mod codebuild;
mod github;
mod gitlab;
mod local;
mod pull_request;
mod sourced;

use serde::Serialize;
pub use sourced::Sourced;

use crate::env::Env;
use crate::input::vars as var;
use crate::input_error::InputError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ci {
    Github,
    Gitlab,
    Codebuild,
    Local,
}

impl Ci {
    /// Detection order matters: CodeBuild can host GitHub and GitLab runners, and then the CI
    /// that scheduled the job is the one that knows the commit.
    pub fn detect(env: &Env) -> Ci {
        if env.get(var::GITHUB_ACTIONS) == Some("true") {
            Ci::Github
        } else if env.get(var::GITLAB_CI) == Some("true") {
            Ci::Gitlab
        } else if env.get(var::CODEBUILD_BUILD_ID).is_some() {
            Ci::Codebuild
        } else {
            Ci::Local
        }
    }

    /// Whether nobody is there to answer a question or watch a line redrawn: one of the CIs
    /// maestro knows, any other that sets `CI` (CircleCI, Buildkite, Jenkins, Travis…), or a
    /// terminal that cannot redraw (`TERM=dumb`). The caller adds whether stdin/stderr are terminals.
    pub fn unattended(env: &Env) -> bool {
        let set = |name: &str| env.get(name).is_some_and(|value| !matches!(value.trim(), "" | "0" | "false"));
        Ci::detect(env) != Ci::Local || set(var::GENERIC_CI) || env.get(var::TERM) == Some("dumb")
    }
}

/// What the local checkout's `.git` says, read by the shell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitFacts {
    pub sha: Option<String>,
    /// `None` on a detached HEAD.
    pub branch: Option<String>,
    pub origin_url: Option<String>,
    pub workspace: Option<String>,
}

/// The facts one CI gives; overrides are applied later, in `request`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CiFacts {
    pub repository: Option<Sourced>,
    /// The commit that was built (checked out).
    pub sha: Option<Sourced>,
    /// The commit statuses belong on: a pull request's head, not GitHub's merge commit.
    pub report_sha: Option<Sourced>,
    /// The environment's name. A pull request's is `pr-<n>` (see [`pull_request`]).
    pub branch: Option<Sourced>,
    /// A pull request's source branch: shown and reported, never a name (its author picks it).
    pub head_branch: Option<Sourced>,
    pub base_branch: Option<Sourced>,
    /// The repository's default branch, when the CI says: a pull request may not deploy as it.
    pub default_branch: Option<Sourced>,
    pub pull_request: Option<Sourced<u64>>,
    pub event: Option<Sourced>,
    pub tag: Option<Sourced>,
    pub run_id: Option<Sourced>,
    pub run_url: Option<Sourced>,
    pub actor: Option<Sourced>,
    pub workspace: Option<Sourced>,
    /// The commit's message (or the pull request's title), for deploy markers.
    pub commit_message: Option<Sourced>,
    /// The commit's author, for deploy markers.
    pub commit_author: Option<Sourced>,
    /// The commit is a pull request's code: it deploys as `pr-<n>`, and no input may name its
    /// environment after the base or default branch (`request`).
    pub from_pull_request: bool,
    /// The pull request comes from a fork: refused unless `MAESTRO_ALLOW_FORKS=true`.
    pub fork: bool,
    /// The event is the pull request's closing (GitHub's `closed`): its preview goes, never comes back.
    pub pull_request_closed: bool,
    /// Why the branch is unknown, when it is: the hint for the error that needs it.
    pub branch_unknown: Option<String>,
    /// Why the repository is unknown, when it is.
    pub repository_unknown: Option<String>,
}

/// What detection reads.
pub struct CiInput<'a> {
    pub env: &'a Env,
    /// GitHub's event payload (`GITHUB_EVENT_PATH`), parsed.
    pub event: Option<&'a serde_json::Value>,
    pub git: Option<&'a GitFacts>,
}

/// The facts of the CI in `input`; an error when the event must not be deployed at all (a
/// deleted branch, `pull_request_target`, a fork's pull request unless allowed).
pub fn facts(ci: Ci, input: &CiInput<'_>) -> Result<CiFacts, InputError> {
    let facts = match ci {
        Ci::Github => github::facts(input.env, input.event)?,
        Ci::Gitlab => gitlab::facts(input.env),
        Ci::Codebuild => codebuild::facts(input.env),
        Ci::Local => local::facts(input.git),
    };
    pull_request::refuse_fork(input.env, ci, &facts)?;
    Ok(facts)
}

/// Reads `name` from the environment as a fact sourced from that variable.
fn fact(env: &Env, name: &str) -> Option<Sourced> {
    env.get(name).map(|value| Sourced::new(value.trim(), env.location(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheduling_ci_wins_over_codebuild() {
        let both = Env::from_process([("CODEBUILD_BUILD_ID", "p:1"), ("GITHUB_ACTIONS", "true")]);
        assert_eq!(Ci::detect(&both), Ci::Github);
        let gitlab = Env::from_process([("CODEBUILD_BUILD_ID", "p:1"), ("GITLAB_CI", "true")]);
        assert_eq!(Ci::detect(&gitlab), Ci::Gitlab);
        assert_eq!(Ci::detect(&Env::from_process([("CODEBUILD_BUILD_ID", "p:1")])), Ci::Codebuild);
        assert_eq!(Ci::detect(&Env::from_process([("CI", "true")])), Ci::Local);
    }

    #[test]
    fn any_ci_or_a_dumb_terminal_is_unattended() {
        let unattended = |pairs: &[(&str, &str)]| Ci::unattended(&Env::from_process(pairs.iter().copied()));
        assert!(unattended(&[("CI", "true")]) && unattended(&[("CI", "1")]) && unattended(&[("GITLAB_CI", "true")]));
        assert!(unattended(&[("TERM", "dumb")]));
        assert!(!unattended(&[]) && !unattended(&[("CI", "false")]) && !unattended(&[("TERM", "xterm-256color")]));
    }
}

#[cfg(test)]
#[path = "scenarios_tests.rs"]
mod scenarios_tests;
