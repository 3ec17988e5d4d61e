//! The web service's shifting deploy in the plan: what it adds to the service and the load
//! balancer, how the plan says it, and the inputs it refuses.

use super::*;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::spec::deploy_strategy::{Percent, Strategy};

fn planned(pairs: &[(&str, &str)]) -> crate::plan::desired::DesiredState {
    let settings = fixtures::deployable(pairs).unwrap();
    fixtures::desired(&fixtures::staging(&[]), &settings, &app_with(PROCFILE, &[])).unwrap()
}

#[test]
fn a_canary_is_the_web_services_with_its_alternate_target_group_and_test_listener() {
    let state =
        planned(&[("MAESTRO_DEPLOY_STRATEGY", "canary:10%,bake=5m"), ("MAESTRO_APPROVAL", "pre-production-traffic")]);
    let web = state.services.iter().find(|service| service.process == "web").unwrap();
    let rollout = web.rollout.as_ref().unwrap();
    assert_eq!(rollout.strategy, Strategy::Canary { percent: Percent(100), canary_bake_minutes: 10, bake_minutes: 5 });
    assert_eq!(rollout.minimum_minutes, 15);
    assert_eq!(rollout.approval.unwrap().stage, "PRE_PRODUCTION_TRAFFIC_SHIFT");
    // Bound to the account: its infrastructure role for load balancers.
    assert_eq!(
        rollout.infrastructure_role_arn.as_deref(),
        Some("arn:aws:iam::123456789012:role/ecsInfrastructureRoleForLoadBalancers")
    );
    // The other services roll.
    assert!(state.services.iter().filter(|service| service.process != "web").all(|service| service.rollout.is_none()));
    let balancer = state.load_balancer.as_ref().unwrap();
    assert_eq!(balancer.alternate_target_group.as_deref(), Some("acme-shop-api-staging-alt"));
    let test = balancer.test_listener.as_ref().unwrap();
    assert_eq!((test.protocol.as_str(), test.port), ("HTTP", 8080));
}

#[test]
fn rolling_plans_exactly_as_before() {
    let rolling = planned(&[]);
    assert!(rolling.services.iter().all(|service| service.rollout.is_none()));
    let balancer = rolling.load_balancer.as_ref().unwrap();
    assert_eq!((balancer.alternate_target_group.as_ref(), balancer.test_listener.as_ref()), (None, None));
    let json = serde_json::to_value(&rolling).unwrap();
    assert!(json["services"][0].get("rollout").is_none());
    assert!(json["load_balancer"].get("alternate_target_group").is_none());
    assert_eq!(planned(&[("MAESTRO_DEPLOY_STRATEGY", "rolling")]), rolling);
}

#[test]
fn the_test_listener_follows_the_certificate_and_its_setting() {
    let certificate = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    let https = planned(&[("MAESTRO_DEPLOY_STRATEGY", "blue-green"), ("ALB_CERTIFICATE_ARN", certificate)]);
    let test = https.load_balancer.unwrap().test_listener.unwrap();
    assert_eq!((test.protocol.as_str(), test.port), ("HTTPS", 8443));
    let chosen = planned(&[("MAESTRO_DEPLOY_STRATEGY", "blue-green"), ("MAESTRO_TEST_LISTENER_PORT", "9000")]);
    assert_eq!(chosen.load_balancer.unwrap().test_listener.unwrap().port, 9000);
    let role = "arn:aws:iam::123456789012:role/shifter";
    let own = planned(&[("MAESTRO_DEPLOY_STRATEGY", "linear"), ("MAESTRO_INFRASTRUCTURE_ROLE_ARN", role)]);
    let web = own.services.iter().find(|service| service.process == "web").unwrap();
    assert_eq!(web.rollout.as_ref().unwrap().infrastructure_role_arn.as_deref(), Some(role));
}

#[test]
fn refuses_a_strategy_it_cannot_apply() {
    let settings = |pairs: &[(&str, &str)]| fixtures::deployable(pairs);
    let no_web = fixtures::deployable(&[("MAESTRO_DEPLOY_STRATEGY", "canary")]).unwrap();
    let errors = plan(
        &fixtures::staging(&[]),
        &fixtures::staging(&[]).target().unwrap(),
        &no_web,
        &app_with("worker: bin/work\n", &[]),
    )
    .unwrap_err();
    assert!(errors.0[0].message.contains("no service is behind the load balancer"), "{}", errors.0[0].message);
    assert!(errors.0[0].hint.contains("MAESTRO_DEPLOY_STRATEGY=rolling"));
    let clash =
        fixtures::deployable(&[("MAESTRO_DEPLOY_STRATEGY", "blue-green"), ("MAESTRO_TEST_LISTENER_PORT", "80")])
            .unwrap();
    let errors =
        plan(&fixtures::staging(&[]), &fixtures::staging(&[]).target().unwrap(), &clash, &app_with(PROCFILE, &[]))
            .unwrap_err();
    assert!(errors.0[0].message.contains("port 80 is the load balancer's production listener"));
    // An approval needs a shifting strategy: refused with the settings, naming the variable.
    let errors = settings(&[("MAESTRO_APPROVAL", "pre-production-traffic")]).unwrap_err();
    assert!(errors.0[0].message.contains("needs a blue-green, canary or linear deploy"), "{}", errors.0[0].message);
}

#[test]
fn the_plan_says_the_strategy_its_least_time_and_the_pause() {
    let state = planned(&[
        ("MAESTRO_DEPLOY_STRATEGY", "linear:25%,step-bake=2m,bake=10m"),
        ("MAESTRO_APPROVAL", "post-test-traffic,timeout=2h"),
    ]);
    let text = render::human(&state);
    assert!(
        text.contains("deploys linear: 25% more every 2m, bake 10m (at least 16m once the new tasks are healthy)"),
        "{text}"
    );
    assert!(
        text.contains(
            "pauses for approval at post-test-traffic (`maestro continue` or `maestro abort`; rolls back after 2h unanswered)"
        ),
        "{text}"
    );
    assert!(text.contains("target group acme-shop-api-staging-alt → container port 3000 (alternate"), "{text}");
    assert!(text.contains("test listener HTTP:8080 → the new revision during a deploy"), "{text}");
}

#[test]
fn a_rollback_alarm_needs_a_service_behind_the_load_balancer() {
    let alarm = fixtures::deployable(&[("MAESTRO_ROLLBACK_ALARM", "5xx")]).unwrap();
    let staging = fixtures::staging(&[]);
    let errors = plan(&staging, &staging.target().unwrap(), &alarm, &app_with("worker: bin/work\n", &[])).unwrap_err();
    assert!(errors.0[0].message.contains("5xx answers of the service behind the load balancer"), "{:?}", errors.0);
    assert!(errors.0[0].hint.contains("MAESTRO_ROLLBACK_ALARM"), "{:?}", errors.0);
    // With `web`, it is planned on web alone.
    let state = planned(&[("MAESTRO_ROLLBACK_ALARM", "5xx")]);
    let alarms: Vec<&str> = state
        .services
        .iter()
        .filter_map(|service| service.rollback_alarm.as_ref())
        .map(|alarm| alarm.name.as_str())
        .collect();
    assert_eq!(alarms.len(), 1, "{alarms:?}");
    assert!(alarms[0].ends_with("-web-5xx"), "{alarms:?}");
}
