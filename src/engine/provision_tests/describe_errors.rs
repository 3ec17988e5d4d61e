//! AWS refusing a read: the deploy stops with AWS's code and a hint, and no create follows.
//! moto cannot throttle or deny, so these errors are scripted: a loopback server answers every
//! call with the error AWS sends.

use wiremock::matchers::{header_regex, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{example_from, reconcile};
use crate::error::Failure;
use maestro_test_support::{EXAMPLE_APP, repository_root, scripted};

/// The failure of a reconcile whose every call gets the error `code`, with proof (the server's
/// `expect(0)`) that no create, register, put or tag call followed it.
async fn describe_error_never_leads_to_a_create(code: &str) -> Failure {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header_regex("x-amz-target", r"\.(Create|Register|Put|Tag)"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .with_priority(1)
        .mount(&server)
        .await;
    let body = serde_json::json!({"__type": code, "message": format!("{code} from the scripted server")});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let desired = example_from(&repository_root().join(EXAMPLE_APP), &[]);
    let Err(failure) = reconcile(&scripted(&server.uri()).await, &desired).await else {
        panic!("the reconcile went on after {code}");
    };
    assert!(failure.message.contains(code), "{}", failure.render());
    assert!(["describe", "list", "read"].iter().any(|verb| failure.message.starts_with(verb)), "{}", failure.message);
    failure
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_on_describe_fails_without_creating() {
    let failure = describe_error_never_leads_to_a_create("ThrottlingException").await;
    insta::assert_snapshot!(failure.render());
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_describe_fails_without_creating() {
    let failure = describe_error_never_leads_to_a_create("AccessDeniedException").await;
    insta::assert_snapshot!(failure.render());
}
