//! Each action's kind and field changes, the old values read from what the diff observed.
//! Creations list no fields (everything about them is new, their sentence and the plan's tree
//! show it), except a schedule target's command, which its sentence does not name.

use serde_json::{Value, json};

use super::{ChangeKind, FieldChange, service_fields};
use crate::plan::desired::CapacityProviderWeight;
use crate::plan::health_check::HealthCheck;
use crate::provision::action::{Action, ListenerSpec};
use crate::provision::diff::schedule_command;
use crate::provision::observed::{Observed, ObservedListener, ObservedProviderWeight};
use crate::spec::tags::Tag;

use ChangeKind::{Create, Delete, Update};

/// `registered`: the families this run registers a new revision of.
pub(super) fn of(action: &Action, observed: &Observed, registered: &[&str]) -> (ChangeKind, Vec<FieldChange>) {
    match action {
        Action::CreateCluster { .. }
        | Action::CreateLogGroup { .. }
        | Action::CreateLoadBalancer { .. }
        | Action::CreateTargetGroup { .. }
        | Action::CreateListener { .. }
        | Action::CreateService(_)
        | Action::CreateListenerRule { .. }
        | Action::CreateTrafficRule { .. } => (Create, Vec::new()),
        Action::PutClusterCapacityProviders { capacity_providers, default_strategy, .. } => {
            let live = observed.cluster.as_ref();
            let old_providers = live.map(|cluster| cluster.capacity_providers.clone()).unwrap_or_default();
            let old_strategy = live.map(|cluster| observed_weights(&cluster.default_strategy)).unwrap_or_default();
            (
                Update,
                differing(vec![
                    FieldChange::of("capacity_providers", old_providers, capacity_providers.clone()),
                    FieldChange::of("default_strategy", old_strategy, weights(default_strategy)),
                ]),
            )
        }
        Action::TagResource { tags, .. } | Action::TagRule { tags, .. } | Action::TagLoadBalancing { tags, .. } => {
            (Update, tag_fields(tags))
        }
        // Registered with the task definition: its diff is `review::definition`'s.
        Action::RegisterTaskDefinition { family, .. } => {
            let exists = observed.task_definitions.get(family).is_some_and(Option::is_some);
            (if exists { Update } else { Create }, Vec::new())
        }
        Action::SetLoadBalancerSubnets { subnets, .. } => {
            let old = observed.load_balancer.as_ref().map(|balancer| balancer.subnets.clone()).unwrap_or_default();
            (Update, vec![FieldChange::of("subnets", old, subnets.clone())])
        }
        Action::SetLoadBalancerSecurityGroups { security_groups, .. } => {
            let live = observed.load_balancer.as_ref();
            let old = live.map(|balancer| balancer.security_groups.clone()).unwrap_or_default();
            (Update, vec![FieldChange::of("security_groups", old, security_groups.clone())])
        }
        Action::ModifyTargetGroup { health_check_path, health_check, deregistration_delay, .. } => {
            let live = observed.target_group.as_ref();
            let old_path = live.map(|group| json!(group.health_check_path));
            let old_check = live.and_then(|group| group.health_check);
            let old_delay = live.and_then(|group| group.deregistration_delay).map(|delay| json!(delay));
            let timing = |field: &str, of: fn(&HealthCheck) -> u32| {
                FieldChange::new(
                    field.into(),
                    old_check.as_ref().map(|old| json!(of(old))),
                    Some(json!(of(health_check))),
                )
            };
            (
                Update,
                differing(vec![
                    FieldChange::new("health_check_path".into(), old_path, Some(json!(health_check_path))),
                    timing("health_check_interval", |check| check.interval_seconds),
                    timing("health_check_timeout", |check| check.timeout_seconds),
                    timing("healthy_threshold", |check| check.healthy_threshold),
                    timing("unhealthy_threshold", |check| check.unhealthy_threshold),
                    FieldChange::new("deregistration_delay".into(), old_delay, Some(json!(deregistration_delay))),
                ]),
            )
        }
        Action::ModifyListener { arn, listener } => {
            let live =
                observed.load_balancer.iter().flat_map(|balancer| &balancer.listeners).find(|live| &live.arn == arn);
            (Update, listener_fields(live, listener))
        }
        Action::UpdateService(spec) => {
            let live = observed.services.get(&spec.name).and_then(Option::as_ref);
            (Update, service_fields::of(spec, live, observed, registered))
        }
        Action::RegisterScalableTarget { resource_id, min, max } => match observed.scalable_targets.get(resource_id) {
            Some(live) => (
                Update,
                differing(vec![FieldChange::of("min", live.min, *min), FieldChange::of("max", live.max, *max)]),
            ),
            None => (Create, Vec::new()),
        },
        Action::PutScalingPolicy(policy) => {
            let live = observed
                .scaling_policies
                .iter()
                .find(|live| live.name == policy.name && live.resource_id == policy.resource_id);
            match live {
                Some(live) => (
                    Update,
                    differing(vec![
                        FieldChange::of("metric_type", live.metric_type.clone(), policy.metric_type.clone()),
                        FieldChange::of("target", live.target, policy.target),
                        FieldChange::of("disable_scale_in", live.disable_scale_in, policy.disable_scale_in),
                    ]),
                ),
                None => (Create, Vec::new()),
            }
        }
        Action::DeleteScalingPolicy { name, resource_id } => {
            let live =
                observed.scaling_policies.iter().find(|live| &live.name == name && &live.resource_id == resource_id);
            (Delete, live.map(|live| vec![deleted("target", json!(live.target))]).unwrap_or_default())
        }
        Action::DeregisterScalableTarget { resource_id } => {
            let live = observed.scalable_targets.get(resource_id);
            (
                Delete,
                live.map(|live| vec![deleted("min", json!(live.min)), deleted("max", json!(live.max))])
                    .unwrap_or_default(),
            )
        }
        Action::SetLogRetention { name, days } => {
            let live = observed.log_groups.get(name).and_then(Option::as_ref);
            let old = live.and_then(|group| group.retention_days).map(|days| json!(days));
            (
                if live.is_some() { Update } else { Create },
                vec![FieldChange::new("retention_days".into(), old, Some(json!(days)))],
            )
        }
        Action::ForwardListenerRule { arn, target_group, .. } => {
            let live = observed.load_balancer.iter().flat_map(|balancer| &balancer.rules).find(|rule| &rule.arn == arn);
            let old = live.map(|rule| json!(rule.forwards_to.iter().map(|arn| arn_name(arn)).collect::<Vec<_>>()));
            (Update, vec![FieldChange::new("forwards_to".into(), old, Some(json!([target_group])))])
        }
        Action::ForwardTrafficRule { arn, rule } => {
            let live =
                observed.traffic.iter().flat_map(|traffic| traffic.rules(rule.listener)).find(|live| &live.arn == arn);
            let old = live.map(|live| json!(live.forwards_to.iter().map(|arn| arn_name(arn)).collect::<Vec<_>>()));
            let new = json!([rule.target_group, rule.alternate_target_group]);
            (Update, vec![FieldChange::new("forwards_to".into(), old, Some(new))])
        }
        Action::PutRule { name, expression, enabled, .. } => match observed.rules.get(name) {
            Some(live) => (
                Update,
                differing(vec![
                    FieldChange::of("expression", live.expression.clone(), expression.clone()),
                    FieldChange::of("state", state(live.enabled), state(*enabled)),
                ]),
            ),
            None => (Create, Vec::new()),
        },
        Action::PutRuleTarget(target) => {
            let live = observed
                .rules
                .get(&target.rule)
                .and_then(|rule| rule.targets.iter().find(|live| live.id == target.rule));
            let new_command = schedule_command(&target.input);
            match live {
                Some(live) => (
                    Update,
                    differing(vec![
                        FieldChange::new("command".into(), schedule_command(&live.input), new_command),
                        FieldChange::of(
                            "task_definition",
                            arn_name(&live.task_definition),
                            revision(observed, registered, &target.family),
                        ),
                        FieldChange::of("role", live.role_arn.clone(), target.role_arn.clone()),
                        FieldChange::of("subnets", sorted(&live.subnets), sorted(&target.subnets)),
                        FieldChange::of(
                            "security_groups",
                            sorted(&live.security_groups),
                            sorted(&target.security_groups),
                        ),
                    ]),
                ),
                None => (Create, vec![FieldChange::new("command".into(), None, new_command)]),
            }
        }
        Action::DeleteService { name, .. } => (Delete, vec![deleted("service", json!(name))]),
        Action::PutRollbackAlarm { alarm, .. } => {
            let Some(live) = observed.rollback_alarm.as_ref() else { return (Create, Vec::new()) };
            let shape = live.shape.as_ref();
            (
                Update,
                differing(vec![
                    FieldChange::of("threshold", shape.map(|s| json!(s.threshold)), json!(f64::from(alarm.threshold))),
                    FieldChange::of(
                        "evaluation_periods",
                        shape.map(|s| json!(s.evaluation_periods)),
                        json!(alarm.evaluation_periods),
                    ),
                    FieldChange::of(
                        "datapoints_to_alarm",
                        shape.map(|s| json!(s.datapoints_to_alarm)),
                        json!(alarm.datapoints_to_alarm),
                    ),
                    FieldChange::of(
                        "period",
                        shape.and_then(|s| s.metrics.first()).map(|metric| json!(metric.period)),
                        json!(alarm.period_seconds),
                    ),
                    FieldChange::of(
                        "target_groups",
                        shape.map(|s| json!(s.metrics.len())),
                        json!(alarm.target_groups.len()),
                    ),
                ]),
            )
        }
        Action::DeleteRollbackAlarm { name } => (Delete, vec![deleted("alarm", json!(name))]),
        Action::DeleteRule { name, .. } => {
            let old = observed.rules.get(name).map(|rule| json!(rule.expression));
            (Delete, old.map(|old| vec![deleted("expression", old)]).unwrap_or_default())
        }
        Action::ScaleService { name, count, .. } => {
            let old = observed.services.get(name).and_then(Option::as_ref).map(|live| json!(live.desired_count));
            (Update, vec![FieldChange::new("desired_count".into(), old, Some(json!(count)))])
        }
        Action::DisableRule { name } => {
            let old = observed.rules.get(name).map(|rule| json!(state(rule.enabled)));
            (Update, vec![FieldChange::new("state".into(), old, Some(json!(state(false))))])
        }
    }
}

