use serde_json::{Value, json};

use super::*;
use crate::app::ScheduleFile;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::plan::desired::DesiredState;
use crate::spec::schedule;

fn request() -> DeployRequest {
    fixtures::staging(&[])
}

fn target() -> Target {
    request().target().unwrap()
}

fn settings(pairs: &[(&str, &str)]) -> Settings {
    fixtures::deployable(pairs).unwrap()
}

/// The plan of `app` with `settings`, bound to the request's account.
fn desired(settings: &Settings, app: &App) -> Result<DesiredState, InputErrors> {
    fixtures::desired(&request(), settings, app)
}

fn planned(pairs: &[(&str, &str)]) -> DesiredState {
    desired(&settings(pairs), &app_with(PROCFILE, &[])).unwrap()
}

fn plan_errors(pairs: &[(&str, &str)]) -> InputErrors {
    plan(&request(), &target(), &settings(pairs), &app_with(PROCFILE, &[])).unwrap_err()
}

fn service<'a>(state: &'a DesiredState, process: &str) -> &'a Service {
    state.services.iter().find(|service| service.process == process).unwrap()
}

fn definition<'a>(state: &'a DesiredState, process: &str) -> &'a TaskDefinition {
    state.task_definitions.iter().find(|definition| definition.process == process).unwrap()
}

#[test]
fn original_bug_empty_list_never_makes_services_of_one_off_processes() {
    // The original created `release` (migrations in a crash loop) and `launcher` services.
    let state = planned(&[]);
    let processes: Vec<&str> = state.services.iter().map(|service| service.process.as_str()).collect();
    assert_eq!(processes, ["web", "worker", "clock"]);
    // Every Procfile process, and the launcher family for one-off commands.
    assert_eq!(state.task_definitions.len(), 6);
    assert_eq!(state.release.as_ref().unwrap().family, "acme-shop-api-staging-release");
}

#[test]
fn only_listed_processes_get_services() {
    let state = planned(&[("ECS_SERVICE_TASK_PROCESSES", "worker:2,scheduledtasks{512;1024}")]);
    let processes: Vec<&str> = state.services.iter().map(|service| service.process.as_str()).collect();
    assert_eq!(processes, ["worker"]);
    assert!(state.load_balancer.is_none(), "web is not a service, so no load balancer");
    assert_eq!((definition(&state, "scheduledtasks").cpu, definition(&state, "scheduledtasks").memory), (512, 1024));
    assert_eq!(definition(&state, "scheduledtasks").entry_point, ["launcher"]);
}

#[test]
fn original_bug_range_without_targets_scales_on_cpu_55() {
    // The original registered a scalable target with no policy for `web:2-5`.
    let state = planned(&[("ECS_SERVICE_TASK_PROCESSES", "web:2-5,worker:3")]);
    let web = service(&state, "web");
    assert_eq!((web.desired_count, web.min, web.max), (2, 2, Some(5)));
    assert_eq!(web.scaling.len(), 1);
    assert_eq!((web.scaling[0].metric, web.scaling[0].target), (Metric::Cpu, 55.0));
    assert_eq!(web.scaling[0].policy_name, "acme-shop-api-staging-web-cpu-scaling-policy");
    assert_eq!(web.scalable_target.as_deref(), Some("service/acme-shop-api-staging/acme-shop-api-staging-web"));
    let worker = service(&state, "worker");
    assert_eq!((worker.desired_count, worker.max), (3, None));
    assert!(worker.scaling.is_empty() && worker.scalable_target.is_none());
}

#[test]
fn full_scaling_example() {
    let state = planned(&[("ECS_SERVICE_TASK_PROCESSES", "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000]")]);
    let policies: Vec<(Metric, f64, bool, &str)> = service(&state, "web")
        .scaling
        .iter()
        .map(|policy| (policy.metric, policy.target, policy.disable_scale_in, policy.predefined_metric_type.as_str()))
        .collect();
    assert_eq!(
        policies,
        [
            (Metric::Mem, 55.0, true, "ECSServiceAverageMemoryUtilization"),
            (Metric::Cpu, 60.0, false, "ECSServiceAverageCPUUtilization"),
            (Metric::Alb, 1000.0, false, "ALBRequestCountPerTarget"),
        ]
    );
    assert_eq!((definition(&state, "web").cpu, definition(&state, "web").memory), (1024, 2048));
}

