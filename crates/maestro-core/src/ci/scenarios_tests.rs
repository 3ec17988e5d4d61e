//! Every CI scenario of `tests/fixtures/ci/` (a literal CI environment and GitHub event payload),
//! run through detection and the request as `maestro detect` and `maestro plan --offline` run
//! them, outside any checkout. The CLI test (`tests/it/ci_scenarios.rs`) runs the same files
//! through the binary and checks that this list names every one of them.

use serde_json::Value;

use super::{Ci, CiInput, facts};
use crate::env::Env;
use crate::input_error::InputErrors;
use crate::request::{DeployRequest, Need};

/// `(name, text)` of each scenario file.
macro_rules! scenarios {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../../tests/fixtures/ci/", $name, ".json")))),*]
    };
}

const SCENARIOS: &[(&str, &str)] = scenarios![
    "codebuild-codecommit",
    "codebuild-codepipeline-with-overrides",
    "codebuild-codepipeline",
    "codebuild-manual-branch",
    "codebuild-manual-pr",
    "codebuild-manual-refs-heads",
    "codebuild-manual-sha-with-override",
    "codebuild-manual-sha",
    "codebuild-manual-tag",
    "codebuild-webhook-pr",
    "codebuild-webhook-push",
    "codebuild-webhook-tag",
    "github-branch-override",
    "github-issue-comment-on-pr",
    "github-merge-group",
    "github-pull-request-deleted-head-repo",
    "github-pull-request-fork-allowed",
    "github-pull-request-fork",
    "github-pull-request-override-base",
    "github-pull-request-override-default",
    "github-pull-request-target",
    "github-pull-request",
    "github-push-branch",
    "github-push-deleted-branch",
    "github-push-rerun-attempt",
    "github-release",
    "github-runner-on-codebuild",
    "github-schedule",
    "github-tag-push",
    "github-workflow-dispatch",
    "gitlab-branch-pipeline",
    "gitlab-merge-train",
    "gitlab-mr-detached",
    "gitlab-mr-from-fork-allowed",
    "gitlab-mr-from-fork",
    "gitlab-mr-merged-result",
    "gitlab-on-codebuild-runner",
    "gitlab-tag-pipeline",
    "local-overrides",
];

/// The scenario's environment (with `extra` set too) and its event payload.
fn input_of(fixture: &Value, extra: &[(&str, &str)]) -> (Env, Option<Value>) {
    let pairs =
        fixture["env"].as_object().unwrap().iter().map(|(name, value)| (name.as_str(), value.as_str().unwrap()));
    (Env::from_process(pairs.chain(extra.iter().copied())), fixture.get("event").cloned())
}

/// What `maestro detect` resolves for the scenario.
fn resolve(fixture: &Value, extra: &[(&str, &str)], need: Need) -> Result<DeployRequest, InputErrors> {
    let (env, event) = input_of(fixture, extra);
    let ci = Ci::detect(&env);
    let facts = facts(ci, &CiInput { env: &env, event: event.as_ref(), git: None })?;
    DeployRequest::resolve(&env, ci, facts, need)
}

/// The errors as stderr shows them.
fn rendered(errors: &InputErrors) -> String {
    errors.0.iter().map(|error| error.render()).collect()
}

fn fixtures() -> impl Iterator<Item = (&'static str, Value)> {
    SCENARIOS.iter().map(|(name, text)| (*name, serde_json::from_str(text).unwrap()))
}

#[test]
fn every_ci_scenario_detects_the_right_request() {
    for (name, fixture) in fixtures() {
        let result = resolve(&fixture, &[], Need::Facts);
        if let Some(error) = fixture.get("error").and_then(Value::as_str) {
            let errors = result.expect_err(name);
            assert!(rendered(&errors).contains(error), "{name}: missing {error:?} in {}", rendered(&errors));
            continue;
        }
        let request =
            serde_json::to_value(result.unwrap_or_else(|errors| panic!("{name}: {}", rendered(&errors)))).unwrap();
        for (field, expected) in fixture["expect"].as_object().unwrap() {
            assert_eq!(&request[field], expected, "{name}: field `{field}`");
        }
        for (field, source) in fixture.get("sources").and_then(Value::as_object).into_iter().flatten() {
            assert_eq!(&request["sources"][field], source, "{name}: source of `{field}`");
        }
    }
}

/// `plan --offline` with an account: the scenarios that name no branch say why, the others
/// have a target.
#[test]
fn the_offline_plan_needs_a_branch_and_says_why_there_is_none() {
    for (name, fixture) in fixtures().filter(|(_, fixture)| fixture.get("expect").is_some()) {
        let result = resolve(&fixture, &[("AWS_ACCOUNT_ID", "123456789012")], Need::Offline);
        match fixture.get("plan_error").and_then(Value::as_str) {
            Some(error) => {
                let errors = result.expect_err(name);
                assert!(rendered(&errors).contains(error), "{name}: missing {error:?} in {}", rendered(&errors));
            }
            None => {
                let request = result.unwrap_or_else(|errors| panic!("{name}: {}", rendered(&errors)));
                let target = request.target().unwrap();
                assert_eq!(target.branch.name, fixture["expect"]["branch"].as_str().unwrap(), "{name}");
            }
        }
    }
}
