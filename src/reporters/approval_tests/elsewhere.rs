//! GitLab, New Relic, the webhook, the CI's files and the runner's view of the log line.

use serde_json::{Value, json};
use wiremock::MockServer;

use super::{SHA, TEST_URL, TOKEN, answer, awaiting, context, finished, routes};
use crate::reporters::Reporter;
use crate::reporters::ci_files::CiFiles;
use crate::reporters::gitlab::Gitlab;
use crate::reporters::http::Http;
use crate::reporters::new_relic::NewRelic;
use crate::reporters::webhook::Webhook;
use maestro_core::ci::Ci;
use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;
use maestro_core::report::Event;
use maestro_core::report::new_relic::Target;
use maestro_core::secret::Secret;
use maestro_test_support::Scratch;
use maestro_test_support::runner::Runner;

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
