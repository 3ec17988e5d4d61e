//! GitHub: the paused deploy's deployment, commit status and check run; the finish-only run's lookup.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{RUN, SHA, TEST_URL, TOKEN, answer, awaiting, context, finished, routes};
use crate::reporters::Reporter;
use crate::reporters::github::Github;
use crate::reporters::http::Http;
use maestro_core::ci::Ci;
use maestro_core::report::Event;
use maestro_core::secret::Secret;

fn github(server: &MockServer, resolving: bool) -> Github {
    let mut github = Github::new(&server.uri(), Secret::new(TOKEN), context(Ci::Github), "4242-k".into());
    github.resolving = resolving;
    github
}

/// Each call: method, path with its query, and JSON body; GitHub's headers checked on each.
async fn github_calls(server: &MockServer) -> Vec<(String, String, Value)> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| {
            let header =
                |name: &str| request.headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
            assert_eq!(header("authorization"), Some(format!("Bearer {TOKEN}")), "{}", request.url);
            assert_eq!(header("accept").as_deref(), Some("application/vnd.github+json"));
            assert_eq!(header("x-github-api-version").as_deref(), Some("2022-11-28"));
            let route = match request.url.query() {
                Some(query) => format!("{}?{query}", request.url.path()),
                None => request.url.path().to_owned(),
            };
            (request.method.to_string(), route, serde_json::from_slice(&request.body).unwrap_or(Value::Null))
        })
        .collect()
}

/// GitHub accepting statuses and check runs, and creating deployment `created`.
async fn github_server(created: u64) -> MockServer {
    let server = MockServer::start().await;
    answer(&server, "POST", "/repos/acme/shop-api/deployments", 201, json!({"id": created})).await;
    for id in [77, created] {
        answer(&server, "POST", &format!("/repos/acme/shop-api/deployments/{id}/statuses"), 201, json!({})).await;
    }
    answer(&server, "POST", &format!("/repos/acme/shop-api/statuses/{SHA}"), 201, json!({})).await;
    answer(&server, "POST", "/repos/acme/shop-api/check-runs", 201, json!({})).await;
    server
}

const LOOKUP: &str =
    "/repos/acme/shop-api/deployments?sha=a1b2c3d4e5f60718293a4b5c6d7e8f9012345678&environment=staging&per_page=1";

