use super::*;
use crate::env::Origin;
use crate::fixtures;

fn settings(pairs: &[(&str, &str)]) -> Result<Settings, InputErrors> {
    fixtures::settings(pairs)
}

#[test]
fn defaults_with_an_empty_environment() {
    let settings = settings(&[]).unwrap();
    assert_eq!(settings.tasks.port, 3000);
    assert_eq!(settings.load_balancer.scheme.as_str(), "internet-facing");
    assert_eq!(settings.circuit_breaker, CircuitBreaker::default());
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
    // Which problems, not in which order: the order follows the sections, which may move.
    let mut found: Vec<(String, &str)> =
        errors.0.iter().map(|error| (error.location.to_string(), error.message.as_str())).collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("ALB_SCHEME".to_owned(), "`public` is not a valid value"),
            ("ECS_CONTAINER_STOP_TIMEOUT".to_owned(), "`300` is not a whole number from 0 to 120"),
            ("ECS_SERVICE_SUBNETS".to_owned(), "item 2 is an empty item, not a `subnet-` id"),
            ("ECS_SERVICE_TASK_PROCESSES".to_owned(), "the maximum task count 2 is below the minimum 5"),
            ("ECS_TASK_ROLE_ARN".to_owned(), "`my-role` is not an IAM role ARN"),
            ("MAESTRO_SKIP_BUILD".to_owned(), "`yes` is not a boolean"),
            ("PORT".to_owned(), "`70000` is not a whole number from 1 to 65535"),
        ]
    );
    let scheme = errors.0.iter().find(|error| error.location.to_string() == "ALB_SCHEME").unwrap();
    assert!(scheme.hint.contains("`internet-facing` or `internal`"));
}