/// Only the fields whose values differ (an update's other fields are written unchanged).
pub(super) fn differing(fields: Vec<FieldChange>) -> Vec<FieldChange> {
    fields.into_iter().filter(|field| field.old != field.new).collect()
}

fn deleted(field: &str, old: Value) -> FieldChange {
    FieldChange::new(field.to_owned(), Some(old), None)
}

/// A tag maestro adds (one missing or with another value).
fn tag_fields(tags: &[Tag]) -> Vec<FieldChange> {
    tags.iter().map(|tag| FieldChange::new(format!("tags.{}", tag.key), None, Some(json!(tag.value)))).collect()
}

fn listener_fields(live: Option<&ObservedListener>, planned: &ListenerSpec) -> Vec<FieldChange> {
    let old_action = live.map(|live| match live.redirects_to_https {
        true => json!("redirect to HTTPS"),
        false => json!(live.forwards_to.iter().map(|arn| arn_name(arn)).collect::<Vec<_>>()),
    });
    let new_action = match &planned.target_group {
        Some(group) => json!([group]),
        None => json!("redirect to HTTPS"),
    };
    let old_certificates = live.map(|live| json!(live.certificates));
    let new_certificates = json!(planned.certificate_arn.iter().collect::<Vec<_>>());
    differing(vec![
        FieldChange::new(
            "protocol".into(),
            live.map(|live| json!(live.protocol.map(|p| p.as_str()))),
            Some(json!(planned.protocol.as_str())),
        ),
        FieldChange::new("default_action".into(), old_action, Some(new_action)),
        FieldChange::new("certificates".into(), old_certificates, Some(new_certificates)),
    ])
}

