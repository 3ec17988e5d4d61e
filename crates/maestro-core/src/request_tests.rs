use super::*;
use crate::ci::{CiInput, facts};
use crate::env::Origin;

fn resolve(pairs: &[(&str, &str)]) -> Result<DeployRequest, InputErrors> {
    let env = Env::from_process(pairs.iter().copied());
    let ci = Ci::detect(&env);
    let facts = facts(ci, &CiInput { env: &env, event: None, git: None }).map_err(InputErrors::from)?;
    DeployRequest::resolve(&env, ci, facts, Need::Facts)
}

const GITLAB_PUSH: &[(&str, &str)] = &[
    ("GITLAB_CI", "true"),
    ("CI_PROJECT_PATH", "Acme/Platform/Shop-API"),
    ("CI_COMMIT_SHA", "3F2A9C1D7E4B5A6C8D9E0F1A2B3C4D5E6F7A8B9C"),
    ("CI_COMMIT_BRANCH", "feature/Login"),
    ("CI_PIPELINE_SOURCE", "push"),
    ("AWS_REGION", "eu-west-1"),
];

#[test]
fn ci_facts_become_the_request() {
    let request = resolve(GITLAB_PUSH).unwrap();
    assert_eq!(request.ci, Ci::Gitlab);
    assert_eq!(request.repository, "Acme/Platform/Shop-API");
    assert_eq!(request.slug, "acme-platform-shop-api");
    assert_eq!(request.sha, "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c");
    assert_eq!(request.short_sha, "3f2a9c1d");
    assert_eq!(request.branch.as_deref(), Some("feature/Login"));
    assert_eq!(request.branch_slug.as_deref(), Some("feature-login"));
    assert_eq!(request.sources["branch"], "CI_COMMIT_BRANCH");
    assert_eq!(request.sources["region"], "AWS_REGION");
    assert_eq!(request.account_id, None);
}

#[test]
fn overrides_beat_the_ci_and_flags_beat_overrides() {
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.extend([
        ("MAESTRO_BRANCH_OVERRIDE", "staging"),
        ("MAESTRO_REPO_OVERRIDE", "acme/other"),
        ("MAESTRO_COMMIT_OVERRIDE", "abcdef0123456789"),
    ]);
    let mut env = Env::from_process(pairs.iter().copied());
    env.set("MAESTRO_BRANCH_OVERRIDE", "production", Origin::Flag("--branch"));
    let facts = facts(Ci::Gitlab, &CiInput { env: &env, event: None, git: None }).unwrap();
    let request = DeployRequest::resolve(&env, Ci::Gitlab, facts, Need::Facts).unwrap();
    assert_eq!((request.branch.as_deref(), request.sources["branch"].as_str()), (Some("production"), "--branch"));
    assert_eq!(
        (request.repository.as_str(), request.sources["repository"].as_str()),
        ("acme/other", "MAESTRO_REPO_OVERRIDE")
    );
    // An overridden commit is also the one reported on.
    assert_eq!((request.sha.as_str(), request.report_sha.as_str()), ("abcdef0123456789", "abcdef0123456789"));
}

#[test]
fn github_action_inputs_in_both_spellings() {
    let env = Env::from_process([("INPUT_AWS-REGION", "us-west-2"), ("INPUT_ROLE_TO_ASSUME", "arn:aws:iam::1:role/x")]);
    assert_eq!(action_input(&env, "aws-region"), Some(("INPUT_AWS-REGION".to_owned(), "us-west-2")));
    assert_eq!(
        action_input(&env, "role-to-assume"),
        Some(("INPUT_ROLE_TO_ASSUME".to_owned(), "arn:aws:iam::1:role/x"))
    );
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.retain(|(name, _)| *name != "AWS_REGION");
    pairs.push(("INPUT_AWS-REGION", "us-west-2"));
    assert_eq!(resolve(&pairs).unwrap().sources["region"], "INPUT_AWS-REGION");
}

#[test]
fn target_needs_branch_account_and_region_with_the_reason() {
    let pairs = [
        ("CODEBUILD_BUILD_ID", "shop:1"),
        ("CODEBUILD_SOURCE_REPO_URL", "https://github.com/acme/shop.git"),
        ("CODEBUILD_SOURCE_VERSION", "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c"),
        ("CODEBUILD_RESOLVED_SOURCE_VERSION", "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c"),
    ];
    let request = resolve(&pairs).unwrap();
    let errors = request.target().unwrap_err();
    assert_eq!(errors.0.len(), 3);
    assert!(
        errors.0[0].message.contains("CodeBuild was started with commit `3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c`"),
        "{}",
        errors.0[0].message
    );
    assert!(errors.0[0].hint.contains("MAESTRO_BRANCH_OVERRIDE"));
    let mut complete = pairs.to_vec();
    complete.extend([
        ("MAESTRO_BRANCH_OVERRIDE", "main"),
        ("AWS_ACCOUNT_ID", "123456789012"),
        ("AWS_REGION", "us-east-1"),
    ]);
    let target = resolve(&complete).unwrap().target().unwrap();
    assert_eq!(
        (target.branch_slug.as_str(), target.account_id.as_str(), target.region.as_str()),
        ("main", "123456789012", "us-east-1")
    );
}

#[test]
fn bad_values_name_their_source() {
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.extend([("AWS_REGION", "Virginia"), ("AWS_ACCOUNT_ID", "42"), ("CI_COMMIT_SHA", "HEAD")]);
    let errors = resolve(&pairs).unwrap_err();
    let inputs: Vec<&str> = errors.0.iter().map(|error| error.input.as_str()).collect();
    assert_eq!(inputs, ["CI_COMMIT_SHA", "AWS_REGION", "AWS_ACCOUNT_ID"]);
}

#[test]
fn an_overridden_commit_is_checked_once() {
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.push(("MAESTRO_COMMIT_OVERRIDE", "xyz"));
    let errors = resolve(&pairs).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors:?}");
}

#[test]
fn needing_a_target_reports_everything_in_one_pass() {
    let env = Env::default();
    let facts = facts(Ci::Local, &CiInput { env: &env, event: None, git: None }).unwrap();
    let errors = DeployRequest::resolve(&env, Ci::Local, facts, Need::Target).unwrap_err();
    let inputs: Vec<&str> = errors.0.iter().map(|error| error.input.as_str()).collect();
    assert_eq!(
        inputs,
        ["MAESTRO_REPO_OVERRIDE", "MAESTRO_COMMIT_OVERRIDE", "MAESTRO_BRANCH_OVERRIDE", "AWS_ACCOUNT_ID", "AWS_REGION"]
    );
}

#[test]
fn nothing_known_lists_what_to_pass() {
    let errors = resolve(&[]).unwrap_err();
    assert!(errors.0[0].message.contains("no repository given (no CI was detected"), "{}", errors.0[0].message);
    assert!(errors.0[1].hint.contains("--sha"));
}