#[test]
fn original_bug_web_listens_on_port_not_3000() {
    // The original's template hard-coded container port 3000 while the target group used PORT.
    let state = planned(&[("PORT", "8080")]);
    let web = definition(&state, "web");
    assert_eq!(web.port, Some(8080));
    assert_eq!(
        web.definition["containerDefinitions"][0]["portMappings"],
        json!([{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp", "name": "acme-shop-api-web"}])
    );
    assert_eq!(state.load_balancer.as_ref().unwrap().port, 8080);
    assert!(definition(&state, "worker").definition["containerDefinitions"][0].get("portMappings").is_none());
}

#[test]
fn rendered_task_definition_from_the_template() {
    let state = planned(&[
        ("ECS_EFS_VOLUMES", "data:fs-1234abcd{/@/workspace/data;unencrypted}"),
        ("WORKLOAD_RESOURCE_TAGS", "team=shop"),
        ("ECS_TASK_ROLE_ARN", "arn:aws:iam::123456789012:role/task"),
        ("ECS_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/exec"),
        ("ECS_CONTAINER_STOP_TIMEOUT", "90"),
    ]);
    let worker = &definition(&state, "worker").definition;
    assert_eq!(
        Value::Object(worker.clone()),
        json!({
            "family": "acme-shop-api-staging-worker",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "containerDefinitions": [{
                "name": "acme-shop-api",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d",
                "essential": true,
                "environment": [],
                "secrets": [],
                "stopTimeout": 90,
            "cpu": 256,
            "memory": 512,
                "entryPoint": ["worker"],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/acme-shop-api-staging-worker",
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "ecs",
                }},
                "mountPoints": [{"sourceVolume": "data", "containerPath": "/workspace/data", "readOnly": false}],
            }],
            "taskRoleArn": "arn:aws:iam::123456789012:role/task",
            "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
            "volumes": [{"name": "data", "efsVolumeConfiguration": {"fileSystemId": "fs-1234abcd", "rootDirectory": "/", "transitEncryption": "DISABLED"}}],
            "tags": [{"key": "team", "value": "shop"}],
        })
    );
}

#[test]
fn no_log_removes_the_log_configuration_and_the_log_groups() {
    let state = planned(&[("MAESTRO_NO_LOG", "true")]);
    assert!(state.log_groups.is_empty());
    assert!(definition(&state, "web").definition["containerDefinitions"][0].get("logConfiguration").is_none());
}

#[test]
fn original_bug_base_file_keeps_its_sidecars() {
    // The original's jq edit turned `[app, sidecar]` into `[app, app]`.
    let base = r#"{"cpu": "1024", "memory": "2048", "containerDefinitions": [
        {"name": "acme-shop-api", "image": "x", "portMappings": [{"containerPort": 3000}], "environment": [{"name": "A", "value": "1"}]},
        {"name": "datadog", "image": "datadog/agent:7", "essential": false}
    ], "pidMode": "task"}"#;
    let state =
        desired(&settings(&[("ECS_CONTAINER_STOP_TIMEOUT", "45")]), &app_with(PROCFILE, &[("web", base)])).unwrap();
    let web = definition(&state, "web");
    // The original applied the stop timeout only to its own template.
    assert_eq!(web.definition["containerDefinitions"][0]["stopTimeout"], 45);
    assert_eq!((web.cpu, web.memory), (1024, 2048));
    assert_eq!(web.base_file.as_deref(), Some("task-definition-web.json"));
    let containers = web.definition["containerDefinitions"].as_array().unwrap();
    assert_eq!(containers[1], json!({"name": "datadog", "image": "datadog/agent:7", "essential": false}));
    assert_eq!(containers[0]["image"], "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d");
    assert_eq!(containers[0]["portMappings"], json!([{"containerPort": 3000, "name": "acme-shop-api-web"}]));
    assert_eq!(containers[0]["environment"], json!([{"name": "A", "value": "1"}]));
    assert_eq!(web.definition["pidMode"], "task");
    assert_eq!(web.definition["family"], "acme-shop-api-staging-web");
    // Fargate, where maestro runs it, needs both; the file left them out.
    assert_eq!(
        (&web.definition["networkMode"], &web.definition["requiresCompatibilities"]),
        (&json!("awsvpc"), &json!(["FARGATE"]))
    );
}

#[test]
fn base_file_errors() {
    let missing = r#"{"containerDefinitions": [{"name": "app"}, {"name": "proxy"}]}"#;
    let errors = plan(&request(), &target(), &settings(&[]), &app_with(PROCFILE, &[("worker", missing)])).unwrap_err();
    assert_eq!(*errors.0[0].location, Location::file("task-definition-worker.json"));
    assert!(errors.0[0].message.contains("no container is named `acme-shop-api` (containers: `app`, `proxy`)"));
    let bad_size = r#"{"cpu": "512", "memory": "512", "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let errors = plan(&request(), &target(), &settings(&[]), &app_with(PROCFILE, &[("worker", bad_size)])).unwrap_err();
    assert!(errors.0[0].message.contains("512 cpu units with 512 MiB"));
    let vcpu = r#"{"cpu": "1 vCPU", "memory": "2 GB", "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let state = desired(&settings(&[]), &app_with(PROCFILE, &[("worker", vcpu)])).unwrap();
    assert_eq!((definition(&state, "worker").cpu, definition(&state, "worker").memory), (1024, 2048));
}

