//! What real AWS refuses half-way is refused before any write; what ECS reorders or fills in is
//! no change. The real binary against the emulator, each test in its own account.

use aws_sdk_elasticloadbalancingv2::types::{Action, ActionTypeEnum, FixedResponseActionConfig, ProtocolEnum};

use crate::support::{
    EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, Scratch, maestro, repository_root, run,
};
use maestro_test_support::TestAccount;

/// `subcommand` on `app` in `account`, with the example's settings minus `drop`, plus `extra`.
pub(crate) async fn maestro_on(
    account: &TestAccount,
    app: &str,
    subcommand: &str,
    drop: &[&str],
    extra: &[(&str, &str)],
) -> Outcome {
    let settings = Scratch::new();
    let example = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap();
    let kept: String = example
        .lines()
        .filter(|line| !drop.iter().any(|name| line.starts_with(&format!("{name}="))))
        .map(|line| format!("{line}\n"))
        .collect();
    settings.write("maestro.env", &kept);
    let env_file = settings.join("maestro.env").display().to_string();
    let mut command = maestro();
    command.args([subcommand, "--app", app, "--env-file", &env_file, "--output", "json"]);
    let env = account.deploy_env().await;
    command.envs(env.iter().filter(|(name, _)| !drop.contains(&name.as_str())).map(|(name, value)| (name, value)));
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    command.envs(extra.iter().copied());
    run(&mut command)
}

/// Whether anything of the app exists in `account`: its cluster, a load balancer, a task definition.
async fn anything_written(account: &TestAccount) -> bool {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let clusters = ecs.list_clusters().send().await.unwrap();
    let families = ecs.list_task_definition_families().send().await.unwrap();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancers = elb.describe_load_balancers().send().await.unwrap();
    !clusters.cluster_arns().is_empty() || !families.families().is_empty() || !balancers.load_balancers().is_empty()
}

