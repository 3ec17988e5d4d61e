//! A target group's health check within ELB's documented ranges, on create and modify
//! (tests/support/strict/elbv2.py, `check_health_check`).

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::operation::create_target_group::builders::CreateTargetGroupFluentBuilder;
use aws_sdk_elasticloadbalancingv2::types::{ProtocolEnum, TargetTypeEnum};

use super::world::{World, refusal};

/// One health-check setting of a CreateTargetGroup request.
type Setting = fn(CreateTargetGroupFluentBuilder) -> CreateTargetGroupFluentBuilder;

fn group(elb: &Client, world: &World, name: &str) -> CreateTargetGroupFluentBuilder {
    elb.create_target_group()
        .name(name)
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .target_type(TargetTypeEnum::Ip)
        .vpc_id(&world.network.vpc_id)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_health_check_outside_elb_ranges_is_refused_on_create_and_modify() {
    let world = World::new("strict_a_health_check_outside_elb_ranges_is_refused").await;
    let elb = Client::new(&world.account.config);
    let refused: [(&str, Setting); 8] = [
        ("interval 4", |request| request.health_check_interval_seconds(4)),
        ("interval 301", |request| request.health_check_interval_seconds(301)),
        ("timeout 1", |request| request.health_check_timeout_seconds(1)),
        ("timeout 121", |request| request.health_check_interval_seconds(300).health_check_timeout_seconds(121)),
        ("healthy 1", |request| request.healthy_threshold_count(1)),
        ("healthy 11", |request| request.healthy_threshold_count(11)),
        ("unhealthy 1", |request| request.unhealthy_threshold_count(1)),
        ("timeout = interval", |request| request.health_check_interval_seconds(10).health_check_timeout_seconds(10)),
    ];
    for (case, set) in refused {
        let (code, message) = refusal(set(group(&elb, &world, "refused")).send().await);
        assert_eq!(code, "ValidationError", "{case}: {message}");
    }
    // maestro's defaults, and the edges of each range.
    let created = group(&elb, &world, "tuned")
        .health_check_interval_seconds(10)
        .health_check_timeout_seconds(5)
        .healthy_threshold_count(2)
        .unhealthy_threshold_count(3)
        .send()
        .await
        .unwrap();
    let arn = created.target_groups()[0].target_group_arn().unwrap().to_owned();
    let modify = || elb.modify_target_group().target_group_arn(&arn);
    modify().health_check_interval_seconds(300).health_check_timeout_seconds(120).send().await.unwrap();
    modify().healthy_threshold_count(10).unhealthy_threshold_count(2).send().await.unwrap();
    assert_eq!(refusal(modify().healthy_threshold_count(11).send().await).0, "ValidationError");
    assert_eq!(refusal(modify().health_check_interval_seconds(4).send().await).0, "ValidationError");
    // The omitted timeout is the group's (120 s): an interval of 60 s would not be above it.
    let (code, message) = refusal(modify().health_check_interval_seconds(60).send().await);
    assert_eq!(code, "ValidationError");
    assert_eq!(message, "Health check interval must be greater than the timeout.");
    modify().health_check_interval_seconds(5).health_check_timeout_seconds(2).send().await.unwrap();
    let read = elb.describe_target_groups().target_group_arns(&arn).send().await.unwrap();
    let read = &read.target_groups()[0];
    let timing = (read.health_check_interval_seconds(), read.health_check_timeout_seconds());
    let thresholds = (read.healthy_threshold_count(), read.unhealthy_threshold_count());
    assert_eq!((timing, thresholds), ((Some(5), Some(2)), (Some(10), Some(2))));
}
