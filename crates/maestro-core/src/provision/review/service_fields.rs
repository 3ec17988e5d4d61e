//! A service update's field changes: one or more per [`ServiceChange`], the old values from the
//! live service, so the reasons the diff found read as `field: old → new`.

use crate::spec::circuit_breaker::{CircuitBreaker, Threshold};
use serde_json::{Value, json};

use super::FieldChange;
use super::fields::{arn_name, differing, observed_weights, revision, sorted, weights};
use crate::provision::action::ServiceSpec;
use crate::provision::observed::{Observed, ObservedService};
use crate::provision::service_change::ServiceChange;

pub(super) fn of(
    spec: &ServiceSpec,
    live: Option<&ObservedService>,
    observed: &Observed,
    registered: &[&str],
) -> Vec<FieldChange> {
    let Some(live) = live else { return Vec::new() };
    let mut fields = Vec::new();
    for change in &spec.changes {
        match change {
            ServiceChange::NewRevision | ServiceChange::BehindLatest { .. } => fields.push(FieldChange::of(
                "task_definition",
                arn_name(&live.task_definition),
                revision(observed, registered, &spec.family),
            )),
            ServiceChange::Count { want, have } => fields.push(FieldChange::of("desired_count", *have, *want)),
            ServiceChange::Network => fields.extend(differing(vec![
                FieldChange::of("subnets", sorted(&live.subnets), sorted(&spec.subnets)),
                FieldChange::of("security_groups", sorted(&live.security_groups), sorted(&spec.security_groups)),
                FieldChange::of("assign_public_ip", live.assign_public_ip, false),
            ])),
            ServiceChange::CircuitBreaker => fields.push(FieldChange::new(
                "deployment_circuit_breaker".into(),
                live.circuit_breaker.map(breaker_text),
                Some(breaker_text(spec.circuit_breaker)),
            )),
            ServiceChange::Exec => {
                fields.push(FieldChange::of("enable_execute_command", live.execute_command, spec.execute_command));
            }
            ServiceChange::TagPropagation => fields.push(FieldChange::new(
                "propagate_tags".into(),
                live.propagate_tags.map(|tags| json!(tags.as_str())),
                Some(json!(ServiceSpec::PROPAGATE_TAGS.as_str())),
            )),
            ServiceChange::LoadBalancer => {
                let old: Vec<String> = live
                    .load_balancers
                    .iter()
                    .map(|attachment| {
                        let group = arn_name(&attachment.target_group_arn);
                        let shifted =
                            attachment.traffic.as_ref().map(|traffic| arn_name(&traffic.alternate_target_group_arn));
                        attachment_text(&group, &attachment.container, attachment.port, shifted.as_deref())
                    })
                    .collect();
                let alternate = spec.rollout.as_ref().map(|_| "its alternate");
                let new: Vec<String> = spec
                    .target_group
                    .iter()
                    .map(|group| attachment_text(group, &spec.container, spec.port, alternate))
                    .collect();
                fields.push(FieldChange::of("load_balancers", old, new));
            }
            ServiceChange::ServiceConnect => {
                let old = live
                    .service_connect
                    .as_ref()
                    .filter(|connect| connect.enabled)
                    .map(|connect| connect_text(&connect.namespace, &connect.dns_name, connect.port));
                let new = spec
                    .service_connect
                    .as_ref()
                    .map(|connect| connect_text(&connect.namespace, &connect.dns_name, connect.port));
                fields.push(FieldChange::new("service_connect".into(), old, new));
            }
            ServiceChange::CapacityProvider => fields.push(FieldChange::of(
                "capacity_provider_strategy",
                observed_weights(&live.capacity_provider_strategy),
                weights(&spec.capacity_provider_strategy),
            )),
            ServiceChange::HealthCheckGracePeriod => fields.push(FieldChange::new(
                "health_check_grace_period".into(),
                live.health_check_grace_period.map(|seconds| json!(seconds)),
                spec.health_check_grace_period.map(|seconds| json!(seconds)),
            )),
            ServiceChange::Rollout => {
                let planned = spec.rollout.as_ref();
                fields.extend(differing(vec![
                    FieldChange::new(
                        "deployment_strategy".into(),
                        Some(
                            live.rollout
                                .as_ref()
                                .map_or_else(|| json!("(not maestro's)"), |live| json!(live.strategy.to_string())),
                        ),
                        Some(json!(planned.map(|rollout| rollout.strategy).unwrap_or_default().to_string())),
                    ),
                    FieldChange::new(
                        "approval".into(),
                        live.rollout
                            .as_ref()
                            .and_then(|live| live.approval)
                            .map(|approval| json!(approval.to_string())),
                        planned.and_then(|rollout| rollout.approval).map(|approval| json!(approval.to_string())),
                    ),
                ]));
            }
            ServiceChange::RollbackAlarm => fields.push(FieldChange::new(
                "rollback_alarm".into(),
                live.rollout.as_ref().and_then(|live| live.rollback_alarm.as_ref()).map(|name| json!(name)),
                spec.rollback_alarm.as_ref().map(|name| json!(name)),
            )),
        }
    }
    fields
}

/// As `DEPLOYMENT_CIRCUIT_BREAKER_RULE` writes it.
/// The breaker as ECS applies it, in `DEPLOYMENT_CIRCUIT_BREAKER_RULE`'s words.
fn breaker_text(breaker: CircuitBreaker) -> Value {
    let breaker = breaker.effective();
    let mut text = format!("enable={},rollback={}", breaker.enable, breaker.rollback);
    if let (Some(threshold), Some(reset)) = (breaker.threshold, breaker.reset_on_healthy) {
        let kind = match threshold {
            Threshold::Count(_) => "count",
            Threshold::BoundedPercent(_) => "percent",
            Threshold::UnboundedPercent(_) => "unbounded-percent",
        };
        text.push_str(&format!(",threshold={kind}:{},reset-on-healthy={reset}", threshold.value()));
    }
    json!(text)
}

/// A load balancer attachment: `<target group> <container>:<port>`, and the group ECS shifts
/// traffic to with a blue-green, canary or linear deploy.
fn attachment_text(group: &str, container: &str, port: u16, alternate: Option<&str>) -> String {
    match alternate {
        Some(alternate) => format!("{group} {container}:{port} shifting with {alternate}"),
        None => format!("{group} {container}:{port}"),
    }
}

fn connect_text(namespace: &str, dns_name: &str, port: u16) -> Value {
    json!(format!("{dns_name}:{port} in {namespace}"))
}
