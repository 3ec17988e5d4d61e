//! The provision engine against the emulator: fresh creation with the original's names,
//! convergence to zero writes, minimal changes, adoption, and describe errors that never turn
//! into creates.

use crate::aws::calls::CallLog;
use crate::aws::{Clients, Session};
use crate::engine;
use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::plan::desired::DesiredState;
use maestro_core::request::{DeployRequest, Need};
use maestro_core::settings::Settings;
use maestro_core::spec::env_file;
use wiremock::matchers::{header_regex, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

use maestro_test_support::{EXAMPLE_APP, EXAMPLE_ENV, repository_root};
use maestro_test_support::{TestAccount, scripted};

/// The example app's plan, with `changes` applied to its settings.
fn example(changes: &[(&str, &str)]) -> DesiredState {
    example_from(&repository_root().join(EXAMPLE_APP), changes)
}

/// The plan of the app in `app` with the example's settings and `changes`.
fn example_from(app: &std::path::Path, changes: &[(&str, &str)]) -> DesiredState {
    let root = repository_root();
    let text = std::fs::read_to_string(root.join(EXAMPLE_ENV)).unwrap();
    let mut env = Env::default();
    for assignment in env_file::parse(EXAMPLE_ENV, &text).unwrap() {
        env.set(assignment.name, assignment.value, Origin::Process);
    }
    for (name, value) in changes {
        env.set(*name, *value, Origin::Process);
    }
    let settings = Settings::from_env(&env).unwrap();
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Target).unwrap();
    let app = crate::workspace::load(app, None).unwrap();
    maestro_core::plan::plan(&request, &request.target().unwrap(), &settings, &app).unwrap()
}

/// The example app's plan in `account`'s network, with `changes` applied to its settings.
async fn example_in(account: &TestAccount, changes: &[(&str, &str)]) -> DesiredState {
    example_from_in(account, &repository_root().join(EXAMPLE_APP), changes).await
}

async fn example_from_in(account: &TestAccount, app: &std::path::Path, changes: &[(&str, &str)]) -> DesiredState {
    let network = account.network().await;
    let subnets = network.subnets.join(",");
    let mut settings = vec![
        ("ECS_SERVICE_SUBNETS", subnets.as_str()),
        ("ALB_SUBNETS", subnets.as_str()),
        ("ECS_SERVICE_SECURITY_GROUPS", network.security_group.as_str()),
        ("ALB_SECURITY_GROUPS", network.security_group.as_str()),
        ("WORKLOAD_VPC_ID", network.vpc_id.as_str()),
    ];
    settings.extend_from_slice(changes);
    example_from(app, &settings)
}

