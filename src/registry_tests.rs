//! The OCI lookup against a real registry on loopback (Debian's docker-registry, seeded with
//! skopeo, started by `scripts/test.sh`) and a loopback server playing a registry with the
//! bearer-token flow, checking each request.

use maestro_core::build::registry_login::Login;
use maestro_core::build::repository::ImageRepository;
use maestro_core::secret::Secret;
use maestro_test_support::oci::{oci_registry, push_with_skopeo};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::Registry;

/// The OCI manifest type must be accepted (distribution hides OCI manifests from Docker-only clients).
const OCI_ACCEPT: &str = r"application/vnd\.oci\.image\.manifest\.v1\+json";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OCI registry: bash scripts/test.sh"]
async fn a_real_registry_answers_found_and_not_found() {
    let host = oci_registry();
    let repository = ImageRepository { host: host.clone(), path: "acme/lookup".into() };
    push_with_skopeo(&repository.reference("abc12345"));
    let registry = Registry::new().unwrap();
    let found = registry.image(&repository, "abc12345", None).await.unwrap().expect("the pushed tag");
    assert!(found.digest.starts_with("sha256:"), "{found:?}");
    assert_eq!(registry.image(&repository, "def67890", None).await.unwrap(), None);
    let unknown = ImageRepository { host, path: "acme/never-pushed".into() };
    assert_eq!(registry.image(&unknown, "abc12345", None).await.unwrap(), None);
}

async fn token_registry() -> (MockServer, ImageRepository) {
    let server = MockServer::start().await;
    let realm = format!("{}/token", server.uri());
    let challenge = format!(r#"Bearer realm="{realm}",service="registry.test",scope="repository:acme/shop:pull""#);
    Mock::given(method("HEAD"))
        .and(path("/v2/acme/shop/manifests/abc12345"))
        .and(header("authorization", "Bearer tok-123"))
        .and(wiremock::matchers::header_regex("accept", OCI_ACCEPT))
        .respond_with(ResponseTemplate::new(200).insert_header("docker-content-digest", "sha256:feed"))
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .and(path("/v2/acme/shop/manifests/missing1"))
        .and(header("authorization", "Bearer tok-123"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .respond_with(ResponseTemplate::new(401).insert_header("www-authenticate", challenge.as_str()))
        .with_priority(10)
        .mount(&server)
        .await;
    // The token service checks the scope, the service and the basic credentials.
    Mock::given(method("GET"))
        .and(path("/token"))
        .and(query_param("scope", "repository:acme/shop:pull"))
        .and(query_param("service", "registry.test"))
        .and(header("authorization", "Basic cm9ib3Q6czNjcjN0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"token": "tok-123"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(&server)
        .await;
    let address = server.address();
    let repository = ImageRepository { host: format!("127.0.0.1:{}", address.port()), path: "acme/shop".into() };
    (server, repository)
}

#[tokio::test]
async fn the_bearer_token_flow_is_followed_with_the_given_credentials() {
    let (_server, repository) = token_registry().await;
    let login = Login {
        username: "robot".into(),
        password: Secret::new("s3cr3t"),
        source: "MAESTRO_REGISTRY_USERNAME and MAESTRO_REGISTRY_PASSWORD".into(),
    };
    let registry = Registry::new().unwrap();
    let found = registry.image(&repository, "abc12345", Some(&login)).await.unwrap();
    assert_eq!(found.map(|found| found.digest), Some("sha256:feed".to_owned()));
    assert_eq!(registry.image(&repository, "missing1", Some(&login)).await.unwrap(), None);

    // Wrong credentials are an error that says where they came from, never a rebuild.
    let wrong = Login { password: Secret::new("nope"), ..login };
    let refused = registry.image(&repository, "abc12345", Some(&wrong)).await.unwrap_err();
    assert!(refused.message.contains("refused access (401 Unauthorized)"), "{refused:?}");
    assert!(refused.hint.unwrap().contains("MAESTRO_REGISTRY_USERNAME"));
    let anonymous = registry.image(&repository, "abc12345", None).await.unwrap_err();
    assert!(anonymous.hint.unwrap().contains("give maestro credentials"));
}

#[tokio::test]
async fn a_registry_error_is_an_error_not_a_missing_image() {
    let server = MockServer::start().await;
    Mock::given(method("HEAD")).respond_with(ResponseTemplate::new(503)).expect(3).mount(&server).await;
    let repository =
        ImageRepository { host: format!("127.0.0.1:{}", server.address().port()), path: "acme/shop".into() };
    let failure = Registry::new().unwrap().image(&repository, "abc12345", None).await.unwrap_err();
    assert!(failure.message.contains("503") && failure.message.contains("3 attempts"), "{failure:?}");
}

// L2: the login goes to the token service only over TLS, or to this machine.
#[tokio::test]
async fn the_login_is_never_sent_to_a_token_service_in_clear_elsewhere() {
    let server = MockServer::start().await;
    let challenge = r#"Bearer realm="http://token.example.invalid/token",service="registry.test""#;
    Mock::given(method("HEAD"))
        .respond_with(ResponseTemplate::new(401).insert_header("www-authenticate", challenge))
        .mount(&server)
        .await;
    let repository =
        ImageRepository { host: format!("127.0.0.1:{}", server.address().port()), path: "acme/shop".into() };
    let login = Login { username: "robot".into(), password: Secret::new("s3cr3t"), source: "test".into() };
    let refused = Registry::new().unwrap().image(&repository, "abc12345", Some(&login)).await.unwrap_err();
    assert!(refused.message.contains("token service for 127.0.0.1"), "{refused:?}");
    assert!(refused.message.ends_with("is not https://"), "{refused:?}");
}

#[test]
fn a_realm_is_safe_over_tls_or_on_this_machine() {
    let safe = |realm: &str| super::is_safe_realm(&reqwest::Url::parse(realm).unwrap());
    assert!(safe("https://auth.docker.io/token"));
    assert!(safe("http://127.0.0.1:5000/token") && safe("http://localhost/token") && safe("http://[::1]:80/token"));
    assert!(!safe("http://auth.example.com/token"));
    assert!(!safe("http://127.0.0.1.example.com/token"));
}
