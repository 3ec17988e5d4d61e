//! `maestro plan` against a deployed app whose settings changed: each change as `field: old →
//! new`, a task definition's unified diff against the live revision (whole with `--diff`), the
//! count line, and the service no longer planned (field-trial F7). The JSON carries the same.

use serde_json::Value;

use crate::support::{EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, maestro, repository_root, run};
use maestro_test_support::{Scratch, TestAccount};

/// The example's processes with `worker` from `:1-3` to `:2-6` and twice the size, and `clock`
/// removed (its service becomes an orphan).
const CHANGED_PROCESSES: &str =
    "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000], worker{1024;2048}:2-6, scheduledtasks{256;512}";

/// `send-mail` every 6 hours with a batch size, `update-feed` gone.
const CHANGED_SCHEDULE: &str = "\
send-mail     rate(6 hours)          node bin/mail.js --batch 500
nightly       cron(0 3 * * ? *)      node bin/report.js --date \"$(date -d yesterday +%F)\"
";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_plan_after_changed_settings_shows_old_and_new_values_and_the_task_definition_diff() {
    let account = TestAccount::new("a_plan_after_changed_settings_shows_old_and_new_values").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let env = account.deploy_env().await;
    let app = Scratch::copy_of_example();
    let mut deploy = maestro();
    deploy.args(["deploy", "--app", &app.file(""), "--env-file", EXAMPLE_ENV]).envs(env.clone());
    run(&mut deploy).expect_code(0);

    app.write("tasks/run_tasks.conf", CHANGED_SCHEDULE);
    let plan = |args: &[&str]| -> Outcome {
        let mut command = maestro();
        command
            .args(["plan", "--app", &app.file(""), "--env-file", EXAMPLE_ENV])
            .args(args)
            .envs(env.clone())
            .env("ECS_SERVICE_TASK_PROCESSES", CHANGED_PROCESSES);
        let outcome = run(&mut command);
        outcome.expect_code(0);
        outcome
    };
    let (human, full, json) = (plan(&[]), plan(&["--diff"]), plan(&["--output", "json"]).json());
    let root = app.path().display().to_string();
    insta::with_settings!({filters => vec![
        (root.as_str(), "[app]"),
        (r"sha256:[0-9a-f]{64}", "sha256:[digest]"),
    ]}, {
        insta::assert_snapshot!("plan_diff_changes", changes_of(&human.stdout));
        insta::assert_snapshot!("plan_diff_full", changes_of(&full.stdout));
    });
    assert!(human.stdout.contains("\n\ncluster "), "the tree still follows the changes:\n{}", human.stdout);
    json_carries_the_same(&json);
}

/// What `plan` prints before the desired-state tree: the title, the build line, the changes,
/// the orphans.
fn changes_of(stdout: &str) -> String {
    let end = stdout.find("\ncluster ").unwrap_or(stdout.len());
    stdout[..end].to_owned()
}

fn json_carries_the_same(plan: &Value) {
    assert_eq!(plan["orphans"], serde_json::json!(["acme-shop-api-staging-clock"]));
    let changes = plan["changes"].as_array().expect("changes");
    let scaling = changes
        .iter()
        .find(|change| {
            change["action"] == "register_scalable_target"
                && change["resource_id"].as_str().unwrap().ends_with("-worker")
        })
        .expect("the worker's scalable target");
    assert_eq!(scaling["kind"], "update");
    assert_eq!(
        scaling["fields"],
        serde_json::json!([{"field": "min", "old": 1, "new": 2}, {"field": "max", "old": 3, "new": 6}])
    );
    let worker = changes
        .iter()
        .find(|change| change["action"] == "register_task_definition" && change["process"] == "worker")
        .expect("the worker's new revision");
    assert_eq!(worker["live_revision"], "acme-shop-api-staging-worker:1");
    let cpu = worker["fields"].as_array().unwrap().iter().find(|field| field["field"] == "cpu").expect("cpu");
    assert_eq!((&cpu["old"], &cpu["new"]), (&serde_json::json!("512"), &serde_json::json!("1024")));
    let deleted = changes.iter().find(|change| change["action"] == "delete_rule").expect("the gone schedule");
    assert_eq!(deleted["kind"], "delete");
    // Every key the changes added is documented.
    let doc = std::fs::read_to_string(repository_root().join("docs/plan-json.md")).unwrap();
    for key in ["`orphans`", "`kind`", "`fields`", "`{field, old, new}`", "`live_revision`"] {
        assert!(doc.contains(key), "docs/plan-json.md does not document {key}");
    }
}

/// A deployed app switching to blue-green: the plan adds the alternate target group, the test
/// listener and a rule on each listener forwarding to both target groups, and changes nothing a
/// rolling deploy made.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_plan_switching_to_blue_green_adds_the_traffic_resources() {
    let account = TestAccount::new("a_plan_switching_to_blue_green_adds_the_traffic").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let env = account.deploy_env().await;
    let app = Scratch::copy_of_example();
    let mut deploy = maestro();
    deploy.args(["deploy", "--app", &app.file(""), "--env-file", EXAMPLE_ENV]).envs(env.clone());
    run(&mut deploy).expect_code(0);

    let mut plan = maestro();
    plan.args(["plan", "--app", &app.file(""), "--env-file", EXAMPLE_ENV])
        .envs(env)
        .env("MAESTRO_DEPLOY_STRATEGY", "blue-green");
    let outcome = run(&mut plan);
    outcome.expect_code(0);
    // A target group's ARN ends in an id ELB makes up.
    let filters = vec![(r"sha256:[0-9a-f]{64}", "sha256:[digest]"), (r"/[0-9a-f]{16} ", "/[id] ")];
    insta::with_settings!({filters => filters}, {
        insta::assert_snapshot!("plan_diff_blue_green", changes_of(&outcome.stdout));
    });
}
