//! CreateService, UpdateService, DeleteService, DescribeServices and ListServices as ECS documents
//! them (tests/support/strict/ecs_services.py, ecs_launch.py). What a service attaches to and its
//! network are in `ecs_attachments.rs` and `ecs_network.rs`.

use super::world::{CLUSTER, World, refusal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn ecs_exec_needs_a_task_role_on_create_and_update() {
    let world = World::new("strict_ecs_exec_needs_a_task_role_on_create_and_update").await;
    let roleless = world.definition("roleless", false).await;
    let (code, message) = refusal(world.service("exec", &roleless).enable_execute_command(true).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("couldn't be created because a valid taskRoleArn is not being used"), "{message}");

    world.service("exec", &roleless).send().await.unwrap();
    let update = world.ecs.update_service().cluster(CLUSTER).service("exec").enable_execute_command(true);
    let (code, message) = refusal(update.send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("couldn't be updated"), "{message}");
    let with_role = world.definition("with-role", true).await;
    let update = world
        .ecs
        .update_service()
        .cluster(CLUSTER)
        .service("exec")
        .task_definition(with_role)
        .enable_execute_command(true);
    update.send().await.unwrap();
    // Exec stays on when a request omits enableExecuteCommand, so a definition without a task role
    // is still refused.
    let back = world.ecs.update_service().cluster(CLUSTER).service("exec").task_definition(&roleless);
    let (code, message) = refusal(back.clone().send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("couldn't be updated"), "{message}");
    back.enable_execute_command(false).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_definition_without_fargate_compatibility_cannot_run_on_the_fargate_cluster() {
    let world = World::new("strict_a_definition_without_fargate_cannot_run_on_fargate").await;
    // Registered like a base file without requiresCompatibilities: validated for EC2 only.
    let ec2 = world.ecs.register_task_definition().family("ec2").network_mode(aws_sdk_ecs::types::NetworkMode::Awsvpc);
    let ec2 = ec2.container_definitions(World::container("app").memory(512).build()).send().await.unwrap();
    let arn = ec2.task_definition().unwrap().task_definition_arn().unwrap();
    // The cluster's default strategy is FARGATE, so a service without a launch type runs there.
    let (code, message) = refusal(world.service("ec2", arn).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Task definition does not support launch_type FARGATE.")
    );
    // Nor can a Fargate service move to it.
    world.service("fargate", &world.definition("fargate", true).await).send().await.unwrap();
    let update = world.ecs.update_service().cluster(CLUSTER).service("fargate").task_definition(arn);
    let (code, message) = refusal(update.send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Task definition does not support launch_type FARGATE.")
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_new_service_is_missing_from_the_first_describe_and_cannot_be_created_twice() {
    let world = World::new("strict_a_new_service_is_missing_from_the_first_describe").await;
    let definition = world.definition("fresh", true).await;
    world.service("fresh", &definition).send().await.unwrap();
    assert_eq!(world.describe("fresh").await, (vec![], vec!["MISSING".to_owned()]));
    assert_eq!(world.describe("fresh").await, (vec!["ACTIVE".to_owned()], vec![]));
    let (code, message) = refusal(world.service("fresh", &definition).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Creation of service was not idempotent.")
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deleted_service_drains_before_its_name_can_be_used_again() {
    let world = World::new("strict_a_deleted_service_drains_before_its_name_is_free").await;
    let definition = world.definition("gone", true).await;
    world.service("gone", &definition).send().await.unwrap();
    world.ecs.delete_service().cluster(CLUSTER).service("gone").force(true).send().await.unwrap();
    let listed = world.ecs.list_services().cluster(CLUSTER).send().await.unwrap();
    assert!(listed.service_arns().is_empty(), "a deleted service is not listed: {listed:?}");
    let (code, message) = refusal(world.service("gone", &definition).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Unable to Start a service that is still Draining.")
    );
    assert_eq!(world.describe("gone").await.0, ["DRAINING"]);
    assert_eq!(world.describe("gone").await.0, ["INACTIVE"]);
    let update = world.ecs.update_service().cluster(CLUSTER).service("gone").desired_count(2);
    assert_eq!(refusal(update.send().await).0, "ServiceNotActiveException");
    let delete = world.ecs.delete_service().cluster(CLUSTER).service("gone").force(true);
    assert_eq!(refusal(delete.send().await).0, "ServiceNotActiveException");
    world.service("gone", &definition).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn sending_the_network_load_balancers_or_service_connect_again_starts_a_deployment() {
    let world = World::new("strict_sending_the_network_again_starts_a_deployment").await;
    let definition = world.definition("roll", true).await;
    let created = world.service("roll", &definition).send().await.unwrap();
    let first = created.service().unwrap().deployments()[0].id().unwrap().to_owned();
    let primary = |service: Option<&aws_sdk_ecs::types::Service>| {
        let deployments = service.unwrap().deployments();
        deployments.iter().find(|d| d.status() == Some("PRIMARY")).and_then(|d| d.id()).unwrap().to_owned()
    };
    let update = world.ecs.update_service().cluster(CLUSTER).service("roll");
    let counted = update.clone().desired_count(2).send().await.unwrap();
    assert_eq!(primary(counted.service()), first, "desiredCount alone starts no deployment");
    let networked = update.clone().network_configuration(world.vpc()).send().await.unwrap();
    let second = primary(networked.service());
    assert_ne!(second, first, "networkConfiguration starts a deployment");
    let balanced = update.clone().set_load_balancers(Some(vec![])).send().await.unwrap();
    let third = primary(balanced.service());
    assert_ne!(third, second, "loadBalancers, even empty, starts a deployment");
    let connected = update.service_connect_configuration(World::connect("http", "roll")).send().await.unwrap();
    assert_ne!(primary(connected.service()), third, "serviceConnectConfiguration starts a deployment");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn force_new_deployment_starts_a_deployment_of_the_same_revision() {
    // UpdateService.forceNewDeployment: "You can use this option to start a new deployment with
    // no service definition changes." (maestro restart)
    let world = World::new("strict_force_new_deployment_starts_a_deployment_of_the_same_revision").await;
    let definition = world.definition("again", true).await;
    world.service("again", &definition).send().await.unwrap();
    let update = world.ecs.update_service().cluster(CLUSTER).service("again");
    let force = || update.clone().task_definition(&definition).force_new_deployment(true).send();
    let primary = |service: &aws_sdk_ecs::types::Service| {
        service.deployments().iter().find(|d| d.status() == Some("PRIMARY")).unwrap().clone()
    };
    let first = primary(force().await.unwrap().service().unwrap());
    let forced = force().await.unwrap();
    let service = forced.service().unwrap();
    let second = primary(service);
    assert_ne!(second.id(), first.id(), "a new deployment");
    assert_eq!(second.task_definition(), Some(definition.as_str()), "of the same revision");
    assert_eq!(service.task_definition(), Some(definition.as_str()));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn services_are_described_ten_at_a_time_and_listed_in_pages() {
    let world = World::new("strict_services_are_described_ten_at_a_time").await;
    let definition = world.definition("many", true).await;
    let names: Vec<String> = (0..5).map(|n| format!("many-{n}")).collect();
    for name in &names {
        world.service(name, &definition).send().await.unwrap();
    }
    let eleven: Vec<String> = (0..11).map(|n| format!("many-{n}")).collect();
    let (code, _) = refusal(world.ecs.describe_services().cluster(CLUSTER).set_services(Some(eleven)).send().await);
    assert_eq!(code, "InvalidParameterException");
    let first = world.ecs.list_services().cluster(CLUSTER).max_results(100).send().await.unwrap();
    assert!(first.service_arns().len() < names.len() && first.next_token().is_some(), "{first:?}");
    let mut pages = world.ecs.list_services().cluster(CLUSTER).into_paginator().send();
    let mut listed = Vec::new();
    while let Some(page) = pages.next().await {
        listed.extend(page.unwrap().service_arns().iter().map(|arn| arn.rsplit('/').next().unwrap().to_owned()));
    }
    assert_eq!(listed, names);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn concurrent_describes_with_and_without_tags_each_answer_their_own_request() {
    // moto kept `include=TAGS` in a dict shared by every request thread (moto_plus.py
    // `response_init`): a describe without it, answered meanwhile, stripped the tags from the
    // services not yet written, and maestro then re-tagged or failed to recognise its own services.
    let world = World::new("strict_concurrent_describes_each_answer_their_own_request").await;
    let definition = world.definition("tagged", true).await;
    let names: Vec<String> = (0..10).map(|n| format!("tagged-{n}")).collect();
    for name in &names {
        let tags = ["workload", "environment", "owner", "maestro:app"]
            .map(|key| aws_sdk_ecs::types::Tag::builder().key(key).value(format!("{name}-{key}")).build());
        world.service(name, &definition).set_tags(Some(tags.to_vec())).send().await.unwrap();
    }
    // Past the window in which a new service is MISSING.
    world.ecs.describe_services().cluster(CLUSTER).set_services(Some(names.clone())).send().await.unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for call in 0..20 {
        let request = world.ecs.describe_services().cluster(CLUSTER).set_services(Some(names.clone()));
        let with_tags = call % 2 == 0;
        let request = if with_tags { request.include(aws_sdk_ecs::types::ServiceField::Tags) } else { request };
        calls.spawn(async move { (with_tags, request.send().await.unwrap()) });
    }
    while let Some(answer) = calls.join_next().await {
        let (with_tags, described) = answer.unwrap();
        assert_eq!(described.services().len(), names.len(), "{described:?}");
        for service in described.services() {
            let tags = service.tags().len();
            let expected = if with_tags { 4 } else { 0 };
            assert_eq!(
                tags,
                expected,
                "{} (include TAGS: {with_tags}): {:?}",
                service.service_name().unwrap(),
                service
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_circuit_breaker_threshold_has_one_of_three_types_and_is_kept() {
    use aws_sdk_ecs::types::{
        DeploymentCircuitBreaker, DeploymentConfiguration, ThresholdConfiguration, ThresholdType,
    };
    let world = World::new("strict_a_circuit_breaker_threshold_has_one_of_three_types").await;
    let definition = world.definition("breaker", false).await;
    let breaker = |kind: &str, value: i32| {
        let threshold = ThresholdConfiguration::builder().r#type(ThresholdType::from(kind)).value(value).build();
        let breaker = DeploymentCircuitBreaker::builder()
            .enable(true)
            .rollback(true)
            .threshold_configuration(threshold.unwrap())
            .reset_on_healthy_task(false)
            .build();
        DeploymentConfiguration::builder().deployment_circuit_breaker(breaker).build()
    };
    let (code, message) =
        refusal(world.service("breaker", &definition).deployment_configuration(breaker("RATIO", 2)).send().await);
    assert_eq!(code, "InvalidParameterException", "{message}");
    world.service("breaker", &definition).deployment_configuration(breaker("COUNT", 2)).send().await.unwrap();
    // What was set reads back, so a redeploy that sends the same sends nothing (a new service is
    // missing from the first describes: ecs_services.py's consistency rule).
    let mut described = Vec::new();
    for _ in 0..5 {
        let page = world.ecs.describe_services().cluster(CLUSTER).services("breaker").send().await.unwrap();
        described = page.services().to_vec();
        if !described.is_empty() {
            break;
        }
    }
    let kept = described[0].deployment_configuration().unwrap().deployment_circuit_breaker().unwrap();
    let threshold = kept.threshold_configuration().unwrap();
    assert_eq!(
        (threshold.r#type().as_str(), threshold.value(), kept.reset_on_healthy_task()),
        ("COUNT", 2, Some(false))
    );
    let update = world.ecs.update_service().cluster(CLUSTER).service("breaker");
    let (code, _) = refusal(update.deployment_configuration(breaker("UNBOUNDED", 150)).send().await);
    assert_eq!(code, "InvalidParameterException");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_grace_period_is_from_0_to_2147483647_seconds() {
    let world = World::new("strict_a_grace_period_is_from_0_to_2147483647_seconds").await;
    let definition = world.definition("grace", true).await;
    let (code, message) =
        refusal(world.service("grace", &definition).health_check_grace_period_seconds(-1).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("healthCheckGracePeriodSeconds '-1'"), "{message}");
    // The reference now says unused, not refused, without a load balancer.
    world.service("grace", &definition).health_check_grace_period_seconds(i32::MAX).send().await.unwrap();
    let update = world.ecs.update_service().cluster(CLUSTER).service("grace");
    let (code, _) = refusal(update.clone().health_check_grace_period_seconds(-60).send().await);
    assert_eq!(code, "InvalidParameterException");
    update.health_check_grace_period_seconds(60).send().await.unwrap();
}