/// A deploy refused before any write: app, settings left out, settings added, expected error.
struct Case<'a>(&'a str, &'a [&'a str], &'a [(&'a str, &'a str)], &'a str);

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn inputs_aws_would_refuse_half_way_stop_before_any_write() {
    let account = TestAccount::new("inputs_aws_would_refuse_half_way_stop_before_any_write").await;
    let bridge = Scratch::copy_of_example();
    bridge.write(
        "task-definition-worker.json",
        "{\n  \"containerDefinitions\": [{\"name\": \"acme-shop-api\"}],\n  \"networkMode\": \"bridge\"\n}\n",
    );
    let bridge_app = bridge.path().display().to_string();
    // Each: the app, the settings left out, the settings added, and the error that names the input.
    let cases = [
        Case(EXAMPLE_APP, &["ECS_EXECUTION_ROLE_ARN"], &[], "ECS_EXECUTION_ROLE_ARN: the tasks need an execution role"),
        Case(EXAMPLE_APP, &["ECS_SERVICE_SUBNETS"], &[], "ECS_SERVICE_SUBNETS: no subnet for the tasks"),
        Case(EXAMPLE_APP, &["WORKLOAD_VPC_ID"], &[], "WORKLOAD_VPC_ID: `web` is behind a load balancer"),
        Case(EXAMPLE_APP, &["ALB_SUBNETS"], &[("ALB_SUBNETS", "subnet-0aaa1111")], "ALB_SUBNETS lists 1"),
        Case(
            EXAMPLE_APP,
            &[],
            &[("ALB_NAME_OVERRIDE", "shared-alb")],
            "MAESTRO_HOST: load balancer shared-alb is shared",
        ),
        Case(&bridge_app, &[], &[], "task-definition-worker.json:3"),
    ];
    for Case(app, drop, extra, error) in cases {
        let outcome = maestro_on(&account, app, "deploy", drop, extra).await;
        // Each names its fix: the acceptance asks for a hint, not only the error.
        outcome.expect_code(2).expect_stderr(&[error, "hint: "]);
        assert!(!anything_written(&account).await, "{error}: nothing may be written");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_app_without_a_task_role_deploys_with_ecs_exec_off() {
    let account = TestAccount::new("an_app_without_a_task_role_deploys_with_ecs_exec_off").await;
    let plan = maestro_on(&account, EXAMPLE_APP, "plan", &["ECS_TASK_ROLE_ARN"], &[]).await;
    assert_eq!(plan.expect_code(0).json()["services"][0]["execute_command"], false);
    maestro_on(&account, EXAMPLE_APP, "deploy", &["ECS_TASK_ROLE_ARN"], &[]).await.expect_code(0);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let services = ecs
        .describe_services()
        .cluster("acme-shop-api-staging")
        .services("acme-shop-api-staging-web")
        .services("acme-shop-api-staging-worker")
        .send()
        .await
        .unwrap();
    assert_eq!(services.services().len(), 2);
    assert!(
        services.services().iter().all(|service| !service.enable_execute_command()),
        "ECS refuses it without a role"
    );
    // Setting the role later turns ECS Exec on, on the same services.
    let report = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[]).await.expect_code(0).json();
    let reasons: Vec<&str> = report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|action| action["action"] == "update_service")
        .flat_map(|action| action["reasons"].as_array().unwrap().iter().filter_map(|reason| reason.as_str()))
        .collect();
    assert!(reasons.contains(&"ECS Exec") && reasons.contains(&"new task definition revision"), "{reasons:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_redeploy_writes_nothing_whatever_the_order_of_secret_keys_and_base_file_fields() {
    let account =
        TestAccount::new("a_redeploy_writes_nothing_whatever_the_order_of_secret_keys_and_base_file_fields").await;
    // The secret's keys in no order ECS would keep.
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name("staging/acme-shop-api")
        .secret_string(r#"{"ZETA_TOKEN": "z", "DATABASE_URL": "postgres://db/shop", "MIDDLE": "m", "API_KEY": "k"}"#)
        .send()
        .await
        .unwrap();
    let app = Scratch::copy_of_example();
    // `web`'s base file in the order DescribeTaskDefinition answers, with the defaults it fills in.
    app.write(
        "task-definition-web.json",
        r#"{
  "containerDefinitions": [
    {
      "name": "acme-shop-api",
      "image": "placeholder",
      "cpu": 0,
      "portMappings": [{"containerPort": 3000, "hostPort": 3000, "protocol": "tcp"}],
      "essential": true,
      "environment": [{"name": "RAILS_ENV", "value": "production"}, {"name": "LANG", "value": "C.UTF-8"}],
      "mountPoints": [],
      "volumesFrom": []
    },
    {"name": "metrics", "image": "prom/statsd-exporter:v0.26.0", "cpu": 0, "essential": false, "environment": []}
  ],
  "family": "web",
  "networkMode": "awsvpc",
  "requiresCompatibilities": ["FARGATE"],
  "cpu": "1024",
  "memory": "2048"
}
"#,
    );
    // `worker`'s in an order of its own, with ECS's defaults and Fargate's settings left out
    // (maestro fills in `requiresCompatibilities` and `networkMode`).
    app.write(
        "task-definition-worker.json",
        r#"{"memory": "1024", "cpu": "512",
  "containerDefinitions": [
    {"name": "sidecar", "image": "busybox:1.36", "essential": false, "command": ["sleep", "infinity"]},
    {"name": "acme-shop-api", "environment": [{"value": "2", "name": "WORKERS"}, {"value": "1", "name": "QUEUE_PRIORITY"}]}
  ]}
"#,
    );
    let app = app.path().display().to_string();
    let first = maestro_on(&account, &app, "deploy", &[], &[]).await.expect_code(0).json();
    assert!(first["aws_calls"]["writes"].as_u64().unwrap() > 0);
    let again = maestro_on(&account, &app, "deploy", &[], &[]).await;
    let report = again.expect_code(0).json();
    assert_eq!(report["actions"], serde_json::json!([]), "{}", again.stderr);
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", report["aws_calls"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_shared_load_balancer_must_exist_with_a_listener_before_anything_is_written() {
    let account =
        TestAccount::new("a_shared_load_balancer_must_exist_with_a_listener_before_anything_is_written").await;
    let shared = [("ALB_NAME_OVERRIDE", "shared-alb"), ("MAESTRO_HOST", "staging.shop.example.com")];
    let missing = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &shared).await;
    // verify finds it before the deploy lease: an input error naming the input.
    missing.expect_code(2).expect_stderr(&[
        "error: ALB_NAME_OVERRIDE: load balancer shared-alb does not exist in this account and region",
        "hint: create it with a listener on port 80 (HTTP), or correct ALB_NAME_OVERRIDE",
    ]);
    assert!(!anything_written(&account).await);

    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let network = account.network().await;
    let created =
        elb.create_load_balancer().name("shared-alb").set_subnets(Some(network.subnets.clone())).send().await.unwrap();
    let arn = created.load_balancers()[0].load_balancer_arn().unwrap().to_owned();
    let without_listener = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &shared).await;
    without_listener.expect_code(2).expect_stderr(&[
        "ALB_NAME_OVERRIDE: load balancer shared-alb has no listener on port 80 for the rule routing staging.shop.example.com",
    ]);
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "nothing was created");
    let plan = maestro_on(&account, EXAMPLE_APP, "plan", &[], &shared).await;
    plan.expect_code(2).expect_stderr(&["has no listener on port 80"]);

    let not_found = FixedResponseActionConfig::builder().status_code("404").build();
    let answer = Action::builder().r#type(ActionTypeEnum::FixedResponse).fixed_response_config(not_found).build();
    elb.create_listener()
        .load_balancer_arn(&arn)
        .protocol(ProtocolEnum::Http)
        .port(80)
        .default_actions(answer)
        .send()
        .await
        .unwrap();
    maestro_on(&account, EXAMPLE_APP, "deploy", &[], &shared).await.expect_code(0);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_branch_whose_names_hit_every_limit_deploys_under_names_aws_takes() {
    let account = TestAccount::new("a_branch_whose_names_hit_every_limit_deploys_under_names_aws_takes").await;
    let branch = "feature/payments-refactor-with-a-very-long-and-descriptive-name";
    let repository = format!("acme-shop-api-{}", maestro_core::naming::branch(branch));
    account.seed_image(&repository, EXAMPLE_TAG).await;
    let extra = [("MAESTRO_BRANCH_OVERRIDE", branch), ("SERVICE_CONNECT_NAMESPACE", "shop.local")];
    let plan = maestro_on(&account, EXAMPLE_APP, "plan", &[], &extra).await.expect_code(0).json();
    let balancer = &plan["load_balancer"];
    for name in [&balancer["name"], &balancer["target_group"]] {
        let name = name.as_str().unwrap();
        assert!(name.len() <= 32 && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{name}");
    }
    let connect = &plan["services"][0]["service_connect"];
    let discovery = connect["discovery_name"].as_str().unwrap();
    assert!((58..=64).contains(&discovery.len()) && discovery.starts_with("acme-shop-api-feature-"), "{connect}");
    let report = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &extra).await.expect_code(0).json();
    assert!(report["services"].as_array().unwrap().iter().all(|service| service["state"] == "deployed"), "{report}");
    let again = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &extra).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{}", again["actions"]);
}

