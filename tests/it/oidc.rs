//! AWS credentials from a CI's OIDC token, end to end: the real `maestro whoami` binary, a
//! loopback server playing GitHub's token endpoint, and the emulator's STS.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Outcome, Scratch, maestro, run};
use maestro_test_support::moto_url;
use maestro_test_support::oidc::{REQUEST_TOKEN, jwt, token_endpoint};

fn github_whoami(token_server: &str, sts_endpoint: &str, role: &str) -> Outcome {
    run(github_command(token_server, sts_endpoint, role).args(["--output", "json"]))
}

/// `maestro whoami` in a GitHub job whose token comes from `token_server`.
fn github_command(token_server: &str, sts_endpoint: &str, role: &str) -> std::process::Command {
    let mut command = maestro();
    command
        .arg("whoami")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REPOSITORY", "acme/shop-api")
        .env("GITHUB_RUN_ID", "9876")
        .env("GITHUB_RUN_ATTEMPT", "1")
        .env("ACTIONS_ID_TOKEN_REQUEST_URL", format!("{token_server}/_apis/token?api-version=2.0"))
        .env("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN)
        .env("MAESTRO_INPUT_MAESTRO_ROLE_ARN", role)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", sts_endpoint);
    command
}

/// The token appears only inside `::add-mask::` lines, never elsewhere.
fn assert_only_masked(outcome: &Outcome, secret: &str) {
    assert!(!outcome.stdout.contains(secret), "a secret reached stdout");
    for line in outcome.stderr.lines().filter(|line| line.contains(secret)) {
        assert!(line.starts_with("::add-mask::"), "a secret reached stderr outside a mask: {line}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn github_oidc_assumes_the_role_in_the_emulator() {
    let moto = moto_url();
    let token = jwt("repo:acme/shop-api:ref:refs/heads/main");
    let server = token_endpoint(&token, 1).await;
    let outcome = github_whoami(&server.uri(), &moto, "arn:aws:iam::111122223333:role/maestro-deploy");
    let whoami = outcome.expect_code(0).json();
    assert_eq!(whoami["account_id"], "111122223333", "the account comes from the assumed role");
    assert_eq!(whoami["credentials"], "GitHub Actions OIDC");
    assert_eq!(whoami["session_name"], "maestro-gh-9876-1");
    assert!(whoami["arn"].as_str().unwrap().contains("assumed-role/maestro-deploy/maestro-gh-9876-1"), "{whoami}");
    // The token, the request token and the three session secrets are masked before use.
    outcome.expect_stderr(&[format!("::add-mask::{token}"), format!("::add-mask::{REQUEST_TOKEN}")]);
    assert!(outcome.stderr.matches("::add-mask::").count() >= 5, "{}", outcome.stderr);
    assert_only_masked(&outcome, &token);
    assert_only_masked(&outcome, REQUEST_TOKEN);
}

#[test]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
fn gitlab_oidc_assumes_the_role_in_the_emulator() {
    let moto = moto_url();
    let token = jwt("project_path:acme/platform/shop-api:ref_type:branch:ref:main");
    let outcome = run(maestro()
        .args(["whoami", "--output", "json"])
        .env("GITLAB_CI", "true")
        .env("CI_PROJECT_ID", "31337")
        .env("CI_JOB_ID", "900800")
        .env("AWS_ROLE_ARN", "arn:aws:iam::222233334444:role/maestro-deploy")
        .env("MAESTRO_ID_TOKEN", &token)
        .env("AWS_REGION", "eu-west-1")
        .env("AWS_ENDPOINT_URL", &moto));
    let whoami = outcome.expect_code(0).json();
    assert_eq!(whoami["account_id"], "222233334444");
    assert_eq!(whoami["credentials"], "GitLab CI OIDC");
    assert_eq!(whoami["session_name"], "maestro-gl-31337-900800");
    // GitLab has no mask command; the token is never printed.
    outcome.expect_nowhere(&[&token]);
}

#[test]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
fn codebuild_uses_the_default_chain() {
    let moto = moto_url();
    let outcome = run(maestro()
        .args(["whoami", "--output", "json"])
        .env("CODEBUILD_BUILD_ID", "shop:1")
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLECANARY")
        .env("AWS_SECRET_ACCESS_KEY", "secret-key-canary")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", &moto));
    let whoami = outcome.expect_code(0).json();
    assert_eq!(whoami["account_id"], "123456789012", "the emulator's account for plain keys");
    assert_eq!(whoami["credentials"], "the AWS SDK's default credential chain");
    outcome.expect_nowhere(&["secret-key-canary"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_token_request_is_explained() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/token"))
        .respond_with(ResponseTemplate::new(403))
        .expect(1)
        .mount(&server)
        .await;
    let outcome = github_whoami(&server.uri(), "http://127.0.0.1:9", "arn:aws:iam::111122223333:role/maestro-deploy");
    outcome.expect_code(1).expect_stderr(&[
        "error: GitHub refused the job's OIDC token request (HTTP 403)",
        "hint: the job needs `permissions: id-token: write`",
    ]);
    assert_only_masked(&outcome, REQUEST_TOKEN);
}

/// moto accepts every token, so AWS's refusals are scripted: a loopback server answers the
/// `AssumeRoleWithWebIdentity` call with the error STS sends.
async fn refusing_sts(code: &str, message: &str) -> MockServer {
    let server = MockServer::start().await;
    let body = format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>"#
    );
    Mock::given(method("POST"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(403).set_body_raw(body, "text/xml"))
        .expect(1..)
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_shows_the_claims_and_the_trust_policy_needed() {
    let token = jwt("repo:acme/shop-api:environment:production");
    let tokens = token_endpoint(&token, 1).await;
    let sts = refusing_sts("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity").await;
    let outcome = github_whoami(&tokens.uri(), &sts.uri(), "arn:aws:iam::111122223333:role/maestro-deploy");
    outcome.expect_code(1).expect_stderr(&[
        "error: AWS did not let this job assume `arn:aws:iam::111122223333:role/maestro-deploy`: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity",
        "  the job's token: iss `https://token.actions.githubusercontent.com`, aud `sts.amazonaws.com`, sub `repo:acme/shop-api:environment:production`",
        "  the claim this points at: `sub`",
        r#""Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com""#,
        r#""StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/shop-api:*"}"#,
    ]);
    assert_only_masked(&outcome, &token);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_audience_is_explained() {
    let token = jwt("repo:acme/shop-api:ref:refs/heads/main");
    let tokens = token_endpoint(&token, 1).await;
    let sts = refusing_sts("InvalidIdentityToken", "Incorrect token audience").await;
    let outcome = github_whoami(&tokens.uri(), &sts.uri(), "arn:aws:iam::111122223333:role/maestro-deploy");
    outcome.expect_code(1).expect_stderr(&[
        "InvalidIdentityToken: Incorrect token audience",
        "  the claim this points at: `aud`",
        "the claim `aud` (`sts.amazonaws.com`) is not an audience of the IAM OIDC provider",
    ]);
}

#[test]
fn a_job_without_id_token_permission_is_told_how_to_grant_it() {
    let outcome = run(maestro()
        .args(["whoami"])
        .env("GITHUB_ACTIONS", "true")
        .env("MAESTRO_INPUT_MAESTRO_ROLE_ARN", "arn:aws:iam::111122223333:role/maestro-deploy")
        .env("AWS_REGION", "us-east-1"));
    outcome.expect_code(2).expect_stderr(&["ACTIONS_ID_TOKEN_REQUEST_URL: a role is set", "id-token: write"]);
}

/// The doctor: a repository created after GitHub's change signs in with immutable ids in `sub`;
/// `--explain` shows the claims, the form, the statement that accepts it, and (given the role's
/// policy written the old way) the condition that refuses it. The token itself never shows.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_doctor_explains_an_immutable_sub_against_a_policy_written_the_old_way() {
    let token = jwt("repo:acme@1001/shop-api@2002:ref:refs/heads/main");
    let tokens = token_endpoint(&token, 2).await;
    let scratch = Scratch::new();
    let old = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/shop-api:*"}}}]}"#;
    scratch.write("trust.json", old);
    let outcome = run(github_command(&tokens.uri(), &moto_url(), "arn:aws:iam::111122223333:role/maestro-deploy")
        .args(["--explain", "--trust-policy", &scratch.file("trust.json")]));
    outcome.expect_code(0);
    for line in [
        "  sub         repo:acme@1001/shop-api@2002:ref:refs/heads/main\n",
        "sub form      GitHub's immutable form (owner and repository ids)\n",
        "a condition written for `repo:acme/shop-api:*` does not match it",
        "trust policy  statement 1: `StringLike` token.actions.githubusercontent.com:sub [\"repo:acme/shop-api:*\"] does not hold for the claim `sub`",
        "\"token.actions.githubusercontent.com:sub\": \"repo:acme@1001/shop-api@2002:*\"",
    ] {
        assert!(outcome.stdout.contains(line), "{line:?} missing:\n{}", outcome.stdout);
    }
    assert_only_masked(&outcome, &token);
}

/// A refused exchange with `--explain`: the refusal, with the claims and the statement as its details.
#[tokio::test(flavor = "multi_thread")]
async fn a_refusal_explained_carries_the_claims_and_the_statement() {
    let token = jwt("repo:acme@1001/shop-api@2002:pull_request");
    let tokens = token_endpoint(&token, 2).await;
    let sts = refusing_sts("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity").await;
    let outcome = run(
        github_command(&tokens.uri(), &sts.uri(), "arn:aws:iam::111122223333:role/maestro-deploy").arg("--explain")
    );
    outcome.expect_code(1).expect_stderr(&[
        "  the claim this points at: `sub`",
        "  claim sub: repo:acme@1001/shop-api@2002:pull_request",
        "  sub form: GitHub's immutable form (owner and repository ids)",
        "GitHub gives this repository immutable ids, so a condition written for `repo:acme/shop-api:*` does not match it",
    ]);
    assert_only_masked(&outcome, &token);
}
