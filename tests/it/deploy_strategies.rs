//! ECS's own deployment strategies (issue 20): a canary shifts web's traffic in the modelled
//! stages and completes, or rolls back when its new tasks fail; a blue-green deploy with an
//! approval stage pauses, is reported as awaiting approval with the test URL, and is resolved by
//! `maestro continue` or `maestro abort`, each reported on the deployment the paused run created.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::deploy_cli::maestro_in;
use maestro_test_support::{TestAccount, plan_rollout, service_deployment_trace};

const NEXT: &str = "9e8d7c6b5a4f3e2d1c0b";
const THIRD: &str = "7a6b5c4d3e2f1a0b9c8d";
const FOURTH: &str = "6f5e4d3c2b1a09f8e7d6";

/// Web's current service deployment and the task definition it runs.
async fn web_now(account: &TestAccount, cluster: &str, web: &str) -> (String, String) {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let described = ecs.describe_services().cluster(cluster).services(web).send().await.unwrap();
    let service = &described.services()[0];
    (
        service.current_service_deployment().unwrap_or_default().to_owned(),
        service.task_definition().unwrap_or_default().to_owned(),
    )
}

/// Each production step's share for the new revision, from the trace's `[primary, alternate]`
/// weights (either group may hold the new revision).
fn new_shares(trace: &Value) -> Vec<i64> {
    let weights: Vec<[i64; 2]> = serde_json::from_value(trace["weights"].clone()).unwrap();
    let Some(first) = weights.first() else { return Vec::new() };
    // The group with all traffic at first is the old revision's.
    let old = usize::from(first[0] == 0);
    weights.iter().map(|pair| pair[1 - old] * 100 / (pair[0] + pair[1]).max(1)).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_canary_shifts_web_in_its_stages_and_a_failing_one_rolls_back() {
    let account = TestAccount::new("a_canary_shifts_web_in_its_stages").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "canary");
    let (cluster, web) = ("acme-shop-api-canary", "acme-shop-api-canary-web");
    let strategy = ("MAESTRO_DEPLOY_STRATEGY", "canary:10%,canary-bake=2m,bake=1m");
    let fast = ("MAESTRO_POLL_INTERVAL", "0.1");

    // The plan says the strategy and the least time it takes.
    let planned = maestro_in(&account, "plan", "human", &[branch, strategy]).await;
    let planned = planned.expect_code(0);
    assert!(
        planned.stdout.contains(
            "deploys canary: 10% of traffic for 2m, then the rest, bake 1m (at least 3m once the new tasks are healthy)"
        ),
        "{}",
        planned.stdout
    );

    maestro_in(&account, "deploy", "json", &[branch, strategy, fast]).await.expect_code(0);
    // Nothing changed: nothing written, the ECS-moved weights left alone.
    let again = maestro_in(&account, "deploy", "json", &[branch, strategy, fast]).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{again}");

    let next = [branch, strategy, fast, ("MAESTRO_COMMIT_OVERRIDE", NEXT)];
    let deployed = maestro_in(&account, "deploy", "json", &next).await;
    let deployed = deployed.expect_code(0);
    assert!(
        deployed.stderr.contains(&format!("{web}: new tasks running, ECS at PRODUCTION_TRAFFIC_SHIFT")),
        "{}",
        deployed.stderr
    );
    let report = deployed.json();
    let outcome = report["services"].as_array().unwrap().iter().find(|service| service["service"] == web).unwrap();
    assert_eq!(outcome["state"], "deployed", "{report}");
    let (arn, _) = web_now(&account, cluster, web).await;
    let trace = service_deployment_trace(&arn).await;
    let stages: Vec<&str> = trace["stages"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    let shifts = stages.iter().filter(|stage| **stage == "PRODUCTION_TRAFFIC_SHIFT").count();
    assert_eq!(shifts, 2, "the canary step, then the rest: {stages:?}");
    for stage in ["SCALE_UP", "TEST_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"] {
        assert!(stages.contains(&stage), "{stage} in {stages:?}");
    }
    assert_eq!(new_shares(&trace), [0, 10, 100], "{trace}");

    // Stopping at a stage: the wait ends there, ECS goes on.
    let early = [branch, strategy, fast, ("MAESTRO_COMMIT_OVERRIDE", FOURTH), ("MAESTRO_WAIT_UNTIL", "bake-time")];
    let stopped = maestro_in(&account, "deploy", "json", &early).await;
    let stopped = stopped.expect_code(0).json();
    let outcome = stopped["services"].as_array().unwrap().iter().find(|service| service["service"] == web).unwrap();
    assert_eq!(outcome["state"], "stage reached", "{stopped}");
    assert!(outcome["reason"].as_str().unwrap().starts_with("reached BAKE_TIME"), "{stopped}");

    // New tasks that fail: ECS rolls back before production traffic moves; the deploy fails
    // with ECS's reason and web keeps its revision.
    let (_, before) = web_now(&account, cluster, web).await;
    plan_rollout(web, "FAILED").await;
    let failing = [branch, strategy, fast, ("MAESTRO_COMMIT_OVERRIDE", THIRD)];
    let failed = maestro_in(&account, "deploy", "json", &failing).await;
    let failed = failed.expect_code(1);
    assert!(failed.stderr.contains("failed at SCALE_UP"), "{}", failed.stderr);
    let (arn, after) = web_now(&account, cluster, web).await;
    assert_eq!(after, before, "web is back on the revision it ran");
    let trace = service_deployment_trace(&arn).await;
    assert!(new_shares(&trace).iter().all(|share| *share == 0), "no production traffic moved: {trace}");
}

/// GitHub for the approval's runs: the deploy creates deployment 77; the runs that resolve it
/// find it by the commit (`abort::github`).
async fn github() -> MockServer {
    let server = crate::abort::github().await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop-api/deployments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 77})))
        .mount(&server)
        .await;
    server
}

