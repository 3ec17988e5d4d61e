use base64::Engine;

use super::*;
use crate::fixtures;

fn plan_for(pairs: &[(&str, &str)]) -> Result<CredentialPlan, InputError> {
    fixtures::credentials(pairs)
}

const GITHUB: &[(&str, &str)] = &[
    ("GITHUB_ACTIONS", "true"),
    ("GITHUB_RUN_ID", "9876"),
    ("GITHUB_RUN_ATTEMPT", "2"),
    ("ACTIONS_ID_TOKEN_REQUEST_URL", "https://token.example/x?api-version=2.0"),
    ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "request-token"),
];

fn with(
    base: &[(&'static str, &'static str)],
    extra: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    base.iter().chain(extra).copied().collect()
}

#[test]
fn github_with_a_role_uses_oidc() {
    let plan = plan_for(&with(GITHUB, &[("MAESTRO_INPUT_MAESTRO_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy")]))
        .unwrap();
    let CredentialPlan::GithubOidc { role, request_url, audience, .. } = plan else { panic!("{plan:?}") };
    assert_eq!(role.role_arn, "arn:aws:iam::123456789012:role/deploy");
    assert_eq!(role.session_name, "maestro-gh-9876-2");
    assert_eq!(role.duration_seconds, 3600);
    assert_eq!(request_url, "https://token.example/x?api-version=2.0");
    assert_eq!(audience, "sts.amazonaws.com");
}

#[test]
fn options_from_inputs_and_variables() {
    let plan = plan_for(&with(
        GITHUB,
        &[
            ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy"),
            ("MAESTRO_INPUT_MAESTRO_OIDC_AUDIENCE", "custom-audience"),
            ("MAESTRO_ROLE_DURATION_SECONDS", "7200"),
            ("MAESTRO_INPUT_MAESTRO_ROLE_SESSION_NAME", "release@2026"),
        ],
    ))
    .unwrap();
    let CredentialPlan::GithubOidc { role, audience, .. } = plan else { panic!("{plan:?}") };
    assert_eq!(
        (audience.as_str(), role.duration_seconds, role.session_name.as_str()),
        ("custom-audience", 7200, "release@2026")
    );
}