#[test]
fn errors_name_the_env_file_line_the_value_came_from() {
    let mut env = Env::default();
    env.set("ECS_SERVICE_TASK_PROCESSES", "web:2-5[gpu=1]", Origin::EnvFile { file: "maestro.env".into(), line: 7 });
    let errors = Settings::from_env(&env).unwrap_err();
    assert_eq!(errors.0[0].location.to_string(), "ECS_SERVICE_TASK_PROCESSES (maestro.env:7)");
    assert_eq!(errors.0[0].location.file_line(), Some(("maestro.env", 7)));
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
        assert_eq!(errors.0[0].location.to_string(), name);
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

/// A malformed URL that may carry a credential is named, never echoed (issue 15, L4: the
/// review's probe printed a Slack webhook's token).
#[test]
fn errors_never_echo_a_secret_bearing_value() {
    for name in ["DEPLOY_WEBHOOK_URL", "NEW_RELIC_API_URL"] {
        let errors = settings(&[(name, "hooks.slack.com/services/T000/B000/CANARYwebhookTOKEN")]).expect_err(name);
        let rendered = errors.0[0].render();
        assert_eq!(errors.0[0].location.to_string(), name);
        assert!(rendered.contains("is not an http(s) URL") && rendered.contains("not shown"), "{rendered}");
        assert!(!rendered.contains("CANARY") && !rendered.contains("hooks.slack"), "{rendered}");
    }
    for name in ["MAESTRO_SLACK_WEBHOOK_URL", "MAESTRO_TEAMS_WEBHOOK_URL", "MAESTRO_NOTIFY_URL"] {
        // A webhook's URL in clear over the network is refused: the URL is the credential.
        let errors =
            settings(&[(name, "http://hooks.slack.com/services/T000/B000/CANARYwebhookTOKEN")]).expect_err(name);
        let rendered = errors.0[0].render();
        assert_eq!(errors.0[0].location.to_string(), name);
        assert!(rendered.contains("is not an https URL") && rendered.contains("not shown"), "{rendered}");
        assert!(rendered.contains("e.g. `https://"), "the hint shows the fix: {rendered}");
        assert!(!rendered.contains("CANARY") && !rendered.contains("T000"), "{rendered}");
    }
    // Other inputs still show what was written: it helps, and it is no secret.
    let errors = settings(&[("NEW_RELIC_REGION", "MARS")]).unwrap_err();
    assert!(errors.0[0].message.contains("`MARS`"), "{}", errors.0[0].message);
}

#[test]
fn code_host_tokens_and_apis_are_found_in_the_documented_order() {
    let reporting = |pairs: &[(&str, &str)]| settings(pairs).unwrap().reporting;
    let token = |reporting: &ReportSettings| reporting.github_token.as_ref().map(|token| token.expose().to_owned());
    // MAESTRO_GITHUB_TOKEN, then the action's `github-token` input, then GITHUB_TOKEN.
    let all = [("GITHUB_TOKEN", "job"), ("MAESTRO_INPUT_GITHUB_TOKEN", "input"), ("MAESTRO_GITHUB_TOKEN", "app")];
    assert_eq!(token(&reporting(&all)).as_deref(), Some("app"));
    assert_eq!(token(&reporting(&all[..2])).as_deref(), Some("input"));
    assert_eq!(token(&reporting(&[all[0], ("MAESTRO_INPUT_GITHUB_TOKEN", "")])).as_deref(), Some("job"));
    assert_eq!(reporting(&[]).github_api, "https://api.github.com");
    let gitlab = reporting(&[
        ("GITLAB_TOKEN", "glpat-job"),
        ("CI_API_V4_URL", "https://gitlab.example.com/api/v4"),
        ("CI_PROJECT_ID", "31337"),
        ("CI_PIPELINE_ID", "900"),
        ("GITHUB_API_URL", "https://github.example.com/api/v3"),
    ]);
    assert_eq!(gitlab.gitlab_token.as_ref().map(Secret::expose), Some("glpat-job"));
    assert_eq!(
        (gitlab.gitlab_api.as_deref(), gitlab.gitlab_project_id.as_deref(), gitlab.gitlab_pipeline_id.as_deref()),
        (Some("https://gitlab.example.com/api/v4"), Some("31337"), Some("900"))
    );
    assert_eq!(gitlab.github_api, "https://github.example.com/api/v3");
    let own = reporting(&[("GITLAB_TOKEN", "glpat-job"), ("MAESTRO_GITLAB_TOKEN", "glpat-own")]);
    assert_eq!(own.gitlab_token.as_ref().map(Secret::expose), Some("glpat-own"));
}

#[test]
fn cluster_names_take_letters_digits_dashes_and_underscores_up_to_255() {
    for name in ["shop-api_main", "a".repeat(255).as_str()] {
        let settings = settings(&[("ECS_CLUSTER_ID", name)]).unwrap();
        assert_eq!(settings.cluster_override.as_deref(), Some(name));
    }
    for name in ["a".repeat(256).as_str(), "shop api", "shop/api"] {
        let errors = settings(&[("ECS_CLUSTER_ID", name)]).expect_err(name);
        assert!(errors.0[0].message.contains("a valid ECS cluster name"), "{}", errors.0[0].message);
    }
}

/// Each checked variable with values it takes and values it refuses, at the edges of its rule.
#[test]
fn checked_variables_take_and_refuse_values_at_the_edges_of_their_rules() {
    let path_of = |length: usize| format!("/{}", "a".repeat(length - 1));
    let host_of = |length: usize| format!("{}.com", "a".repeat(length - 4));
    let cases: Vec<(&str, String, bool)> = vec![
        ("MAESTRO_HEALTH_CHECK_PATH", "/".into(), true),
        ("MAESTRO_HEALTH_CHECK_PATH", path_of(1024), true),
        ("MAESTRO_HEALTH_CHECK_PATH", path_of(1025), false),
        ("MAESTRO_HEALTH_CHECK_PATH", "health".into(), false),
        ("MAESTRO_HEALTH_CHECK_PATH", "/up now".into(), false),
        ("MAESTRO_HOST", "staging.shop.example.com".into(), true),
        ("MAESTRO_HOST", "*.shop-1.example.com".into(), true),
        ("MAESTRO_HOST", "api-?.example.com".into(), true),
        ("MAESTRO_HOST", host_of(128), true),
        ("MAESTRO_HOST", host_of(129), false),
        ("MAESTRO_HOST", "shop_api.example.com".into(), false),
        ("MAESTRO_HOST", "https://shop.example.com".into(), false),
        ("ALB_CERTIFICATE_ARN", "arn:aws:acm:us-east-1:123456789012:certificate/0a1b".into(), true),
        ("ALB_CERTIFICATE_ARN", "arn:aws:iam::123456789012:server-certificate/shop".into(), true),
        ("ALB_CERTIFICATE_ARN", "arn:aws-cn:acm:cn-north-1:123456789012:certificate/0a1b".into(), true),
        ("ALB_CERTIFICATE_ARN", "acm:us-east-1:123456789012:certificate/0a1b".into(), false),
        ("ALB_CERTIFICATE_ARN", "arn:aws:s3:::certificates".into(), false),
        ("REPO_SUB_FOLDER", "services/api".into(), true),
        ("REPO_SUB_FOLDER", "services/..api".into(), true),
        ("REPO_SUB_FOLDER", "services/../api".into(), false),
        ("REPO_SUB_FOLDER", "..".into(), false),
        ("NEW_RELIC_ENTITY_GUID", "MXxBUE18QVBQTElDQVRJT058MTIz".into(), true),
        ("NEW_RELIC_ENTITY_GUID", "Mx-_=".into(), true),
        ("NEW_RELIC_ENTITY_GUID", "M".repeat(255), true),
        ("NEW_RELIC_ENTITY_GUID", "M".repeat(256), false),
        ("NEW_RELIC_ENTITY_GUID", "MXx/BUE18".into(), false),
        ("MAESTRO_ENVIRONMENT", "Staging (EU) ✓".into(), true),
        ("MAESTRO_ENVIRONMENT", "é".repeat(127), true),
        ("MAESTRO_ENVIRONMENT", "e".repeat(256), false),
        ("MAESTRO_ENVIRONMENT", "staging\tEU".into(), false),
        ("MAESTRO_POLL_INTERVAL", "0.5".into(), true),
        ("MAESTRO_POLL_INTERVAL", "300".into(), true),
        ("MAESTRO_POLL_INTERVAL", "0".into(), false),
        ("MAESTRO_POLL_INTERVAL", "-1".into(), false),
        ("MAESTRO_POLL_INTERVAL", "300.5".into(), false),
        ("MAESTRO_POLL_INTERVAL", "soon".into(), false),
    ];
    for (name, value, takes) in &cases {
        match settings(&[(name, value)]) {
            Ok(_) => assert!(takes, "{name}={value} was taken"),
            Err(errors) => {
                assert!(!takes, "{name}={value} was refused: {}", errors.0[0]);
                assert_eq!(errors.0[0].location.to_string(), *name);
                assert!(errors.0[0].message.starts_with(&format!("`{value}` is not ")), "{}", errors.0[0].message);
            }
        }
    }
}

#[test]
fn the_app_folder_is_kept_relative_without_its_trailing_slash() {
    let folder = settings(&[("REPO_SUB_FOLDER", "services/api/")]).unwrap().build.sub_folder;
    assert_eq!(folder.as_deref(), Some("services/api"));
}

/// A user name without its password (or the reverse) stops the run; both give the login.
#[test]
fn an_image_pull_secret_is_given_by_its_arn() {
    const ARN: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf";
    let read = settings(&[("MAESTRO_IMAGE_PULL_SECRET", ARN)]).unwrap();
    assert_eq!(read.tasks.image_pull_secret.as_deref(), Some(ARN));
    // ECS takes a name too, but may describe the definition with the ARN: every deploy would
    // then see a change and register a revision.
    let errors = settings(&[("MAESTRO_IMAGE_PULL_SECRET", "ghcr-pull")]).unwrap_err();
    let error = &errors.0[0];
    assert_eq!(error.location.to_string(), "MAESTRO_IMAGE_PULL_SECRET");
    assert_eq!(error.message, "`ghcr-pull` is not a Secrets Manager secret's ARN");
    assert!(error.hint.contains("full ARN") && error.hint.contains("describe-secret"), "{}", error.hint);
}

#[test]
fn registry_credentials_come_in_pairs() {
    let login = settings(&[("MAESTRO_REGISTRY_USERNAME", " deployer "), ("MAESTRO_REGISTRY_PASSWORD", "s3cret ")])
        .unwrap()
        .build
        .registry_login
        .map(|(user, password)| (user, password.expose().to_owned()));
    assert_eq!(login, Some(("deployer".to_owned(), "s3cret ".to_owned())));
    assert_eq!(settings(&[]).unwrap().build.registry_login, None);
    for (set, missing) in [
        ("MAESTRO_REGISTRY_USERNAME", "MAESTRO_REGISTRY_PASSWORD"),
        ("MAESTRO_REGISTRY_PASSWORD", "MAESTRO_REGISTRY_USERNAME"),
    ] {
        let errors = settings(&[(set, "x")]).unwrap_err();
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].location.to_string(), set);
        assert_eq!(errors.0[0].message, format!("{set} is set but {missing} is not"));
        assert_eq!(errors.0[0].hint, "set both to log in to the image registry, or neither");
    }
}

