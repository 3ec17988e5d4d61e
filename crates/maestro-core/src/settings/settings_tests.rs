use super::*;
use crate::env::Origin;

fn settings(pairs: &[(&str, &str)]) -> Result<Settings, InputErrors> {
    Settings::from_env(&Env::from_process(pairs.iter().copied()))
}

#[test]
fn defaults_with_an_empty_environment() {
    let settings = settings(&[]).unwrap();
    assert_eq!(settings.tasks.port, 3000);
    assert_eq!(settings.load_balancer.scheme.as_str(), "internet-facing");
    assert_eq!(settings.circuit_breaker, CircuitBreaker { enable: true, rollback: true });
    assert!(!settings.build.skip && !settings.build.only && !settings.build.no_cache && !settings.tasks.no_log);
    assert!(settings.tasks.processes.entries.is_empty());
}

#[test]
fn original_bug_false_means_false() {
    // The original skipped the build for `MAESTRO_SKIP_BUILD=false`: any non-empty value was true.
    let settings =
        settings(&[("MAESTRO_SKIP_BUILD", "false"), ("MAESTRO_ONLY_BUILD", "FALSE"), ("MAESTRO_NO_CACHE", "True")])
            .unwrap();
    assert!(!settings.build.skip);
    assert!(!settings.build.only);
    assert!(settings.build.no_cache);
}

#[test]
fn empty_values_count_as_unset() {
    let settings = settings(&[("MAESTRO_SKIP_BUILD", ""), ("PORT", ""), ("ALB_SCHEME", "")]).unwrap();
    assert!(!settings.build.skip);
    assert_eq!(settings.tasks.port, 3000);
}

#[test]
fn every_bad_variable_is_reported_at_once() {
    let errors = settings(&[
        ("MAESTRO_SKIP_BUILD", "yes"),
        ("PORT", "70000"),
        ("ECS_SERVICE_SUBNETS", "subnet-1,,subnet-2"),
        ("ALB_SCHEME", "public"),
        ("ECS_TASK_ROLE_ARN", "my-role"),
        ("ECS_CONTAINER_STOP_TIMEOUT", "300"),
        ("ECS_SERVICE_TASK_PROCESSES", "web:5-2"),
    ])
    .unwrap_err();
    let inputs: Vec<&str> = errors.0.iter().map(|error| error.input.as_str()).collect();
    assert_eq!(
        inputs,
        [
            "MAESTRO_SKIP_BUILD",
            "ECS_SERVICE_TASK_PROCESSES",
            "ECS_CONTAINER_STOP_TIMEOUT",
            "ECS_TASK_ROLE_ARN",
            "PORT",
            "ECS_SERVICE_SUBNETS",
            "ALB_SCHEME",
        ]
    );
    assert!(errors.0[5].message.contains("item 2 is an empty item"));
    assert!(errors.0[6].hint.contains("`internet-facing` or `internal`"));
}

#[test]
fn errors_name_the_env_file_line_the_value_came_from() {
    let mut env = Env::default();
    env.set("ECS_SERVICE_TASK_PROCESSES", "web:2-5[gpu=1]", Origin::EnvFile { file: "maestro.env".into(), line: 7 });
    let errors = Settings::from_env(&env).unwrap_err();
    assert_eq!(errors.0[0].input, "ECS_SERVICE_TASK_PROCESSES (maestro.env:7)");
}

#[test]
fn validates_names_and_ids() {
    assert!(settings(&[("ALB_NAME_OVERRIDE", "shared-alb")]).is_ok());
    for (name, value) in [
        ("ALB_NAME_OVERRIDE", "internal-alb"),
        ("ALB_NAME_OVERRIDE", "a-name-that-is-longer-than-32-chars"),
        ("ECS_CLUSTER_ID", "my.cluster"),
        ("WORKLOAD_VPC_ID", "subnet-1"),
        ("NEW_RELIC_APP_ID", "app-1"),
        ("DEPLOY_WEBHOOK_URL", "hooks.example.com"),
        ("REPO_SUB_FOLDER", "../other"),
        ("REPO_SUB_FOLDER", "/abs"),
        ("ALB_SECURITY_GROUPS", "sg-1,sg-1"),
    ] {
        let errors = settings(&[(name, value)]).expect_err(value);
        assert_eq!(errors.0[0].input, name);
    }
}

#[test]
fn renamed_variables_are_warned_about() {
    let settings = settings(&[("ALB_NAME_SLUG", "old")]).unwrap();
    assert_eq!(
        settings.warnings,
        ["ALB_NAME_SLUG is no longer read (the original maestro renamed it); use ALB_NAME_OVERRIDE"]
    );
}

#[test]
fn secrets_do_not_show_in_debug_output() {
    let settings = settings(&[
        ("NEW_RELIC_API_KEY", "NRAK-canary-value"),
        ("DEPLOY_WEBHOOK_URL", "https://hooks.example.com/x?token=canary-token"),
    ])
    .unwrap();
    let debug = format!("{settings:?}");
    assert!(!debug.contains("canary"), "{debug}");
}
