//! CloudWatch alarms as their references state them (tests/support/strict/cloudwatch.py), ECS's
//! alarm watch on a service (strict/ecs_alarms.py), and a deployment an alarm rolls back
//! (tests/support/deployment_alarms.py). The alarm states are set with CloudWatch's own
//! SetAlarmState: the emulator computes none from traffic.

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    ComparisonOperator, Dimension, Metric, MetricDataQuery, MetricStat, StateValue, Statistic, Tag,
};
use aws_sdk_ecs::types::{
    DeploymentAlarms, DeploymentConfiguration, DeploymentController, DeploymentControllerType, ServiceDeploymentStatus,
};

use super::world::{CLUSTER, World, refusal};
use maestro_test_support::plan_rollout;

/// A valid alarm on one metric, each test changing one thing.
fn alarm(
    cloudwatch: &Client,
    name: &str,
) -> aws_sdk_cloudwatch::operation::put_metric_alarm::builders::PutMetricAlarmFluentBuilder {
    cloudwatch
        .put_metric_alarm()
        .alarm_name(name)
        .namespace("AWS/ApplicationELB")
        .metric_name("HTTPCode_Target_5XX_Count")
        .dimensions(Dimension::builder().name("TargetGroup").value("targetgroup/shop/1").build())
        .statistic(Statistic::Sum)
        .period(60)
        .evaluation_periods(2)
        .threshold(10.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .treat_missing_data("notBreaching")
}

fn query(id: &str) -> MetricDataQuery {
    let metric = Metric::builder().namespace("AWS/ApplicationELB").metric_name("HTTPCode_Target_5XX_Count").build();
    let stat = MetricStat::builder().metric(metric).period(60).stat("Sum").build();
    MetricDataQuery::builder().id(id).metric_stat(stat).return_data(false).build()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn put_metric_alarm_takes_what_the_reference_allows() {
    let world = World::new("strict_put_metric_alarm_takes_what_the_reference_allows").await;
    let cloudwatch = Client::new(&world.account.config);
    alarm(&cloudwatch, "shop-web-5xx").send().await.unwrap();
    let sum = MetricDataQuery::builder().id("e1").expression("SUM([m1, m2])").return_data(true).build();
    let math = cloudwatch
        .put_metric_alarm()
        .alarm_name("shop-web-5xx-both")
        .evaluation_periods(2)
        .threshold(10.0)
        .comparison_operator(ComparisonOperator::GreaterThanOrEqualToThreshold)
        .metrics(query("m1"))
        .metrics(query("m2"));
    math.clone().metrics(sum.clone()).send().await.unwrap();
    let refused = [
        ("a name over 255 characters", refusal(alarm(&cloudwatch, &"a".repeat(256)).send().await).0),
        ("a period of 45 seconds", refusal(alarm(&cloudwatch, "p").period(45).send().await).0),
        ("two days of one-minute periods", refusal(alarm(&cloudwatch, "p").evaluation_periods(2880).send().await).0),
        ("3 of 2 datapoints", refusal(alarm(&cloudwatch, "d").datapoints_to_alarm(3).send().await).0),
        (
            "an unknown missing-data treatment",
            refusal(alarm(&cloudwatch, "t").treat_missing_data("zero").send().await).0,
        ),
        ("both forms", refusal(math.clone().metrics(sum).metric_name("HTTPCode_Target_5XX_Count").send().await).0),
        ("no result returned", refusal(math.clone().send().await).0),
        (
            "an id in capitals",
            refusal(
                math.metrics(MetricDataQuery::builder().id("E1").expression("m1").return_data(true).build())
                    .send()
                    .await,
            )
            .0,
        ),
    ];
    let codes: Vec<(&str, &str)> = refused.iter().map(|(what, code)| (*what, code.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("a name over 255 characters", "ValidationError"),
            ("a period of 45 seconds", "InvalidParameterValue"),
            ("two days of one-minute periods", "ValidationError"),
            ("3 of 2 datapoints", "ValidationError"),
            ("an unknown missing-data treatment", "ValidationError"),
            ("both forms", "InvalidParameterCombination"),
            ("no result returned", "ValidationError"),
            ("an id in capitals", "ValidationError"),
        ]
    );
    let tags: Vec<Tag> = (0..51).map(|n| Tag::builder().key(format!("k{n}")).value("v").build()).collect();
    let many = alarm(&cloudwatch, "tagged").set_tags(Some(tags.clone())).send().await;
    assert_eq!(refusal(many).0, "ValidationError", "51 tags");
    alarm(&cloudwatch, "tagged").set_tags(Some(tags[..50].to_vec())).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn alarms_come_in_pages_and_a_missing_one_deletes_quietly() {
    let world = World::new("strict_alarms_come_in_pages").await;
    let cloudwatch = Client::new(&world.account.config);
    for name in ["a-5xx", "b-5xx", "c-5xx"] {
        alarm(&cloudwatch, name).send().await.unwrap();
    }
    let first = cloudwatch.describe_alarms().max_records(100).send().await.unwrap();
    assert_eq!((first.metric_alarms().len(), first.next_token().is_some()), (2, true), "{first:?}");
    let rest = cloudwatch.describe_alarms().next_token(first.next_token().unwrap()).send().await.unwrap();
    assert_eq!((rest.metric_alarms().len(), rest.next_token()), (1, None));
    assert_eq!(refusal(cloudwatch.describe_alarms().max_records(101).send().await).0, "ValidationError");
    cloudwatch.delete_alarms().alarm_names("a-5xx").alarm_names("never-was").send().await.unwrap();
    let left = cloudwatch.describe_alarms().alarm_names("a-5xx").alarm_names("b-5xx").send().await.unwrap();
    let names: Vec<&str> = left.metric_alarms().iter().filter_map(|alarm| alarm.alarm_name()).collect();
    assert_eq!(names, ["b-5xx"], "the known one deleted, the unknown one no error");
}

fn watching(alarm: &str) -> DeploymentConfiguration {
    let alarms = DeploymentAlarms::builder().alarm_names(alarm).enable(true).rollback(true).build().unwrap();
    DeploymentConfiguration::builder().alarms(alarms).build()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn deployment_alarms_need_every_field_and_the_ecs_controller() {
    let world = World::new("strict_deployment_alarms_need_the_ecs_controller").await;
    let definition = world.definition("watched", true).await;
    let external = DeploymentController::builder().r#type(DeploymentControllerType::External).build().unwrap();
    let refused =
        world.service("watched", &definition).deployment_controller(external).deployment_configuration(watching("a"));
    assert_eq!(refusal(refused.send().await).0, "InvalidParameterException");
    world.service("watched", &definition).deployment_configuration(watching("a")).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_alarm_in_alarm_rolls_the_deployment_back_unless_it_was_already() {
    let world = World::new("strict_an_alarm_in_alarm_rolls_the_deployment_back").await;
    let cloudwatch = Client::new(&world.account.config);
    alarm(&cloudwatch, "web-5xx").send().await.unwrap();
    let set = |state: StateValue| {
        cloudwatch
            .set_alarm_state()
            .alarm_name("web-5xx")
            .state_value(state)
            .state_reason("scripted by the test")
            .send()
    };
    let first = world.definition("strict-alarmed-web", true).await;
    world.service("strict-alarmed-web", &first).deployment_configuration(watching("web-5xx")).send().await.unwrap();
    for _ in 0..5 {
        world.describe("strict-alarmed-web").await;
    }
    // A deployment in progress whose alarm goes into ALARM fails and rolls back, naming the alarm.
    let second = world.definition("strict-alarmed-web", true).await;
    plan_rollout("strict-alarmed-web", "STUCK").await;
    let updated = world.ecs.update_service().cluster(CLUSTER).service("strict-alarmed-web").task_definition(&second);
    let arn = updated.send().await.unwrap().service().unwrap().current_service_deployment().unwrap().to_owned();
    world.describe("strict-alarmed-web").await;
    set(StateValue::Alarm).await.unwrap();
    let mut status = None;
    for _ in 0..10 {
        world.describe("strict-alarmed-web").await;
        let answer = world.ecs.describe_service_deployments().service_deployment_arns(&arn).send().await.unwrap();
        let deployment = answer.service_deployments()[0].clone();
        status = deployment.status().cloned();
        if status == Some(ServiceDeploymentStatus::RollbackSuccessful) {
            assert!(deployment.status_reason().unwrap().contains("web-5xx"), "{deployment:?}");
            break;
        }
    }
    assert_eq!(status, Some(ServiceDeploymentStatus::RollbackSuccessful));
    let described = world.ecs.describe_services().cluster(CLUSTER).services("strict-alarmed-web").send().await.unwrap();
    assert_eq!(described.services()[0].task_definition(), Some(first.as_str()), "back on the first revision");

    // Already in ALARM when the next deployment starts: ignored for it.
    plan_rollout("strict-alarmed-web", "COMPLETED").await;
    let updated = world.ecs.update_service().cluster(CLUSTER).service("strict-alarmed-web").task_definition(&second);
    let arn = updated.send().await.unwrap().service().unwrap().current_service_deployment().unwrap().to_owned();
    for _ in 0..10 {
        world.describe("strict-alarmed-web").await;
    }
    let answer = world.ecs.describe_service_deployments().service_deployment_arns(&arn).send().await.unwrap();
    assert_eq!(answer.service_deployments()[0].status(), Some(&ServiceDeploymentStatus::Successful));
}
