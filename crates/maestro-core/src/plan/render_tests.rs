//! The plan's human form, pinned whole: the tree's branches, counts and "none"s are what people
//! read before a deploy.

use super::*;
use crate::fixtures::{self, PROCFILE, app_with};

/// The plan of `procfile` (with `bases`) and the settings `pairs`, rendered for people.
fn rendered(pairs: &[(&str, &str)], procfile: &str, bases: &[(&str, &str)]) -> String {
    let settings = fixtures::deployable(pairs).unwrap();
    human(&fixtures::desired(&fixtures::staging(&[]), &settings, &app_with(procfile, bases)).unwrap())
}

/// `lines`, each ended by a newline.
fn text(lines: &[&str]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

#[test]
fn every_kind_of_resource_in_one_tree() {
    let base = r#"{"cpu": "512", "memory": "1024", "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let pairs = [
        ("ECS_SERVICE_TASK_PROCESSES", "web:2-5[cpu=60&nosclin;mem=70],worker:3,clock,scheduledtasks"),
        ("ECS_SERVICE_SUBNETS", "subnet-a1,subnet-b2"),
        (
            "ECS_EFS_VOLUMES",
            "data:fs-1234abcd{/@/workspace/data},cache:fs-5678abcd{/cache@/tmp/cache;unencrypted;readonly}",
        ),
        ("WORKLOAD_RESOURCE_TAGS", "team=shop,cost=web"),
    ];
    let expected = [
        "Plan for Acme/Shop-API @ staging (3f2a9c1d) in account 123456789012, us-east-1",
        "",
        "cluster       acme-shop-api-staging (FARGATE, FARGATE_SPOT; tasks run on FARGATE_SPOT)",
        "image         123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d",
        "              built from `.` with heroku/builder:26 (default; an environment built before keeps its builder)",
        "secret        staging/acme-shop-api (each key becomes a container variable)",
        "network       subnets subnet-a1, subnet-b2; security groups none; no public IP",
        "release       acme-shop-api-staging-release runs first; services roll only if it exits 0",
        "ECS Exec      off: the tasks have no task role (set ECS_TASK_ROLE_ARN to turn it on)",
        "",
        "task definitions",
        "├── acme-shop-api-staging-web (256 cpu, 512 MiB, entry point `web`, port 3000)",
        "│   └── logs to /ecs/acme-shop-api-staging-web",
        "├── acme-shop-api-staging-worker (512 cpu, 1024 MiB, entry point `worker`)",
        "│   ├── logs to /ecs/acme-shop-api-staging-worker",
        "│   └── based on task-definition-worker.json",
        "├── acme-shop-api-staging-clock (256 cpu, 512 MiB, entry point `clock`)",
        "│   └── logs to /ecs/acme-shop-api-staging-clock",
        "├── acme-shop-api-staging-release (256 cpu, 512 MiB, entry point `release`)",
        "│   └── logs to /ecs/acme-shop-api-staging-release",
        "├── acme-shop-api-staging-scheduledtasks (256 cpu, 512 MiB, entry point `launcher`)",
        "│   └── logs to /ecs/acme-shop-api-staging-scheduledtasks",
        "└── acme-shop-api-staging-launcher (256 cpu, 512 MiB, entry point `launcher`, for one-off commands)",
        "    └── logs to /ecs/acme-shop-api-staging-launcher",
        "",
        "services",
        "├── acme-shop-api-staging-web (2 to 5 tasks, behind the load balancer)",
        "│   ├── scale on cpu at 60%, never scales in (acme-shop-api-staging-web-cpu-scaling-policy)",
        "│   └── scale on memory at 70% (acme-shop-api-staging-web-mem-scaling-policy)",
        "├── acme-shop-api-staging-worker (3 tasks)",
        "└── acme-shop-api-staging-clock (1 task)",
        "",
        "load balancer acme-shop-api-staging (internet-facing)",
        "├── listener HTTP:80 → target group acme-shop-api-staging",
        "└── target group acme-shop-api-staging → container port 3000",
        "",
        "schedules (EventBridge rules running acme-shop-api-staging-scheduledtasks)",
        "├── 2b419b-update-feed  rate(3 hours)      bundle exec rake feed:update",
        "└── 2b419b-nightly      cron(0 3 * * ? *)  bin/nightly \"all\"",
        "",
        "EFS volumes (in every task)",
        "├── data: fs-1234abcd:/ at /workspace/data, encrypted in transit",
        "└── cache: fs-5678abcd:/cache at /tmp/cache, not encrypted in transit, read-only",
        "",
        "tags          team=shop, cost=web",
    ];
    assert_eq!(rendered(&pairs, PROCFILE, &[("worker", base)]), text(&expected));
}

