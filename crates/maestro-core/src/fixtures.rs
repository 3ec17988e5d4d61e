//! What the core's tests start from: requests, settings, credential plans and desired states
//! made from literal environments, one copy for every test.

use crate::app::App;
use crate::ci::{self, Ci, CiInput};
use crate::credentials::{self, CredentialPlan};
use crate::env::Env;
use crate::input_error::{InputError, InputErrors};
use crate::plan::{self, desired::DesiredState};
use crate::request::{DeployRequest, Need};
use crate::settings::Settings;

/// The deploy the planner's tests make: `Acme/Shop-API` at `staging`, in account
/// `123456789012`, `us-east-1`, outside any CI.
pub(crate) const STAGING: &[(&str, &str)] = &[
    ("MAESTRO_REPO_OVERRIDE", "Acme/Shop-API"),
    ("MAESTRO_BRANCH_OVERRIDE", "staging"),
    ("MAESTRO_COMMIT_OVERRIDE", "3f2a9c1d7e4b5a6c"),
    ("AWS_ACCOUNT_ID", "123456789012"),
    ("AWS_REGION", "us-east-1"),
];

/// `pairs` as the process environment.
pub(crate) fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_process(pairs.iter().copied())
}

/// The request for the CI `pairs` describe (no event payload, no checkout).
pub(crate) fn request_in(env: &Env, need: Need) -> Result<DeployRequest, InputErrors> {
    let ci = Ci::detect(env);
    let facts = ci::facts(ci, &CiInput { env, event: None, git: None }).map_err(InputErrors::from)?;
    DeployRequest::resolve(env, ci, facts, need)
}

/// The request for the CI `pairs` describe, with only its facts needed (`maestro detect`).
pub(crate) fn request(pairs: &[(&str, &str)]) -> Result<DeployRequest, InputErrors> {
    request_in(&env(pairs), Need::Facts)
}

/// The [`STAGING`] request, with `extra` set too.
pub(crate) fn staging(extra: &[(&str, &str)]) -> DeployRequest {
    let pairs: Vec<(&str, &str)> = STAGING.iter().chain(extra).copied().collect();
    request_in(&env(&pairs), Need::Offline).unwrap()
}

pub(crate) fn settings(pairs: &[(&str, &str)]) -> Result<Settings, InputErrors> {
    Settings::from_env(&env(pairs))
}

/// How the CI `pairs` describe would sign in to a `us-east-1` deploy.
pub(crate) fn credentials(pairs: &[(&str, &str)]) -> Result<CredentialPlan, InputError> {
    let env = env(pairs);
    let ci = Ci::detect(&env);
    let facts = ci::facts(ci, &CiInput { env: &env, event: None, git: None }).unwrap();
    credentials::plan(&env, ci, facts.fork, facts.run_id.as_ref().map(|fact| fact.value.as_str()), "us-east-1")
}

/// `request`'s plan of `app` with `settings`, bound to the request's own account.
pub(crate) fn desired(request: &DeployRequest, settings: &Settings, app: &App) -> Result<DesiredState, InputErrors> {
    let checked = plan::plan(request, &request.target()?, settings, app)?;
    Ok(checked.bind(&request.account()?))
}
