use super::*;
use crate::env::Origin;
use crate::fixtures::{self, request_in};

fn resolve(pairs: &[(&str, &str)]) -> Result<DeployRequest, InputErrors> {
    fixtures::request(pairs)
}

fn inputs(errors: &InputErrors) -> Vec<String> {
    errors.0.iter().map(|error| error.location.to_string()).collect()
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
    let mut env = fixtures::env(&pairs);
    env.set("MAESTRO_BRANCH_OVERRIDE", "production", Origin::Flag("--branch"));
    let request = request_in(&env, Need::Facts).unwrap();
    assert_eq!((request.branch.as_deref(), request.sources["branch"].as_str()), (Some("production"), "--branch"));
    assert_eq!(
        (request.repository.as_str(), request.sources["repository"].as_str()),
        ("acme/other", "MAESTRO_REPO_OVERRIDE")
    );
    // An overridden commit is also the one reported on.
    assert_eq!((request.sha.as_str(), request.report_sha.as_str()), ("abcdef0123456789", "abcdef0123456789"));
}

#[test]
fn action_inputs_beat_the_jobs_variables_and_name_themselves() {
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.extend([
        ("MAESTRO_INPUT_AWS_REGION", "us-west-2"),
        ("MAESTRO_BRANCH_OVERRIDE", "staging"),
        ("MAESTRO_INPUT_MAESTRO_BRANCH_OVERRIDE", ""),
        ("MAESTRO_INPUT_MAESTRO_COMMIT_OVERRIDE", "not-a-sha"),
    ]);
    let errors = resolve(&pairs).unwrap_err();
    assert_eq!(inputs(&errors), ["`commit` input"]);
    pairs.pop();
    let request = resolve(&pairs).unwrap();
    assert_eq!(
        (request.region.as_deref(), request.sources["region"].as_str()),
        (Some("us-west-2"), "`aws-region` input")
    );
    // The action passes an input left empty as `""`: the job's own variable stands.
    assert_eq!(
        (request.branch.as_deref(), request.sources["branch"].as_str()),
        (Some("staging"), "MAESTRO_BRANCH_OVERRIDE")
    );
}

#[test]
fn target_needs_branch_and_region_with_the_reason() {
    let pairs = [
        ("CODEBUILD_BUILD_ID", "shop:1"),
        ("CODEBUILD_SOURCE_REPO_URL", "https://github.com/acme/shop.git"),
        ("CODEBUILD_SOURCE_VERSION", "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c"),
        ("CODEBUILD_RESOLVED_SOURCE_VERSION", "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c"),
    ];
    let request = resolve(&pairs).unwrap();
    let errors = request.target().unwrap_err();
    assert_eq!(inputs(&errors), ["MAESTRO_BRANCH_OVERRIDE", "AWS_REGION"], "the account comes from AWS");
    assert!(
        errors.0[0].message.contains("CodeBuild was started with commit `3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c`"),
        "{}",
        errors.0[0].message
    );
    assert!(errors.0[0].hint.contains("MAESTRO_BRANCH_OVERRIDE"));
    assert_eq!(inputs(&request.account().unwrap_err()), ["AWS_ACCOUNT_ID"]);
    let mut complete = pairs.to_vec();
    complete.extend([
        ("MAESTRO_BRANCH_OVERRIDE", "Main"),
        ("AWS_ACCOUNT_ID", "123456789012"),
        ("AWS_REGION", "us-east-1"),
    ]);
    let request = resolve(&complete).unwrap();
    let target = request.target().unwrap();
    assert_eq!(
        (target.branch.name.as_str(), target.branch.slug.as_str(), target.region.as_str()),
        ("Main", "main", "us-east-1")
    );
    assert_eq!(request.account().unwrap(), "123456789012");
}

#[test]
fn bad_values_name_their_source() {
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.extend([("AWS_REGION", "Virginia"), ("AWS_ACCOUNT_ID", "42"), ("CI_COMMIT_SHA", "HEAD")]);
    let errors = resolve(&pairs).unwrap_err();
    assert_eq!(inputs(&errors), ["CI_COMMIT_SHA", "AWS_REGION", "AWS_ACCOUNT_ID"]);
}

#[test]
fn errors_name_the_env_file_line_and_annotate_it() {
    let mut env = fixtures::env(GITLAB_PUSH);
    env.set("AWS_REGION", "Virginia", Origin::EnvFile { file: "maestro.env".into(), line: 2 });
    // The process's AWS_REGION beats the file's, so the file's bad value is never read.
    assert!(request_in(&env, Need::Facts).is_ok());
    let mut env = fixtures::env(&GITLAB_PUSH[..5]);
    env.set("AWS_REGION", "Virginia", Origin::EnvFile { file: "maestro.env".into(), line: 2 });
    let errors = request_in(&env, Need::Facts).unwrap_err();
    assert_eq!(inputs(&errors), ["AWS_REGION (maestro.env:2)"]);
    assert_eq!(errors.0[0].location.file_line(), Some(("maestro.env", 2)));
}

#[test]
fn an_overridden_commit_is_checked_once() {
    let mut pairs = GITLAB_PUSH.to_vec();
    pairs.push(("MAESTRO_COMMIT_OVERRIDE", "xyz"));
    let errors = resolve(&pairs).unwrap_err();
    assert_eq!(errors.0.len(), 1, "{errors:?}");
}

#[test]
fn needing_a_target_offline_reports_everything_in_one_pass() {
    let errors = request_in(&Env::default(), Need::Offline).unwrap_err();
    assert_eq!(
        inputs(&errors),
        ["MAESTRO_REPO_OVERRIDE", "MAESTRO_COMMIT_OVERRIDE", "MAESTRO_BRANCH_OVERRIDE", "AWS_ACCOUNT_ID", "AWS_REGION"]
    );
}

#[test]
fn nothing_known_lists_what_to_pass() {
    let errors = resolve(&[]).unwrap_err();
    assert!(errors.0[0].message.contains("no repository given (no CI was detected"), "{}", errors.0[0].message);
    assert!(errors.0[1].hint.contains("--sha"));
}