#[test]
fn one_service_on_a_shared_load_balancer_without_logs() {
    let pairs = [
        ("ECS_SERVICE_SUBNETS", "subnet-a1"),
        ("ECS_SERVICE_SECURITY_GROUPS", "sg-1,sg-2"),
        ("ALB_NAME_OVERRIDE", "shared-alb"),
        ("MAESTRO_HOST", "staging.shop.example.com"),
        ("ECS_TASK_ROLE_ARN", "arn:aws:iam::123456789012:role/shop-task"),
        ("MAESTRO_NO_LOG", "true"),
        ("SERVICE_CONNECT_NAMESPACE", "shop.local"),
    ];
    let expected = [
        "Plan for Acme/Shop-API @ staging (3f2a9c1d) in account 123456789012, us-east-1",
        "",
        "cluster       acme-shop-api-staging (FARGATE, FARGATE_SPOT; tasks run on FARGATE_SPOT)",
        "image         123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d",
        "              built from `.` with heroku/builder:26 (default; an environment built before keeps its builder)",
        "secret        staging/acme-shop-api (each key becomes a container variable)",
        "network       subnets subnet-a1; security groups sg-1, sg-2; no public IP",
        "release       none (no `release` process)",
        "ECS Exec      on (`aws ecs execute-command` reaches the tasks)",
        "",
        "task definitions",
        "├── acme-shop-api-staging-web (256 cpu, 512 MiB, entry point `web`, port 3000)",
        "└── acme-shop-api-staging-launcher (256 cpu, 512 MiB, entry point `launcher`, for one-off commands)",
        "",
        "services",
        "└── acme-shop-api-staging-web (1 task, behind the load balancer, Service Connect `web:3000` in shop.local)",
        "",
        "load balancer shared-alb (internet-facing, shared)",
        "├── rule on the shared load balancer's listener → target group acme-shop-api-staging",
        "└── target group acme-shop-api-staging → container port 3000",
        "",
        "tags          none",
    ];
    assert_eq!(rendered(&pairs, "web: bin/web\n", &[]), text(&expected));
}

#[test]
fn no_service_says_none_and_no_network() {
    let expected = [
        "Plan for Acme/Shop-API @ staging (3f2a9c1d) in account 123456789012, us-east-1",
        "",
        "cluster       acme-shop-api-staging (FARGATE, FARGATE_SPOT; tasks run on FARGATE_SPOT)",
        "image         123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d",
        "              built from `.` with heroku/builder:26 (default; an environment built before keeps its builder)",
        "secret        staging/acme-shop-api (each key becomes a container variable)",
        "release       acme-shop-api-staging-release runs first; services roll only if it exits 0",
        "",
        "task definitions",
        "├── acme-shop-api-staging-release (256 cpu, 512 MiB, entry point `release`)",
        "│   └── logs to /ecs/acme-shop-api-staging-release",
        "└── acme-shop-api-staging-launcher (256 cpu, 512 MiB, entry point `launcher`, for one-off commands)",
        "    └── logs to /ecs/acme-shop-api-staging-launcher",
        "",
        "services",
        "└── none",
        "",
        "tags          none",
    ];
    assert_eq!(rendered(&[], "release: bin/migrate\n", &[]), text(&expected));
}

#[test]
fn a_chosen_architecture_is_said_under_the_image() {
    let out = rendered(&[("MAESTRO_CPU_ARCHITECTURE", "ARM64")], "web: bin/web\n", &[]);
    assert!(out.contains("\n              for linux/arm64 (arm64): the tasks run on ARM64\n"), "{out}");
    assert!(out.contains("acme-shop-api-staging:9e8d7c6b-arm64") || out.contains("-arm64"), "{out}");
    assert!(!rendered(&[], "web: bin/web\n", &[]).contains("the tasks run on"));
}
