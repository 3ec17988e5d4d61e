//! A deploy paused for approval, and the later run that ends it, against loopback code hosts:
//! each request's method, path, query and body checked. The paused deploy's GitHub deployment
//! stays in progress with the test URL, its commit status pending and its check run asking for
//! action; a finish-only run (`maestro continue`, `maestro abort`) finds deployment 77 through
//! the lookup and finishes it, creating one only when the commit has none and never after a
//! failed lookup; GitLab's companion approval status; no New Relic marker; the webhook, the step
//! outputs, the dotenv report and the job summary; and no workflow command from a service name or
//! URL in the line the log prints.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::Reporter;
use super::ci_files::CiFiles;
use super::github::Github;
use super::gitlab::Gitlab;
use super::http::Http;
use super::new_relic::NewRelic;
use super::webhook::Webhook;
use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;
use maestro_core::report::new_relic::Target;
use maestro_core::report::{Context, Ending, Event, Finished};
use maestro_core::request::{DeployRequest, Need};
use maestro_core::rollout::{AwaitingApproval, Paused, ServiceOutcome, ServiceState, TimeoutAction};
use maestro_core::secret::Secret;
use maestro_test_support::Scratch;
use maestro_test_support::runner::Runner;

const SHA: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const RUN: &str = "https://github.com/acme/shop-api/actions/runs/4242";
const TEST_URL: &str = "https://staging.shop.example.com:8443";
const TOKEN: &str = "canary-token-0123";

fn context(ci: Ci) -> Context {
    let mut env = Env::default();
    env.set(var::MAESTRO_REPO_OVERRIDE, "acme/shop-api", Origin::Process);
    env.set(var::MAESTRO_BRANCH_OVERRIDE, "staging", Origin::Process);
    env.set(var::MAESTRO_COMMIT_OVERRIDE, SHA, Origin::Process);
    env.set(var::AWS_REGION, "us-east-1", Origin::Process);
    env.set(var::AWS_ACCOUNT_ID, "123456789012", Origin::Process);
    let mut request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    (request.ci, request.run_url) = (ci, Some(RUN.to_owned()));
    Context { request, environment: "staging".into(), cluster: "acme-shop-api-staging".into(), preview: None }
}

fn paused(process: &str) -> Paused {
    Paused {
        process: process.into(),
        service: format!("acme-shop-api-staging-{process}"),
        stage: "PRE_PRODUCTION_TRAFFIC_SHIFT".into(),
        service_deployment_arn: format!(
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/acme-shop-api-staging/acme-shop-api-staging-{process}/Xy1"
        ),
        expires_at: Some("2026-12-03T05:00:00Z".into()),
        timeout_action: TimeoutAction::Rollback,
    }
}

fn awaiting() -> AwaitingApproval {
    AwaitingApproval { services: vec![paused("web")], test_url: Some(TEST_URL.into()) }
}

/// `maestro continue`'s end (succeeded) or `maestro abort`'s (failed, rolled back).
fn finished(succeeded: bool) -> Finished {
    let service = ServiceOutcome {
        process: "web".into(),
        service: "acme-shop-api-staging-web".into(),
        task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-web:8".into(),
        image: String::new(),
        state: if succeeded { ServiceState::Deployed } else { ServiceState::RolledBack },
        reason: None,
        seconds: 30,
        url: None,
    };
    if !succeeded {
        return maestro_core::abort::finished(vec![service], 31);
    }
    let url = Some("https://staging.shop.example.com".to_owned());
    Finished::of(vec![service], Ending { url, seconds: 31, ..Ending::default() })
}

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

fn routes(calls: &[(String, String, Value)]) -> Vec<String> {
    calls.iter().map(|(verb, route, _)| format!("{verb} {route}")).collect()
}

async fn answer(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
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

fn gitlab(server: &MockServer, resolving: bool) -> Gitlab {
    Gitlab {
        api: format!("{}/api/v4", server.uri()),
        project: "7".into(),
        pipeline_id: Some("991".into()),
        token: Secret::new(TOKEN),
        context: context(Ci::Gitlab),
        resolving,
    }
}

async fn gitlab_calls(server: &MockServer) -> Vec<(String, String, Value)> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| {
            let token = request.headers.get("private-token").and_then(|value| value.to_str().ok());
            assert_eq!(token, Some(TOKEN));
            let route = match request.url.query() {
                Some(query) => format!("{}?{query}", request.url.path()),
                None => request.url.path().to_owned(),
            };
            (request.method.to_string(), route, serde_json::from_slice(&request.body).unwrap_or(Value::Null))
        })
        .collect()
}

