//! `maestro verify`, and `deploy` which runs it first, on the resources the inputs name beyond
//! the network: the roles and their trust, the app's secret, the certificate. Each problem is an
//! input error (exit 2) naming the input, the resource and the fix, and a deploy writes nothing.

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, maestro, only_reads, run};
use maestro_test_support::{TestAccount, issue_certificate, start_journal};

const HOST: &str = "staging.shop.example.com";

/// `subcommand` on the example app in `account`'s default network, with `extra` on top.
async fn maestro_on(account: &TestAccount, subcommand: &str, output: &str, extra: &[(&str, String)]) -> Outcome {
    let mut command = maestro();
    command.args([subcommand, "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", output]);
    command.envs(account.deploy_env().await);
    command.envs(extra.iter().map(|(name, value)| (*name, value.as_str())));
    run(&mut command)
}

async fn create_secret(account: &TestAccount, name: &str) {
    let secrets = aws_sdk_secretsmanager::Client::new(&account.config);
    secrets.create_secret().name(name).secret_string(r#"{"GREETING": "hello"}"#).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn roles_a_secret_and_a_certificate_that_fit_verify_and_are_reported_checked() {
    let account = TestAccount::new("roles_a_secret_and_a_certificate_that_fit_verify").await;
    // deploy_env skips the build: verify needs the image.
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let task = account.role("shop-task", "ecs-tasks.amazonaws.com").await;
    let execution = account.role("shop-execution", "ecs-tasks.amazonaws.com").await;
    create_secret(&account, "staging/shop-settings").await;
    let certificate = account.certificate("*.shop.example.com").await;
    issue_certificate(&account.id, &certificate).await;
    start_journal(&account.id).await;
    let extra = [
        ("ECS_TASK_ROLE_ARN", task.clone()),
        ("ECS_EXECUTION_ROLE_ARN", execution),
        ("MAESTRO_SECRET_NAME", "staging/shop-settings".to_owned()),
        ("ALB_CERTIFICATE_ARN", certificate.clone()),
        ("MAESTRO_HOST", HOST.to_owned()),
    ];
    let outcome = maestro_on(&account, "verify", "json", &extra).await;
    let report = outcome.expect_code(0).json();
    let checked: Vec<&str> = report["checked"].as_array().unwrap().iter().filter_map(|line| line.as_str()).collect();
    for expected in [
        format!("role {task} trusts ecs-tasks.amazonaws.com"),
        format!("role arn:aws:iam::{}:role/ecsEventsRole trusts events.amazonaws.com", account.id),
        format!("certificate {certificate} is issued and covers {HOST}"),
    ] {
        assert!(checked.contains(&expected.as_str()), "{expected} in {checked:#?}");
    }
    assert!(checked.iter().any(|line| line.starts_with("secret staging/shop-settings exists (arn:")), "{checked:#?}");
    let skipped = report["not_checked"].as_array().unwrap();
    assert!(skipped.iter().any(|item| item["what"] == "the caller's permissions" && item["why"].is_string()));
    only_reads(&account).await;

    // What a user reads (docs/verify.md shows it), the account's generated ids masked.
    let human = maestro_on(&account, "verify", "human", &extra).await.expect_code(0).stdout.clone();
    insta::with_settings!({filters => vec![
        (r":\d{12}:", ":[account]:"),
        (r"\d{12}\.dkr", "[account].dkr"),
        (r"(subnet|sg|vpc)-[0-9a-f]{17}", "$1-[id]"),
        // The two subnets are listed by id, which the emulator draws at random.
        (r"\(us-east-1[a-f]\)", "(us-east-1[zone])"),
        (r"certificate/[0-9a-f-]{36}", "certificate/[id]"),
        (r"secret:staging/shop-settings-[A-Za-z0-9]{6}", "secret:staging/shop-settings-[suffix]"),
    ]}, {
        insta::assert_snapshot!("verify_human", human);
    });
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn missing_or_untrusting_roles_a_missing_secret_and_a_pending_certificate_stop_verify_and_deploy() {
    let account = TestAccount::new("missing_or_untrusting_roles_a_missing_secret_and_a_pending_certificate").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    // A task role EventBridge may assume, but not ECS.
    let task = account.role("shop-task", "events.amazonaws.com").await;
    let execution = format!("arn:aws:iam::{}:role/shop-execution", account.id);
    // Requested, not validated: PENDING_VALIDATION, and for another host.
    let certificate = account.certificate("api.example.com").await;
    start_journal(&account.id).await;
    let extra = [
        ("ECS_TASK_ROLE_ARN", task.clone()),
        ("ECS_EXECUTION_ROLE_ARN", execution.clone()),
        ("MAESTRO_SECRET_NAME", "staging/shop-setings".to_owned()),
        ("ALB_CERTIFICATE_ARN", certificate.clone()),
        ("MAESTRO_HOST", HOST.to_owned()),
    ];
    for subcommand in ["verify", "deploy"] {
        let outcome = maestro_on(&account, subcommand, "human", &extra).await;
        outcome.expect_code(2).expect_stderr(&[
            format!("ECS_TASK_ROLE_ARN: role {task} does not trust ecs-tasks.amazonaws.com"),
            "\"Service\": \"ecs-tasks.amazonaws.com\"".to_owned(),
            format!("ECS_EXECUTION_ROLE_ARN: role {execution} does not exist in this account"),
            "MAESTRO_SECRET_NAME: secret staging/shop-setings does not exist".to_owned(),
            "aws secretsmanager create-secret --name staging/shop-setings".to_owned(),
            format!("ALB_CERTIFICATE_ARN: certificate {certificate} is PENDING_VALIDATION, not ISSUED"),
            format!("certificate {certificate} does not cover MAESTRO_HOST {HOST} (it covers api.example.com)"),
        ]);
    }
    // The deploy stopped before the lease: nothing written.
    only_reads(&account).await;
}
