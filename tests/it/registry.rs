//! The build's lookup on registries other than ECR: a real OCI registry on loopback (Debian's
//! docker-registry, seeded with skopeo from an umoci layout, started by `scripts/test.sh`), and
//! a loopback server playing a registry with the bearer-token flow and checking each request.

use std::process::Command;

use maestro::core::build::registry_login::Login;
use maestro::core::build::repository::ImageRepository;
use maestro::core::secret::Secret;
use maestro::registry::Registry;
use serde_json::Value;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::aws_account::TestAccount;
use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, run};

/// The OCI manifest type must be accepted (distribution hides OCI manifests from Docker-only clients).
const OCI_ACCEPT: &str = r"application/vnd\.oci\.image\.manifest\.v1\+json";

/// The loopback registry, or `None` (skipped) outside `scripts/test.sh`.
fn registry() -> Option<String> {
    if let Ok(registry) = std::env::var("MAESTRO_TEST_REGISTRY") {
        return Some(registry);
    }
    assert!(
        std::env::var_os("MAESTRO_TEST_REQUIRE_EMULATOR").is_none(),
        "scripts/test.sh starts the OCI registry; it did not"
    );
    eprintln!("skipped: this test needs the OCI registry; run `bash scripts/test.sh`");
    None
}

/// Pushes a one-file OCI image to `reference` with umoci and skopeo (no Docker involved).
fn push_with_skopeo(reference: &str) {
    let layout = std::env::temp_dir().join(format!("maestro-oci-{}-{}", std::process::id(), reference.len()));
    let _ = std::fs::remove_dir_all(&layout);
    let image = format!("{}:base", layout.display());
    let steps: [&[&str]; 3] = [
        &["umoci", "init", "--layout", &layout.display().to_string()],
        &["umoci", "new", "--image", &image],
        &["umoci", "config", "--image", &image, "--config.env", "GIT_SHA=seeded"],
    ];
    for step in steps {
        let status = Command::new(step[0]).args(&step[1..]).status().unwrap();
        assert!(status.success(), "{step:?}");
    }
    let status = Command::new("skopeo")
        .args(["copy", "--dest-tls-verify=false", &format!("oci:{image}"), &format!("docker://{reference}")])
        .status()
        .unwrap();
    assert!(status.success(), "skopeo copy to {reference}");
    std::fs::remove_dir_all(&layout).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_real_registry_answers_found_and_not_found() {
    let Some(host) = registry() else { return };
    let repository = ImageRepository { host: host.clone(), path: "acme/lookup".into() };
    push_with_skopeo(&repository.reference("abc12345"));
    let registry = Registry::new().unwrap();
    let found = registry.image(&repository, "abc12345", None).await.unwrap().expect("the pushed tag");
    assert!(found.digest.starts_with("sha256:"), "{found:?}");
    assert_eq!(registry.image(&repository, "def67890", None).await.unwrap(), None);
    let unknown = ImageRepository { host, path: "acme/never-pushed".into() };
    assert_eq!(registry.image(&unknown, "abc12345", None).await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn deploy_builds_to_a_generic_registry_then_skips() {
    let Some(host) = registry() else { return };
    let Some(account) = TestAccount::new("deploy_builds_to_a_generic_registry_then_skips").await else { return };
    let tools = BuildTools::new();
    let repository = format!("{host}/acme/shop");
    let build = |sha: &str| {
        let mut command = maestro();
        command.args(["build", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
        command.envs(account.env.iter().map(|(name, value)| (name.as_str(), value.as_str())));
        command.env("AWS_ACCOUNT_ID", &account.id).envs(tools.env());
        command.envs([("MAESTRO_IMAGE_REPOSITORY", repository.as_str()), ("MAESTRO_COMMIT_OVERRIDE", sha)]);
        run(&mut command)
    };
    // A commit someone already pushed (with skopeo): found, not rebuilt.
    push_with_skopeo(&format!("{repository}:1111aaaa"));
    let seeded = build("1111aaaa2222bbbb");
    assert_eq!(seeded.code, Some(0), "{}", seeded.stderr);
    let report: Value = serde_json::from_str(&seeded.stdout).unwrap();
    assert_eq!(
        (report["image"]["source"].as_str(), report["image"]["uri"].as_str()),
        (Some("existing"), Some(format!("{repository}:1111aaaa").as_str()))
    );
    assert!(tools.record().is_none());

    // A new commit: built (the stand-in pack pushes to the registry), then found.
    let built = build("3333cccc4444dddd");
    assert_eq!(built.code, Some(0), "{}", built.stderr);
    let record = tools.record().expect("pack ran");
    assert_eq!(record["argv"][1], format!("{repository}:latest"));
    assert_eq!(record["docker_config"], Value::Null, "no credentials known for this registry: pack's own login");
    let again = build("3333cccc4444dddd");
    let report: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(report["image"]["source"], "existing", "{}", again.stderr);
    assert!(tools.record().is_none());
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "`build` provisions nothing");

    // maestro's registry login reaches pack (and only pack), and is never printed.
    let mut command = maestro();
    command.args(["build", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.env.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    command.env("AWS_ACCOUNT_ID", &account.id).envs(tools.env());
    command.envs([
        ("MAESTRO_IMAGE_REPOSITORY", repository.as_str()),
        ("MAESTRO_COMMIT_OVERRIDE", "5555eeee6666ffff"),
        ("MAESTRO_REGISTRY_USERNAME", "robot"),
        ("MAESTRO_REGISTRY_PASSWORD", "registry-pa55word"),
        ("MAESTRO_DEBUG", "true"),
    ]);
    let logged_in = run(&mut command);
    assert_eq!(logged_in.code, Some(0), "{}", logged_in.stderr);
    let record = tools.record().expect("pack ran");
    assert_eq!(record["docker_logins"], serde_json::json!({ host.as_str(): "robot" }));
    assert!(!logged_in.stdout.contains("registry-pa55word") && !logged_in.stderr.contains("registry-pa55word"));

    // `deploy` from this registry: the commit's image is found, and ECS pulls it with the pull
    // secret; a second deploy changes nothing.
    let pull_secret = format!("arn:aws:secretsmanager:us-east-1:{}:secret:registry-pull-AbCdEf", account.id);
    let deploy = async || {
        let mut command = maestro();
        command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
        command.envs(account.deploy_env().await).envs(tools.env());
        command.envs([
            ("MAESTRO_IMAGE_REPOSITORY", repository.as_str()),
            ("MAESTRO_COMMIT_OVERRIDE", "3333cccc4444dddd"),
            ("MAESTRO_IMAGE_PULL_SECRET", pull_secret.as_str()),
        ]);
        run(&mut command)
    };
    let deployed = deploy().await;
    assert_eq!(deployed.code, Some(0), "{}", deployed.stderr);
    assert!(tools.record().is_none(), "the image exists: no build");
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let web = ecs.describe_task_definition().task_definition("acme-shop-api-staging-web").send().await.unwrap();
    let container = &web.task_definition().unwrap().container_definitions()[0];
    assert_eq!(container.image(), Some(format!("{repository}:3333cccc").as_str()));
    assert_eq!(
        container.repository_credentials().map(|credentials| credentials.credentials_parameter()),
        Some(pull_secret.as_str())
    );
    let again = deploy().await;
    let report: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(report["actions"], serde_json::json!([]), "{}", again.stderr);
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
