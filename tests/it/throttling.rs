//! A deploy in an account ECS throttles (the emulator's ECS request rates, opt-in per account:
//! tests/support/strict/ecs_throttling.py, docs/emulator.md): maestro paces its ECS calls at the
//! documented rates, so a bucket others drained costs it a few refusals, retried, never the deploy.

use aws_smithy_types::retry::RetryConfig;

use crate::deploy_checks::maestro_on;
use crate::support::EXAMPLE_APP;
use maestro_test_support::{TestAccount, ecs_throttled, throttle_ecs};

/// The task-definition modify bucket's burst (request-throttling.html).
const BURST: usize = 20;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_after_another_caller_drained_the_registrations_bucket_succeeds() {
    let account = TestAccount::new("a_deploy_after_another_caller_drained_the_registrations_bucket").await;
    let id = account.id.clone();
    tokio::task::spawn_blocking(move || throttle_ecs(&id)).await.unwrap();
    // Another caller in the account registers 20 task definitions at once: the bucket is empty.
    let config = aws_sdk_ecs::config::Builder::from(&account.config).retry_config(RetryConfig::disabled());
    let ecs = aws_sdk_ecs::Client::from_conf(config.build());
    let container = aws_sdk_ecs::types::ContainerDefinition::builder().name("app").image("nginx").memory(512).build();
    for _ in 0..BURST {
        ecs.register_task_definition().family("other").container_definitions(container.clone()).send().await.unwrap();
    }

    let outcome = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[]).await;
    outcome.expect_code(0);
    let report = outcome.json();
    let registered = report["aws_calls"]["by_operation"]["ECS.RegisterTaskDefinition"].as_u64().unwrap();
    let id = account.id.clone();
    let throttled = tokio::task::spawn_blocking(move || ecs_throttled(&id)).await.unwrap();
    // maestro could not know the bucket was empty (it refills at 1 a second meanwhile): its first
    // registrations may be refused, at most once each, and are retried; after a refusal it
    // paces itself at its share of the rate, so no registration is refused twice.
    let refused = throttled["by_action"]["RegisterTaskDefinition"].as_u64().unwrap_or_default();
    assert!(registered >= 3, "the example registers a definition per process: {report}");
    assert!(refused <= registered, "{refused} refusals for {registered} registrations: {throttled}");
    assert_eq!(throttled["throttled"].as_u64(), Some(refused), "only registrations were refused: {throttled}");
}
