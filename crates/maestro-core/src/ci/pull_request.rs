//! Pull requests: what keeps a pull request's code away from the environments of branches.
//!
//! A pull request's head branch is chosen by its author, a fork's author included, so it never
//! names an environment: a pull request deploys as `pr-<n>`, and its head branch is only shown
//! and reported. A fork's pull request is refused unless `MAESTRO_ALLOW_FORKS=true`: the
//! workflow would hand code nobody in the base repository reviewed the app's secret, the
//! registry and the deploy role. docs/ci.md explains both.

use super::{Ci, CiFacts, Sourced};
use crate::env::Env;
use crate::input::vars as var;
use crate::input_error::InputError;

/// The environment of pull request `number`, sourced where the number was read.
pub(super) fn environment(number: &Sourced<u64>) -> Sourced {
    Sourced::new(format!("pr-{}", number.value), number.source.clone())
}

/// A pull request's facts: the environment is `pr-<n>` and the head branch moves aside. Without
/// a number the head branch still names nothing.
pub(super) fn name_by_number(facts: &mut CiFacts, head_branch: Option<Sourced>) {
    facts.from_pull_request = true;
    facts.head_branch = head_branch;
    facts.branch = facts.pull_request.as_ref().map(environment);
    facts.branch_unknown = facts
        .branch
        .is_none()
        .then(|| "the pull request's number is unknown, and its head branch names no environment".to_owned());
}

/// A fork's pull request stops here unless the workflow's owner allowed forks.
pub(super) fn refuse_fork(env: &Env, ci: Ci, facts: &CiFacts) -> Result<(), InputError> {
    // Checked even when no fork is in sight, so a typo shows on the first run, not a fork's.
    if forks_allowed(env)? || !facts.fork {
        return Ok(());
    }
    let (what, skip) = match ci {
        Ci::Gitlab => ("merge request", "`rules: - if: $CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_PROJECT_ID`"),
        _ => ("pull request", "`if: github.event.pull_request.head.repo.full_name == github.repository`"),
    };
    Err(InputError::new(
        env.location(var::MAESTRO_ALLOW_FORKS),
        format!("this {what} comes from a fork, and forks are not deployed unless allowed"),
        format!(
            "skip the deploy for forks ({skip} on the job); set MAESTRO_ALLOW_FORKS=true only if the fork's code may run with this job's credentials"
        ),
    ))
}

/// `MAESTRO_ALLOW_FORKS`: `true` or `false` in any case; unset or empty is `false`.
fn forks_allowed(env: &Env) -> Result<bool, InputError> {
    let value = env.get(var::MAESTRO_ALLOW_FORKS).map(str::trim).unwrap_or_default();
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" | "" => Ok(false),
        _ => Err(InputError::new(
            env.location(var::MAESTRO_ALLOW_FORKS),
            format!("`{value}` is not a boolean"),
            format!("set `{0}=true` or `{0}=false`, or leave it empty", var::MAESTRO_ALLOW_FORKS),
        )),
    }
}