/// The id of `service`'s deployments, newest first.
async fn deployment_ids(account: &TestAccount, service: &str) -> Vec<String> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let found = ecs.describe_services().cluster("acme-shop-api-staging").services(service).send().await.unwrap();
    found.services()[0].deployments().iter().filter_map(|deployment| deployment.id().map(str::to_owned)).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_new_task_count_alone_replaces_no_task() {
    let account = TestAccount::new("a_new_task_count_alone_replaces_no_task").await;
    maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[]).await.expect_code(0);
    let clock = "acme-shop-api-staging-clock";
    let before = deployment_ids(&account, clock).await;
    assert_eq!(before.len(), 1, "{before:?}");
    // `clock` (not autoscaled) from one task to two, nothing else: UpdateService must carry the count
    // alone, since sending the network or load balancers again starts a deployment that replaces
    // every task (the strict emulator does what ECS does).
    let processes =
        "web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000], worker{512;1024}:1-3, clock:2, scheduledtasks{256;512}";
    let changed = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &[("ECS_SERVICE_TASK_PROCESSES", processes)]).await;
    let report = changed.expect_code(0).json();
    assert_eq!(report["aws_calls"]["writes"], 1, "{}", report["actions"]);
    assert_eq!(deployment_ids(&account, clock).await, before, "a count is not a deployment");
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let found = ecs.describe_services().cluster("acme-shop-api-staging").services(clock).send().await.unwrap();
    assert_eq!(found.services()[0].desired_count(), 2);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_repository_whose_names_hit_the_port_name_and_internal_limits_deploys_twice() {
    let account =
        TestAccount::new("a_repository_whose_names_hit_the_port_name_and_internal_limits_deploys_twice").await;
    // A slug that starts with `internal` (a load balancer name may not) and is long enough that
    // `<slug>-staging-web`, the Service Connect port name, passes AWS's 64 characters.
    let repository = format!("internal/{}", "billing-reconciliation-service".repeat(2));
    let extra = [("MAESTRO_REPO_OVERRIDE", repository.as_str()), ("SERVICE_CONNECT_NAMESPACE", "shop.local")];
    let plan = maestro_on(&account, EXAMPLE_APP, "plan", &[], &extra).await.expect_code(0).json();
    let balancer = plan["load_balancer"]["name"].as_str().unwrap();
    assert!(balancer.len() <= 32 && !balancer.starts_with("internal-"), "{balancer}");
    let connect = &plan["services"][0]["service_connect"];
    for name in [&connect["port_name"], &connect["discovery_name"]] {
        let name = name.as_str().unwrap();
        assert!((58..=64).contains(&name.len()) && name.starts_with("internal-billing-"), "{name}");
    }
    account.seed_image(plan["image"]["repository"].as_str().unwrap(), EXAMPLE_TAG).await;
    let report = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &extra).await.expect_code(0).json();
    assert!(report["services"].as_array().unwrap().iter().all(|service| service["state"] == "deployed"), "{report}");
    let again = maestro_on(&account, EXAMPLE_APP, "deploy", &[], &extra).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{}", again["actions"]);
}