/// The deployment statuses GitHub received since `from`: state, description, environment URL.
async fn deployment_statuses(server: &MockServer, from: usize) -> Vec<Value> {
    let requests = server.received_requests().await.unwrap();
    requests[from..]
        .iter()
        .filter(|request| request.url.path() == "/repos/acme/shop-api/deployments/77/statuses")
        .map(|request| serde_json::from_slice(&request.body).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_blue_green_deploy_awaits_approval_then_continues_or_aborts() {
    let account = TestAccount::new("a_blue_green_deploy_awaits_approval").await;
    let server = github().await;
    let api = server.uri();
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "approval");
    let (cluster, web) = ("acme-shop-api-approval", "acme-shop-api-approval-web");
    let strategy = ("MAESTRO_DEPLOY_STRATEGY", "blue-green:bake=1m");
    let fast = ("MAESTRO_POLL_INTERVAL", "0.1");
    let reporting =
        [("GITHUB_TOKEN", "approval-canary-token"), ("GITHUB_API_URL", api.as_str()), ("MAESTRO_REPORT_TIMEOUT", "2")];
    let with = |extra: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
        [&[branch, strategy, fast][..], &reporting, extra].concat()
    };
    maestro_in(&account, "deploy", "json", &with(&[])).await.expect_code(0);
    let (_, first) = web_now(&account, cluster, web).await;

    // The next commit pauses before production traffic: exit 0, awaiting approval, the test URL.
    let approval = ("MAESTRO_APPROVAL", "pre-production-traffic");
    let seen = server.received_requests().await.unwrap().len();
    let paused = maestro_in(&account, "deploy", "json", &with(&[approval, ("MAESTRO_COMMIT_OVERRIDE", NEXT)])).await;
    let paused = paused.expect_code(0);
    assert!(paused.stderr.contains("awaiting approval: web paused"), "{}", paused.stderr);
    let report = paused.json();
    let waiting = &report["awaiting_approval"];
    assert_eq!(waiting["services"][0]["stage"], "PRE_PRODUCTION_TRAFFIC_SHIFT", "{report}");
    let test_url = waiting["test_url"].as_str().expect("a test URL");
    assert!(test_url.starts_with("http://") && test_url.ends_with(":8080"), "{test_url}");
    let statuses = deployment_statuses(&server, seen).await;
    let last = statuses.last().expect("the deployment's statuses");
    assert_eq!(last["state"], "in_progress", "{last}");
    assert_eq!(last["environment_url"], test_url, "{last}");
    assert!(last["description"].as_str().unwrap().starts_with("Awaiting approval"), "{last}");
    let (_, during) = web_now(&account, cluster, web).await;
    assert_ne!(during, first, "the service runs the new revision beside the old one");

    // `maestro continue` moves production traffic and completes, reported on deployment 77.
    let seen = server.received_requests().await.unwrap().len();
    let continued =
        maestro_in(&account, "continue", "json", &with(&[approval, ("MAESTRO_COMMIT_OVERRIDE", NEXT)])).await;
    let continued = continued.expect_code(0).json();
    assert_eq!(continued["services"][0]["state"], "deployed", "{continued}");
    assert_eq!(continued["aws_calls"]["by_operation"]["ECS.ContinueServiceDeployment"], 1, "{continued}");
    let statuses = deployment_statuses(&server, seen).await;
    assert_eq!(statuses.last().unwrap()["state"], "success", "{statuses:?}");
    let (arn, _) = web_now(&account, cluster, web).await;
    let stages = service_deployment_trace(&arn).await["stages"].clone();
    assert!(stages.as_array().unwrap().iter().any(|stage| stage == "BAKE_TIME"), "{stages}");

    // Another commit pauses; `maestro abort` rolls it back through the hook, reported as a failure.
    let third = ("MAESTRO_COMMIT_OVERRIDE", THIRD);
    let (_, approved) = web_now(&account, cluster, web).await;
    maestro_in(&account, "deploy", "json", &with(&[approval, third])).await.expect_code(0);
    let seen = server.received_requests().await.unwrap().len();
    let aborted = maestro_in(&account, "abort", "json", &with(&[approval, third])).await.expect_code(0).json();
    assert_eq!(aborted["services"][0]["state"], "rolled back", "{aborted}");
    assert_eq!(aborted["aws_calls"]["by_operation"]["ECS.ContinueServiceDeployment"], 1, "{aborted}");
    assert!(aborted["aws_calls"]["by_operation"].get("ECS.StopServiceDeployment").is_none(), "{aborted}");
    let statuses = deployment_statuses(&server, seen).await;
    assert_eq!(statuses.last().unwrap()["state"], "failure", "{statuses:?}");
    let (_, after) = web_now(&account, cluster, web).await;
    assert_eq!(after, approved, "web is back on the approved revision");

    // Nothing paused: continue says so and fails.
    let idle = maestro_in(&account, "continue", "json", &with(&[approval, third])).await;
    let idle = idle.expect_code(1);
    assert!(idle.stderr.contains("no deployment is paused for approval"), "{}", idle.stderr);
}
