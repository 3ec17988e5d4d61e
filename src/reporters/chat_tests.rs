//! The chat notifications: the three payloads as their readers get them (snapshots, for a
//! success and a failure), and the reporter against a loopback server: one POST of JSON per
//! event it cares about, the start only when asked, a refusal retried, a 5xx not re-sent.

use serde_json::Value;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::Reporter;
use super::chat::{Chat, Destination};
use super::http::Http;
use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;
use maestro_core::report::notify::Notification;
use maestro_core::report::{Context, Ending, Event, Finished};
use maestro_core::request::{DeployRequest, Need};
use maestro_core::rollout::{ServiceOutcome, ServiceState};
use maestro_core::secret::Secret;

const SHA: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

fn context() -> Context {
    let mut env = Env::default();
    env.set(var::MAESTRO_REPO_OVERRIDE, "acme/shop-api", Origin::Process);
    env.set(var::MAESTRO_BRANCH_OVERRIDE, "staging", Origin::Process);
    env.set(var::MAESTRO_COMMIT_OVERRIDE, SHA, Origin::Process);
    env.set(var::AWS_REGION, "us-east-1", Origin::Process);
    env.set(var::AWS_ACCOUNT_ID, "123456789012", Origin::Process);
    let mut request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    request.ci = Ci::Github;
    request.run_url = Some("https://github.com/acme/shop-api/actions/runs/4242".into());
    request.commit_author = Some("Mona Lisa".into());
    Context { request, environment: "staging".into(), cluster: "acme-shop-api-staging".into(), preview: None }
}

fn finished(succeeded: bool) -> Finished {
    let service = |process: &str, state: ServiceState, reason: Option<&str>| ServiceOutcome {
        process: process.into(),
        service: format!("acme-shop-api-staging-{process}"),
        task_definition: format!(
            "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-{process}:8"
        ),
        image: String::new(),
        state,
        reason: reason.map(str::to_owned),
        seconds: 61,
        url: None,
    };
    let worker = match succeeded {
        true => service("worker", ServiceState::Deployed, None),
        false => {
            service("worker", ServiceState::Failed, Some("rolled back by the circuit breaker: tasks failed to start"))
        }
    };
    let failure = (!succeeded).then(|| "1 of 2 services did not roll out".to_owned());
    let url = Some("https://staging.shop.example.com".to_owned());
    let ending = Ending { failure, url, seconds: 95, changes: 3, ..Ending::default() };
    Finished::of(vec![service("web", ServiceState::Deployed, None), worker], ending)
}

fn pretty(destination: Destination, event: &Event) -> String {
    let notification = Notification::of(&context(), event).unwrap();
    serde_json::to_string_pretty(&destination.body(&notification).unwrap()).unwrap()
}

#[test]
fn the_payloads_as_their_readers_get_them() {
    for (name, destination) in
        [("slack", Destination::Slack), ("teams", Destination::Teams), ("generic", Destination::Generic)]
    {
        for (outcome, succeeded) in [("success", true), ("failure", false)] {
            let body = pretty(destination, &Event::Finished(finished(succeeded)));
            insta::assert_snapshot!(format!("notify_{name}_{outcome}"), body);
        }
    }
}

fn chat(server: &MockServer, destination: Destination, on_start: bool) -> Chat {
    let url = Secret::new(format!("{}/hook/T000/B000/CANARY-path", server.uri()));
    Chat { destination, url, on_start, context: context() }
}

#[tokio::test]
async fn one_post_of_json_when_it_ends_and_at_the_start_only_when_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/hook/T000/B000/CANARY-path"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    let http = Http::new(2).unwrap();
    let mut quiet = chat(&server, Destination::Generic, false);
    for event in [Event::Started, Event::Released, Event::Finished(finished(true))] {
        quiet.on(&event, &http).await.unwrap();
    }
    let bodies = |requests: Vec<wiremock::Request>| -> Vec<Value> {
        requests.iter().map(|request| serde_json::from_slice(&request.body).unwrap()).collect()
    };
    let sent = bodies(server.received_requests().await.unwrap());
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!((sent[0]["event"].as_str(), sent[0]["outcome"].as_str()), (Some("ended"), Some("success")));
    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(202)).mount(&server).await;
    let mut eager = chat(&server, Destination::Teams, true);
    for event in [Event::Started, Event::Finished(finished(false))] {
        eager.on(&event, &http).await.unwrap();
    }
    let sent = bodies(server.received_requests().await.unwrap());
    let headlines: Vec<&str> =
        sent.iter().map(|body| body["attachments"][0]["content"]["body"][0]["text"].as_str().unwrap()).collect();
    assert_eq!(headlines, ["🚀 Deploying acme/shop-api to staging", "❌ acme/shop-api failed to deploy to staging"]);
}

#[tokio::test]
async fn a_refusal_is_retried_a_5xx_is_not_and_the_warning_never_shows_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let http = Http::new(2).unwrap();
    chat(&server, Destination::Slack, false).on(&Event::Finished(finished(true)), &http).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the rate limit was honoured, then posted");
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_string("no_service"))
        .mount(&server)
        .await;
    let problem =
        chat(&server, Destination::Slack, false).on(&Event::Finished(finished(true)), &http).await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a message is not posted twice");
    assert!(problem.contains("500") && problem.contains("no_service"), "{problem}");
    assert!(!problem.contains("CANARY") && !problem.contains("/hook"), "{problem}");
    drop(server);
    let problem = chat_at("http://127.0.0.1:9/hook/CANARY-path").on(&Event::Finished(finished(true)), &http).await;
    let problem = problem.unwrap_err();
    assert!(!problem.contains("CANARY") && problem.starts_with("post the notification: "), "{problem}");
}

fn chat_at(url: &str) -> Chat {
    Chat { destination: Destination::Generic, url: Secret::new(url), on_start: false, context: context() }
}