/// Creates the app secret `staging/acme-shop-api` with `PORT` set, as the bash maestro's users
/// keep it.
pub(crate) async fn secret_with_port(account: &TestAccount, port: &str) {
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name("staging/acme-shop-api")
        .secret_string(serde_json::json!({ "PORT": port, "DATABASE_URL": "postgres://canary" }).to_string())
        .send()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn port_in_the_app_secret_counts_when_no_variable_sets_it() {
    let account = TestAccount::new("port_in_the_app_secret_counts_when_no_variable_sets_it").await;
    secret_with_port(&account, "8080").await;
    // No PORT variable: the secret's 8080 is planned (the target group and the container), with a notice.
    let outcome = maestro_on(&account, EXAMPLE_APP, "plan", &["PORT"], &[]).await;
    outcome.expect_code(0).expect_stderr(&["`PORT` is 8080, from secret staging/acme-shop-api"]);
    let plan = outcome.json();
    assert_eq!(plan["load_balancer"]["port"], 8080, "{plan}");
    // A variable that disagrees wins, with a warning.
    let outcome = maestro_on(&account, EXAMPLE_APP, "plan", &[], &[]).await;
    outcome.expect_code(0).expect_stderr(&["secret staging/acme-shop-api sets it to 8080"]);
    assert_eq!(outcome.json()["load_balancer"]["port"], 3000);
}
