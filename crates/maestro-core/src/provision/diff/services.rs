//! ECS services: created, or updated with what changes on them.

use std::collections::BTreeSet;

use super::service_rollout;
use super::sorted;
use crate::plan::desired::ServiceConnect;
use crate::plan::desired::{DesiredState, Service};
use crate::provision::action::{Action, ServiceSpec};
use crate::provision::observed::{LiveRollout, Observed, ObservedProviderWeight, ObservedServiceConnect};
use crate::provision::service_change::ServiceChange;
use crate::spec::circuit_breaker::CircuitBreaker;
use crate::spec::tags::Tag;

pub(super) fn service_actions(
    desired: &DesiredState,
    service: &Service,
    observed: &Observed,
    registered: &BTreeSet<String>,
    tags: &[Tag],
    actions: &mut Vec<Action>,
) {
    let container = desired
        .task_definitions
        .iter()
        .find(|definition| definition.family == service.task_definition)
        .map_or_else(|| desired.request.app_slug(), |definition| definition.container.clone());
    let target_group =
        desired.load_balancer.as_ref().filter(|_| service.load_balanced).map(|balancer| balancer.target_group.clone());
    let port = desired.load_balancer.as_ref().map_or(0, |balancer| balancer.port);
    let mut spec = ServiceSpec {
        cluster: desired.cluster.name.clone(),
        name: service.name.clone(),
        family: service.task_definition.clone(),
        desired_count: Some(service.desired_count),
        subnets: service.network.subnets.clone(),
        security_groups: service.network.security_groups.clone(),
        circuit_breaker: service.circuit_breaker,
        target_group: target_group.clone(),
        container: container.clone(),
        port,
        service_connect: service.service_connect.clone(),
        execute_command: service.execute_command,
        capacity_provider_strategy: service.capacity_provider_strategy.clone(),
        health_check_grace_period: service.health_check_grace_period,
        rollout: service.rollout.clone(),
        early_success: service.early_success,
        rollback_alarm: service.rollback_alarm.as_ref().map(|alarm| alarm.name.clone()),
        alarms_off: false,
        tags: tags.to_vec(),
        changes: Vec::new(),
    };
    let Some(live) = observed.services.get(&service.name).and_then(Option::as_ref) else {
        actions.push(Action::CreateService(spec));
        return;
    };
    let mut changes = Vec::new();
    let latest = observed
        .task_definitions
        .get(&service.task_definition)
        .and_then(Option::as_ref)
        .map(|definition| definition.arn.as_str());
    if registered.contains(&service.task_definition) {
        changes.push(ServiceChange::NewRevision);
    } else if latest != Some(live.task_definition.as_str()) {
        let running = live.task_definition.rsplit('/').next().unwrap_or_default().to_owned();
        changes.push(ServiceChange::BehindLatest { running });
    }
    // An autoscaled service's count belongs to the autoscaler, unless it is below the minimum
    // (after `maestro stop`): then the update raises it, so the deploy follows the tasks coming
    // back instead of leaving RegisterScalableTarget to raise it unwatched.
    if service.max.is_some() && live.desired_count >= service.min {
        spec.desired_count = None;
    } else if service.max.is_some() {
        spec.desired_count = Some(service.min);
        changes.push(ServiceChange::Count { want: service.min, have: live.desired_count });
    } else if live.desired_count != service.desired_count {
        changes.push(ServiceChange::Count { want: service.desired_count, have: live.desired_count });
    }
    if sorted(&live.subnets) != sorted(&spec.subnets)
        || sorted(&live.security_groups) != sorted(&spec.security_groups)
        || live.assign_public_ip
    {
        changes.push(ServiceChange::Network);
    }
    // Compared as ECS applies them: an unset threshold is ECS's default, and ECS may echo it.
    if live.circuit_breaker.map(CircuitBreaker::effective) != Some(spec.circuit_breaker.effective()) {
        changes.push(ServiceChange::CircuitBreaker);
    }
    let planned = LiveRollout::planned(service);
    match &live.rollout {
        Some(rollout) if *rollout == planned => {}
        // Only the alarm differs: said as such, and no other part of the configuration moves.
        Some(rollout)
            if LiveRollout { rollback_alarm: planned.rollback_alarm.clone(), ..rollout.clone() } == planned =>
        {
            changes.push(ServiceChange::RollbackAlarm);
        }
        _ => changes.push(ServiceChange::Rollout),
    }
    // Whatever else the live configuration holds, a watch the plan does not want is turned off.
    spec.alarms_off =
        spec.rollback_alarm.is_none() && live.rollout.as_ref().is_none_or(|rollout| rollout.rollback_alarm.is_some());
    if live.execute_command != spec.execute_command {
        changes.push(ServiceChange::Exec);
    }
    if live.propagate_tags != Some(ServiceSpec::PROPAGATE_TAGS) {
        changes.push(ServiceChange::TagPropagation);
    }
    let our_group =
        target_group.as_ref().map(|_| observed.target_group.as_ref().map_or("", |group| group.arn.as_str()));
    let traffic = crate::provision::traffic::traffic(desired, observed);
    if !service_rollout::same_attachment(&live.load_balancers, our_group, service, traffic.as_ref(), &container, port) {
        changes.push(ServiceChange::LoadBalancer);
    }
    if !same_service_connect(live.service_connect.as_ref(), spec.service_connect.as_ref()) {
        changes.push(ServiceChange::ServiceConnect);
    }
    // An empty strategy is a service ECS reports none for: nothing to compare it with.
    let strategy: Vec<ObservedProviderWeight> = spec
        .capacity_provider_strategy
        .iter()
        .map(|item| ObservedProviderWeight {
            capacity_provider: item.capacity_provider.as_str().to_owned(),
            weight: item.weight,
        })
        .collect();
    if !live.capacity_provider_strategy.is_empty() && live.capacity_provider_strategy != strategy {
        changes.push(ServiceChange::CapacityProvider);
    }
    if spec.health_check_grace_period.is_some_and(|seconds| live.health_check_grace_period != Some(seconds)) {
        changes.push(ServiceChange::HealthCheckGracePeriod);
    }
    let missing_tags: Vec<Tag> = tags.iter().filter(|tag| !live.tags.contains(tag)).cloned().collect();
    if !missing_tags.is_empty() {
        actions.push(Action::TagResource { arn: live.arn.clone(), tags: missing_tags });
    }
    if !changes.is_empty() {
        spec.changes = changes;
        actions.push(Action::UpdateService(spec));
    }
}

/// Service Connect as planned, or off when none is. A namespace ECS echoes as an ARN cannot be
/// told from its name, so only a name is compared.
fn same_service_connect(live: Option<&ObservedServiceConnect>, planned: Option<&ServiceConnect>) -> bool {
    match (live.filter(|live| live.enabled), planned) {
        (None, None) => true,
        (Some(live), Some(planned)) => {
            (live.namespace.starts_with("arn:") || live.namespace == planned.namespace)
                && live.port_name == planned.port_name
                && live.discovery_name == planned.discovery_name
                && live.dns_name == planned.dns_name
                && live.port == planned.port
        }
        _ => false,
    }
}
