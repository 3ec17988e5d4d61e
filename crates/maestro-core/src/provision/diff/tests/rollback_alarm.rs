//! The web service's rollback alarm: put before the services, ECS's watch set on the service,
//! nothing written once both are in step; turned off, the watch goes off once and the alarm is
//! deleted, only when it is the environment's.

use super::*;
use crate::provision::action::ServiceSpec;
use crate::provision::service_change::ServiceChange;
use crate::provision::stage::Stage;

const ALARM: &str = "acme-shop-api-staging-web-5xx";

fn with_alarm(value: &str) -> DesiredState {
    desired_with(&[("MAESTRO_ROLLBACK_ALARM", value)])
}

fn web_update(actions: &[Action]) -> Option<&ServiceSpec> {
    actions.iter().find_map(|action| match action {
        Action::UpdateService(spec) if spec.name.ends_with("-web") => Some(spec),
        _ => None,
    })
}

#[test]
fn the_plan_names_the_alarm_on_the_web_service_only() {
    let desired = with_alarm("5xx:threshold=25");
    let web = desired.services.iter().find(|service| service.process == "web").unwrap();
    let alarm = web.rollback_alarm.as_ref().unwrap();
    assert_eq!(alarm.name, ALARM);
    assert_eq!(
        (alarm.metric, alarm.namespace, alarm.statistic),
        ("HTTPCode_Target_5XX_Count", "AWS/ApplicationELB", "Sum")
    );
    assert_eq!(
        (alarm.load_balancer.as_str(), alarm.target_groups.as_slice()),
        ("acme-shop-api-staging", &["acme-shop-api-staging".to_owned()][..])
    );
    assert_eq!(alarm.threshold, 25);
    assert!(
        desired
            .services
            .iter()
            .filter(|service| service.process != "web")
            .all(|service| service.rollback_alarm.is_none())
    );
    let canary = desired_with(&[("MAESTRO_ROLLBACK_ALARM", "5xx"), ("MAESTRO_DEPLOY_STRATEGY", "canary")]);
    let web = canary.services.iter().find(|service| service.process == "web").unwrap();
    assert_eq!(
        web.rollback_alarm.as_ref().unwrap().target_groups,
        ["acme-shop-api-staging", "acme-shop-api-staging-alt"]
    );
    assert!(desired_with(&[]).services.iter().all(|service| service.rollback_alarm.is_none()));
}

#[test]
fn a_new_alarm_is_put_before_the_services_which_then_watch_it() {
    let desired = with_alarm("5xx");
    let mut observed = converged(&desired);
    observed.rollback_alarm = None;
    for live in observed.services.values_mut().flatten() {
        live.rollout.as_mut().unwrap().rollback_alarm = None;
    }
    let actions = diff(&desired, &observed, Options::default()).actions;
    let put = actions.iter().find(|action| matches!(action, Action::PutRollbackAlarm { .. })).unwrap();
    assert_eq!(put.to_string(), format!("put alarm {ALARM}"));
    assert_eq!(put.stage(), Stage::Dependents);
    let Action::PutRollbackAlarm { tags, .. } = put else { panic!() };
    assert!(tags.iter().any(|tag| tag.key == "maestro:environment"), "{tags:?}");
    let web = web_update(&actions).unwrap();
    assert_eq!(web.changes, [ServiceChange::RollbackAlarm]);
    assert_eq!((web.rollback_alarm.as_deref(), web.alarms_off), (Some(ALARM), false));
    assert_eq!(actions.len(), 2, "{:?}", described(&actions));
}

#[test]
fn in_step_it_writes_nothing_and_a_drift_puts_it_again() {
    let desired = with_alarm("5xx");
    assert_eq!(changes(&desired, &converged(&desired)), Vec::<String>::new());
    let drifts: [Drift<Observed>; 4] = [
        ("threshold", |observed| observed.rollback_alarm.as_mut().unwrap().shape.as_mut().unwrap().threshold = 5.0),
        ("period", |observed| {
            observed.rollback_alarm.as_mut().unwrap().shape.as_mut().unwrap().metrics[0].period = 300
        }),
        ("missing data", |observed| {
            observed.rollback_alarm.as_mut().unwrap().shape.as_mut().unwrap().treat_missing_data = "breaching".into();
        }),
        ("another target group", |observed| observed.target_group.as_mut().unwrap().arn = "arn:tg-2".into()),
    ];
    for (what, drift) in drifts {
        let mut observed = converged(&desired);
        drift(&mut observed);
        assert!(changes(&desired, &observed).contains(&format!("put alarm {ALARM}")), "{what}");
    }
}

#[test]
fn turned_off_the_watch_goes_off_once_and_only_our_alarm_is_deleted() {
    let on = with_alarm("5xx");
    let off = desired_with(&[]);
    let observed = converged(&on);
    let actions = diff(&off, &observed, Options::default()).actions;
    let web = web_update(&actions).unwrap();
    assert_eq!((web.changes.as_slice(), web.alarms_off), (&[ServiceChange::RollbackAlarm][..], true));
    let delete = actions.last().unwrap();
    assert_eq!(delete.to_string(), format!("delete alarm {ALARM} (no rollback alarm planned)"));
    assert_eq!(delete.stage(), Stage::Prune, "after the service stops watching it");
    // Someone else's alarm of that name stays.
    let mut foreign = observed.clone();
    foreign.rollback_alarm.as_mut().unwrap().tags = Vec::new();
    assert!(
        !described(&diff(&off, &foreign, Options::default()).actions)
            .iter()
            .any(|line| line.starts_with("delete alarm"))
    );
    // Once off, nothing more.
    let mut settled = converged(&off);
    settled.rollback_alarm = None;
    assert_eq!(changes(&off, &settled), Vec::<String>::new());
}

#[test]
fn another_environments_alarm_is_left_alone() {
    let desired = with_alarm("5xx:threshold=3");
    let mut observed = converged(&desired);
    let alarm = observed.rollback_alarm.as_mut().unwrap();
    for tag in &mut alarm.tags {
        if tag.key == "maestro:environment" {
            tag.value = "repository=acme/other branch=staging account=123456789012 region=us-east-1".into();
        }
    }
    let diff = diff(&desired, &observed, Options::default());
    assert!(!described(&diff.actions).iter().any(|line| line.contains("alarm")), "{:?}", diff.actions);
    assert!(diff.warnings.iter().any(|warning| warning.contains(ALARM)), "{:?}", diff.warnings);
}
