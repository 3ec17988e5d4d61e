//! A CI's OIDC side: a token with chosen claims, and GitHub's token endpoint on loopback.

use base64::Engine;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The bearer token the runner gives the job to ask for an OIDC token (a canary value).
pub const REQUEST_TOKEN: &str = "request-token-canary-5f1e";

/// A GitHub Actions OIDC token with subject `sub` (not signed: the emulator's STS checks none).
pub fn jwt(sub: &str) -> String {
    let encode = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    let payload = format!(
        r#"{{"iss":"https://token.actions.githubusercontent.com","aud":"sts.amazonaws.com","sub":"{sub}","repository":"acme/shop-api","run_id":"9876","exp":4102444800}}"#
    );
    format!("{}.{}.c2lnbmF0dXJlLWNhbmFyeQ", encode(r#"{"alg":"RS256","typ":"JWT"}"#), encode(&payload))
}

/// GitHub's token endpoint: checks the bearer token and the audience, hands out `token`.
pub async fn token_endpoint(token: &str, expected_calls: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/token"))
        .and(query_param("api-version", "2.0"))
        .and(query_param("audience", "sts.amazonaws.com"))
        .and(header("authorization", format!("Bearer {REQUEST_TOKEN}").as_str()))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"count": 1, "value": token})))
        .expect(expected_calls)
        .mount(&server)
        .await;
    server
}
