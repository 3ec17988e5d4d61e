//! Gathers what CI detection reads from outside the environment (GitHub's event payload, the
//! local checkout's `.git`) and resolves the deploy request.

use std::path::Path;

use crate::git_checkout;
use maestro_core::ci::{self, Ci, CiInput};
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::input_error::{InputError, InputErrors};
use maestro_core::request::{DeployRequest, Need};

/// The request for the commit in `checkout` (used for git facts when no CI is detected).
pub(crate) fn request(env: &Env, checkout: &Path, need: Need) -> Result<DeployRequest, InputErrors> {
    let ci = Ci::detect(env);
    let event = if ci == Ci::Github { github_event(env)? } else { None };
    let git = if ci == Ci::Local { git_checkout::read(checkout) } else { None };
    let facts = ci::facts(ci, &CiInput { env, event: event.as_ref(), git: git.as_ref() })?;
    DeployRequest::resolve(env, ci, facts, need)
}

fn github_event(env: &Env) -> Result<Option<serde_json::Value>, InputError> {
    let Some(path) = env.get(var::GITHUB_EVENT_PATH) else { return Ok(None) };
    let text = std::fs::read_to_string(path).map_err(|error| {
        InputError::new(
            var::GITHUB_EVENT_PATH,
            format!("cannot read the event payload `{path}`: {error}"),
            "run maestro inside the GitHub Actions job, where the runner writes this file",
        )
    })?;
    serde_json::from_str(&text).map(Some).map_err(|error| {
        InputError::new(
            var::GITHUB_EVENT_PATH,
            format!("the event payload `{path}` is not JSON: {error}"),
            "run maestro inside the GitHub Actions job, where the runner writes this file",
        )
    })
}
