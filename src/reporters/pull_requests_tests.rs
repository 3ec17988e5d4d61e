//! The pull request's state against loopback code hosts, each request's method, path and headers
//! checked: a request that does not match is answered 404, which leaves the state unknown.

use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{Host, PullRequests};
use maestro_core::preview::prune::PullState;
use maestro_core::secret::Secret;

async fn answering(route: &str, name: &'static str, value: &str, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(header(name, value))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn github_says_open_or_closed_with_the_reporters_headers() {
    let server =
        answering("/repos/acme/shop/pulls/7", "authorization", "Bearer t0ken", json!({"state": "closed"})).await;
    let github = |token: &str| Host::Github {
        api: server.uri(),
        repository: "acme/shop".to_owned(),
        token: Secret::new(token.to_owned()),
    };
    assert_eq!(PullRequests::asking(github("t0ken"), 5).state(7).await, PullState::Closed);
    let refused = PullRequests::asking(github("wrong"), 5).state(7).await;
    assert_eq!(refused, PullState::Unknown { why: "GitHub answered 404 Not Found".to_owned() });
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("x-github-api-version").unwrap(), "2022-11-28");
}

#[tokio::test]
async fn gitlab_says_a_merged_merge_request_is_closed() {
    let route = "/api/v4/projects/42/merge_requests/9";
    let server = answering(route, "private-token", "glpat", json!({"iid": 9, "state": "merged"})).await;
    let gitlab = Host::Gitlab {
        api: format!("{}/api/v4", server.uri()),
        project: "42".to_owned(),
        token: Secret::new("glpat".to_owned()),
    };
    assert_eq!(PullRequests::asking(gitlab, 5).state(9).await, PullState::Closed);
}

#[tokio::test]
async fn no_token_is_an_unknown_state_with_why() {
    let unasked = PullRequests::asking(Host::Unasked("no GitHub token".to_owned()), 5);
    assert_eq!(unasked.state(1).await, PullState::Unknown { why: "no GitHub token".to_owned() });
}
