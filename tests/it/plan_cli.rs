//! `maestro plan` on the example app, as the README runs it.

use serde_json::Value;

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, repository_root, run};

fn plan_json(extra_env: &[(&str, &str)], extra_args: &[&str]) -> Value {
    let mut command = maestro();
    command
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"])
        .args(extra_args)
        .envs(extra_env.iter().copied());
    run(&mut command).expect_code(0).json()
}

fn by_process<'a>(list: &'a Value, process: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| item["process"] == process)
        .unwrap_or_else(|| panic!("no {process} in {list}"))
}

#[test]
fn json_plan_of_the_example_app() {
    let plan = plan_json(&[], &[]);
    assert_eq!(plan["schema_version"], 1);
    let request = &plan["request"];
    assert_eq!(request["repository"], "acme/shop-api");
    assert_eq!(request["slug"], "acme-shop-api");
    assert_eq!(request["branch"], "staging");
    assert_eq!(request["short_sha"], "3f2a9c1d");
    assert_eq!(request["account_id"], "123456789012");
    assert_eq!(request["region"], "us-east-1");
    assert_eq!(plan["cluster"]["name"], "acme-shop-api-staging");
    assert_eq!(plan["image"]["uri"], "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d");
    assert_eq!(plan["image"]["builder"], "heroku/builder:24");
    assert_eq!(plan["secret"], "staging/acme-shop-api");

    let definitions = &plan["task_definitions"];
    // The Procfile's five processes, and the launcher family for one-off commands.
    assert_eq!(definitions.as_array().unwrap().len(), 6);
    assert_eq!(by_process(definitions, "launcher")["family"], "acme-shop-api-staging-launcher");
    let web = by_process(definitions, "web");
    assert_eq!(web["family"], "acme-shop-api-staging-web");
    assert_eq!(
        (web["cpu"].as_u64(), web["memory"].as_u64(), web["port"].as_u64()),
        (Some(1024), Some(2048), Some(3000))
    );
    assert_eq!(web["entry_point"], serde_json::json!(["web"]));
    assert_eq!(by_process(definitions, "scheduledtasks")["entry_point"], serde_json::json!(["launcher"]));
    assert!(by_process(definitions, "worker")["port"].is_null());

    let services = &plan["services"];
    let names: Vec<&str> =
        services.as_array().unwrap().iter().map(|service| service["process"].as_str().unwrap()).collect();
    assert_eq!(names, ["web", "worker", "clock"]);
    let web = by_process(services, "web");
    assert_eq!(web["name"], "acme-shop-api-staging-web");
    assert_eq!((web["desired_count"].as_u64(), web["min"].as_u64(), web["max"].as_u64()), (Some(2), Some(2), Some(5)));
    let scaling = web["scaling"].as_array().unwrap();
    assert_eq!(scaling.len(), 3);
    assert_eq!(
        scaling[0],
        serde_json::json!({
            "metric": "mem", "target": 55.0, "disable_scale_in": true,
            "policy_name": "acme-shop-api-staging-web-mem-scaling-policy",
            "predefined_metric_type": "ECSServiceAverageMemoryUtilization",
        })
    );
    let worker = by_process(services, "worker");
    assert_eq!(worker["scaling"][0]["metric"], "cpu");
    assert_eq!(worker["scaling"][0]["target"].as_f64(), Some(55.0));
    assert!(by_process(services, "clock")["max"].is_null());

    let balancer = &plan["load_balancer"];
    assert_eq!(
        (balancer["name"].as_str(), balancer["target_group"].as_str()),
        (Some("acme-shop-api-staging"), Some("acme-shop-api-staging"))
    );
    assert_eq!((balancer["scheme"].as_str(), balancer["port"].as_u64()), (Some("internet-facing"), Some(3000)));

    let schedules = plan["schedules"].as_array().unwrap();
    assert_eq!(schedules.len(), 3);
    let feed = &schedules[0];
    assert_eq!(feed["name"], "update-feed");
    assert_eq!(feed["rule"], "2b419b-update-feed");
    assert_eq!(feed["expression"], "rate(3 hours)");
    assert_eq!(feed["command"], "node bin/feed.js --source \"partners\"");
    assert_eq!(feed["task_definition"], "acme-shop-api-staging-scheduledtasks");
    assert_eq!(feed["cluster_arn"], "arn:aws:ecs:us-east-1:123456789012:cluster/acme-shop-api-staging");
    assert_eq!(feed["role_arn"], "arn:aws:iam::123456789012:role/ecsEventsRole");
    assert_eq!(
        (plan["release"]["process"].as_str(), plan["release"]["family"].as_str()),
        (Some("release"), Some("acme-shop-api-staging-release"))
    );
    assert_eq!(plan["release"]["container"], "acme-shop-api");
    assert_eq!(plan["log_groups"].as_array().unwrap().len(), 6, "one per task definition, the launcher's too");
    assert_eq!(plan["tags"][0], serde_json::json!({"key": "workload", "value": "shop"}));
}

#[test]
fn flags_beat_the_environment_which_beats_the_env_file() {
    let plan = plan_json(
        &[("AWS_REGION", "eu-west-1"), ("MAESTRO_BRANCH_OVERRIDE", "ignored")],
        &["--branch", "feature/Login.v2"],
    );
    assert_eq!(plan["request"]["region"], "eu-west-1");
    assert_eq!(plan["request"]["branch"], "feature/Login.v2");
    assert_eq!(plan["cluster"]["name"], "acme-shop-api-feature-login-v2");
    assert_eq!(plan["secret"], "feature-login-v2/acme-shop-api");
}

/// The plan as people read it, exactly (`tests/it/snapshots/`; review a change with
/// `cargo insta review`, or the `.snap.new` file insta writes beside the snapshot).
#[test]
fn human_plan_of_the_example_app() {
    let outcome = run(maestro().args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]));
    outcome.expect_code(0);
    assert_eq!(outcome.stderr, "", "a clean plan writes nothing to stderr");
    insta::assert_snapshot!("plan_human", outcome.stdout);
}

/// The plan as programs read it, exactly: every field, its order and its formatting.
#[test]
fn json_plan_of_the_example_app_reads_the_same() {
    let mut command = maestro();
    command.args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    let outcome = run(&mut command);
    outcome.expect_code(0);
    assert_eq!(outcome.stderr, "", "a clean plan writes nothing to stderr");
    // The request's workspace is the checkout's folder, which differs between machines.
    let root = repository_root().display().to_string();
    insta::assert_snapshot!("plan_json", outcome.stdout.replace(&root, "[repository root]"));
}

#[test]
fn renamed_variables_warn_on_stderr_only() {
    let outcome = run(maestro()
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"])
        .env("ALB_NAME_SLUG", "old"));
    outcome.expect_code(0).expect_stderr(&["ALB_NAME_SLUG is no longer read"]);
    // stdout stays pure JSON.
    outcome.json();
}
