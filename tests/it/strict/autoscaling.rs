//! Application Auto Scaling: a new ECS service not yet visible to it, and paginated reads
//! (tests/support/strict/autoscaling.py); a target's bounds moving the service's count
//! (tests/support/moto_plus.py).

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration,
};

use super::world::{CLUSTER, World, refusal};

fn register(
    autoscaling: &Client,
    service: &str,
    min: i32,
    max: i32,
) -> aws_sdk_applicationautoscaling::operation::register_scalable_target::builders::RegisterScalableTargetFluentBuilder
{
    autoscaling
        .register_scalable_target()
        .service_namespace(ServiceNamespace::Ecs)
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .resource_id(format!("service/{CLUSTER}/{service}"))
        .min_capacity(min)
        .max_capacity(max)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_new_service_is_not_yet_scalable_right_after_create_service() {
    let world = World::new("strict_a_new_service_is_not_yet_scalable").await;
    let autoscaling = Client::new(&world.account.config);
    let definition = world.definition("scaled", true).await;
    world.service("scaled", &definition).send().await.unwrap();
    let (code, message) = refusal(register(&autoscaling, "scaled", 1, 3).send().await);
    assert_eq!(code, "ValidationException");
    assert_eq!(message, format!("ECS service doesn't exist: service/{CLUSTER}/scaled"));
    register(&autoscaling, "scaled", 1, 3).send().await.unwrap();
    assert_eq!(refusal(register(&autoscaling, "scaled", 4, 3).send().await).0, "ValidationException");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_scalable_targets_bounds_move_the_services_count_into_them() {
    // "it changes the resource's current capacity to a value that is inside of this range"
    // (RegisterScalableTarget): a minimum raised after `maestro stop` brings the tasks back.
    let world = World::new("strict_scalable_target_bounds_move_the_count").await;
    let autoscaling = Client::new(&world.account.config);
    let definition = world.definition("bounded", true).await;
    world.service("bounded", &definition).send().await.unwrap();
    // The first look after CreateService answers MISSING (strict/ecs_services.py).
    let _missing_once = world.ecs.describe_services().cluster(CLUSTER).services("bounded").send().await;
    let _refused_once = register(&autoscaling, "bounded", 0, 0).send().await;
    register(&autoscaling, "bounded", 0, 0).send().await.unwrap();
    let count = async || {
        let described = world.ecs.describe_services().cluster(CLUSTER).services("bounded").send().await.unwrap();
        let service = &described.services()[0];
        (service.desired_count(), service.deployments()[0].desired_count())
    };
    assert_eq!(count().await, (0, 0), "a maximum of 0 stops the tasks");
    register(&autoscaling, "bounded", 2, 4).send().await.unwrap();
    assert_eq!(count().await, (2, 2), "a minimum of 2 raises the count, on the primary deployment too");
    register(&autoscaling, "bounded", 1, 4).send().await.unwrap();
    assert_eq!(count().await, (2, 2), "a count inside the bounds stays");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn scalable_targets_and_policies_come_in_pages_filtered_by_name() {
    let world = World::new("strict_scalable_targets_and_policies_in_pages").await;
    let autoscaling = Client::new(&world.account.config);
    let definition = world.definition("fleet", true).await;
    let services = ["fleet-a", "fleet-b", "fleet-c"];
    for service in services {
        world.service(service, &definition).send().await.unwrap();
        let _refused_once = register(&autoscaling, service, 1, 2).send().await;
        register(&autoscaling, service, 1, 2).send().await.unwrap();
        let cpu = policy(&autoscaling, service, MetricType::EcsServiceAverageCpuUtilization, None);
        cpu.policy_name(format!("{service}-cpu")).send().await.unwrap();
    }
    let first = autoscaling.describe_scalable_targets().service_namespace(ServiceNamespace::Ecs).send().await.unwrap();
    assert_eq!((first.scalable_targets().len(), first.next_token().is_some()), (2, true));
    let mut pages =
        autoscaling.describe_scalable_targets().service_namespace(ServiceNamespace::Ecs).into_paginator().send();
    let mut targets = Vec::new();
    while let Some(page) = pages.next().await {
        targets.extend(page.unwrap().scalable_targets().iter().map(|target| target.resource_id().to_owned()));
    }
    assert_eq!(targets.len(), 3, "every page once, no loop: {targets:?}");

    let named =
        autoscaling.describe_scaling_policies().service_namespace(ServiceNamespace::Ecs).policy_names("fleet-b-cpu");
    let policies = named.send().await.unwrap();
    let names: Vec<&str> = policies.scaling_policies().iter().map(|policy| policy.policy_name()).collect();
    assert_eq!(names, ["fleet-b-cpu"], "PolicyNames filters");
    let fifty_one = (0..51).map(|n| format!("policy-{n}")).collect();
    let too_many = autoscaling.describe_scaling_policies().service_namespace(ServiceNamespace::Ecs);
    let (code, message) = refusal(too_many.set_policy_names(Some(fifty_one)).send().await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("less than or equal to 50"), "{message}");
    let all = autoscaling.describe_scaling_policies().service_namespace(ServiceNamespace::Ecs).send().await.unwrap();
    assert_eq!((all.scaling_policies().len(), all.next_token().is_some()), (2, true));
}

fn policy(
    autoscaling: &Client,
    service: &str,
    metric: MetricType,
    label: Option<String>,
) -> aws_sdk_applicationautoscaling::operation::put_scaling_policy::builders::PutScalingPolicyFluentBuilder {
    let metric = PredefinedMetricSpecification::builder()
        .predefined_metric_type(metric)
        .set_resource_label(label)
        .build()
        .unwrap();
    let tracking = TargetTrackingScalingPolicyConfiguration::builder()
        .target_value(50.0)
        .predefined_metric_specification(metric)
        .build()
        .unwrap();
    autoscaling
        .put_scaling_policy()
        .policy_name(format!("{service}-policy"))
        .service_namespace(ServiceNamespace::Ecs)
        .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
        .resource_id(format!("service/{CLUSTER}/{service}"))
        .policy_type(PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(tracking)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_policy_needs_a_registered_target_and_a_request_count_one_its_target_group() {
    let world = World::new("strict_a_policy_needs_a_registered_target").await;
    let autoscaling = Client::new(&world.account.config);
    let definition = world.definition("policed", true).await;
    world.service("policed", &definition).send().await.unwrap();
    let (code, _) =
        refusal(policy(&autoscaling, "policed", MetricType::EcsServiceAverageCpuUtilization, None).send().await);
    assert_eq!(code, "ObjectNotFoundException", "a policy before its scalable target");
    let _refused_once = register(&autoscaling, "policed", 1, 2).send().await;
    register(&autoscaling, "policed", 1, 2).send().await.unwrap();
    let label = "app/web/50dc6c495c0c9188/targetgroup/web/943f017f100becff".to_owned();
    let (code, _) = refusal(
        policy(&autoscaling, "policed", MetricType::EcsServiceAverageCpuUtilization, Some(label.clone())).send().await,
    );
    assert_eq!(code, "ValidationException", "a label on another metric");
    let (code, _) = refusal(policy(&autoscaling, "policed", MetricType::AlbRequestCountPerTarget, None).send().await);
    assert_eq!(code, "ValidationException", "a request count without its label");
    let (code, message) =
        refusal(policy(&autoscaling, "policed", MetricType::AlbRequestCountPerTarget, Some(label)).send().await);
    assert_eq!(code, "ValidationException", "a target group the service does not use: {message}");
    policy(&autoscaling, "policed", MetricType::EcsServiceAverageCpuUtilization, None).send().await.unwrap();
}