#[tokio::test]
async fn gitlab_says_awaiting_approval_beside_the_running_status_and_the_finishing_run_resolves_it() {
    let server = MockServer::start().await;
    answer(&server, "POST", &format!("/api/v4/projects/7/statuses/{SHA}"), 201, json!({})).await;
    let listed = json!([{"name": "maestro/staging/approval", "status": "pending"}]);
    answer(&server, "GET", &format!("/api/v4/projects/7/repository/commits/{SHA}/statuses"), 200, listed).await;
    let http = Http::new(2).unwrap();
    gitlab(&server, false).on(&Event::AwaitingApproval(awaiting()), &http).await.unwrap();
    gitlab(&server, true).on(&Event::Finished(finished(true)), &http).await.unwrap();
    let calls = gitlab_calls(&server).await;
    let status = format!("POST /api/v4/projects/7/statuses/{SHA}");
    assert_eq!(
        routes(&calls),
        [
            status.clone(),
            status.clone(),
            format!("GET /api/v4/projects/7/repository/commits/{SHA}/statuses?name=maestro%2Fstaging%2Fapproval"),
            status,
        ]
    );
    assert_eq!(
        calls[0].2,
        json!({
            "state": "pending",
            "name": "maestro/staging/approval",
            "description": awaiting().line(),
            "ref": "staging",
            "target_url": TEST_URL,
            "pipeline_id": 991,
        })
    );
    assert_eq!((calls[1].2["name"].as_str(), calls[1].2["state"].as_str()), (Some("maestro/staging"), Some("success")));
    assert_eq!(
        (calls[3].2["name"].as_str(), calls[3].2["state"].as_str()),
        (Some("maestro/staging/approval"), Some("success"))
    );
}

#[tokio::test]
async fn a_plain_abort_on_gitlab_adds_no_approval_status() {
    let server = MockServer::start().await;
    answer(&server, "POST", &format!("/api/v4/projects/7/statuses/{SHA}"), 201, json!({})).await;
    answer(&server, "GET", &format!("/api/v4/projects/7/repository/commits/{SHA}/statuses"), 200, json!([])).await;
    let http = Http::new(2).unwrap();
    gitlab(&server, true).on(&Event::Finished(finished(false)), &http).await.unwrap();
    let calls = gitlab_calls(&server).await;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].2["state"], "failed");
}

#[tokio::test]
async fn no_new_relic_marker_while_nothing_is_deployed_and_the_webhook_says_awaiting_approval() {
    let server = MockServer::start().await;
    answer(&server, "GET", "/hook/acme-shop-api-staging-web", 200, json!({})).await;
    let http = Http::new(2).unwrap();
    let mut new_relic = NewRelic {
        api: server.uri(),
        api_key: Secret::new("NRAK-canary"),
        target: Target::Entity("guid".into()),
        description_format: None,
        context: context(Ci::Github),
    };
    new_relic.on(&Event::AwaitingApproval(awaiting()), &http).await.unwrap();
    new_relic.on(&Event::Finished(finished(false)), &http).await.unwrap();
    assert!(server.received_requests().await.unwrap().is_empty(), "no marker: nothing was deployed");
    let mut webhook = Webhook {
        template: Secret::new(format!("{}/hook/{{{{SERVICE}}}}?s={{{{STATUS}}}}&u={{{{URL}}}}", server.uri())),
        repository_link: String::new(),
        context: context(Ci::Github),
    };
    webhook.on(&Event::AwaitingApproval(awaiting()), &http).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let called: Vec<String> = requests
        .iter()
        .map(|request| format!("{} {}?{}", request.method, request.url.path(), request.url.query().unwrap_or_default()))
        .collect();
    assert_eq!(
        called,
        ["GET /hook/acme-shop-api-staging-web?s=awaiting-approval&u=https%3A%2F%2Fstaging.shop.example.com%3A8443"]
    );
}

#[tokio::test]
async fn the_step_outputs_the_job_summary_and_the_dotenv_report() {
    let scratch = Scratch::new();
    let mut env = Env::default();
    env.set(var::GITHUB_ACTIONS, "true", Origin::Process);
    env.set(var::GITHUB_OUTPUT, scratch.file("output"), Origin::Process);
    env.set(var::GITHUB_STEP_SUMMARY, scratch.file("summary.md"), Origin::Process);
    let http = Http::new(2).unwrap();
    let dotenv_file = scratch.file("maestro.env");
    let mut on_github = CiFiles { env, context: context(Ci::Github), dotenv_file: dotenv_file.clone() };
    on_github.on(&Event::AwaitingApproval(awaiting()), &http).await.unwrap();
    assert_eq!(scratch.read("output").unwrap(), format!("status=awaiting-approval\ntest-url={TEST_URL}\n"));
    insta::assert_snapshot!("job_summary_awaiting_approval", scratch.read("summary.md").unwrap());
    let mut on_gitlab = CiFiles { env: Env::default(), context: context(Ci::Gitlab), dotenv_file };
    on_gitlab.on(&Event::AwaitingApproval(awaiting()), &http).await.unwrap();
    assert_eq!(
        scratch.read("maestro.env").unwrap(),
        format!("MAESTRO_STATUS=awaiting-approval\nMAESTRO_TEST_URL={TEST_URL}\n"),
        "no MAESTRO_ENVIRONMENT_URL: the test URL is not the environment's"
    );
}

#[test]
fn no_workflow_command_from_a_service_name_or_url_in_the_log_line() {
    let mut hostile = awaiting();
    hostile.services[0].process = "web\n::error::spoofed".into();
    hostile.services[0].stage = "::add-mask::x".into();
    hostile.test_url =
        Some("https://t.example.com/\r\n::set-output name=status::success ##[set-output name=a;]b".into());
    let line = hostile.line();
    let runner = Runner::read(&line);
    assert!(runner.executed.is_empty(), "{:?}", runner.executed);
    assert_eq!(runner.log.len(), 1, "one line: {line}");
    // The line as the log prints it, beside the services' own names (which ECS limits to letters,
    // digits, `-` and `_`).
    let runner = Runner::read(&awaiting().line());
    assert!(runner.executed.is_empty());
    assert_eq!(runner.log, [awaiting().line()]);
}
