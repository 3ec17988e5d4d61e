use super::super::plan;
use super::*;
use crate::fixtures::{self, PROCFILE, STAGING, app_with};
use crate::request::{Need, Target};
use crate::settings::Settings;

fn settings(pairs: &[(&str, &str)]) -> Settings {
    fixtures::deployable(pairs).unwrap()
}

/// The staging request with no account: `plan` and `deploy` learn it from AWS, after every check.
fn without_account() -> (DeployRequest, Target) {
    let pairs: Vec<(&str, &str)> = STAGING.iter().copied().filter(|(name, _)| *name != "AWS_ACCOUNT_ID").collect();
    let request = fixtures::request_in(&fixtures::env(&pairs), Need::Facts).unwrap();
    assert_eq!(request.account_id, None);
    let target = request.target().unwrap();
    (request, target)
}

fn account(id: &str) -> AccountId {
    AccountId::parse(id).unwrap()
}

#[test]
fn a_plan_is_checked_without_an_account() {
    let (request, target) = without_account();
    let app = app_with(PROCFILE, &[]);
    let bad = settings(&[("ECS_SERVICE_TASK_PROCESSES", "web,worker:1-3[alb=100]")]);
    let errors = plan(&request, &target, &bad, &app).unwrap_err();
    assert_eq!(errors.0[0].message, "`worker` scales on `alb`, but only `web` is behind the load balancer");
    let checked = plan(&request, &target, &settings(&[]), &app).unwrap();
    assert_eq!(checked.cluster_name(), "acme-shop-api-staging");
}

#[test]
fn binding_names_only_what_the_account_decides() {
    let (request, target) = without_account();
    let checked = plan(&request, &target, &settings(&[]), &app_with(PROCFILE, &[])).unwrap();
    let (one, other) = (checked.clone().bind(&account("111111111111")), checked.bind(&account("222222222222")));
    assert_eq!(one.request.account_id.as_deref(), Some("111111111111"));
    assert_eq!(one.image.uri, "111111111111.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d");
    assert_eq!(one.image.registry, "111111111111.dkr.ecr.us-east-1.amazonaws.com");
    for definition in &one.task_definitions {
        let app = definition.definition["containerDefinitions"].as_array().unwrap();
        assert_eq!(app[0]["image"], one.image.uri.as_str(), "{}", definition.process);
    }
    assert_eq!(one.schedules[0].cluster_arn, "arn:aws:ecs:us-east-1:111111111111:cluster/acme-shop-api-staging");
    assert_eq!(one.schedules[0].role_arn, "arn:aws:iam::111111111111:role/ecsEventsRole");
    assert_eq!(other.schedules[0].role_arn, "arn:aws:iam::222222222222:role/ecsEventsRole");
    // Nothing else depends on the account.
    assert_eq!(
        (&one.services, &one.load_balancer, &one.release),
        (&other.services, &other.load_balancer, &other.release)
    );
    assert_eq!((&one.cluster, &one.secret, &one.log_groups), (&other.cluster, &other.secret, &other.log_groups));
}

#[test]
fn another_registry_and_an_events_role_are_the_same_in_every_account() {
    let (request, target) = without_account();
    let settings = settings(&[
        ("MAESTRO_IMAGE_REPOSITORY", "ghcr.io/acme/shop"),
        ("MAESTRO_EVENTS_ROLE_ARN", "arn:aws:iam::999999999999:role/events"),
    ]);
    let state = plan(&request, &target, &settings, &app_with(PROCFILE, &[])).unwrap().bind(&account("111111111111"));
    assert_eq!((state.image.uri.as_str(), state.image.registry_kind.name()), ("ghcr.io/acme/shop:3f2a9c1d", "oci"));
    assert_eq!(state.schedules[0].role_arn, "arn:aws:iam::999999999999:role/events");
}

#[test]
fn china_regions_get_their_partition_and_domain() {
    let mut request = fixtures::staging(&[("AWS_REGION", "cn-north-1")]);
    request.account_id = None;
    let target = request.target().unwrap();
    let state =
        plan(&request, &target, &settings(&[]), &app_with(PROCFILE, &[])).unwrap().bind(&account("111111111111"));
    assert_eq!(state.image.registry, "111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn");
    assert_eq!(state.schedules[0].cluster_arn, "arn:aws-cn:ecs:cn-north-1:111111111111:cluster/acme-shop-api-staging");
}