async fn seed_secret(account: &TestAccount) {
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name("staging/acme-shop-api")
        .secret_string(r#"{"DATABASE_URL": "postgres://canary-password@db/shop", "PORT": "3000"}"#)
        .send()
        .await
        .unwrap();
}

fn describe(actions: &[maestro_core::provision::action::Action]) -> Vec<String> {
    actions.iter().map(ToString::to_string).collect()
}

const FRESH: &[&str] = &[
    "create cluster acme-shop-api-staging",
    "create log group /ecs/acme-shop-api-staging-web",
    "create log group /ecs/acme-shop-api-staging-worker",
    "create log group /ecs/acme-shop-api-staging-clock",
    "create log group /ecs/acme-shop-api-staging-release",
    "create log group /ecs/acme-shop-api-staging-scheduledtasks",
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

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn fresh_then_converged_then_one_change() {
    let account = TestAccount::new("fresh_then_converged_then_one_change").await;
    seed_secret(&account).await;
    let desired = example_in(&account, &[]).await;

    // A fresh deploy creates everything, with the original's names.
    let log = CallLog::default();
    let first = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &desired,
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(describe(&first.actions), FRESH);
    assert!(first.warnings.is_empty(), "{:?}", first.warnings);
    // 6 for the cluster and log groups, 5 revisions, 4 for the load balancer (the target group's
    // attributes are a call of their own), 3 services, 2 scalable targets, 4 policies, and 3
    // rules with their targets.
    assert_eq!(log.counts().writes, 30, "{:?}", log.counts().by_operation);
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
    let services = ecs
        .describe_services()
        .cluster("acme-shop-api-staging")
        .services("acme-shop-api-staging-web")
        .send()
        .await
        .unwrap();
    let service = &services.services()[0];
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

    // The second run of an unchanged app writes nothing.
    let log = CallLog::default();
    let second = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &desired,
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(describe(&second.actions), Vec::<String>::new());
    let counts = log.counts();
    assert_eq!(counts.writes, 0, "{:?}", counts.by_operation);
    assert!(counts.by_operation.keys().all(|operation| !operation.contains("Register")));

    // Inputs changed: the worker's size, and `mem` no longer scales web. Only the worker's
    // revision and service change, and the policy of the dropped metric is deleted.
    let processes = "web{1024;2048}:2-5[cpu=60;alb=1000], worker{1024;2048}:1-3, clock, scheduledtasks{256;512}";
    let changed = example_in(&account, &[("ECS_SERVICE_TASK_PROCESSES", processes)]).await;
    let log = CallLog::default();
    let third = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &changed,
        Default::default(),
    )
    .await
    .unwrap();
    let expected = [
        "register a new revision of task definition acme-shop-api-staging-worker",
        "update service acme-shop-api-staging-worker (new task definition revision)",
        "delete scaling policy acme-shop-api-staging-web-mem-scaling-policy",
    ];
    assert_eq!(describe(&third.actions), expected);
    assert_eq!(log.counts().writes, 3);
    let worker = ecs
        .describe_services()
        .cluster("acme-shop-api-staging")
        .services("acme-shop-api-staging-worker")
        .send()
        .await
        .unwrap();
    assert!(worker.services()[0].task_definition().unwrap().ends_with("acme-shop-api-staging-worker:2"));

    // The health check path: only the target group changes, and then nothing does.
    let health =
        example_in(&account, &[("ECS_SERVICE_TASK_PROCESSES", processes), ("MAESTRO_HEALTH_CHECK_PATH", "/health")])
            .await;
    let fourth = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &CallLog::default()),
        &health,
        Default::default(),
    )
    .await
    .unwrap();
    let expected =
        ["set target group acme-shop-api-staging's health check to /health and its deregistration delay to 30s"];
    assert_eq!(describe(&fourth.actions), expected);
    let log = CallLog::default();
    let fifth = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &health,
        Default::default(),
    )
    .await
    .unwrap();
    assert!(fifth.actions.is_empty() && log.counts().writes == 0, "{:?}", fifth.actions);

    // A schedule line removed: its rule (created and tagged by maestro) is deleted, nothing else.
    let app = maestro_test_support::Scratch::copy_of_example();
    app.write(
        "tasks/run_tasks.conf",
        "update-feed rate(3 hours) node bin/feed.js --source \"partners\"\nsend-mail rate(12 hours) node bin/mail.js\n",
    );
    let fewer = example_from_in(
        &account,
        app.path(),
        &[("ECS_SERVICE_TASK_PROCESSES", processes), ("MAESTRO_HEALTH_CHECK_PATH", "/health")],
    )
    .await;
    let log = CallLog::default();
    let sixth = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &fewer,
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(describe(&sixth.actions), ["delete schedule rule 2b419b-nightly (its line is gone)"]);
    assert_eq!(log.counts().writes, 2, "its targets, then the rule: {:?}", log.counts().by_operation);
    let rules = events.list_rules().name_prefix("2b419b-").send().await.unwrap();
    assert_eq!(rules.rules().len(), 2);

    // Log retention, once configured, is set on every group, and then converges.
    let kept = example_from_in(
        &account,
        app.path(),
        &[
            ("ECS_SERVICE_TASK_PROCESSES", processes),
            ("MAESTRO_HEALTH_CHECK_PATH", "/health"),
            ("MAESTRO_LOG_RETENTION_DAYS", "30"),
        ],
    )
    .await;
    let seventh = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &CallLog::default()),
        &kept,
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(seventh.actions.len(), 5, "{:?}", describe(&seventh.actions));
    let log = CallLog::default();
    let eighth = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &kept,
        Default::default(),
    )
    .await
    .unwrap();
    assert!(eighth.actions.is_empty() && log.counts().writes == 0, "{:?}", describe(&eighth.actions));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn resources_of_the_bash_maestro_are_adopted() {
    let account = TestAccount::new("resources_of_the_bash_maestro_are_adopted").await;
    seed_secret(&account).await;
    // What the original created: the cluster (its FARGATE_SPOT default) and the web log group,
    // plus a log group whose name merely starts like one of ours.
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let spot = aws_sdk_ecs::types::CapacityProviderStrategyItem::builder()
        .capacity_provider("FARGATE_SPOT")
        .weight(1)
        .build()
        .unwrap();
    ecs.create_cluster()
        .cluster_name("acme-shop-api-staging")
        .capacity_providers("FARGATE")
        .capacity_providers("FARGATE_SPOT")
        .default_capacity_provider_strategy(spot)
        .send()
        .await
        .unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&account.config);
    for name in ["/ecs/acme-shop-api-staging-web", "/ecs/acme-shop-api-staging-webhooks"] {
        logs.create_log_group().log_group_name(name).send().await.unwrap();
    }

    let log = CallLog::default();
    let desired = example_in(&account, &[]).await;
    let reconciled = engine::reconcile(
        &Clients::new(&Session::from_config(account.config.clone()), &log),
        &desired,
        Default::default(),
    )
    .await
    .unwrap();
    let actions = describe(&reconciled.actions);
    assert!(!actions.iter().any(|action| action.starts_with("create cluster")), "{actions:?}");
    assert!(!actions.contains(&"create log group /ecs/acme-shop-api-staging-web".to_owned()), "{actions:?}");
    assert!(actions.contains(&"create log group /ecs/acme-shop-api-staging-worker".to_owned()), "{actions:?}");
    assert!(
        actions.iter().any(|action| action.starts_with("tag arn:aws:ecs:us-east-1:")),
        "the adopted cluster gets maestro's tags: {actions:?}"
    );
    let clusters = ecs.list_clusters().send().await.unwrap();
    assert_eq!(clusters.cluster_arns().len(), 1, "no duplicate cluster");
    assert!(clusters.cluster_arns()[0].contains(&account.id), "the test's own account");
    let groups =
        logs.describe_log_groups().log_group_name_prefix("/ecs/acme-shop-api-staging-web").send().await.unwrap();
    assert_eq!(groups.log_groups().len(), 2, "no duplicate log group");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_certificate_serves_https_and_redirects_http() {
    let account = TestAccount::new("a_certificate_serves_https_and_redirects_http").await;
    let certificate = account.certificate("shop.example.com").await;
    let desired = example_in(&account, &[("ALB_CERTIFICATE_ARN", certificate.as_str())]).await;
    let session = Session::from_config(account.config.clone());
    let first =
        engine::reconcile(&Clients::new(&session, &CallLog::default()), &desired, Default::default()).await.unwrap();
    let actions = describe(&first.actions);
    assert!(
        actions.contains(
            &"create listener HTTPS:443 on acme-shop-api-staging forwarding to acme-shop-api-staging".to_owned()
        ),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"create listener HTTP:80 on acme-shop-api-staging redirecting to HTTPS".to_owned()),
        "{actions:?}"
    );

    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancers = elb.describe_load_balancers().names("acme-shop-api-staging").send().await.unwrap();
    let arn = balancers.load_balancers()[0].load_balancer_arn().unwrap();
    let listeners = elb.describe_listeners().load_balancer_arn(arn).send().await.unwrap();
    let https = listeners.listeners().iter().find(|listener| listener.port() == Some(443)).unwrap();
    assert_eq!(https.certificates()[0].certificate_arn(), Some(certificate.as_str()));
    let http = listeners.listeners().iter().find(|listener| listener.port() == Some(80)).unwrap();
    let redirect = http.default_actions()[0].redirect_config().unwrap();
    assert_eq!((redirect.protocol(), redirect.port()), (Some("HTTPS"), Some("443")));

    let log = CallLog::default();
    let second = engine::reconcile(&Clients::new(&session, &log), &desired, Default::default()).await.unwrap();
    assert!(second.actions.is_empty() && log.counts().writes == 0, "{:?}", describe(&second.actions));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_shared_load_balancer_routes_the_apps_host() {
    let account = TestAccount::new("a_shared_load_balancer_routes_the_apps_host").await;
    let network = account.network().await;
    // Someone else's load balancer, with an HTTP listener and another app's rule at priority 1.
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let created =
        elb.create_load_balancer().name("shared-alb").set_subnets(Some(network.subnets.clone())).send().await.unwrap();
    let shared = created.load_balancers()[0].load_balancer_arn().unwrap().to_owned();
    let other = elb
        .create_target_group()
        .name("other-app")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .vpc_id(&network.vpc_id)
        .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    let other = other.target_groups()[0].target_group_arn().unwrap().to_owned();
    let forward = |arn: &str| {
        aws_sdk_elasticloadbalancingv2::types::Action::builder()
            .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
            .target_group_arn(arn)
            .build()
    };
    let listener = elb
        .create_listener()
        .load_balancer_arn(&shared)
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(80)
        .default_actions(forward(&other))
        .send()
        .await
        .unwrap();
    let listener = listener.listeners()[0].listener_arn().unwrap().to_owned();
    let host = |value: &str| {
        aws_sdk_elasticloadbalancingv2::types::RuleCondition::builder().field("host-header").values(value).build()
    };
    elb.create_rule()
        .listener_arn(&listener)
        .priority(1)
        .conditions(host("other.example.com"))
        .actions(forward(&other))
        .send()
        .await
        .unwrap();

    let desired =
        example_in(&account, &[("ALB_NAME_OVERRIDE", "shared-alb"), ("MAESTRO_HOST", "staging.shop.example.com")])
            .await;
    let session = Session::from_config(account.config.clone());
    let first =
        engine::reconcile(&Clients::new(&session, &CallLog::default()), &desired, Default::default()).await.unwrap();
    let actions = describe(&first.actions);
    assert!(actions.contains(&"route host staging.shop.example.com to acme-shop-api-staging on the shared load balancer (rule priority 2)".to_owned()), "{actions:?}");
    assert!(
        !actions.iter().any(|action| action.contains("create load balancer") || action.contains("listener")),
        "{actions:?}"
    );
    let rules = elb.describe_rules().listener_arn(&listener).send().await.unwrap();
    let ours = rules.rules().iter().find(|rule| rule.priority() == Some("2")).unwrap();
    assert!(ours.actions()[0].target_group_arn().unwrap().contains("targetgroup/acme-shop-api-staging/"));

    let log = CallLog::default();
    let second = engine::reconcile(&Clients::new(&session, &log), &desired, Default::default()).await.unwrap();
    assert!(second.actions.is_empty() && log.counts().writes == 0, "{:?}", describe(&second.actions));
}

/// moto cannot throttle or deny, so a loopback server scripts the error for every call, and
/// proves that no create, register, put or tag call follows it.
async fn describe_error_never_leads_to_a_create(code: &str) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header_regex("x-amz-target", r"\.(Create|Register|Put|Tag)"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .with_priority(1)
        .mount(&server)
        .await;
    let body = serde_json::json!({"__type": code, "message": format!("{code} from the scripted server")});
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let config = scripted(&server.uri()).await;
    let failure = engine::reconcile(
        &Clients::new(&Session::from_config(config.clone()), &CallLog::default()),
        &example(&[]),
        Default::default(),
    )
    .await
    .unwrap_err();
    assert!(failure.message.contains(code), "{}", failure.render());
    assert!(["describe", "list", "read"].iter().any(|verb| failure.message.starts_with(verb)), "{}", failure.message);
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_on_describe_fails_without_creating() {
    describe_error_never_leads_to_a_create("ThrottlingException").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn access_denied_on_describe_fails_without_creating() {
    describe_error_never_leads_to_a_create("AccessDeniedException").await;
}
