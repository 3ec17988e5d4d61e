//! The preview comment's exchanges with GitHub when things go wrong, against a loopback server:
//! a comment deleted by someone is created again, a lost create answer is looked up (never posted
//! twice), a token without the permission costs one warning and no further call, and a removed
//! preview without a comment gets none.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::super::Github;
use crate::reporters::http::Http;
use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;
use maestro_core::report::Context;
use maestro_core::report::preview_comment::{ReportedPreview, State};
use maestro_core::request::{DeployRequest, Need};
use maestro_core::secret::Secret;

const COMMENTS: &str = "/repos/acme/shop-api/issues/5/comments";
const MARKER: &str = "<!-- maestro:preview acme-shop-api-pr-5 -->";

fn reporter(server: &MockServer) -> Github {
    let mut env = Env::default();
    env.set(var::MAESTRO_REPO_OVERRIDE, "acme/shop-api", Origin::Process);
    env.set(var::MAESTRO_BRANCH_OVERRIDE, "pr-5", Origin::Process);
    env.set(var::MAESTRO_COMMIT_OVERRIDE, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", Origin::Process);
    env.set(var::AWS_REGION, "us-east-1", Origin::Process);
    env.set(var::AWS_ACCOUNT_ID, "123456789012", Origin::Process);
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    let preview = ReportedPreview {
        number: 5,
        url: Some("https://pr-5.preview.shop.example.com".into()),
        key: "acme-shop-api-pr-5".into(),
    };
    let context = Context { request, environment: "pr-5".into(), cluster: "c".into(), preview: Some(preview) };
    Github::new(&server.uri(), Secret::new("t"), context, "run".into())
}

/// Each call the server received: method and path.
async fn calls(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests.iter().map(|request| format!("{} {}", request.method, request.url.path())).collect()
}

#[tokio::test]
async fn a_comment_deleted_by_someone_is_created_again() {
    let server = MockServer::start().await;
    let listed = json!([{"id": 9, "body": format!("{MARKER}\nold"), "user": {"type": "Bot"}}]);
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(listed))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/shop-api/issues/comments/9"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(COMMENTS))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 10})))
        .mount(&server)
        .await;
    let mut github = reporter(&server);
    let http = Http::new(2).unwrap();
    github.preview_comment(&http, State::Deploying).await;
    assert_eq!(github.comment, Some(10));
    assert!(!github.comment_failed);
    assert_eq!(
        calls(&server).await,
        [
            format!("GET {COMMENTS}"),
            "PATCH /repos/acme/shop-api/issues/comments/9".to_owned(),
            format!("POST {COMMENTS}")
        ]
    );
}

#[tokio::test]
async fn a_lost_create_answer_is_looked_up_never_posted_twice() {
    let server = MockServer::start().await;
    // The first listing finds nothing; after the create, the comment is there.
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"id": 11, "body": format!("{MARKER}\nnew"), "user": {"type": "Bot"}}])),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST")).and(path(COMMENTS)).respond_with(ResponseTemplate::new(502)).mount(&server).await;
    Mock::given(method("PATCH"))
        .and(path("/repos/acme/shop-api/issues/comments/11"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 11})))
        .mount(&server)
        .await;
    let mut github = reporter(&server);
    let http = Http::new(2).unwrap();
    github.preview_comment(&http, State::Deploying).await;
    github.preview_comment(&http, State::Live).await;
    assert_eq!(
        calls(&server).await,
        [
            format!("GET {COMMENTS}"),
            format!("POST {COMMENTS}"),
            format!("GET {COMMENTS}"),
            "PATCH /repos/acme/shop-api/issues/comments/11".to_owned(),
        ]
    );
}

#[tokio::test]
async fn a_token_without_the_permission_costs_one_warning_and_no_more_calls() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"message": "Resource not accessible by integration"})),
        )
        .mount(&server)
        .await;
    let mut github = reporter(&server);
    let http = Http::new(2).unwrap();
    github.preview_comment(&http, State::Deploying).await;
    assert!(github.comment_failed);
    github.preview_comment(&http, State::Live).await;
    assert_eq!(calls(&server).await, [format!("GET {COMMENTS}")]);
}

#[tokio::test]
async fn a_removed_preview_without_a_comment_gets_none() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(COMMENTS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let mut github = reporter(&server);
    github.preview_comment(&Http::new(2).unwrap(), State::Removed).await;
    assert_eq!(calls(&server).await, [format!("GET {COMMENTS}")]);
    assert!(!github.comment_failed);
}
