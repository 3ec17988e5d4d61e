//! What a deploy prints for people, exactly: the request, the changes it made, the AWS calls,
//! and the services table (`tests/it/snapshots/`). Only what differs between runs is redacted:
//! seconds, the number of reads (the rollout's polls), and the load balancer's DNS name.

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, maestro, run};
use maestro_test_support::TestAccount;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_fresh_deploy_then_a_redeploy_tell_what_they_did() {
    let account = TestAccount::new("a_fresh_deploy_then_a_redeploy_tell_what_they_did").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let env = account.deploy_env().await;
    let deploy = || {
        let mut command = maestro();
        command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]).envs(env.clone());
        run(&mut command)
    };
    let fresh = deploy();
    fresh.expect_code(0);
    let again = deploy();
    again.expect_code(0);
    insta::with_settings!({filters => vec![
        // Reads include the rollout's polls, as many as the emulator's timing takes.
        (r"AWS calls: \d+ reads", "AWS calls: [n] reads"),
        // A service's time, and the padding that follows it in the table.
        (r"\b\d+s +http", "[n]s  http"),
        (r"(?m)\b\d+s$", "[n]s"),
        (r"acme-shop-api-staging-\d+\.us-east-1\.elb\.amazonaws\.com", "[load balancer DNS name]"),
    ]}, {
        insta::assert_snapshot!("deploy_human_fresh", fresh.stdout);
        insta::assert_snapshot!("deploy_human_redeploy", again.stdout);
    });
}
