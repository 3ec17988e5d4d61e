//! Application Auto Scaling: a new ECS service not yet visible to it, and paginated reads
//! (tests/support/strict/autoscaling.py).

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
async fn scalable_targets_and_policies_come_in_pages_filtered_by_name() {
    let world = World::new("strict_scalable_targets_and_policies_in_pages").await;
    let autoscaling = Client::new(&world.account.config);
    let definition = world.definition("fleet", true).await;
    let services = ["fleet-a", "fleet-b", "fleet-c"];
    for service in services {
        world.service(service, &definition).send().await.unwrap();
        let _refused_once = register(&autoscaling, service, 1, 2).send().await;
        register(&autoscaling, service, 1, 2).send().await.unwrap();
        let metric = PredefinedMetricSpecification::builder()
            .predefined_metric_type(MetricType::EcsServiceAverageCpuUtilization)
            .build()
            .unwrap();
        let tracking = TargetTrackingScalingPolicyConfiguration::builder()
            .target_value(50.0)
            .predefined_metric_specification(metric)
            .build()
            .unwrap();
        autoscaling
            .put_scaling_policy()
            .policy_name(format!("{service}-cpu"))
            .service_namespace(ServiceNamespace::Ecs)
            .scalable_dimension(ScalableDimension::EcsServiceDesiredCount)
            .resource_id(format!("service/{CLUSTER}/{service}"))
            .policy_type(PolicyType::TargetTrackingScaling)
            .target_tracking_scaling_policy_configuration(tracking)
            .send()
            .await
            .unwrap();
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
    let all = autoscaling.describe_scaling_policies().service_namespace(ServiceNamespace::Ecs).send().await.unwrap();
    assert_eq!((all.scaling_policies().len(), all.next_token().is_some()), (2, true));
}
