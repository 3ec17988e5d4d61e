//! `maestro deploy` as a user runs it: the real binary against the emulator, in its own account.

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, cancel_when, maestro, run};
use maestro_test_support::{TestAccount, plan_rollout, plan_task};

async fn deploy(account: &TestAccount, extra: &[(&str, &str)]) -> Outcome {
    maestro_in(account, "deploy", "json", extra).await
}

/// Runs `subcommand` (deploy or plan) on the example app in `account`'s network.
pub(crate) async fn maestro_in(
    account: &TestAccount,
    subcommand: &str,
    output: &str,
    extra: &[(&str, &str)],
) -> Outcome {
    run(&mut command_in(account, subcommand, output, extra).await)
}

/// The command that runs `subcommand` on the example app in `account`'s network.
pub(crate) async fn command_in(
    account: &TestAccount,
    subcommand: &str,
    output: &str,
    extra: &[(&str, &str)],
) -> std::process::Command {
    let mut command = maestro();
    command.args([subcommand, "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", output]);
    command.envs(account.deploy_env().await);
    let overridden = |name: &str| extra.iter().find(|(key, _)| *key == name).map(|(_, value)| *value);
    let repository = match overridden("MAESTRO_BRANCH_OVERRIDE") {
        Some(branch) => format!("acme-shop-api-{branch}"),
        None => EXAMPLE_REPOSITORY.to_owned(),
    };
    let tag = overridden("MAESTRO_COMMIT_OVERRIDE").map_or(EXAMPLE_TAG, |sha| &sha[..8]);
    account.seed_image(&repository, tag).await;
    command.envs(extra.iter().copied());
    command
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn deploy_then_redeploy_with_zero_writes() {
    let account = TestAccount::new("deploy_then_redeploy_with_zero_writes").await;
    // `plan` shows what the deploy will do, and changes nothing.
    let planned = maestro_in(&account, "plan", "json", &[]).await.expect_code(0).json();
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "plan wrote nothing");

    let first = deploy(&account, &[]).await;
    let report = first.expect_code(0).json();
    let actions = report["actions"].as_array().unwrap();
    assert_eq!(&planned["changes"], &report["actions"], "the deploy did exactly what the plan said");
    assert!(
        actions.iter().any(|action| action["action"] == "create_cluster" && action["name"] == "acme-shop-api-staging")
    );
    assert_eq!(report["request"]["account_id"], account.id.as_str(), "the account comes from the credentials");
    // The resources (the launcher family and its log group included), and the release task; web's
    // and worker's scalable targets take two tries each (Application Auto Scaling does not know a
    // service just created).
    assert_eq!(report["aws_calls"]["writes"], 35, "{}", report["aws_calls"]);
    assert_eq!(report["aws_calls"]["by_operation"]["Application Auto Scaling.RegisterScalableTarget"], 4);
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.RunTask"], 1);
    // No secret exists in this account: deployed without app variables, and told so.
    first.expect_stderr(&["secret staging/acme-shop-api does not exist", "release: done"]);
    // Every service was followed to the end of its own deployment.
    assert_eq!(service_states(&report), [("web", "deployed"), ("worker", "deployed"), ("clock", "deployed")]);
    assert!(report["services"][0]["url"].as_str().unwrap().starts_with("http://"), "{}", report["services"][0]);
    // One DescribeServices call per poll for these 3 services, plus the one that observed them.
    let polls = report["rollout_polls"].as_u64().unwrap();
    assert!(polls >= 2, "deployments take a few polls in the emulator");
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.DescribeServices"].as_u64(), Some(1 + polls));
    // And one DescribeServiceDeployments per poll: each new service's own service deployment beside it.
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.DescribeServiceDeployments"].as_u64(), Some(polls));

    // The app's container runs the commit's image by its digest, which no later push of the tag moves.
    let images = aws_sdk_ecr::Client::new(&account.config).describe_images().repository_name(EXAMPLE_REPOSITORY);
    let digest = images.send().await.unwrap().image_details()[0].image_digest().unwrap().to_owned();
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let web = ecs.describe_task_definition().task_definition("acme-shop-api-staging-web").send().await.unwrap();
    let image = web.task_definition().unwrap().container_definitions()[0].image().unwrap().to_owned();
    assert!(image.ends_with(&format!("/{EXAMPLE_REPOSITORY}@{digest}")), "{image}");

    let report = deploy(&account, &[]).await.expect_code(0).json();
    assert_eq!(report["actions"], serde_json::json!([]));
    assert!(report["services"].as_array().unwrap().iter().all(|service| service["state"] == "unchanged"));

    // For people: the changes, the AWS calls and the summary table on stdout.
    maestro_in(&account, "deploy", "human", &[]).await.expect_code(0).expect_stdout(&[
        "no changes: everything already matches the plan",
        "process  service",
        "acme-shop-api-staging-web",
        "unchanged",
    ]);
    assert_eq!(
        report["aws_calls"]["writes"], 0,
        "a redeploy of an unchanged app only reads, and releases nothing: {}",
        report["aws_calls"]
    );
    let planned = maestro_in(&account, "plan", "json", &[]).await.expect_code(0).json();
    assert_eq!(planned["changes"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_wrong_account_is_refused_before_any_change() {
    let account = TestAccount::new("the_wrong_account_is_refused_before_any_change").await;
    deploy(&account, &[("AWS_ACCOUNT_ID", "999999999999")]).await.expect_code(1).expect_stderr(&[format!(
        "AWS_ACCOUNT_ID is 999999999999, but the credentials belong to account {}",
        account.id
    )]);
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_stops_before_any_aws_call() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server).await;
    let outcome = run(maestro()
        .args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV])
        .env("AWS_ENDPOINT_URL", server.uri())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("ECS_SERVICE_TASK_PROCESSES", "web:5-2"));
    outcome.expect_code(2).expect_stderr(&["the maximum task count 2 is below the minimum 5"]);
}