#[test]
fn waiting_defaults_and_overrides() {
    let defaults = settings(&[]).unwrap().waiting;
    assert_eq!((defaults.poll_interval, defaults.lock, defaults.no_wait), (1.0, true, false));
    let set = settings(&[("MAESTRO_POLL_INTERVAL", "0.5"), ("MAESTRO_NO_LOCK", "true"), ("MAESTRO_NO_WAIT", "true")])
        .unwrap()
        .waiting;
    assert_eq!((set.poll_interval, set.lock, set.no_wait), (0.5, false, true));
}

#[test]
fn abort_on_cancel_is_off_unless_set_and_a_boolean() {
    assert!(!settings(&[]).unwrap().waiting.abort_on_cancel);
    assert!(settings(&[("MAESTRO_ABORT_ON_CANCEL", "true")]).unwrap().waiting.abort_on_cancel);
    let errors = settings(&[("MAESTRO_ABORT_ON_CANCEL", "sometimes")]).unwrap_err();
    assert!(errors.0[0].to_string().contains("MAESTRO_ABORT_ON_CANCEL"), "{}", errors.0[0]);
}

#[test]
fn the_progress_interval_is_15_seconds_unless_set_from_0_to_300() {
    assert_eq!(settings(&[]).unwrap().waiting.progress_interval, 15.0);
    let set = settings(&[("MAESTRO_PROGRESS_INTERVAL", "0")]).unwrap().waiting;
    assert_eq!(set.progress_interval, 0.0, "0: a line at every poll");
    for bad in ["-1", "301", "soon"] {
        let errors = settings(&[("MAESTRO_PROGRESS_INTERVAL", bad)]).unwrap_err();
        assert!(errors.0[0].message.contains("from 0 to 300"), "{bad}: {}", errors.0[0].message);
    }
}

#[test]
fn the_builds_secret_keys_are_a_list_of_variable_names() {
    let build = settings(&[("MAESTRO_BUILD_SECRET_KEYS", " NPM_TOKEN, BUNDLE_X "), ("MAESTRO_TRUST_BUILDER", "true")])
        .unwrap()
        .build;
    assert_eq!(build.secret_keys, Some(vec!["NPM_TOKEN".to_owned(), "BUNDLE_X".to_owned()]));
    assert!(build.trust_builder);
    let defaults = settings(&[]).unwrap().build;
    assert_eq!((defaults.secret_keys, defaults.trust_builder), (None, false));
    for bad in ["NPM-TOKEN", "A,,B", "1X"] {
        let errors = settings(&[("MAESTRO_BUILD_SECRET_KEYS", bad)]).unwrap_err();
        assert_eq!(errors.0[0].location.to_string(), "MAESTRO_BUILD_SECRET_KEYS");
        assert_eq!(errors.0[0].message, format!("`{bad}` is not a comma-separated list of variable names"));
    }
}
