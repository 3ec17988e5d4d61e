//! configure-aws-credentials' options, as maestro's inputs: `role-chaining` (the job's own
//! credentials assume the role, with `role-external-id`), `allowed-account-ids` (another account
//! stops the run before any write) and `mask-aws-account-id` (the account's id hidden in the GitHub
//! job's log, judged through the model of the runner), against the emulator's STS.

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, maestro, run};
use maestro_test_support::TestAccount;
use maestro_test_support::runner::Runner;

const ROLE: &str = "arn:aws:iam::210987654321:role/maestro-deploy";

/// `maestro whoami` with `account`'s keys (a role's session, as an earlier step leaves them) and
/// `extra` on top.
fn whoami(account: &TestAccount, extra: &[(&str, &str)]) -> Outcome {
    let mut command = maestro();
    command.args(["whoami", "--output", "json"]).envs(account.env.iter().map(|(name, value)| (name, value)));
    run(command.envs(extra.iter().copied()))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_jobs_credentials_assume_the_role_of_another_account() {
    let account = TestAccount::new("role_chaining_assumes").await;
    let chaining = [
        ("CODEBUILD_BUILD_ID", "shop:8c1f"),
        ("MAESTRO_ROLE_ARN", ROLE),
        ("MAESTRO_ROLE_CHAINING", "true"),
        ("MAESTRO_ROLE_EXTERNAL_ID", "shop-ci-2026"),
    ];
    let outcome = whoami(&account, &chaining);
    let chained = outcome.expect_code(0).json();
    assert_eq!(chained["account_id"], "210987654321", "the role's account, not the job's");
    assert_eq!(chained["credentials"], "the AWS SDK's default credential chain, chained into the role");
    assert_eq!(chained["session_name"], "maestro-cb-shop-8c1f");
    assert!(chained["arn"].as_str().unwrap().contains("assumed-role/maestro-deploy/maestro-cb-shop-8c1f"), "{chained}");
    // Without chaining, CodeBuild's own credentials are used as they are.
    let own = whoami(&account, &chaining[..2]).expect_code(0).json();
    assert_eq!(own["account_id"], account.id.as_str());
    // The doctor: the statement the role's trust policy needs for the job's own role.
    let mut command = maestro();
    command.args(["whoami", "--explain"]).envs(account.env.iter().map(|(name, value)| (name, value)));
    let doctor = run(command.envs(chaining.iter().copied()));
    doctor.expect_code(0);
    for line in [
        format!("  principal   arn:aws:iam::{}:role/test\n", account.id),
        format!("\"AWS\": \"arn:aws:iam::{}:role/test\"", account.id),
        "\"sts:ExternalId\": \"<MAESTRO_ROLE_EXTERNAL_ID>\"".to_owned(),
    ] {
        assert!(doctor.stdout.contains(&line), "{line:?} missing:\n{}", doctor.stdout);
    }
    assert!(!doctor.stdout.contains("shop-ci-2026"), "the external ID is not repeated");
    // A chained session lasts at most an hour: said before any call.
    let long = whoami(&account, &[&chaining[..], &[("MAESTRO_ROLE_DURATION_SECONDS", "7200")]].concat());
    long.expect_code(2).expect_stderr(&["MAESTRO_ROLE_DURATION_SECONDS", "at most 3600 seconds with role chaining"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_account_the_list_does_not_name_stops_the_run_before_any_write() {
    let account = TestAccount::new("allowed_account_ids").await;
    let other = "999999999999,888888888888";
    let refused = whoami(&account, &[("MAESTRO_ALLOWED_ACCOUNT_IDS", other)]);
    refused.expect_code(2).expect_stderr(&[
        "MAESTRO_ALLOWED_ACCOUNT_IDS",
        &format!("the credentials belong to account {}, which `{other}` does not list", account.id),
    ]);
    let listed = format!("999999999999, {}", account.id);
    whoami(&account, &[("MAESTRO_ALLOWED_ACCOUNT_IDS", &listed)]).expect_code(0);

    let mut deploy = maestro();
    deploy.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]).envs(account.deploy_env().await);
    run(deploy.env("MAESTRO_INPUT_MAESTRO_ALLOWED_ACCOUNT_IDS", other)).expect_code(2);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let clusters = ecs.list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "nothing was created: {clusters:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_account_id_is_masked_in_the_github_log_when_asked() {
    let account = TestAccount::new("mask_aws_account_id").await;
    let github = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_REPOSITORY", "acme/shop-api"),
        ("GITHUB_RUN_ID", "9876"),
        ("MAESTRO_ROLE_ARN", ROLE),
        ("MAESTRO_INPUT_MAESTRO_ROLE_CHAINING", "true"),
    ];
    let log = |outcome: &Outcome| Runner::read(&format!("{}{}", outcome.stderr, outcome.stdout)).visible();
    let plain = whoami(&account, &github);
    assert!(log(plain.expect_code(0)).contains("210987654321"), "masking is off by default");
    let masked = whoami(&account, &[&github[..], &[("MAESTRO_INPUT_MAESTRO_MASK_AWS_ACCOUNT_ID", "true")]].concat());
    let visible = log(masked.expect_code(0));
    assert!(!visible.contains("210987654321") && visible.contains("***"), "{visible}");
    // The chained session's keys are masked as they arrive, as an OIDC session's are.
    assert!(masked.stderr.matches("::add-mask::").count() >= 4, "{}", masked.stderr);
}