/// Each service's process and final state, in report order.
fn service_states(report: &Value) -> Vec<(&str, &str)> {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| (service["process"].as_str().unwrap(), service["state"].as_str().unwrap()))
        .collect()
}

async fn services_of(account: &TestAccount, cluster: &str) -> usize {
    let listed = aws_sdk_ecs::Client::new(&account.config).list_services().cluster(cluster).send().await.unwrap();
    listed.service_arns().len()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failed_release_updates_no_service() {
    let account = TestAccount::new("a_failed_release_updates_no_service").await;
    plan_task("acme-shop-api-release-fails-release", serde_json::json!({"exit_code": 3})).await;
    let outcome = deploy(&account, &[("MAESTRO_BRANCH_OVERRIDE", "release-fails")]).await;
    outcome
        .expect_code(1)
        .expect_stderr(&["error: the release command exited with code 3", "hint: no service was updated"]);
    assert_eq!(services_of(&account, "acme-shop-api-release-fails").await, 0, "no service was created or updated");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_release_that_cannot_start_names_the_reason() {
    let account = TestAccount::new("a_release_that_cannot_start_names_the_reason").await;
    let reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s)";
    plan_task(
        "acme-shop-api-no-image-release",
        serde_json::json!({"exit_code": null, "stop_code": "TaskFailedToStart", "reason": reason}),
    )
    .await;
    let outcome = deploy(&account, &[("MAESTRO_BRANCH_OVERRIDE", "no-image")]).await;
    outcome.expect_code(1).expect_stderr(&[format!("(TaskFailedToStart: {reason})")]);
    assert_eq!(services_of(&account, "acme-shop-api-no-image").await, 0);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_rolled_back_service_fails_the_deploy_and_names_itself() {
    let account = TestAccount::new("a_rolled_back_service_fails_the_deploy_and_names_itself").await;
    plan_rollout("acme-shop-api-one-fails-worker", "FAILED").await;
    let outcome = deploy(&account, &[("MAESTRO_BRANCH_OVERRIDE", "one-fails")]).await;
    outcome.expect_code(1).expect_stderr(&[
        "error: the deploy failed: 1 of 3 services did not roll out",
        "acme-shop-api-one-fails-worker failed: ECS deployment circuit breaker: tasks failed to start.",
        // The stopped task of the failed deployment explains it.
        "acme-shop-api-one-fails-worker: stopped task ",
        ": EssentialContainerExited: Essential container in task exited (acme-shop-api exited 1)",
    ]);
    let report = outcome.json();
    assert_eq!(service_states(&report), [("web", "deployed"), ("worker", "failed"), ("clock", "deployed")]);
    // With --output json the report carries the run's error (docs/json-errors.md).
    assert_eq!(report["error"]["message"], "the deploy failed: 1 of 3 services did not roll out", "{report}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deployment_that_never_finishes_times_out() {
    let account = TestAccount::new("a_deployment_that_never_finishes_times_out").await;
    plan_rollout("acme-shop-api-stuck-web", "STUCK").await;
    let outcome = deploy(&account, &[("MAESTRO_BRANCH_OVERRIDE", "stuck"), ("MAESTRO_DEPLOY_TIMEOUT", "1")]).await;
    outcome
        .expect_code(1)
        .expect_stderr(&["acme-shop-api-stuck-web timed out: not finished after 1s (MAESTRO_DEPLOY_TIMEOUT)"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failed_release_leaves_running_services_on_their_revision() {
    let account = TestAccount::new("a_failed_release_leaves_running_services_on_their_revision").await;
    deploy(&account, &[("MAESTRO_BRANCH_OVERRIDE", "release-gate")]).await.expect_code(0);
    // The next commit's release (its migrations) fails.
    plan_task("acme-shop-api-release-gate-release", serde_json::json!({"exit_code": 5})).await;
    let next = deploy(
        &account,
        &[("MAESTRO_BRANCH_OVERRIDE", "release-gate"), ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b")],
    )
    .await;
    next.expect_code(1).expect_stderr(&["the release command exited with code 5"]);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let names =
        ["acme-shop-api-release-gate-web", "acme-shop-api-release-gate-worker", "acme-shop-api-release-gate-clock"];
    let services = ecs
        .describe_services()
        .cluster("acme-shop-api-release-gate")
        .set_services(Some(names.map(str::to_owned).to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(services.services().len(), 3);
    for service in services.services() {
        // The new revisions (2) exist, but no service was moved to them.
        assert!(service.task_definition().unwrap().ends_with(":1"), "{:?} was updated", service.service_name());
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_cancelled_job_says_where_each_service_was_left() {
    let account = TestAccount::new("a_cancelled_job_says_where_each_service_was_left").await;
    plan_rollout("acme-shop-api-cancelled-web", "STUCK").await;
    let mut command = command_in(&account, "deploy", "human", &[("MAESTRO_BRANCH_OVERRIDE", "cancelled")]).await;
    // Cancelled once maestro follows the stuck rollout.
    let (code, seen, rest) =
        cancel_when(&mut command, |line| line.contains("acme-shop-api-cancelled-web:") && line.contains(" running, "));
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains("maestro was stopped while waiting"), "{rest}");
    assert!(
        rest.contains(
            "acme-shop-api-cancelled-web cancelled while in progress: maestro stopped waiting; the deployment goes \
             on (last seen: "
        ),
        "{rest}"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn force_reruns_the_release_and_no_wait_does_not_follow_rollouts() {
    let account = TestAccount::new("force_reruns_the_release_and_no_wait_does_not_follow_rollouts").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "forced");
    // Fire-and-forget: services are created, not followed, and the user is warned.
    let first = deploy(&account, &[branch, ("MAESTRO_NO_WAIT", "true")]).await;
    let report = first.expect_code(0).expect_stderr(&["MAESTRO_NO_WAIT=true: maestro did not wait"]).json();
    assert_eq!(report["rollout_polls"], 0);
    assert!(
        report["services"].as_array().unwrap().iter().all(|service| service["state"] == "not waited"),
        "{}",
        report["services"]
    );

    // Nothing new: no release. `--force`: the release runs anyway, and nothing else changes.
    let report = deploy(&account, &[branch]).await.expect_code(0).json();
    assert!(report["aws_calls"]["by_operation"].get("ECS.RunTask").is_none(), "{}", report["aws_calls"]);
    let mut command = command_in(&account, "deploy", "json", &[branch]).await;
    let report = run(command.arg("--force")).expect_code(0).json();
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.RunTask"], 1);
    assert_eq!(report["aws_calls"]["writes"], 1, "only the release task: {}", report["aws_calls"]);
}

/// `(desired count, autoscaling (min, max))` of each service of the example app, and whether each
/// of its schedules is enabled.
async fn environment_state(account: &TestAccount) -> (Vec<(String, i32, Option<(i32, i32)>)>, Vec<bool>) {
    let cluster = "acme-shop-api-staging";
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let scaling = aws_sdk_applicationautoscaling::Client::new(&account.config);
    let namespace = aws_sdk_applicationautoscaling::types::ServiceNamespace::Ecs;
    let mut pages = scaling.describe_scalable_targets().service_namespace(namespace).into_paginator().send();
    let mut targets = Vec::new();
    while let Some(page) = pages.next().await {
        targets.extend(page.unwrap().scalable_targets().to_vec());
    }
    let mut services = Vec::new();
    for process in ["web", "worker", "clock"] {
        let name = format!("{cluster}-{process}");
        let described = ecs.describe_services().cluster(cluster).services(&name).send().await.unwrap();
        let bounds = targets
            .iter()
            .find(|target| target.resource_id() == format!("service/{cluster}/{name}"))
            .map(|target| (target.min_capacity(), target.max_capacity()));
        services.push((process.to_owned(), described.services()[0].desired_count(), bounds));
    }
    // Every page of rules: the emulator answers two a page, as AWS may.
    let events = aws_sdk_eventbridge::Client::new(&account.config);
    let mut enabled = Vec::new();
    let mut token = None;
    loop {
        let page = events.list_rules().set_next_token(token).send().await.unwrap();
        let states =
            page.rules().iter().map(|rule| rule.state() == Some(&aws_sdk_eventbridge::types::RuleState::Enabled));
        enabled.extend(states);
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    (services, enabled)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn stop_pauses_the_environment_and_the_next_deploy_restores_it() {
    let account = TestAccount::new("stop_pauses_the_environment_and_the_next_deploy_restores_it").await;
    deploy(&account, &[]).await.expect_code(0);
    let (deployed, schedules) = environment_state(&account).await;
    assert!(!schedules.is_empty() && schedules.iter().all(|enabled| *enabled), "{schedules:?}");

    let report = maestro_in(&account, "stop", "json", &[]).await.expect_code(0).json();
    let (services, schedules) = environment_state(&account).await;
    assert_eq!(
        services,
        [("web".to_owned(), 0, Some((0, 0))), ("worker".to_owned(), 0, Some((0, 0))), ("clock".to_owned(), 0, None)],
        "every service at zero tasks, the autoscaler unable to bring them back"
    );
    assert!(schedules.iter().all(|enabled| !enabled), "every schedule paused: {schedules:?}");
    // Each change made once, and nothing deleted: the writes are exactly these.
    let writes: std::collections::BTreeMap<&str, u64> = report["aws_calls"]["by_operation"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(operation, _)| {
            ["Register", "Update", "Disable", "Delete", "Put", "Create"].iter().any(|verb| operation.contains(verb))
        })
        .map(|(operation, count)| (operation.as_str(), count.as_u64().unwrap()))
        .collect();
    let expected = [
        ("Application Auto Scaling.RegisterScalableTarget", 2),
        ("ECS.UpdateService", 3),
        ("EventBridge.DisableRule", schedules.len() as u64),
    ];
    assert_eq!(writes, expected.into_iter().collect(), "{}", report["aws_calls"]);
    assert_eq!(report["actions"].as_array().unwrap().len(), 5 + schedules.len());

    let again = maestro_in(&account, "stop", "human", &[]).await;
    assert!(again.expect_code(0).stdout.starts_with("nothing to stop"), "{}", again.stdout);

    // The next deploy brings back the counts, the autoscaler's bounds and the schedules; web and
    // worker are raised to their minimum by the update, so their tasks coming back are followed.
    let report = deploy(&account, &[]).await.expect_code(0).json();
    let states = service_states(&report);
    assert_eq!(states, [("web", "scaled from 0"), ("worker", "scaled from 0"), ("clock", "scaled from 0")]);
    let (services, schedules) = environment_state(&account).await;
    for ((process, count, bounds), (_, deployed_count, deployed_bounds)) in services.iter().zip(&deployed) {
        assert_eq!(bounds, deployed_bounds, "{process}");
        match bounds {
            Some((min, _)) => assert_eq!(count, min, "{process}"),
            None => assert_eq!(count, deployed_count, "{process}"),
        }
    }
    assert!(schedules.iter().all(|enabled| *enabled), "{schedules:?}");
}
