//! ECS service deployments (tests/support/service_deployments.py, strict/ecs_service_deployments.py):
//! one per deployment a create or update starts, its status following the deployment,
//! DescribeServiceDeployments, ListServiceDeployments and StopServiceDeployment as the API
//! reference describes them.

use aws_sdk_ecs::types::{
    DeploymentCircuitBreaker, DeploymentConfiguration, ServiceDeployment, ServiceDeploymentStatus,
    StopServiceDeploymentStopType,
};
use maestro_test_support::plan_rollout;

use super::world::{CLUSTER, World, refusal};

/// The service's current service deployment, as DescribeServices gives it (without a look that
/// advances it: the answer of the update itself).
fn current(service: Option<&aws_sdk_ecs::types::Service>) -> String {
    service.unwrap().current_service_deployment().expect("a current service deployment").to_owned()
}

async fn described(world: &World, arn: &str) -> ServiceDeployment {
    let answer = world.ecs.describe_service_deployments().service_deployment_arns(arn).send().await.unwrap();
    assert!(answer.failures().is_empty(), "{answer:?}");
    answer.service_deployments()[0].clone()
}

/// DescribeServices looks at `name` until its deployment `arn` has a completed status (at most 8 looks).
async fn settled(world: &World, name: &str, arn: &str) -> ServiceDeployment {
    for _ in 0..8 {
        world.describe(name).await;
        let deployment = described(world, arn).await;
        let status = deployment.status().unwrap().as_str();
        if ["SUCCESSFUL", "STOPPED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED"].contains(&status) {
            return deployment;
        }
    }
    panic!("the service deployment {arn} never completed");
}

fn breaker(rollback: bool) -> DeploymentConfiguration {
    let breaker = DeploymentCircuitBreaker::builder().enable(true).rollback(rollback).build();
    DeploymentConfiguration::builder().deployment_circuit_breaker(breaker).build()
}

