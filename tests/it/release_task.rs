//! The release task maestro gives up on is stopped (StopTask), so the next deploy never runs a
//! second release (its migrations) beside it: on MAESTRO_RELEASE_TIMEOUT, and when the CI cancels
//! the job.

use crate::deploy_cli::{command_in, maestro_in};
use crate::support::cancel_when;
use maestro_test_support::TestAccount;

/// The stopped reason of every stopped task of `cluster`.
pub(crate) async fn stopped_reasons(account: &TestAccount, cluster: &str) -> Vec<String> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let mut arns = Vec::new();
    let stopped = aws_sdk_ecs::types::DesiredStatus::Stopped;
    let mut pages = ecs.list_tasks().cluster(cluster).desired_status(stopped).into_paginator().send();
    while let Some(page) = pages.next().await {
        arns.extend(page.unwrap().task_arns().iter().cloned());
    }
    if arns.is_empty() {
        return Vec::new();
    }
    // A task just started is MISSING from its first describes (eventual consistency): look again.
    for _ in 0..5 {
        let described = ecs.describe_tasks().cluster(cluster).set_tasks(Some(arns.clone())).send().await.unwrap();
        if described.tasks().len() == arns.len() {
            return described.tasks().iter().filter_map(|task| task.stopped_reason().map(str::to_owned)).collect();
        }
    }
    panic!("the stopped tasks {arns:?} stayed MISSING");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_release_that_times_out_is_stopped() {
    let account = TestAccount::new("a_release_that_times_out_is_stopped").await;
    // The first look at the task comes after the 2 s poll interval, past the 1 s timeout.
    let extra = [("MAESTRO_BRANCH_OVERRIDE", "slow"), ("MAESTRO_RELEASE_TIMEOUT", "1"), ("MAESTRO_POLL_INTERVAL", "2")];
    let outcome = maestro_in(&account, "deploy", "json", &extra).await;
    outcome.expect_code(1).expect_stderr(&[
        "error: the release task was still",
        "maestro stopped the release task, so no later deploy runs a release beside it",
        "no service was updated",
        "hint: raise MAESTRO_RELEASE_TIMEOUT if the release is that slow",
    ]);
    assert_eq!(outcome.json()["error"]["message"].as_str().unwrap().split(" after ").nth(1), Some("1s"));
    let reasons = stopped_reasons(&account, "acme-shop-api-slow").await;
    assert_eq!(reasons, ["maestro: the release timed out (MAESTRO_RELEASE_TIMEOUT)"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_release_cancelled_by_the_ci_is_stopped() {
    let account = TestAccount::new("a_release_cancelled_by_the_ci_is_stopped").await;
    let extra = [("MAESTRO_BRANCH_OVERRIDE", "cancelled-release"), ("MAESTRO_POLL_INTERVAL", "2")];
    let mut command = command_in(&account, "deploy", "human", &extra).await;
    // Cancelled while maestro waits for the release task's first poll.
    let (code, seen, rest) = cancel_when(&mut command, |line| line.contains("release: running"));
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains("error: maestro was stopped while the release task ran"), "{rest}");
    assert!(rest.contains("maestro stopped the release task"), "{rest}");
    let reasons = stopped_reasons(&account, "acme-shop-api-cancelled-release").await;
    assert_eq!(reasons, ["maestro: the deploy was cancelled"]);
    // Nothing was left half-released: no service exists.
    let services = aws_sdk_ecs::Client::new(&account.config)
        .list_services()
        .cluster("acme-shop-api-cancelled-release")
        .send()
        .await
        .unwrap();
    assert!(services.service_arns().is_empty());
}
