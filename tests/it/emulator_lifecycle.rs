//! The emulator launcher (`tests/support/moto_plus.py`) does what later tests rely on: ECS
//! deployments progress, a test can make one fail, and a stopped task reports a chosen exit code.

use aws_sdk_ecs::types::{AwsVpcConfiguration, ContainerDefinition, LaunchType, NetworkConfiguration};

use maestro_test_support::{TestAccount, plan_rollout, plan_task, scale_clock};

/// The `lifecycle` cluster with a Fargate task definition for each of `families` (RunTask and
/// CreateService on Fargate need one, the strict layer, docs/emulator.md), and the awsvpc
/// configuration of `account`'s default network.
async fn lifecycle_cluster(
    ecs: &aws_sdk_ecs::Client,
    account: &TestAccount,
    families: &[&str],
) -> NetworkConfiguration {
    let network = account.network().await;
    ecs.create_cluster().cluster_name("lifecycle").send().await.unwrap();
    let container = ContainerDefinition::builder().name("app").image("app:1").essential(true).build();
    for family in families {
        ecs.register_task_definition()
            .family(*family)
            .container_definitions(container.clone())
            .network_mode(aws_sdk_ecs::types::NetworkMode::Awsvpc)
            .requires_compatibilities(aws_sdk_ecs::types::Compatibility::Fargate)
            .cpu("256")
            .memory("512")
            .send()
            .await
            .unwrap();
    }
    let vpc = AwsVpcConfiguration::builder()
        .set_subnets(Some(network.subnets.clone()))
        .security_groups(&network.security_group)
        .build()
        .unwrap();
    NetworkConfiguration::builder().awsvpc_configuration(vpc).build()
}

async fn rollout_state(ecs: &aws_sdk_ecs::Client, service: &str) -> (String, usize) {
    let described = ecs.describe_services().cluster("lifecycle").services(service).send().await.unwrap();
    let service = &described.services()[0];
    let primary = service.deployments().iter().find(|deployment| deployment.status() == Some("PRIMARY")).unwrap();
    (primary.rollout_state().unwrap().as_str().to_owned(), service.deployments().len())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn deployments_progress_and_exit_codes_can_be_chosen() {
    let account = TestAccount::new("deployments_progress_and_exit_codes_can_be_chosen").await;
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let network_configuration = lifecycle_cluster(&ecs, &account, &["lifecycle-web", "lifecycle-migrate"]).await;
    for service in ["lifecycle-ok", "lifecycle-bad"] {
        ecs.create_service()
            .cluster("lifecycle")
            .service_name(service)
            .task_definition("lifecycle-web")
            .desired_count(2)
            .network_configuration(network_configuration.clone())
            .send()
            .await
            .unwrap();
        // A new service is MISSING from the first DescribeServices (the strict layer's eventual consistency).
        let described = ecs.describe_services().cluster("lifecycle").services(service).send().await.unwrap();
        assert_eq!(described.failures()[0].reason(), Some("MISSING"));
    }

    // A new deployment completes after a few polls, and the old one is gone.
    ecs.update_service().cluster("lifecycle").service("lifecycle-ok").force_new_deployment(true).send().await.unwrap();
    assert_eq!(rollout_state(&ecs, "lifecycle-ok").await, ("IN_PROGRESS".to_owned(), 2));
    assert_eq!(rollout_state(&ecs, "lifecycle-ok").await, ("COMPLETED".to_owned(), 1));

    // A test can make one fail as a circuit-breaker rollback would.
    plan_rollout("lifecycle-bad", "FAILED").await;
    ecs.update_service().cluster("lifecycle").service("lifecycle-bad").force_new_deployment(true).send().await.unwrap();
    assert_eq!(rollout_state(&ecs, "lifecycle-bad").await.0, "FAILED");
    let events = ecs.describe_services().cluster("lifecycle").services("lifecycle-bad").send().await.unwrap();
    assert!(
        events.services()[0].events().iter().any(|event| event
            .message()
            .unwrap_or_default()
            .contains("circuit breaker")
            || event.message().unwrap_or_default().contains("failed"))
    );

    // A stopped one-off task reports the exit code the test chose.
    plan_task("lifecycle-migrate", serde_json::json!({"exit_code": 3})).await;
    let started = ecs
        .run_task()
        .cluster("lifecycle")
        .task_definition("lifecycle-migrate")
        .launch_type(LaunchType::Fargate)
        .network_configuration(network_configuration)
        .send()
        .await
        .unwrap();
    let task_arn = started.tasks()[0].task_arn().unwrap().to_owned();
    let mut exit_code = None;
    for _ in 0..10 {
        // A task just started is MISSING from the first DescribeTasks (the strict layer).
        let described = ecs.describe_tasks().cluster("lifecycle").tasks(&task_arn).send().await.unwrap();
        let Some(task) = described.tasks().first() else { continue };
        if task.last_status() == Some("STOPPED") {
            exit_code = task.containers()[0].exit_code();
            assert_eq!(task.stop_code().map(|code| code.as_str()), Some("EssentialContainerExited"));
            break;
        }
    }
    assert_eq!(exit_code, Some(3));
}

/// An account on the scaled clock: a deployment takes its modelled time (here a worker's: its task
/// start, 30 AWS seconds of 10 ms), whatever the number of looks.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn on_the_scaled_clock_a_deployment_takes_its_modelled_time() {
    let account = TestAccount::new("on_the_scaled_clock_a_deployment_takes_its_modelled_time").await;
    let id = account.id.clone();
    tokio::task::spawn_blocking(move || scale_clock(&id, std::time::Duration::from_millis(10), 30)).await.unwrap();
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let network_configuration = lifecycle_cluster(&ecs, &account, &["clocked"]).await;
    let create = ecs.create_service().cluster("lifecycle").service_name("clocked").task_definition("clocked");
    let create = create.desired_count(1).network_configuration(network_configuration);
    create.send().await.unwrap();
    // The first look is MISSING (the strict layer); the deployment went on meanwhile.
    ecs.describe_services().cluster("lifecycle").services("clocked").send().await.unwrap();
    let started = std::time::Instant::now();
    ecs.update_service().cluster("lifecycle").service("clocked").force_new_deployment(true).send().await.unwrap();
    for _ in 0..5 {
        assert_eq!(rollout_state(&ecs, "clocked").await.0, "IN_PROGRESS", "five looks do not end it");
    }
    let mut state = String::new();
    while started.elapsed() < std::time::Duration::from_secs(5) {
        state = rollout_state(&ecs, "clocked").await.0;
        if state == "COMPLETED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(state, "COMPLETED");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300), "{:?}", started.elapsed());
}
