//! `maestro abort` (issue 20, item 5): a deploy still waiting is stopped from outside, each
//! in-flight service deployment rolled back to the revision that ran before, and reported.

use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::deploy_cli::{command_in, maestro_in};
use maestro_test_support::{TestAccount, Watched, plan_rollout};

/// GitHub, where the stopped deploy's run created deployment 77: the commit's newest to the
/// environment. The approval tests (`deploy_strategies`) share it.
pub(crate) async fn github() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop-api/deployments"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 77}])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/repos/acme/shop-api/(deployments/77/statuses|statuses/[0-9a-f]+|check-runs)$"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    server
}

/// The task definition `service` runs.
async fn running(account: &TestAccount, cluster: &str, service: &str) -> String {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let described = ecs.describe_services().cluster(cluster).services(service).send().await.unwrap();
    described.services()[0].task_definition().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn abort_rolls_back_a_deploy_in_flight_and_the_deploy_fails_with_the_reason() {
    let account = TestAccount::new("abort_rolls_back_a_deploy_in_flight").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "aborted");
    let (cluster, web) = ("acme-shop-api-aborted", "acme-shop-api-aborted-web");
    maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0);
    let previous = running(&account, cluster, web).await;
    // Nothing in flight: nothing rolled back, each service said why, nothing reported.
    let server = github().await;
    let api = server.uri();
    let reporting =
        [("GITHUB_TOKEN", "canary-abort-token"), ("GITHUB_API_URL", api.as_str()), ("MAESTRO_REPORT_TIMEOUT", "2")];
    let idle = maestro_in(&account, "abort", "json", &[&[branch][..], &reporting].concat()).await.expect_code(0).json();
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing to abort, nothing reported");
    assert_eq!(idle["aborted"], serde_json::json!([]), "{idle}");
    assert_eq!(idle["untouched"].as_array().unwrap().len(), 3, "{idle}");
    assert!(idle["untouched"][0]["why"].as_str().unwrap().contains("SUCCESSFUL"), "{idle}");

    plan_rollout(web, "STUCK").await;
    let next = [branch, ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b")];
    let mut command = command_in(&account, "deploy", "human", &next).await;
    let watched = Watched::until(&mut command, |line| line.contains(&format!("{web}:")) && line.contains(" running, "));
    assert_ne!(running(&account, cluster, web).await, previous, "the deploy moved web to its new revision");

    let aborted = maestro_in(&account, "abort", "json", &[&next[..], &reporting].concat()).await;
    let report = aborted.expect_code(0).expect_stderr(&[&format!("{web}: rolling back its deployment in progress")]);
    let report = report.json();
    let services = report["services"].as_array().unwrap();
    let web_outcome = services.iter().find(|service| service["service"] == web).expect("web was rolled back");
    assert_eq!(web_outcome["state"], "rolled back", "{report}");
    assert!(services.iter().all(|service| service["state"] == "rolled back"), "{report}");
    assert!(report["aws_calls"]["by_operation"]["ECS.StopServiceDeployment"].as_u64().unwrap() >= 1, "{report}");
    assert_eq!(running(&account, cluster, web).await, previous, "web is back on its previous revision");
    // Reported as the end of the stopped deploy, on the deployment its run created (a run that
    // resolves an earlier one: no deployment created).
    let requests = server.received_requests().await.unwrap();
    let calls: Vec<String> = requests
        .iter()
        .map(|request| format!("{} {}?{}", request.method, request.url.path(), request.url.query().unwrap_or_default()))
        .collect();
    assert_eq!(
        calls,
        [
            "GET /repos/acme/shop-api/deployments?sha=9e8d7c6b5a4f3e2d1c0b&environment=aborted&per_page=1",
            "POST /repos/acme/shop-api/deployments/77/statuses?",
            "POST /repos/acme/shop-api/statuses/9e8d7c6b5a4f3e2d1c0b?",
            "POST /repos/acme/shop-api/check-runs?",
        ]
    );
    let status: serde_json::Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(status["state"], "failure", "{status}");
    assert_eq!(
        status["description"],
        "Deploy to aborted failed: rolled back by maestro abort: web back on the revision it ran before",
        "{status}"
    );

    // The deploy that was waiting fails with ECS's reason.
    let (code, seen, rest) = watched.end();
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains(&format!("{web} failed: Service deployment rolled back by a user.")), "{seen}{rest}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_that_times_out_with_abort_on_cancel_leaves_the_service_on_its_previous_revision() {
    // Issue 20's acceptance: MAESTRO_ABORT_ON_CANCEL=true rolls the in-flight deployment back.
    let account = TestAccount::new("a_deploy_that_times_out_with_abort_on_cancel").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "abort-timeout");
    let (cluster, web) = ("acme-shop-api-abort-timeout", "acme-shop-api-abort-timeout-web");
    maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0);
    let previous = running(&account, cluster, web).await;
    plan_rollout(web, "STUCK").await;
    let next = [
        branch,
        ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b"),
        ("MAESTRO_DEPLOY_TIMEOUT", "1"),
        ("MAESTRO_POLL_INTERVAL", "0.2"),
        ("MAESTRO_ABORT_ON_CANCEL", "true"),
    ];
    let outcome = maestro_in(&account, "deploy", "json", &next).await;
    let outcome = outcome.expect_code(1).expect_stderr(&[
        "MAESTRO_ABORT_ON_CANCEL=true: rolling back the deployments still in progress",
        &format!("{web}: rolling back its deployment in progress"),
    ]);
    let report = outcome.json();
    let web_outcome = report["services"].as_array().unwrap().iter().find(|s| s["service"] == web).unwrap().clone();
    assert_eq!(web_outcome["state"], "rolled back", "{report}");
    let reason = web_outcome["reason"].as_str().unwrap();
    assert!(reason.contains("MAESTRO_DEPLOY_TIMEOUT") && reason.contains("rolled back to the revision"), "{reason}");
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.StopServiceDeployment"], 1, "{report}");
    assert_eq!(running(&account, cluster, web).await, previous, "web is back on its previous revision");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_cancelled_deploy_with_abort_on_cancel_rolls_its_deployment_back() {
    let account = TestAccount::new("a_cancelled_deploy_with_abort_on_cancel_rolls_back").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "abort-cancel");
    let (cluster, web) = ("acme-shop-api-abort-cancel", "acme-shop-api-abort-cancel-web");
    maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0);
    let previous = running(&account, cluster, web).await;
    plan_rollout(web, "STUCK").await;
    let next = [
        branch,
        ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b"),
        ("MAESTRO_POLL_INTERVAL", "0.2"),
        ("MAESTRO_ABORT_ON_CANCEL", "true"),
    ];
    let mut command = command_in(&account, "deploy", "human", &next).await;
    let watched = Watched::until(&mut command, |line| line.contains(&format!("{web}:")) && line.contains(" running, "));
    watched.cancel();
    let (code, seen, rest) = watched.end();
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains(&format!("{web}: rolling back its deployment in progress")), "{rest}");
    assert!(rest.contains("rolled back to the revision that ran before (MAESTRO_ABORT_ON_CANCEL)"), "{rest}");
    assert_eq!(running(&account, cluster, web).await, previous, "web is back on its previous revision");
}