#[test]
fn no_role_or_a_token_file_means_the_default_chain() {
    assert_eq!(plan_for(GITHUB).unwrap(), CredentialPlan::DefaultChain);
    let file = with(
        GITHUB,
        &[("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/x"), ("AWS_WEB_IDENTITY_TOKEN_FILE", "/tmp/token")],
    );
    assert_eq!(plan_for(&file).unwrap(), CredentialPlan::DefaultChain);
    let codebuild = [("CODEBUILD_BUILD_ID", "p:1"), ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/x")];
    assert_eq!(plan_for(&codebuild).unwrap(), CredentialPlan::DefaultChain);
}

#[test]
fn missing_id_token_permission_is_explained() {
    let pairs = [("GITHUB_ACTIONS", "true"), ("MAESTRO_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy")];
    let error = plan_for(&pairs).unwrap_err();
    assert!(error.message.contains("cannot request an OIDC token"), "{}", error.message);
    assert!(error.hint.contains("id-token: write"));
}

#[test]
fn fork_pull_requests_are_explained() {
    let env =
        fixtures::env(&[("GITHUB_ACTIONS", "true"), ("MAESTRO_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy")]);
    let error = plan(&env, Ci::Github, true, None, "us-east-1").unwrap_err();
    assert!(error.message.contains("comes from a fork"), "{}", error.message);
    // The hint once recommended `pull_request_target`, which runs the fork's code with the base's
    // credentials (issue 15, H2): it says to skip forks now.
    assert!(error.hint.contains("skip the deploy for forks"), "{}", error.hint);
    assert!(!error.hint.contains("pull_request_target") && !error.hint.contains("workflow_run"), "{}", error.hint);
}

#[test]
fn gitlab_reads_the_id_token_variable() {
    let base = [
        ("GITLAB_CI", "true"),
        ("CI_PROJECT_ID", "31337"),
        ("CI_JOB_ID", "900800"),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/deploy"),
    ];
    let error = plan_for(&base).unwrap_err();
    assert_eq!(error.location.to_string(), "MAESTRO_ID_TOKEN");
    assert!(error.hint.contains("id_tokens: { MAESTRO_ID_TOKEN: { aud: https://gitlab.com } }"), "{}", error.hint);
    let plan = plan_for(&with(&base, &[("MAESTRO_ID_TOKEN_VARIABLE", "AWS_TOKEN"), ("AWS_TOKEN", "jwt")])).unwrap();
    let CredentialPlan::GitlabOidc { role, token, token_variable } = plan else { panic!("{plan:?}") };
    assert_eq!(
        (role.session_name.as_str(), token.expose(), token_variable.as_str()),
        ("maestro-gl-31337-900800", "jwt", "AWS_TOKEN")
    );
}

#[test]
fn the_role_input_beats_the_variables_in_the_documented_order() {
    // role-to-assume (the action's input for MAESTRO_ROLE_ARN) > MAESTRO_ROLE_ARN > AWS_ROLE_ARN.
    let role = |pairs: &[(&'static str, &'static str)]| match plan_for(&with(GITHUB, pairs)).unwrap() {
        CredentialPlan::GithubOidc { role, .. } => role.role_arn.to_string(),
        other => panic!("{other:?}"),
    };
    let input = ("MAESTRO_INPUT_MAESTRO_ROLE_ARN", "arn:aws:iam::123456789012:role/input");
    let variable = ("MAESTRO_ROLE_ARN", "arn:aws:iam::123456789012:role/variable");
    let sdk = ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/sdk");
    assert_eq!(role(&[sdk, variable, input]), "arn:aws:iam::123456789012:role/input");
    assert_eq!(role(&[sdk, variable]), "arn:aws:iam::123456789012:role/variable");
    assert_eq!(role(&[sdk, ("MAESTRO_INPUT_MAESTRO_ROLE_ARN", "")]), "arn:aws:iam::123456789012:role/sdk");
}

#[test]
fn bad_options_are_input_errors() {
    let error = plan_for(&with(GITHUB, &[("MAESTRO_INPUT_MAESTRO_ROLE_ARN", "deploy")])).unwrap_err();
    assert_eq!(
        (error.location.to_string().as_str(), error.message.as_str()),
        ("`role-to-assume` input", "`deploy` is not an IAM role ARN")
    );
    assert!(error.hint.contains("role/maestro-deploy"), "{}", error.hint);
    let long =
        with(GITHUB, &[("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/x"), ("MAESTRO_ROLE_DURATION_SECONDS", "60")]);
    assert!(plan_for(&long).unwrap_err().message.contains("from 900 to 43200"));
    let name = with(
        GITHUB,
        &[("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/x"), ("MAESTRO_ROLE_SESSION_NAME", "has space")],
    );
    assert!(plan_for(&name).unwrap_err().message.contains("session name"));
}

fn jwt(payload: &str) -> String {
    let encode = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    format!("{}.{}.signature", encode(r#"{"alg":"RS256"}"#), encode(payload))
}

#[test]
fn a_tokens_claims_are_read_without_the_token() {
    let token = jwt(
        r#"{"iss":"https://token.actions.githubusercontent.com","aud":"sts.amazonaws.com","sub":"repo:acme/shop-api:ref:refs/heads/main","run_id":"1"}"#,
    );
    let decoded = claims(&token).unwrap();
    assert_eq!(decoded.sub, "repo:acme/shop-api:ref:refs/heads/main");
    assert_eq!(
        (decoded.iss.as_str(), decoded.aud.as_str()),
        ("https://token.actions.githubusercontent.com", "sts.amazonaws.com")
    );

    let gitlab = jwt(
        r#"{"iss":"https://gitlab.com","aud":["https://gitlab.com"],"sub":"project_path:acme/shop:ref_type:branch:ref:main"}"#,
    );
    assert_eq!(claims(&gitlab).unwrap().aud, "https://gitlab.com", "a list of audiences, joined");
    assert_eq!(claims("not-a-jwt"), None);
}

#[test]
fn each_plan_is_described_as_whoami_shows_it() {
    let role = RoleSession {
        role_arn: RoleArn::parse("arn:aws:iam::123456789012:role/deploy").unwrap(),
        session_name: "s".into(),
        duration_seconds: DEFAULT_DURATION_SECONDS,
    };
    let github = CredentialPlan::GithubOidc {
        role: role.clone(),
        request_url: "https://token.example".into(),
        request_token: Secret::new("t".to_owned()),
        audience: "sts.amazonaws.com".into(),
    };
    let gitlab = CredentialPlan::GitlabOidc { role, token: Secret::new("t".to_owned()), token_variable: "ID".into() };
    assert_eq!(
        [CredentialPlan::DefaultChain.describe(), github.describe(), gitlab.describe()],
        ["the AWS SDK's default credential chain", "GitHub Actions OIDC", "GitLab CI OIDC"]
    );
}

/// A token may carry several audiences (GitLab's `aud` is a list); a trust policy matches them joined.
#[test]
fn an_audience_list_is_joined_and_anything_else_is_empty() {
    let audience = |aud: &str| claims(&jwt(&format!(r#"{{"aud":{aud}}}"#))).unwrap().aud;
    assert_eq!(audience(r#""sts.amazonaws.com""#), "sts.amazonaws.com");
    assert_eq!(audience(r#"["https://gitlab.com","sts.amazonaws.com",7]"#), "https://gitlab.com,sts.amazonaws.com");
    assert_eq!(audience("7"), "");
}

#[test]
fn role_chaining_assumes_the_role_with_the_jobs_own_credentials_in_any_ci() {
    for ci in [GITHUB, &[("CODEBUILD_BUILD_ID", "shop:1")], &[]] {
        let plan = plan_for(&with(
            ci,
            &[
                ("MAESTRO_ROLE_ARN", "arn:aws:iam::210987654321:role/deploy"),
                ("MAESTRO_INPUT_MAESTRO_ROLE_CHAINING", "true"),
                ("MAESTRO_ROLE_EXTERNAL_ID", "shop:CI/2026"),
            ],
        ))
        .unwrap();
        let CredentialPlan::Chained { role, external_id } = &plan else { panic!("{plan:?}") };
        assert_eq!(role.role_arn, "arn:aws:iam::210987654321:role/deploy");
        assert_eq!((role.duration_seconds, external_id.as_deref()), (3600, Some("shop:CI/2026")));
        assert_eq!(plan.role(), Some(role));
    }
}

#[test]
fn role_chaining_needs_a_role_and_at_most_an_hour() {
    let no_role = plan_for(&with(GITHUB, &[("MAESTRO_ROLE_CHAINING", "true")])).unwrap_err();
    assert!(no_role.render().contains("no role is set to assume"), "{}", no_role.render());
    let long = plan_for(&with(
        GITHUB,
        &[
            ("MAESTRO_ROLE_ARN", "arn:aws:iam::210987654321:role/deploy"),
            ("MAESTRO_ROLE_CHAINING", "true"),
            ("MAESTRO_ROLE_DURATION_SECONDS", "7200"),
        ],
    ))
    .unwrap_err();
    assert!(long.render().contains("MAESTRO_ROLE_DURATION_SECONDS"), "{}", long.render());
    assert!(long.render().contains("at most 3600 seconds with role chaining"), "{}", long.render());
    let word = plan_for(&with(GITHUB, &[("MAESTRO_ROLE_CHAINING", "yes")])).unwrap_err();
    assert!(word.render().contains("`yes` is not `true` or `false`"), "{}", word.render());
}

#[test]
fn an_external_id_without_chaining_or_malformed_is_bad_input() {
    let role = ("MAESTRO_ROLE_ARN", "arn:aws:iam::210987654321:role/deploy");
    let oidc = plan_for(&with(GITHUB, &[role, ("MAESTRO_ROLE_EXTERNAL_ID", "shop-ci")])).unwrap_err();
    assert!(oidc.render().contains("only sent when the job's own credentials assume the role"), "{}", oidc.render());
    let malformed =
        plan_for(&with(GITHUB, &[role, ("MAESTRO_ROLE_CHAINING", "true"), ("MAESTRO_ROLE_EXTERNAL_ID", "shop ci")]))
            .unwrap_err();
    assert!(malformed.render().contains("MAESTRO_ROLE_EXTERNAL_ID"), "{}", malformed.render());
    assert!(!malformed.render().contains("shop ci"), "an external ID is not shown: {}", malformed.render());
}
