//! How AWS's refusals read: the operation maestro was doing, AWS's error code and message, and a
//! hint that depends on the code. moto cannot deny or throttle, so AWS is scripted here: a
//! loopback server confirms the identity (STS) and answers the ECR image lookup with the error.

use wiremock::matchers::{body_string_contains, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, maestro, run};

/// `maestro build --check` (one identity check, one ECR read) against AWS refusing the read with
/// `code` and `message`.
async fn build_check_refused_with(code: &str, message: &str) -> Outcome {
    let aws = MockServer::start().await;
    let identity = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/deployer</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#;
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetCallerIdentity"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(identity, "text/xml"))
        .mount(&aws)
        .await;
    let refusal = serde_json::json!({"__type": code, "message": message});
    Mock::given(method("POST"))
        .and(header("x-amz-target", "AmazonEC2ContainerRegistry_V20150921.DescribeImages"))
        .respond_with(ResponseTemplate::new(400).set_body_json(refusal))
        .expect(1..)
        .mount(&aws)
        .await;
    let mut command = maestro();
    command.args(["build", "--check", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    command.envs([
        ("AWS_ENDPOINT_URL", aws.uri().as_str()),
        ("AWS_ACCESS_KEY_ID", "fake-access-key-id"),
        ("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key"),
        ("AWS_MAX_ATTEMPTS", "1"),
    ]);
    run(&mut command)
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_names_the_operation_and_the_missing_permission() {
    let outcome = build_check_refused_with(
        "AccessDeniedException",
        "User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: ecr:DescribeImages",
    )
    .await;
    outcome.expect_code(1);
    insta::assert_snapshot!(outcome.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_says_to_run_again_or_raise_the_attempts() {
    let outcome = build_check_refused_with("ThrottlingException", "Rate exceeded").await;
    outcome.expect_code(1);
    insta::assert_snapshot!(outcome.stderr);
}
