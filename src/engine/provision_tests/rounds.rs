//! The example app reconciled round after round: a fresh deploy creates everything with the
//! original's names, then writes nothing; each later change of input changes only what it
//! touches, then converges again.

use maestro_test_support::Scratch;

use super::Scenario;

const FRESH: &[&str] = &[
    "create cluster acme-shop-api-staging",
    "create log group /ecs/acme-shop-api-staging-web",
    "create log group /ecs/acme-shop-api-staging-worker",
    "create log group /ecs/acme-shop-api-staging-clock",
    "create log group /ecs/acme-shop-api-staging-release",
    "create log group /ecs/acme-shop-api-staging-scheduledtasks",
    "create log group /ecs/acme-shop-api-staging-launcher",
    "create load balancer acme-shop-api-staging (internet-facing)",
    "create target group acme-shop-api-staging (port 3000)",
    "put schedule rule 2b419b-update-feed (rate(3 hours))",
    "put schedule rule 2b419b-send-mail (rate(12 hours))",
    "put schedule rule 2b419b-nightly (cron(0 3 * * ? *))",
    "register a new revision of task definition acme-shop-api-staging-web",
    "register a new revision of task definition acme-shop-api-staging-worker",
    "register a new revision of task definition acme-shop-api-staging-clock",
    "register a new revision of task definition acme-shop-api-staging-release",
    "register a new revision of task definition acme-shop-api-staging-scheduledtasks",
    "register a new revision of task definition acme-shop-api-staging-launcher",
    "create listener HTTP:80 on acme-shop-api-staging forwarding to acme-shop-api-staging",
    "create service acme-shop-api-staging-web",
    "create service acme-shop-api-staging-worker",
    "create service acme-shop-api-staging-clock",
    "point schedule rule 2b419b-update-feed at acme-shop-api-staging-scheduledtasks",
    "point schedule rule 2b419b-send-mail at acme-shop-api-staging-scheduledtasks",
    "point schedule rule 2b419b-nightly at acme-shop-api-staging-scheduledtasks",
    "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 2 and 5 tasks",
    "scale service/acme-shop-api-staging/acme-shop-api-staging-worker between 1 and 3 tasks",
    "put scaling policy acme-shop-api-staging-web-mem-scaling-policy (target 55)",
    "put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 60)",
    "put scaling policy acme-shop-api-staging-web-alb-scaling-policy (target 1000)",
    "put scaling policy acme-shop-api-staging-worker-cpu-scaling-policy (target 55)",
];

/// The example's processes with the worker resized and `mem` no longer scaling web.
const RESIZED: &str = "web{1024;2048}:2-5[cpu=60;alb=1000], worker{1024;2048}:1-3, clock, scheduledtasks{256;512}";