#[test]
fn a_listed_process_the_procfile_lacks_is_skipped_with_a_warning() {
    // maestro_infra's default list names a `console` most Procfiles lack: the bash maestro
    // ignored it, so refusing it would stop the project's first deploy.
    let state = planned(&[("ECS_SERVICE_TASK_PROCESSES", "web{1024;2048}:1-2,console{1024;2048},wrker:2")]);
    let processes: Vec<&str> = state.services.iter().map(|service| service.process.as_str()).collect();
    assert_eq!(processes, ["web"]);
    assert_eq!(
        state.warnings,
        [
            "ECS_SERVICE_TASK_PROCESSES: process `console` is not in Procfile, so it is skipped (the Procfile \
             defines `web`, `worker`, `clock`, `release`, `scheduledtasks`)",
            "ECS_SERVICE_TASK_PROCESSES: process `wrker` is not in Procfile, so it is skipped; did you mean `worker`?",
        ]
    );
}

#[test]
fn alb_scaling_needs_the_load_balancer() {
    let errors = plan_errors(&[("ECS_SERVICE_TASK_PROCESSES", "web,worker:1-3[alb=100]")]);
    assert!(errors.0[0].message.contains("`worker` scales on `alb`"));
    assert_eq!(errors.0[0].column, Some(5));
}

#[test]
fn load_balancer_and_schedules() {
    let state =
        planned(&[("ALB_SCHEME", "internal"), ("ALB_SUBNETS", "subnet-a1,subnet-b2"), ("WORKLOAD_VPC_ID", "vpc-1")]);
    let balancer = state.load_balancer.as_ref().unwrap();
    assert_eq!(
        (balancer.name.as_str(), balancer.target_group.as_str(), balancer.scheme.as_str()),
        ("acme-shop-api-staging", "acme-shop-api-staging", "internal")
    );
    assert_eq!((balancer.listener.protocol.as_str(), balancer.listener.port, balancer.shared), ("HTTP", 80, false));
    assert_eq!(balancer.subnets, ["subnet-a1", "subnet-b2"]);
    let rules: Vec<(&str, &str, &str)> = state
        .schedules
        .iter()
        .map(|task| (task.rule.as_str(), task.expression.as_str(), task.command.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            ("2b419b-update-feed", "rate(3 hours)", "bundle exec rake feed:update"),
            ("2b419b-nightly", "cron(0 3 * * ? *)", "bin/nightly \"all\""),
        ]
    );
    assert_eq!(state.schedules[0].task_definition, "acme-shop-api-staging-scheduledtasks");
}

#[test]
fn shared_load_balancer_keeps_the_apps_target_group() {
    let state = planned(&[("ALB_NAME_OVERRIDE", "shared-alb"), ("MAESTRO_HOST", "staging.shop.example.com")]);
    let balancer = state.load_balancer.as_ref().unwrap();
    assert_eq!(
        (balancer.name.as_str(), balancer.target_group.as_str(), balancer.shared),
        ("shared-alb", "acme-shop-api-staging", true)
    );
}

#[test]
fn original_bug_service_connect_only_on_the_named_port() {
    let state = planned(&[("SERVICE_CONNECT_NAMESPACE", "shop.local")]);
    let connect = service(&state, "web").service_connect.as_ref().unwrap();
    assert_eq!(
        (connect.port_name.as_str(), connect.dns_name.as_str(), connect.port),
        ("acme-shop-api-web", "web", 3000)
    );
    assert!(service(&state, "worker").service_connect.is_none());
}

#[test]
fn the_secret_name_can_be_overridden() {
    assert_eq!(planned(&[]).secret, "staging/acme-shop-api");
    assert_eq!(planned(&[("MAESTRO_SECRET_NAME", "shop/shared-staging")]).secret, "shop/shared-staging");
}

#[test]
fn builder_precedence() {
    let mut app = app_with(PROCFILE, &[]);
    assert_eq!(desired(&settings(&[]), &app).unwrap().image.builder, DEFAULT_BUILDER);
    app.project_builder = Some("paketobuildpacks/builder-jammy-base".into());
    let image = desired(&settings(&[]), &app).unwrap().image;
    assert_eq!(
        (image.builder.as_str(), image.builder_source.as_str()),
        ("paketobuildpacks/builder-jammy-base", "project.toml")
    );
    let image = desired(&settings(&[("MAESTRO_BUILDER", "heroku/builder:22")]), &app).unwrap().image;
    assert_eq!((image.builder.as_str(), image.builder_source.as_str()), ("heroku/builder:22", "MAESTRO_BUILDER"));
}