async fn listing(server: &MockServer, status: u16, body: Value) {
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop-api/deployments"))
        .and(query_param("sha", SHA))
        .and(query_param("environment", "staging"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_paused_deploy_is_in_progress_with_the_test_url_and_its_check_asks_for_action() {
    let server = github_server(77).await;
    let mut github = github(&server, false);
    let http = Http::new(2).unwrap();
    github.on(&Event::Started, &http).await.unwrap();
    github.on(&Event::AwaitingApproval(awaiting()), &http).await.unwrap();
    let calls = github_calls(&server).await;
    assert_eq!(
        routes(&calls),
        [
            "POST /repos/acme/shop-api/deployments",
            "POST /repos/acme/shop-api/deployments/77/statuses",
            &format!("POST /repos/acme/shop-api/statuses/{SHA}"),
            "POST /repos/acme/shop-api/deployments/77/statuses",
            &format!("POST /repos/acme/shop-api/statuses/{SHA}"),
            "POST /repos/acme/shop-api/check-runs",
        ]
    );
    const TITLE: &str = "Awaiting approval to deploy a1b2c3d4 to staging: web paused before production traffic";
    assert_eq!(
        calls[3].2,
        json!({
            "state": "in_progress",
            "description": TITLE,
            "auto_inactive": false,
            "log_url": RUN,
            "environment_url": TEST_URL,
        })
    );
    assert_eq!(
        calls[4].2,
        json!({"state": "pending", "context": "maestro/staging", "description": TITLE, "target_url": TEST_URL})
    );
    let check = &calls[5].2;
    assert_eq!(
        (check["status"].as_str(), check["conclusion"].as_str(), check["details_url"].as_str()),
        (Some("completed"), Some("action_required"), Some(RUN))
    );
    assert_eq!(check["output"]["title"], TITLE);
    insta::assert_snapshot!("check_run_awaiting_approval", check["output"]["summary"].as_str().unwrap());
}

#[tokio::test]
async fn a_finish_only_run_finds_deployment_77_through_the_lookup_and_finishes_it() {
    let server = github_server(99).await;
    listing(&server, 200, json!([{"id": 77, "environment": "staging"}])).await;
    let mut github = github(&server, true);
    let http = Http::new(2).unwrap();
    github.on(&Event::Finished(finished(true)), &http).await.unwrap();
    let calls = github_calls(&server).await;
    assert_eq!(
        routes(&calls),
        [
            format!("GET {LOOKUP}"),
            "POST /repos/acme/shop-api/deployments/77/statuses".to_owned(),
            format!("POST /repos/acme/shop-api/statuses/{SHA}"),
            "POST /repos/acme/shop-api/check-runs".to_owned(),
        ],
        "no deployment created: the earlier run's is finished"
    );
    assert_eq!(
        calls[1].2,
        json!({
            "state": "success",
            "description": "Deployed a1b2c3d4 to staging",
            "log_url": RUN,
            "environment_url": "https://staging.shop.example.com",
        })
    );
    assert_eq!(calls[2].2["state"], "success");
}

#[tokio::test]
async fn an_abort_in_a_later_run_fails_the_earlier_deployment() {
    let server = github_server(99).await;
    listing(&server, 200, json!([{"id": 77}])).await;
    let mut github = github(&server, true);
    let http = Http::new(2).unwrap();
    github.on(&Event::Finished(finished(false)), &http).await.unwrap();
    let calls = github_calls(&server).await;
    assert_eq!(calls[1].1, "/repos/acme/shop-api/deployments/77/statuses");
    assert_eq!(
        calls[1].2,
        json!({
            "state": "failure",
            "description": "Deploy to staging failed: rolled back by maestro abort: web back on the revision it ran before",
            "log_url": RUN,
        })
    );
    assert_eq!((calls[2].2["state"].as_str(), calls[3].2["conclusion"].as_str()), (Some("failure"), Some("failure")));
}

#[tokio::test]
async fn a_finish_only_run_creates_a_deployment_only_when_the_commit_has_none() {
    let server = github_server(80).await;
    listing(&server, 200, json!([])).await;
    let mut github = github(&server, true);
    let http = Http::new(2).unwrap();
    github.on(&Event::Finished(finished(true)), &http).await.unwrap();
    let calls = github_calls(&server).await;
    assert_eq!(
        routes(&calls),
        [
            format!("GET {LOOKUP}"),
            "POST /repos/acme/shop-api/deployments".to_owned(),
            "POST /repos/acme/shop-api/deployments/80/statuses".to_owned(),
            format!("POST /repos/acme/shop-api/statuses/{SHA}"),
            "POST /repos/acme/shop-api/check-runs".to_owned(),
        ]
    );
    assert_eq!(calls[1].2["payload"], json!({"maestro_run": "4242-k"}));
}

#[tokio::test]
async fn a_failed_lookup_never_becomes_a_second_deployment() {
    let server = github_server(99).await;
    listing(&server, 404, json!({"message": "Not Found"})).await;
    let mut github = github(&server, true);
    let http = Http::new(2).unwrap();
    let problem = github.on(&Event::Finished(finished(true)), &http).await.unwrap_err();
    assert_eq!(problem, "find the deployment to finish: GitHub answered 404 Not Found: Not Found");
    let calls = github_calls(&server).await;
    assert_eq!(
        routes(&calls),
        [
            format!("GET {LOOKUP}"),
            format!("POST /repos/acme/shop-api/statuses/{SHA}"),
            "POST /repos/acme/shop-api/check-runs".to_owned(),
        ],
        "the commit status and check run still say how it ended"
    );
}