async fn task_definition_of(world: &World, name: &str) -> String {
    let described = world.ecs.describe_services().cluster(CLUSTER).services(name).send().await.unwrap();
    described.services()[0].task_definition().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn each_deployment_is_a_service_deployment_that_follows_its_status() {
    // "Amazon ECS automatically creates a new service deployment when ... A user creates a
    // service. A user updates the service and uses the force new deployment option." (View service
    // history using Amazon ECS service deployments); it starts PENDING.
    let world = World::new("strict_each_deployment_is_a_service_deployment").await;
    let first = world.definition("sd-follow", true).await;
    let created = world.service("sd-follow", &first).send().await.unwrap();
    let arn = current(created.service());
    let prefix = format!("arn:aws:ecs:us-east-1:{}:service-deployment/{CLUSTER}/sd-follow/", world.account.id);
    assert!(arn.starts_with(&prefix), "{arn}");
    let pending = described(&world, &arn).await;
    assert_eq!(pending.status(), Some(&ServiceDeploymentStatus::Pending));
    assert!(pending.source_service_revisions().is_empty(), "a new service runs nothing before");
    let done = settled(&world, "sd-follow", &arn).await;
    assert_eq!(done.status(), Some(&ServiceDeploymentStatus::Successful));
    assert!(done.started_at().is_some() && done.finished_at().is_some(), "{done:?}");
    let revision = done.target_service_revision().unwrap();
    assert!(revision.arn().unwrap().contains(":service-revision/strict/sd-follow/"), "{revision:?}");
    assert_eq!(revision.running_task_count(), 1);

    let second = world.definition("sd-follow", true).await;
    let update = world.ecs.update_service().cluster(CLUSTER).service("sd-follow").task_definition(&second);
    let next = current(update.send().await.unwrap().service());
    assert_ne!(next, arn, "a new service deployment");
    let moving = described(&world, &next).await;
    assert_eq!(moving.source_service_revisions()[0].arn(), revision.arn(), "from the revision that ran");
    world.describe("sd-follow").await;
    assert_eq!(described(&world, &next).await.status(), Some(&ServiceDeploymentStatus::InProgress));
    assert_eq!(settled(&world, "sd-follow", &next).await.status(), Some(&ServiceDeploymentStatus::Successful));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_circuit_breaker_failure_rolls_back_or_stops_the_service_deployment() {
    // With the breaker's rollback: ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL;
    // without it: "The service deployment stops when ... The rollback option is not in use for the
    // failure detection mechanism ... and the service fails." (ServiceDeployment.stoppedAt)
    let world = World::new("strict_a_circuit_breaker_failure_rolls_back").await;
    for (name, rollback, ending) in [
        ("sd-breaker-rollback", true, ServiceDeploymentStatus::RollbackSuccessful),
        ("sd-breaker-stop", false, ServiceDeploymentStatus::Stopped),
    ] {
        let first = world.definition(name, true).await;
        let created = world.service(name, &first).deployment_configuration(breaker(rollback)).send().await.unwrap();
        settled(&world, name, &current(created.service())).await;
        plan_rollout(name, "FAILED").await;
        let second = world.definition(name, true).await;
        let update = world.ecs.update_service().cluster(CLUSTER).service(name).task_definition(&second);
        let arn = current(update.send().await.unwrap().service());
        let failed = settled(&world, name, &arn).await;
        assert_eq!(failed.status(), Some(&ending), "{name}: {failed:?}");
        assert!(failed.status_reason().unwrap().contains("circuit breaker"), "{failed:?}");
        assert_eq!(failed.stopped_at().is_some(), !rollback, "{failed:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn only_an_ongoing_service_deployment_can_be_stopped_by_rollback_or_abort() {
    // StopServiceDeployment: ROLLBACK "rolls back the service deployment to the previous service
    // revision" (the default here), ABORT stops it where it is; "You can stop a deployment that is
    // in any of the following states": PENDING, IN_PROGRESS, STOP_REQUESTED, ROLLBACK_REQUESTED,
    // ROLLBACK_IN_PROGRESS (Stopping Amazon ECS service deployments). A completed one: ConflictException.
    let world = World::new("strict_only_an_ongoing_service_deployment_can_be_stopped").await;
    for (name, stop_type) in [("sd-stop-rollback", None), ("sd-stop-abort", Some(StopServiceDeploymentStopType::Abort))]
    {
        let first = world.definition(name, true).await;
        let created = world.service(name, &first).send().await.unwrap();
        let done = settled(&world, name, &current(created.service())).await;
        plan_rollout(name, "STUCK").await;
        let second = world.definition(name, true).await;
        let update = world.ecs.update_service().cluster(CLUSTER).service(name).task_definition(&second);
        let arn = current(update.send().await.unwrap().service());
        world.describe(name).await;
        let stop = world.ecs.stop_service_deployment().service_deployment_arn(&arn).set_stop_type(stop_type.clone());
        assert_eq!(stop.clone().send().await.unwrap().service_deployment_arn(), Some(arn.as_str()));
        let requested = described(&world, &arn).await;
        let stopped = settled(&world, name, &arn).await;
        if stop_type.is_none() {
            assert_eq!(requested.status(), Some(&ServiceDeploymentStatus::RollbackRequested));
            assert_eq!(stopped.status(), Some(&ServiceDeploymentStatus::RollbackSuccessful));
            let rollback = stopped.rollback().unwrap();
            assert_eq!(rollback.service_revision_arn(), done.target_service_revision().unwrap().arn());
            assert_eq!(task_definition_of(&world, name).await, first, "back on the previous revision");
        } else {
            assert_eq!(requested.status(), Some(&ServiceDeploymentStatus::StopRequested));
            assert_eq!(stopped.status(), Some(&ServiceDeploymentStatus::Stopped));
            assert_eq!(task_definition_of(&world, name).await, second, "an abort leaves the service where it is");
        }
        let (code, _) = refusal(stop.send().await);
        assert_eq!(code, "ConflictException", "{name}: a completed deployment");
    }
    let unknown = format!("arn:aws:ecs:us-east-1:{}:service-deployment/{CLUSTER}/sd-stop-abort/nope", world.account.id);
    let (code, _) = refusal(world.ecs.stop_service_deployment().service_deployment_arn(&unknown).send().await);
    assert_eq!(code, "ServiceDeploymentNotFoundException");
    let pause = StopServiceDeploymentStopType::from("PAUSE");
    let (code, _) =
        refusal(world.ecs.stop_service_deployment().service_deployment_arn(&unknown).stop_type(pause).send().await);
    assert_eq!(code, "InvalidParameterException", "stopType is ABORT or ROLLBACK");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn service_deployments_are_described_twenty_at_a_time_and_listed_in_pages() {
    // DescribeServiceDeployments: "You can specify a maximum of 20 ARNs."; an unknown one is a
    // failure. ListServiceDeployments: maxResults "between 1 and 100", a status filter, createdAt,
    // pages behind a token.
    let world = World::new("strict_service_deployments_are_described_twenty_at_a_time").await;
    let definition = world.definition("sd-list", true).await;
    let mut arns = vec![current(world.service("sd-list", &definition).send().await.unwrap().service())];
    for _ in 0..2 {
        settled(&world, "sd-list", arns.last().unwrap()).await;
        let force = world.ecs.update_service().cluster(CLUSTER).service("sd-list").force_new_deployment(true);
        arns.push(current(force.send().await.unwrap().service()));
    }
    let missing = format!("{}-gone", arns[0]);
    let answer =
        world.ecs.describe_service_deployments().service_deployment_arns(&arns[0]).service_deployment_arns(&missing);
    let answer = answer.send().await.unwrap();
    assert_eq!(answer.service_deployments().len(), 1);
    assert_eq!((answer.failures()[0].arn(), answer.failures()[0].reason()), (Some(missing.as_str()), Some("MISSING")));
    let many = vec![arns[0].clone(); 21];
    let (code, _) =
        refusal(world.ecs.describe_service_deployments().set_service_deployment_arns(Some(many)).send().await);
    assert_eq!(code, "InvalidParameterException");

    let list = || world.ecs.list_service_deployments().cluster(CLUSTER).service("sd-list");
    let first = list().max_results(100).send().await.unwrap();
    assert!(first.service_deployments().len() < arns.len() && first.next_token().is_some(), "{first:?}");
    // The SDK has no paginator for it: follow the token by hand.
    let (mut listed, mut token) = (Vec::new(), None);
    loop {
        let page = list().set_next_token(token).send().await.unwrap();
        listed.extend(page.service_deployments().iter().map(|d| d.service_deployment_arn().unwrap().to_owned()));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let newest_first: Vec<String> = arns.iter().rev().cloned().collect();
    assert_eq!(listed, newest_first);
    let ongoing = list().status(ServiceDeploymentStatus::Pending).send().await.unwrap();
    let ongoing: Vec<_> = ongoing.service_deployments().iter().map(|d| d.service_deployment_arn().unwrap()).collect();
    assert_eq!(ongoing, [arns[2].as_str()], "only the newest has not started");
    for wrong in [0, 101] {
        let (code, _) = refusal(list().max_results(wrong).send().await);
        assert_eq!(code, "InvalidParameterException", "maxResults {wrong}");
    }
    // "When you delete a service, Amazon ECS deletes the corresponding service deployments."
    world.ecs.delete_service().cluster(CLUSTER).service("sd-list").force(true).send().await.unwrap();
    let gone = world.ecs.describe_service_deployments().service_deployment_arns(&arns[0]).send().await.unwrap();
    assert!(gone.service_deployments().is_empty() && gone.failures().len() == 1, "{gone:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_service_deployment_read_with_its_describe_services_sees_that_look() {
    // Not an AWS rule but the emulator's clock (service_deployments.py's docstring): time moves
    // with DescribeServices, and on AWS two reads of one moment agree, so a poll sending both at
    // once (maestro's rollout wait) sees the service deployment as of its own look, every time.
    let world = World::new("strict_a_service_deployment_read_with_its_look").await;
    let name = "sd-same-poll";
    let first = world.definition(name, true).await;
    let created = world.service(name, &first).send().await.unwrap();
    settled(&world, name, &current(created.service())).await;
    for round in 0..4 {
        let next = world.definition(name, true).await;
        let update = world.ecs.update_service().cluster(CLUSTER).service(name).task_definition(&next);
        let arn = current(update.send().await.unwrap().service());
        assert_eq!(described(&world, &arn).await.status(), Some(&ServiceDeploymentStatus::Pending), "before a look");
        let (_, read) = tokio::join!(world.describe(name), described(&world, &arn));
        assert_eq!(read.status(), Some(&ServiceDeploymentStatus::InProgress), "round {round}: as of its own look");
        settled(&world, name, &arn).await;
    }
}
