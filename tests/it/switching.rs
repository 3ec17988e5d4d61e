//! Switching from the bash maestro (docs/migrating.md): the `-launcher` family kept current, and
//! `PORT` kept in the app's secret deployed end to end. The real binary against the emulator.

use aws_sdk_ecs::types::TaskDefinition;

use crate::deploy_checks::{maestro_on, secret_with_port};
use crate::support::{EXAMPLE_APP, EXAMPLE_REPOSITORY};
use maestro_test_support::TestAccount;

const LAUNCHER: &str = "acme-shop-api-staging-launcher";

/// The latest revision of `family`.
async fn latest(account: &TestAccount, family: &str) -> TaskDefinition {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let described = ecs.describe_task_definition().task_definition(family).send().await.unwrap();
    described.task_definition().unwrap().clone()
}

fn image(definition: &TaskDefinition) -> String {
    definition.container_definitions()[0].image().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_launcher_family_gets_a_revision_with_each_new_image_and_none_on_a_redeploy() {
    let account =
        TestAccount::new("the_launcher_family_gets_a_revision_with_each_new_image_and_none_on_a_redeploy").await;
    maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[]).await.expect_code(0);
    let first = latest(&account, LAUNCHER).await;
    let container = &first.container_definitions()[0];
    assert_eq!(container.entry_point(), ["launcher"], "the bare CNB launcher runs the command it is given");
    assert!(container.port_mappings().is_empty(), "no service, no port");
    assert_eq!(image(&first), image(&latest(&account, "acme-shop-api-staging-web").await), "web's image");
    assert!(image(&first).contains("acme-shop-api-staging@sha256:"), "{}", image(&first));

    let again = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[]).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{}", again["actions"]);
    assert_eq!(latest(&account, LAUNCHER).await.revision(), first.revision(), "an unchanged deploy registers nothing");

    // The next commit: one-off commands run its image, as the bash maestro's users expect.
    let next = "b0b0b0b0c1c1c1c1d2d2d2d2e3e3e3e3f4f4f4f4";
    account.seed_image(EXAMPLE_REPOSITORY, &next[..8]).await;
    maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[("MAESTRO_COMMIT_OVERRIDE", next)]).await.expect_code(0);
    let second = latest(&account, LAUNCHER).await;
    assert_eq!(second.revision(), first.revision() + 1);
    assert_ne!(image(&second), image(&first));
    assert_eq!(image(&second), image(&latest(&account, "acme-shop-api-staging-web").await), "the new commit's image");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_with_port_only_in_the_secret_serves_it_and_redeploys_with_no_write() {
    let account = TestAccount::new("a_deploy_with_port_only_in_the_secret_serves_it_and_redeploys_with_no_write").await;
    secret_with_port(&account, "8080").await;
    let outcome = maestro_on(&account, EXAMPLE_APP, "deploy", &["PORT"], &[]).await;
    outcome.expect_code(0).expect_stderr(&["`PORT` is 8080, from secret staging/acme-shop-api"]);

    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let groups = elb.describe_target_groups().names("acme-shop-api-staging").send().await.unwrap();
    assert_eq!(groups.target_groups()[0].port(), Some(8080), "the target group checks the secret's port");
    let web = latest(&account, "acme-shop-api-staging-web").await;
    let ports: Vec<Option<i32>> =
        web.container_definitions()[0].port_mappings().iter().map(|mapping| mapping.container_port()).collect();
    assert_eq!(ports, [Some(8080)], "the container maps the secret's port, and only it");
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let services = ecs
        .describe_services()
        .cluster("acme-shop-api-staging")
        .services("acme-shop-api-staging-web")
        .send()
        .await
        .unwrap();
    assert_eq!(services.services()[0].load_balancers()[0].container_port(), Some(8080));

    let again = maestro_on(&account, EXAMPLE_APP, "deploy", &["PORT"], &[]).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{}", again["actions"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn other_settings_in_the_secret_are_named_and_not_used() {
    let account = TestAccount::new("other_settings_in_the_secret_are_named_and_not_used").await;
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name("staging/acme-shop-api")
        .secret_string(
            serde_json::json!({"ALB_SCHEME": "internal", "MAESTRO_HEALTH_CHECK_PATH": "/canary-health", "DATABASE_URL": "postgres://canary"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    let outcome = maestro_on(&account, EXAMPLE_APP, "plan", &[], &[]).await;
    outcome.expect_code(0).expect_stderr(&[
        "`ALB_SCHEME` is set as a variable",
        "secret staging/acme-shop-api sets `MAESTRO_HEALTH_CHECK_PATH`, which the bash maestro read as a setting",
    ]);
    assert!(!outcome.stderr.contains("/canary-health"), "a secret's value is never shown");
    let plan = outcome.json();
    assert_eq!(plan["load_balancer"]["scheme"], "internet-facing", "the variable counts");
    assert_eq!(plan["load_balancer"]["health_check_path"], "/", "the secret's setting is not used");
}
