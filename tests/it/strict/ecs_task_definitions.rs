//! RegisterTaskDefinition's refusals and DescribeTaskDefinition's order and defaults
//! (tests/support/strict/ecs_task_definitions.py).

use aws_sdk_ecs::types::{
    Compatibility, ContainerDefinition, CpuArchitecture, KeyValuePair, LogConfiguration, LogDriver, NetworkMode,
    OsFamily, PortMapping, RepositoryCredentials, RuntimePlatform, Secret,
};

use super::world::{World, refusal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn fargate_needs_an_execution_role_for_awslogs_and_ecr_images() {
    let world = World::new("strict_fargate_needs_an_execution_role_for_awslogs_and_ecr_images").await;
    let logs = LogConfiguration::builder()
        .log_driver(LogDriver::Awslogs)
        .options("awslogs-group", "/ecs/app")
        .build()
        .unwrap();
    let with_logs = World::container("app").log_configuration(logs).build();
    let without_role = world
        .fargate("logs", true)
        .set_execution_role_arn(None)
        .set_container_definitions(Some(vec![with_logs.clone()]));
    let (code, message) = refusal(without_role.send().await);
    assert_eq!(code, "ClientException");
    assert!(message.contains("execution role ARN to support log driver awslogs"), "{message}");
    world.fargate("logs", true).set_container_definitions(Some(vec![with_logs])).send().await.unwrap();

    let ecr = format!("{}.dkr.ecr.us-east-1.amazonaws.com/app:1", world.account.id);
    let from_ecr = World::container("app").image(ecr).build();
    let without_role =
        world.fargate("ecr", true).set_execution_role_arn(None).set_container_definitions(Some(vec![from_ecr.clone()]));
    let (code, message) = refusal(without_role.send().await);
    assert_eq!((code.as_str(), message.contains("to support ECR images")), ("ClientException", true), "{message}");
    world.fargate("ecr", true).set_container_definitions(Some(vec![from_ecr])).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn secrets_and_repository_credentials_need_an_execution_role_on_any_launch_type() {
    let world = World::new("strict_secrets_and_repository_credentials_need_an_execution_role").await;
    let secret = Secret::builder()
        .name("DATABASE_URL")
        .value_from("arn:aws:secretsmanager:us-east-1:1:secret:app-AbCdEf:DATABASE_URL::")
        .build()
        .unwrap();
    let with_secret = World::container("app").memory(512).secrets(secret.clone()).build();
    // An EC2 definition: the rule is not Fargate's.
    let ec2 = world.ecs.register_task_definition().family("secrets").container_definitions(with_secret.clone());
    let (code, message) = refusal(ec2.send().await);
    assert_eq!((code.as_str(), message.contains("container secrets")), ("ClientException", true), "{message}");
    // The same for a secret of the log driver's options.
    let logs = LogConfiguration::builder().log_driver(LogDriver::Splunk).secret_options(secret).build().unwrap();
    let with_log_secret = World::container("app").memory(512).log_configuration(logs).build();
    let ec2 = world.ecs.register_task_definition().family("secrets").container_definitions(with_log_secret);
    let (code, message) = refusal(ec2.send().await);
    assert_eq!((code.as_str(), message.contains("container secrets")), ("ClientException", true), "{message}");
    world
        .ecs
        .register_task_definition()
        .family("secrets")
        .container_definitions(with_secret)
        .execution_role_arn(world.role("execution"))
        .send()
        .await
        .unwrap();

    let credentials = RepositoryCredentials::builder()
        .credentials_parameter("arn:aws:secretsmanager:us-east-1:1:secret:hub-AbCdEf")
        .build()
        .unwrap();
    let private = World::container("app").repository_credentials(credentials).build();
    let without_role =
        world.fargate("private", true).set_execution_role_arn(None).set_container_definitions(Some(vec![private]));
    let (code, message) = refusal(without_role.send().await);
    assert_eq!((code.as_str(), message.contains("repository credentials")), ("ClientException", true), "{message}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn fargate_needs_awsvpc_and_a_task_size() {
    let world = World::new("strict_fargate_needs_awsvpc_and_a_task_size").await;
    let (code, message) = refusal(world.fargate("bridge", true).network_mode(NetworkMode::Bridge).send().await);
    assert_eq!((code.as_str(), message.as_str()), ("ClientException", "Fargate only supports network mode 'awsvpc'."));
    let (code, message) = refusal(world.fargate("sizeless", true).set_cpu(None).send().await);
    assert_eq!(
        (code.as_str(), message.contains("'cpu' be defined at the task level")),
        ("ClientException", true),
        "{message}"
    );
    let (code, _) = refusal(world.fargate("sizeless", true).set_memory(None).send().await);
    assert_eq!(code, "ClientException");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn names_and_awsvpc_host_ports_follow_the_api_reference() {
    let world = World::new("strict_task_definition_names_and_awsvpc_host_ports").await;
    let (code, _) = refusal(world.fargate("no.dots", true).send().await);
    assert_eq!(code, "ClientException");
    let (code, _) = refusal(world.fargate(&"f".repeat(256), true).send().await);
    assert_eq!(code, "ClientException");
    world.fargate(&"f".repeat(255), true).send().await.unwrap();
    let port = |name: &str| PortMapping::builder().container_port(8080).name(name).build();
    let named = |name: &str| World::container("app").set_port_mappings(Some(vec![port(name)])).build();
    let (code, message) = refusal(
        world.fargate("ports", true).set_container_definitions(Some(vec![named(&"p".repeat(65))])).send().await,
    );
    assert_eq!((code.as_str(), message.contains("64")), ("ClientException", true), "{message}");
    world.fargate("ports", true).set_container_definitions(Some(vec![named(&"p".repeat(64))])).send().await.unwrap();
    let elsewhere = PortMapping::builder().container_port(8080).host_port(80).build();
    let moved = World::container("app").set_port_mappings(Some(vec![elsewhere])).build();
    let (code, _) = refusal(world.fargate("hostport", true).set_container_definitions(Some(vec![moved])).send().await);
    assert_eq!(code, "ClientException");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_described_definition_comes_back_in_another_order_with_the_defaults_filled_in() {
    let world = World::new("strict_a_described_definition_comes_back_reordered").await;
    let variable = |name: &str| KeyValuePair::builder().name(name).value("1").build();
    let secret = |name: &str| {
        Secret::builder().name(name).value_from(format!("arn:aws:ssm:us-east-1:1:parameter/{name}")).build().unwrap()
    };
    let app = World::container("app")
        .environment(variable("A"))
        .environment(variable("B"))
        .secrets(secret("X"))
        .secrets(secret("Y"))
        .build();
    let sidecar =
        ContainerDefinition::builder().name("sidecar").image("public.ecr.aws/docker/library/busybox:1").build();
    world.fargate("ordered", true).set_container_definitions(Some(vec![app, sidecar])).send().await.unwrap();

    let described = world.ecs.describe_task_definition().task_definition("ordered").send().await.unwrap();
    let definition = described.task_definition().unwrap();
    assert_eq!(definition.requires_compatibilities(), [Compatibility::Fargate]);
    let names: Vec<&str> = definition.container_definitions().iter().filter_map(|c| c.name()).collect();
    assert_eq!(names, ["sidecar", "app"], "ECS does not keep the containers' order");
    let app = &definition.container_definitions()[1];
    let environment: Vec<&str> = app.environment().iter().filter_map(|pair| pair.name()).collect();
    assert_eq!(environment, ["B", "A"]);
    let secrets: Vec<&str> = app.secrets().iter().map(|secret| secret.name()).collect();
    assert_eq!(secrets, ["Y", "X"]);
    let mapping = &app.port_mappings()[0];
    assert_eq!((mapping.host_port(), mapping.protocol().map(|p| p.as_str())), (Some(8080), Some("tcp")));
    assert_eq!(app.essential(), Some(true));
    assert!(app.mount_points().is_empty() && app.volumes_from().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_runtime_platform_takes_ecs_values_and_fargate_runs_arm64_on_linux_only() {
    let world = World::new("strict_a_runtime_platform_takes_ecs_values").await;
    let platform = |cpu: &str, family: &str| {
        RuntimePlatform::builder()
            .cpu_architecture(CpuArchitecture::from(cpu))
            .operating_system_family(OsFamily::from(family))
            .build()
    };
    for (cpu, family, says) in [
        ("arm64", "LINUX", "cpuArchitecture 'arm64' is invalid"),
        ("AMD64", "LINUX", "cpuArchitecture 'AMD64' is invalid"),
        ("ARM64", "linux", "operatingSystemFamily 'linux' is invalid"),
        ("ARM64", "WINDOWS_SERVER_2022_CORE", "ARM64 CPU architecture for Linux tasks only"),
    ] {
        let request = world.fargate("platform", true).runtime_platform(platform(cpu, family));
        let (code, message) = refusal(request.send().await);
        assert_eq!((code.as_str(), message.contains(says)), ("ClientException", true), "{cpu} {family}: {message}");
    }
    for cpu in ["ARM64", "X86_64"] {
        world.fargate("platform", true).runtime_platform(platform(cpu, "LINUX")).send().await.unwrap();
    }
    let described = world.ecs.describe_task_definition().task_definition("platform").send().await.unwrap();
    let platform = described.task_definition().and_then(|definition| definition.runtime_platform()).unwrap();
    assert_eq!(
        (platform.cpu_architecture(), platform.operating_system_family()),
        (Some(&CpuArchitecture::X8664), Some(&OsFamily::Linux)),
        "described as registered"
    );
}
