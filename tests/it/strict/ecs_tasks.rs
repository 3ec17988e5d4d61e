//! RunTask, DescribeTasks, ListTasks and ListTaskDefinitionFamilies as ECS documents them
//! (tests/support/strict/ecs_tasks.py).

use aws_sdk_ecs::types::{DesiredStatus, LaunchType, TaskDefinitionFamilyStatus};

use super::world::{CLUSTER, World, refusal};

async fn run(world: &World, definition: &str, started_by: &str) -> String {
    let started = world
        .ecs
        .run_task()
        .cluster(CLUSTER)
        .task_definition(definition)
        .launch_type(LaunchType::Fargate)
        .network_configuration(world.vpc())
        .started_by(started_by)
        .send()
        .await
        .unwrap();
    started.tasks()[0].task_arn().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_started_task_is_missing_from_the_first_two_describes() {
    let world = World::new("strict_a_started_task_is_missing_from_the_first_two_describes").await;
    let definition = world.definition("release", true).await;
    let task = run(&world, &definition, "maestro").await;
    for _ in 0..2 {
        let described = world.ecs.describe_tasks().cluster(CLUSTER).tasks(&task).send().await.unwrap();
        assert!(described.tasks().is_empty());
        let failure = &described.failures()[0];
        assert_eq!((failure.arn(), failure.reason()), (Some(task.as_str()), Some("MISSING")));
    }
    let described = world.ecs.describe_tasks().cluster(CLUSTER).tasks(&task).send().await.unwrap();
    assert_eq!(described.tasks()[0].task_arn(), Some(task.as_str()));
    assert!(described.failures().is_empty());

    let unknown = format!("arn:aws:ecs:us-east-1:{}:task/{CLUSTER}/0123456789abcdef", world.account.id);
    let described = world.ecs.describe_tasks().cluster(CLUSTER).tasks(&unknown).send().await.unwrap();
    assert_eq!(described.failures()[0].reason(), Some("MISSING"), "ECS answers an unknown task in failures");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn run_task_checks_the_launch_type_the_task_role_and_the_network() {
    let world = World::new("strict_run_task_checks_launch_type_task_role_network").await;
    let ec2 = world.ecs.register_task_definition().family("ec2").network_mode(aws_sdk_ecs::types::NetworkMode::Awsvpc);
    ec2.container_definitions(World::container("app").memory(512).build()).send().await.unwrap();
    let request =
        world.ecs.run_task().cluster(CLUSTER).launch_type(LaunchType::Fargate).network_configuration(world.vpc());
    let (code, message) = refusal(request.clone().task_definition("ec2").send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Task definition does not support launch_type FARGATE.")
    );

    world.definition("roleless", false).await;
    let (code, message) =
        refusal(request.clone().task_definition("roleless").enable_execute_command(true).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("valid task role"), "{message}");

    let empty = world.vpc_of(vec![], vec![world.network.security_group.clone()]);
    let (code, message) = refusal(request.task_definition("roleless").network_configuration(empty).send().await);
    assert_eq!((code.as_str(), message.as_str()), ("InvalidParameterException", "subnets can not be empty."));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn list_tasks_takes_started_by_alone_and_answers_in_pages() {
    let world = World::new("strict_list_tasks_takes_started_by_alone").await;
    let definition = world.definition("batch", true).await;
    for _ in 0..3 {
        run(&world, &definition, "job-1").await;
    }
    let both = world.ecs.list_tasks().cluster(CLUSTER).started_by("job-1").desired_status(DesiredStatus::Stopped);
    let (code, message) = refusal(both.send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("must be the only filter"), "{message}");
    let first = world.ecs.list_tasks().cluster(CLUSTER).started_by("job-1").send().await.unwrap();
    assert_eq!((first.task_arns().len(), first.next_token().is_some()), (2, true));
    let mut pages = world.ecs.list_tasks().cluster(CLUSTER).started_by("job-1").into_paginator().send();
    let mut count = 0;
    while let Some(page) = pages.next().await {
        count += page.unwrap().task_arns().len();
    }
    assert_eq!(count, 3);

    // A service's tasks are in the group `service:<name>`; serviceName filters by it.
    let grouped = world.ecs.run_task().cluster(CLUSTER).task_definition(&definition).group("service:web");
    let started = grouped.launch_type(LaunchType::Fargate).network_configuration(world.vpc()).send().await.unwrap();
    let web = world.ecs.list_tasks().cluster(CLUSTER).service_name("web").send().await.unwrap();
    assert_eq!(web.task_arns(), [started.tasks()[0].task_arn().unwrap().to_owned()]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn task_definition_families_are_listed_in_pages_and_by_status() {
    let world = World::new("strict_task_definition_families_in_pages_and_by_status").await;
    for family in ["app-a", "app-b", "app-c"] {
        world.definition(family, true).await;
    }
    world.ecs.deregister_task_definition().task_definition("app-b:1").send().await.unwrap();
    let request = world.ecs.list_task_definition_families().family_prefix("app-");
    let first = request.clone().status(TaskDefinitionFamilyStatus::All).send().await.unwrap();
    assert_eq!((first.families(), first.next_token().is_some()), (&["app-a".to_owned(), "app-b".to_owned()][..], true));
    let mut pages = request.status(TaskDefinitionFamilyStatus::Active).into_paginator().send();
    let mut active = Vec::new();
    while let Some(page) = pages.next().await {
        active.extend(page.unwrap().families().to_vec());
    }
    assert_eq!(active, ["app-a", "app-c"]);
    // A family names its latest ACTIVE revision: app-b has none left.
    let (code, _) = refusal(world.ecs.describe_task_definition().task_definition("app-b").send().await);
    assert_eq!(code, "ClientException");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn run_task_starts_1_to_10_tasks_and_describe_tasks_takes_at_most_100() {
    let world = World::new("strict_run_task_starts_1_to_10_and_describe_takes_100").await;
    let definition = world.definition("batch", true).await;
    let request = world
        .ecs
        .run_task()
        .cluster(CLUSTER)
        .task_definition(&definition)
        .launch_type(LaunchType::Fargate)
        .network_configuration(world.vpc());
    for count in [0, 11] {
        let (code, message) = refusal(request.clone().count(count).send().await);
        assert_eq!(code, "InvalidParameterException", "count {count}");
        assert!(message.contains("between 1 and 10"), "{message}");
    }
    assert_eq!(request.count(10).send().await.unwrap().tasks().len(), 10);
    let ids: Vec<String> = (0..101).map(|n| format!("{n:032x}")).collect();
    let describe = world.ecs.describe_tasks().cluster(CLUSTER);
    let (code, message) = refusal(describe.clone().set_tasks(Some(ids.clone())).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("at most 100"), "{message}");
    let hundred = describe.set_tasks(Some(ids[..100].to_vec())).send().await.unwrap();
    assert_eq!(hundred.failures().len(), 100, "unknown tasks are answered in failures");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn run_task_overrides_name_a_container_stay_small_and_size_a_fargate_task() {
    use aws_sdk_ecs::types::{ContainerOverride, TaskOverride};
    let world = World::new("strict_run_task_overrides").await;
    let definition = world.definition("oneoff", false).await;
    let request = world
        .ecs
        .run_task()
        .cluster(CLUSTER)
        .task_definition(&definition)
        .launch_type(LaunchType::Fargate)
        .network_configuration(world.vpc());
    let command = |container: &str, words: Vec<String>| {
        TaskOverride::builder()
            .container_overrides(ContainerOverride::builder().name(container).set_command(Some(words)).build())
    };
    let migrate = || vec!["bin/migrate".to_owned()];

    let (code, message) = refusal(request.clone().overrides(command("web", migrate()).build()).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Override for container named web is not a container in the TaskDefinition.")
    );
    let long = vec!["x".repeat(8200)];
    let (code, message) = refusal(request.clone().overrides(command("app", long).build()).send().await);
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("InvalidParameterException", "Container Overrides length must be at most 8192")
    );
    let (code, message) =
        refusal(request.clone().overrides(command("app", migrate()).cpu("512").memory("512").build()).send().await);
    assert_eq!(code, "ClientException");
    assert!(message.starts_with("No Fargate configuration exists for given values"), "{message}");
    // Only the memory: with the definition's 256 cpu units, 4096 MiB is no Fargate size.
    let (code, _) = refusal(request.clone().overrides(command("app", migrate()).memory("4096").build()).send().await);
    assert_eq!(code, "ClientException");

    // The accepted call: the app container's command, and a Fargate size.
    let started = request.overrides(command("app", migrate()).cpu("1024").memory("2048").build()).send().await.unwrap();
    assert_eq!(started.tasks().len(), 1);
}