fn state(enabled: bool) -> &'static str {
    if enabled { "ENABLED" } else { "DISABLED" }
}

/// A resource's name from its ARN (`…:targetgroup/shop/9f3e` → `shop/9f3e`, `…/shop-web:3` →
/// `shop-web:3`): the part people recognise.
pub(super) fn arn_name(arn: &str) -> String {
    match arn.split_once('/') {
        Some((_, name)) if arn.contains(":targetgroup/") => name.to_owned(),
        _ => arn.rsplit('/').next().unwrap_or(arn).to_owned(),
    }
}

/// The revision of `family` an action points at: this run's new one, or the latest.
pub(super) fn revision(observed: &Observed, registered: &[&str], family: &str) -> String {
    let latest = observed.task_definitions.get(family).and_then(Option::as_ref);
    match latest {
        Some(latest) if !registered.contains(&family) => arn_name(&latest.arn),
        _ => format!("{family} (new revision)"),
    }
}

pub(super) fn sorted(items: &[String]) -> Vec<String> {
    let mut items = items.to_vec();
    items.sort();
    items
}

pub(super) fn weights(strategy: &[CapacityProviderWeight]) -> Vec<String> {
    strategy.iter().map(|item| format!("{}:{}", item.capacity_provider.as_str(), item.weight)).collect()
}

pub(super) fn observed_weights(strategy: &[ObservedProviderWeight]) -> Vec<String> {
    strategy.iter().map(|item| format!("{}:{}", item.capacity_provider, item.weight)).collect()
}