/// A scenario whose account already holds the example app, as a first deploy left it.
async fn deployed(name: &str) -> Scenario {
    let scenario = Scenario::new(name).await;
    let fresh = scenario.reconcile(&scenario.plan(&[])).await;
    assert_eq!(fresh.actions(), FRESH);
    scenario
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_fresh_deploy_creates_everything_with_the_originals_names_then_writes_nothing() {
    let scenario = Scenario::new("a_fresh_deploy_creates_everything").await;
    let account = &scenario.account;
    scenario.seed_secret().await;
    let desired = scenario.plan(&[]);

    let first = scenario.reconcile(&desired).await;
    assert_eq!(first.actions(), FRESH);
    assert!(first.reconciled.warnings.is_empty(), "{:?}", first.reconciled.warnings);
    // 7 for the cluster and log groups, 6 revisions (the launcher family's too), 4 for the load balancer (the target group's
    // attributes are a call of their own), 3 services, 2 scalable targets twice each (Application
    // Auto Scaling does not know a service just created: the first try is refused, the second
    // accepted), 4 policies, and 3 rules with their targets.
    assert_eq!(first.calls.writes, 34, "{:?}", first.calls.by_operation);
    assert_eq!(first.calls.by_operation["Application Auto Scaling.RegisterScalableTarget"], 4);
    let events = aws_sdk_eventbridge::Client::new(&account.config);
    let targets = events.list_targets_by_rule().rule("2b419b-update-feed").send().await.unwrap();
    let target = &targets.targets()[0];
    let input: serde_json::Value = serde_json::from_str(target.input().unwrap()).unwrap();
    assert_eq!(input["containerOverrides"][0]["command"][0], r#"node bin/feed.js --source "partners""#);
    assert!(target.ecs_parameters().unwrap().task_definition_arn().ends_with("acme-shop-api-staging-scheduledtasks:1"));
    assert!(target.role_arn().unwrap().ends_with(":role/ecsEventsRole"));

    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let web = ecs.describe_task_definition().task_definition("acme-shop-api-staging-web").send().await.unwrap();
    let web = web.task_definition().unwrap();
    assert_eq!(web.revision(), 1);
    assert_eq!((web.cpu(), web.memory()), (Some("1024"), Some("2048")));
    let container = &web.container_definitions()[0];
    assert_eq!(container.name(), Some("acme-shop-api"));
    assert_eq!(container.image(), Some(desired.image.uri.as_str()));
    assert_eq!(container.entry_point(), ["web"]);
    assert_eq!(container.port_mappings()[0].container_port(), Some(3000));
    let secrets: Vec<(&str, &str)> =
        container.secrets().iter().map(|secret| (secret.name(), secret.value_from())).collect();
    assert_eq!(secrets.len(), 2);
    let by_reference = |(name, from): &(&str, &str)| {
        from.contains(":secret:staging/acme-shop-api") && from.ends_with(&format!(":{name}::"))
    };
    assert!(secrets.iter().all(by_reference), "{secrets:?}");
    assert_eq!(web.volumes()[0].efs_volume_configuration().unwrap().file_system_id(), "fs-0123456789abcdef0");
    // A service just created is MISSING from its first describe (eventual consistency): look again.
    let mut services = Vec::new();
    for _ in 0..3 {
        let described =
            ecs.describe_services().cluster("acme-shop-api-staging").services("acme-shop-api-staging-web").send();
        services = described.await.unwrap().services().to_vec();
        if !services.is_empty() {
            break;
        }
    }
    let service = &services[0];
    assert_eq!(service.load_balancers()[0].container_port(), Some(3000));
    assert_eq!(service.desired_count(), 2);
    let scaling = aws_sdk_applicationautoscaling::Client::new(&account.config);
    let alb = scaling
        .describe_scaling_policies()
        .service_namespace(aws_sdk_applicationautoscaling::types::ServiceNamespace::Ecs)
        .policy_names("acme-shop-api-staging-web-alb-scaling-policy")
        .send()
        .await
        .unwrap();
    let policy = alb
        .scaling_policies()
        .iter()
        .find(|policy| policy.policy_name() == "acme-shop-api-staging-web-alb-scaling-policy")
        .unwrap();
    let tracking = policy.target_tracking_scaling_policy_configuration().unwrap();
    let label = tracking.predefined_metric_specification().unwrap().resource_label().unwrap();
    assert!(
        label.starts_with("app/acme-shop-api-staging/") && label.contains("/targetgroup/acme-shop-api-staging/"),
        "{label}"
    );

    // The second run of an unchanged app writes nothing, and registers no revision.
    let second = scenario.reconcile(&desired).await;
    second.assert_converged();
    assert!(second.calls.by_operation.keys().all(|operation| !operation.contains("Register")));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_resized_process_and_a_dropped_metric_change_only_those() {
    let scenario = deployed("a_resized_process_and_a_dropped_metric").await;
    // Only the worker's revision and service change, and the policy of the dropped metric is deleted.
    let changed = scenario.reconcile(&scenario.plan(&[("ECS_SERVICE_TASK_PROCESSES", RESIZED)])).await;
    let expected = [
        "register a new revision of task definition acme-shop-api-staging-worker",
        "update service acme-shop-api-staging-worker (new task definition revision)",
        "delete scaling policy acme-shop-api-staging-web-mem-scaling-policy",
    ];
    assert_eq!(changed.actions(), expected);
    assert_eq!(changed.calls.writes, 3);
    let worker = aws_sdk_ecs::Client::new(&scenario.account.config)
        .describe_services()
        .cluster("acme-shop-api-staging")
        .services("acme-shop-api-staging-worker")
        .send()
        .await
        .unwrap();
    assert!(worker.services()[0].task_definition().unwrap().ends_with("acme-shop-api-staging-worker:2"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_health_check_path_changes_only_the_target_group() {
    let scenario = deployed("a_health_check_path_changes_only_the_target_group").await;
    let health = scenario.plan(&[("MAESTRO_HEALTH_CHECK_PATH", "/health")]);
    let changed = scenario.reconcile(&health).await;
    let expected =
        ["set target group acme-shop-api-staging's health check to /health every 10s (5s timeout, healthy after 2, \
         unhealthy after 3) and its deregistration delay to 30s"];
    assert_eq!(changed.actions(), expected);
    scenario.reconcile(&health).await.assert_converged();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_target_group_at_aws_defaults_is_tuned_once_then_converges() {
    let scenario = deployed("a_target_group_at_aws_defaults_is_tuned_once").await;
    // An app deployed before the tuning: its group has AWS's HTTP defaults.
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&scenario.account.config);
    let groups = elb.describe_target_groups().names("acme-shop-api-staging").send().await.unwrap();
    let arn = groups.target_groups()[0].target_group_arn().unwrap().to_owned();
    let timing = (
        groups.target_groups()[0].health_check_interval_seconds(),
        groups.target_groups()[0].healthy_threshold_count(),
    );
    assert_eq!(timing, (Some(10), Some(2)), "a fresh deploy's group is tuned already");
    let defaults = elb.modify_target_group().target_group_arn(&arn).health_check_interval_seconds(30);
    let defaults = defaults.health_check_timeout_seconds(6).healthy_threshold_count(5).unhealthy_threshold_count(2);
    defaults.send().await.unwrap();

    let desired = scenario.plan(&[]);
    let tuned = scenario.reconcile(&desired).await;
    assert_eq!(tuned.actions().len(), 1, "{:?}", tuned.actions());
    assert!(tuned.actions()[0].contains("every 10s (5s timeout, healthy after 2, unhealthy after 3)"));
    // ModifyTargetGroup, and the deregistration delay's ModifyTargetGroupAttributes.
    assert_eq!(tuned.calls.writes, 2, "{:?}", tuned.calls.by_operation);
    scenario.reconcile(&desired).await.assert_converged();

    // A slower interval moves the web service's grace period with it: 30 s × 2 + 40 s.
    let slower = scenario.plan(&[("MAESTRO_HEALTH_CHECK_INTERVAL", "30")]);
    let changed = scenario.reconcile(&slower).await.actions();
    assert_eq!(changed.len(), 2, "{changed:?}");
    assert!(changed[0].contains("every 30s (5s timeout"), "{changed:?}");
    assert_eq!(changed[1], "update service acme-shop-api-staging-web (health-check grace period)");
    let ecs = aws_sdk_ecs::Client::new(&scenario.account.config);
    let web = ecs.describe_services().cluster("acme-shop-api-staging").services("acme-shop-api-staging-web");
    let web = web.send().await.unwrap();
    assert_eq!(web.services()[0].health_check_grace_period_seconds(), Some(100));
    scenario.reconcile(&slower).await.assert_converged();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_removed_schedule_line_deletes_only_its_rule() {
    let scenario = deployed("a_removed_schedule_line_deletes_only_its_rule").await;
    // The rule was created and tagged by maestro, so it may be deleted.
    let app = Scratch::copy_of_example();
    app.write(
        "tasks/run_tasks.conf",
        "update-feed rate(3 hours) node bin/feed.js --source \"partners\"\nsend-mail rate(12 hours) node bin/mail.js\n",
    );
    let fewer = scenario.reconcile(&scenario.plan_of(app.path(), &[])).await;
    assert_eq!(fewer.actions(), ["delete schedule rule 2b419b-nightly (its line is gone)"]);
    assert_eq!(fewer.calls.writes, 2, "its targets, then the rule: {:?}", fewer.calls.by_operation);
    let events = aws_sdk_eventbridge::Client::new(&scenario.account.config);
    let rules = events.list_rules().name_prefix("2b419b-").send().await.unwrap();
    assert_eq!(rules.rules().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn log_retention_once_configured_is_set_on_every_group_then_converges() {
    let scenario = deployed("log_retention_once_configured_is_set_on_every_group").await;
    let kept = scenario.plan(&[("MAESTRO_LOG_RETENTION_DAYS", "30")]);
    let changed = scenario.reconcile(&kept).await;
    // One per log group: the five processes' and the launcher family's.
    assert_eq!(changed.actions().len(), 6, "{:?}", changed.actions());
    scenario.reconcile(&kept).await.assert_converged();
}