#[test]
fn cluster_override_and_china_registry() {
    let china = fixtures::staging(&[("AWS_REGION", "cn-north-1")]);
    let app = app_with(PROCFILE, &[]);
    let state = fixtures::desired(&china, &settings(&[("ECS_CLUSTER_ID", "shared")]), &app).unwrap();
    assert_eq!(state.cluster.name, "shared");
    assert_eq!(state.image.uri, "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/acme-shop-api-staging:3f2a9c1d");
    assert_eq!(state.services[0].name, "acme-shop-api-staging-web");
}

#[test]
fn colliding_rule_names_are_an_error() {
    let long = "x".repeat(60);
    let mut app = app_with(PROCFILE, &[]);
    app.schedule_file = Some(ScheduleFile {
        path: "tasks/run_tasks.conf".into(),
        schedules: schedule::parse("tasks/run_tasks.conf", &format!("{long}a rate(1 day) a\n{long}b rate(1 day) b\n"))
            .unwrap(),
    });
    let errors = plan(&request(), &target(), &settings(&[]), &app).unwrap_err();
    assert_eq!(*errors.0[0].location, Location::line("tasks/run_tasks.conf", 2));
    assert!(errors.0[0].message.contains("both become rule"));
}

#[test]
fn human_rendering_shows_every_resource() {
    let state = planned(&[
        ("ECS_SERVICE_TASK_PROCESSES", "web:2-5[cpu=60&nosclin],worker"),
        ("ECS_EFS_VOLUMES", "data:fs-1234abcd{/@/workspace/data}"),
    ]);
    let text = render::human(&state);
    for expected in [
        "Plan for Acme/Shop-API @ staging (3f2a9c1d)",
        "cluster       acme-shop-api-staging",
        "acme-shop-api-staging-release runs first",
        "├── acme-shop-api-staging-web (256 cpu, 512 MiB, entry point `web`, port 3000)",
        "acme-shop-api-staging-web (2 to 5 tasks, behind the load balancer)",
        "scale on cpu at 60%, never scales in (acme-shop-api-staging-web-cpu-scaling-policy)",
        "listener HTTP:80 → target group acme-shop-api-staging",
        "2b419b-update-feed  rate(3 hours)      bundle exec rake feed:update",
        "data: fs-1234abcd:/ at /workspace/data, encrypted in transit",
        "network       subnets subnet-0aaa1111, subnet-0bbb2222; security groups none; no public IP",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn a_private_image_outside_ecr_is_pulled_with_its_secret() {
    const SECRET: &str = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf";
    let state = planned(&[("MAESTRO_IMAGE_REPOSITORY", "ghcr.io/acme/shop"), ("MAESTRO_IMAGE_PULL_SECRET", SECRET)]);
    for definition in &state.task_definitions {
        let container = &definition.definition["containerDefinitions"][0];
        assert_eq!(container["image"], "ghcr.io/acme/shop:3f2a9c1d", "{}", definition.process);
        assert_eq!(container["repositoryCredentials"], json!({"credentialsParameter": SECRET}));
    }
    assert!(
        planned(&[]).task_definitions.iter().all(|definition| {
            definition.definition["containerDefinitions"][0].get("repositoryCredentials").is_none()
        }),
        "ECR images need none"
    );
    // A secret for an image ECS pulls from ECR is a mistake, said before any AWS call.
    let errors = plan_errors(&[("MAESTRO_IMAGE_PULL_SECRET", SECRET)]);
    assert_eq!(errors.0[0].location.to_string(), "MAESTRO_IMAGE_PULL_SECRET");
    assert!(errors.0[0].message.contains("is in ECR"), "{}", errors.0[0].message);
}

#[test]
fn an_ecr_repository_must_be_in_the_deploys_region() {
    let errors = plan_errors(&[("MAESTRO_IMAGE_REPOSITORY", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop")]);
    let error = &errors.0[0];
    assert_eq!(error.location.to_string(), "MAESTRO_IMAGE_REPOSITORY");
    assert_eq!(error.message, "the ECR repository is in eu-west-1, but the app deploys to us-east-1");
    assert_eq!(
        error.hint,
        "use an ECR repository of the deploy's region (or leave MAESTRO_IMAGE_REPOSITORY unset for `<slug>-<branch>`)"
    );
    let state = planned(&[("MAESTRO_IMAGE_REPOSITORY", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop")]);
    assert_eq!(state.image.uri, "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:3f2a9c1d");
}
