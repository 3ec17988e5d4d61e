//! AWS's eventual consistency, as the strict emulator models it (docs/emulator.md): a task RunTask
//! started is MISSING from the first DescribeTasks, a new service from the first DescribeServices,
//! RegisterScalableTarget right after CreateService is refused once, and a deleted service drains
//! before its name can be created again. maestro waits each out instead of failing the deploy.

use serde_json::Value;

use crate::deploy_cli::{command_in, maestro_in};
use crate::support::run;
use maestro_test_support::TestAccount;

fn calls(report: &Value, operation: &str) -> u64 {
    report["aws_calls"]["by_operation"][operation].as_u64().unwrap_or_default()
}

fn states(report: &Value) -> Vec<&str> {
    report["services"].as_array().unwrap().iter().map(|service| service["state"].as_str().unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_first_deploy_waits_out_what_aws_has_not_caught_up_with() {
    let account = TestAccount::new("a_first_deploy_waits_out_what_aws_has_not_caught_up_with").await;
    let outcome = maestro_in(&account, "deploy", "json", &[]).await;
    let report = outcome.expect_code(0).json();
    // web and worker autoscale: each RegisterScalableTarget was refused once ("ECS service
    // doesn't exist"), then accepted (findings 7).
    assert_eq!(calls(&report, "Application Auto Scaling.RegisterScalableTarget"), 4, "{}", report["aws_calls"]);
    outcome.expect_stderr(&["AWS has not caught up yet (register scalable target service/acme-shop-api-staging/"]);
    // The release task was MISSING from the first two looks, then followed to its end (6).
    assert!(calls(&report, "ECS.DescribeTasks") >= 3, "{}", report["aws_calls"]);
    outcome.expect_stderr(&["release: done"]);
    // Each new service was MISSING from the first poll of the rollouts, then followed (19).
    assert_eq!(states(&report), ["deployed", "deployed", "deployed"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_pruned_service_is_created_again_once_drained() {
    let account = TestAccount::new("a_pruned_service_is_created_again_once_drained").await;
    maestro_in(&account, "deploy", "json", &[]).await.expect_code(0);
    let without_worker = (
        "ECS_SERVICE_TASK_PROCESSES",
        "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000], clock, scheduledtasks{256;512}",
    );
    let mut command = command_in(&account, "deploy", "json", &[without_worker]).await;
    run(command.arg("--prune")).expect_code(0);
    // worker comes back while its deleted service still drains (24).
    let outcome = maestro_in(&account, "deploy", "json", &[]).await;
    let report = outcome.expect_code(0).json();
    outcome.expect_stderr(&["service acme-shop-api-staging-worker was deleted and is still draining"]);
    assert_eq!(states(&report), ["unchanged", "deployed", "unchanged"]);
    assert_eq!(calls(&report, "ECS.CreateService"), 1, "created once, after it drained: {}", report["aws_calls"]);
}
