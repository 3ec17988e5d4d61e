//! `maestro restart` and `maestro status` as a user runs them: after the app secret's value
//! changes, `restart` starts one new deployment per service with the same revision and waits for
//! it, and `status` shows what runs (`tests/it/snapshots/`). Status before any deploy, and an
//! unknown process, are told with the fix.

use std::collections::BTreeMap;

use crate::deploy_cli::maestro_in;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, run};
use maestro_test_support::TestAccount;

const SECRET: &str = "staging/acme-shop-api";
const SERVICES: [&str; 3] =
    ["acme-shop-api-staging-web", "acme-shop-api-staging-worker", "acme-shop-api-staging-clock"];

/// Each service's deployments (id, task definition, status), as ECS describes them.
async fn deployments(account: &TestAccount) -> BTreeMap<String, Vec<(String, String, String)>> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let names = SERVICES.map(str::to_owned).to_vec();
    let described =
        ecs.describe_services().cluster("acme-shop-api-staging").set_services(Some(names)).send().await.unwrap();
    described
        .services()
        .iter()
        .map(|service| {
            let deployments = service.deployments().iter().map(|deployment| {
                let text = |value: Option<&str>| value.unwrap_or_default().to_owned();
                (text(deployment.id()), text(deployment.task_definition()), text(deployment.status()))
            });
            (service.service_name().unwrap().to_owned(), deployments.collect())
        })
        .collect()
}

/// What differs between runs: times, ids, digests, the account, the load balancer's name.
fn unstable() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", "[time]"),
        (r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "[time]"),
        (r"ecs-svc/\d+", "ecs-svc/[id]"),
        (r"sha256:[0-9a-f]+", "sha256:[digest]"),
        (r"\b\d{12}\b", "[account]"),
        (r"acme-shop-api-staging-\d+\.us-east-1\.elb\.amazonaws\.com", "[load balancer DNS name]"),
        (r"\b\d+s\b", "[n]s"),
    ]
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn after_a_secret_rotation_restart_starts_one_deployment_per_service_and_status_shows_it() {
    let account =
        TestAccount::new("after_a_secret_rotation_restart_starts_one_deployment_per_service_and_status_shows_it").await;
    let secrets = aws_sdk_secretsmanager::Client::new(&account.config);
    let first = serde_json::json!({"DATABASE_URL": "postgres://first-password@db"}).to_string();
    secrets.create_secret().name(SECRET).secret_string(first).send().await.unwrap();

    let before = maestro_in(&account, "status", "human", &[]).await;
    before.expect_code(1).expect_stderr(&["nothing of acme-shop-api-staging is deployed", "deploy it first"]);
    insta::with_settings!({filters => unstable()}, {
        insta::assert_snapshot!("status_before_any_deploy", before.stderr);
    });

    maestro_in(&account, "deploy", "json", &[]).await.expect_code(0);
    let deployed = deployments(&account).await;
    assert_eq!(deployed.len(), 3, "{deployed:?}");
    let rotated = serde_json::json!({"DATABASE_URL": "postgres://rotated-password@db"}).to_string();
    secrets.put_secret_value().secret_id(SECRET).secret_string(rotated).send().await.unwrap();

    let restarted = maestro_in(&account, "restart", "json", &[]).await;
    let report = restarted.expect_code(0).json();
    let states: Vec<(&str, &str)> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| (service["process"].as_str().unwrap(), service["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("web", "deployed"), ("worker", "deployed"), ("clock", "deployed")], "waited for each");
    assert_eq!(report["aws_calls"]["by_operation"]["ECS.UpdateService"], 3, "{}", report["aws_calls"]);
    assert_eq!(report["skipped"], serde_json::json!([]));
    assert_eq!(report["recorded_release"], 2, "the deploy was release 1");
    let after = deployments(&account).await;
    for (service, was) in &deployed {
        let now = &after[service];
        let new: Vec<_> = now.iter().filter(|(id, _, _)| !was.iter().any(|(old, _, _)| old == id)).collect();
        assert_eq!(new.len(), 1, "exactly one new deployment of {service}: {was:?} → {now:?}");
        let (_, revision, status) = new[0];
        assert_eq!(status, "PRIMARY");
        let live = was.iter().find(|(_, _, status)| status == "PRIMARY").unwrap();
        assert_eq!(revision, &live.1, "{service} runs the same task definition");
    }

    let status = maestro_in(&account, "status", "json", &[]).await.expect_code(0).json();
    for (index, process) in ["web", "worker", "clock"].iter().enumerate() {
        let shown = &status["processes"][index];
        assert_eq!((shown["process"].as_str(), shown["state"].as_str()), (Some(*process), Some("ACTIVE")));
        assert_eq!(shown["running"], shown["desired"], "{shown}");
        assert_eq!(shown["task_definition"].as_str(), Some(after[SERVICES[index]][0].1.as_str()));
        assert!(shown["image"]["digest"].as_str().is_some_and(|digest| digest.starts_with("sha256:")), "{shown}");
    }
    assert_eq!(status["processes"][0]["scaling"], serde_json::json!({"min": 2, "max": 5}));
    assert!(status["processes"][0]["url"].as_str().is_some_and(|url| url.starts_with("http://")));
    assert!(!status["schedules"].as_array().unwrap().is_empty());
    assert!(status["schedules"].as_array().unwrap().iter().all(|schedule| schedule["enabled"] == true));
    let current = &status["current_release"];
    assert_eq!(
        (&current["number"], &current["kind"]),
        (&serde_json::json!(2), &serde_json::json!("restart")),
        "{current}"
    );
    let releases = maestro_in(&account, "releases", "json", &[]).await.expect_code(0).json();
    let kinds: Vec<&str> =
        releases["releases"].as_array().unwrap().iter().map(|listed| listed["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["restart", "deploy"], "{releases}");
    assert_eq!(status["aws_calls"]["writes"], 0, "status only reads");
    let shown = maestro_in(&account, "status", "human", &[]).await;
    shown.expect_code(0).expect_nowhere(&["rotated-password", "first-password"]);
    insta::with_settings!({filters => unstable()}, {
        insta::assert_snapshot!("status_after_restart", shown.stdout);
    });
}

#[test]
fn an_unknown_process_is_bad_input_before_any_aws_call() {
    // No credentials and no emulator: the name is judged on the plan alone.
    let mut command = maestro();
    command.args(["restart", "web", "wbe", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    let outcome = run(&mut command);
    outcome.expect_code(2).expect_stderr(&["unknown process wbe"]);
    insta::assert_snapshot!("restart_unknown_process", outcome.stderr);
}
