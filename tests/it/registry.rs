//! A deploy that builds to a registry other than ECR: a real OCI registry on loopback (Debian's
//! docker-registry, seeded with skopeo from an umoci layout, started by `scripts/test.sh`).
//! The lookup itself is tested inside the binary (`src/registry_tests.rs`).

use serde_json::Value;

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, run};
use maestro_test_support::TestAccount;
use maestro_test_support::oci::{oci_registry, push_with_skopeo};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OCI registry and the AWS emulator: bash scripts/test.sh"]
async fn deploy_builds_to_a_generic_registry_then_skips() {
    let host = oci_registry();
    let account = TestAccount::new("deploy_builds_to_a_generic_registry_then_skips").await;
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
    let report = build("1111aaaa2222bbbb").expect_code(0).json();
    assert_eq!(
        (report["image"]["source"].as_str(), report["image"]["uri"].as_str()),
        (Some("existing"), Some(format!("{repository}:1111aaaa").as_str()))
    );
    assert!(tools.record().is_none());

    // A new commit: built (the stand-in pack pushes to the registry), then found.
    build("3333cccc4444dddd").expect_code(0);
    let record = tools.record().expect("pack ran");
    assert_eq!(record["argv"][1], format!("{repository}:latest"));
    assert_eq!(record["docker_config"], Value::Null, "no credentials known for this registry: pack's own login");
    let again = build("3333cccc4444dddd");
    let report = again.expect_code(0).json();
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
    logged_in.expect_code(0);
    let record = tools.record().expect("pack ran");
    assert_eq!(record["docker_logins"], serde_json::json!({ host.as_str(): "robot" }));
    logged_in.expect_nowhere(&["registry-pa55word"]);

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
    deploy().await.expect_code(0);
    assert!(tools.record().is_none(), "the image exists: no build");
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let web = ecs.describe_task_definition().task_definition("acme-shop-api-staging-web").send().await.unwrap();
    let container = &web.task_definition().unwrap().container_definitions()[0];
    // By the digest the registry gave the commit's image, not by its tag.
    let image = container.image().unwrap();
    let digest = image.strip_prefix(&format!("{repository}@sha256:")).unwrap_or_else(|| panic!("{image}"));
    assert!(digest.len() == 64 && digest.chars().all(|c| c.is_ascii_hexdigit()), "{image}");
    assert_eq!(
        container.repository_credentials().map(|credentials| credentials.credentials_parameter()),
        Some(pull_secret.as_str())
    );
    let again = deploy().await;
    let report = again.expect_code(0).json();
    assert_eq!(report["actions"], serde_json::json!([]), "{}", again.stderr);
}
