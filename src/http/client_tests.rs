//! L2: credentials never follow a redirect to another origin, and no `Referer` is sent. Two
//! loopback servers on two ports: a redirector, and a second origin that records what reaches it.

use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::client;

/// Canaries in the headers the reporters and the registry authenticate with.
const CREDENTIALS: [(&str, &str); 3] =
    [("private-token", "glpat-CANARY"), ("api-key", "NRAK-CANARY"), ("authorization", "Bearer CANARY")];

fn redirect_to(location: &str) -> ResponseTemplate {
    ResponseTemplate::new(307).insert_header("location", location)
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_with_the_credentials() {
    let (redirector, elsewhere) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .respond_with(redirect_to(&format!("{}/landing", elsewhere.uri())))
        .mount(&redirector)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).mount(&elsewhere).await;

    let mut request =
        client(Duration::from_secs(5)).unwrap().post(format!("{}/statuses/1?s=secret-path", redirector.uri()));
    for (name, value) in CREDENTIALS {
        request = request.header(name, value);
    }
    let response = request.body("{}").send().await.unwrap();
    assert_eq!(response.status(), 307, "the redirect is answered, not followed");
    let reached = elsewhere.received_requests().await.unwrap();
    assert!(reached.is_empty(), "nothing reached the other origin: {reached:?}");
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_without_a_referer() {
    let server = MockServer::start().await;
    Mock::given(path("/first")).respond_with(redirect_to(&format!("{}/second", server.uri()))).mount(&server).await;
    Mock::given(path("/second")).respond_with(ResponseTemplate::new(200)).mount(&server).await;

    let response = client(Duration::from_secs(5))
        .unwrap()
        .get(format!("{}/first?token=secret", server.uri()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let received = server.received_requests().await.unwrap();
    let second = received.iter().find(|request| request.url.path() == "/second").expect("the redirect was followed");
    assert!(!second.headers.contains_key("referer"), "no Referer: {:?}", second.headers);
}

#[tokio::test]
async fn a_redirect_loop_stops() {
    let server = MockServer::start().await;
    Mock::given(path("/loop")).respond_with(redirect_to(&format!("{}/loop", server.uri()))).mount(&server).await;
    let error = client(Duration::from_secs(5)).unwrap().get(format!("{}/loop", server.uri())).send().await.unwrap_err();
    assert!(error.is_redirect(), "{error}");
}
