//! The desired state minus the observed state: the ordered actions that make AWS match the plan.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::action::{Action, ListenerSpec, PolicySpec, RuleTarget, ServiceSpec};
use super::compare;
use super::observed::{Observed, ObservedSecret};
use crate::core::plan::desired::{DesiredState, Service, TaskDefinition};
use crate::core::spec::tags::Tag;

/// The tag maestro puts on everything it creates, naming the app and branch it belongs to.
pub const MARKER_TAG_KEY: &str = "maestro:app";

/// The workload's tags plus maestro's marker.
pub fn resource_tags(desired: &DesiredState) -> Vec<Tag> {
    let marker = format!("{}-{}", desired.request.slug, desired.request.branch_slug.as_deref().unwrap_or_default());
    let mut tags = desired.tags.clone();
    tags.push(Tag { key: MARKER_TAG_KEY.to_owned(), value: marker });
    tags
}

/// The actions, in order, and what the user should know that no action fixes.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Diff {
    pub actions: Vec<Action>,
    pub warnings: Vec<String>,
}

/// How far the diff may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Delete services whose process is no longer planned (`maestro deploy --prune`).
    pub prune: bool,
}

pub fn diff(desired: &DesiredState, observed: &Observed, options: Options) -> Diff {
    let tags = resource_tags(desired);
    let mut actions = Vec::new();
    let mut warnings = Vec::new();
    let cluster = &desired.cluster;
    match &observed.cluster {
        None => actions.push(Action::CreateCluster {
            name: cluster.name.clone(),
            capacity_providers: cluster.capacity_providers.clone(),
            default_strategy: cluster.default_capacity_provider_strategy.clone(),
            tags: tags.clone(),
        }),
        Some(live) => {
            let strategy: Vec<(String, u32)> = cluster
                .default_capacity_provider_strategy
                .iter()
                .map(|item| (item.capacity_provider.clone(), item.weight))
                .collect();
            let missing_provider =
                cluster.capacity_providers.iter().any(|provider| !live.capacity_providers.contains(provider));
            if missing_provider || live.default_strategy != strategy {
                // Keep providers others added (an EC2 Auto Scaling provider, say): the call replaces the list.
                let mut providers = live.capacity_providers.clone();
                providers.extend(
                    cluster
                        .capacity_providers
                        .iter()
                        .filter(|provider| !live.capacity_providers.contains(provider))
                        .cloned(),
                );
                actions.push(Action::PutClusterCapacityProviders {
                    name: cluster.name.clone(),
                    capacity_providers: providers,
                    default_strategy: cluster.default_capacity_provider_strategy.clone(),
                });
            }
            let missing: Vec<Tag> = tags.iter().filter(|tag| !live.tags.contains(tag)).cloned().collect();
            if !missing.is_empty() {
                actions.push(Action::TagResource { arn: live.arn.clone(), tags: missing });
            }
        }
    }
    for name in &desired.log_groups {
        let live = observed.log_groups.get(name).and_then(Option::as_ref);
        if live.is_none() {
            actions.push(Action::CreateLogGroup { name: name.clone(), tags: tags.clone() });
        }
        // An unset retention leaves whatever the group has: someone may have set it by hand.
        if let Some(days) = desired.log_retention_days
            && live.is_none_or(|live| live.retention_days != i32::try_from(days).ok())
        {
            actions.push(Action::SetLogRetention { name: name.clone(), days });
        }
    }
    let mut registered = BTreeSet::new();
    for definition in &desired.task_definitions {
        let rendered = render_with_secrets(definition, observed.secret.as_ref());
        let latest = observed.task_definitions.get(&definition.family).and_then(Option::as_ref);
        let unchanged = latest.is_some_and(|live| {
            compare::contains(&Value::Object(live.definition.clone()), &Value::Object(without_tags(&rendered)))
        });
        if !unchanged {
            let mut to_register = rendered;
            to_register.insert(
                "tags".into(),
                json!(tags.iter().map(|tag| json!({"key": tag.key, "value": tag.value})).collect::<Vec<_>>()),
            );
            registered.insert(definition.family.clone());
            actions.push(Action::RegisterTaskDefinition {
                process: definition.process.clone(),
                family: definition.family.clone(),
                definition: to_register,
            });
        }
    }
    load_balancer(desired, observed, &tags, &mut actions, &mut warnings);
    for service in &desired.services {
        service_actions(desired, service, observed, &registered, &tags, &mut actions);
    }
    autoscaling(desired, observed, &mut actions);
    schedules(desired, observed, &registered, &tags, &mut actions, &mut warnings);
    for orphan in &observed.orphaned_services {
        if options.prune {
            actions.push(Action::DeleteService { cluster: desired.cluster.name.clone(), name: orphan.clone() });
            continue;
        }
        warnings.push(format!(
            "service {orphan} is no longer in the plan (its process was removed or is no longer listed); it keeps running until deleted (`maestro deploy --prune` deletes it)"
        ));
    }
    actions.sort_by_key(Action::stage);
    Diff { actions, warnings }
}

/// The container override a schedule's target passes: the command as one shell line for the CNB
/// launcher, properly JSON-encoded (the original spliced it in unescaped).
pub fn schedule_input(container: &str, command: &str) -> String {
    json!({"containerOverrides": [{"name": container, "command": [command]}]}).to_string()
}

fn schedules(
    desired: &DesiredState,
    observed: &Observed,
    registered: &BTreeSet<String>,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    for task in &desired.schedules {
        let live = observed.rules.get(&task.rule);
        if live.is_none_or(|rule| rule.expression != task.expression || !rule.enabled) {
            actions.push(Action::PutRule {
                name: task.rule.clone(),
                expression: task.expression.clone(),
                tags: tags.to_vec(),
            });
        }
        if let Some(rule) = live {
            let missing: Vec<Tag> = tags.iter().filter(|tag| !rule.tags.contains(tag)).cloned().collect();
            if !missing.is_empty() {
                actions.push(Action::TagRule { arn: rule.arn.clone(), tags: missing });
            }
        }
        let target = RuleTarget {
            rule: task.rule.clone(),
            cluster_arn: task.cluster_arn.clone(),
            role_arn: task.role_arn.clone(),
            family: task.task_definition.clone(),
            input: schedule_input(&task.container, &task.command),
            subnets: task.network.subnets.clone(),
            security_groups: task.network.security_groups.clone(),
        };
        let latest = observed
            .task_definitions
            .get(&task.task_definition)
            .and_then(Option::as_ref)
            .map(|definition| definition.arn.as_str());
        let current = live.and_then(|rule| rule.targets.iter().find(|live| live.id == task.rule)).is_some_and(|live| {
            !registered.contains(&task.task_definition)
                && Some(live.task_definition.as_str()) == latest
                && live.arn == target.cluster_arn
                && live.role_arn == target.role_arn
                && serde_json::from_str::<Value>(&live.input).ok() == serde_json::from_str::<Value>(&target.input).ok()
                && live.launch_type == "FARGATE"
                && sorted(&live.subnets) == sorted(&target.subnets)
                && sorted(&live.security_groups) == sorted(&target.security_groups)
                && !live.assign_public_ip
                && live.propagate_tags == "TASK_DEFINITION"
        });
        if !current {
            actions.push(Action::PutRuleTarget(target));
        }
    }
    // Rules with the prefix but no line: deleted only when maestro's tag says they are this app's.
    let marker = resource_tags(desired).into_iter().find(|tag| tag.key == MARKER_TAG_KEY);
    for (name, rule) in &observed.rules {
        if desired.schedules.iter().any(|task| &task.rule == name) {
            continue;
        }
        if marker.as_ref().is_some_and(|marker| rule.tags.contains(marker)) {
            let target_ids = rule.targets.iter().map(|target| target.id.clone()).collect();
            actions.push(Action::DeleteRule { name: name.clone(), target_ids });
        } else {
            warnings.push(format!(
                "schedule rule {name} is not in the schedule file but carries no `{MARKER_TAG_KEY}` tag, so maestro leaves it; delete it if it is stale"
            ));
        }
    }
}

/// AWS's default cooldowns, used when a policy is first created.
const DEFAULT_COOLDOWN: i32 = 300;

fn autoscaling(desired: &DesiredState, observed: &Observed, actions: &mut Vec<Action>) {
    let planned: Vec<&str> = desired.services.iter().filter_map(|service| service.scalable_target.as_deref()).collect();
    for service in &desired.services {
        let (Some(resource_id), Some(max)) = (&service.scalable_target, service.max) else { continue };
        match observed.scalable_targets.get(resource_id) {
            Some(live) if live.min == service.min && live.max == max => {}
            _ => {
                actions.push(Action::RegisterScalableTarget { resource_id: resource_id.clone(), min: service.min, max })
            }
        }
        for policy in &service.scaling {
            let live = observed
                .scaling_policies
                .iter()
                .find(|live| live.name == policy.policy_name && &live.resource_id == resource_id);
            let alb = (policy.metric == crate::core::spec::process_list::Metric::Alb)
                .then(|| {
                    desired
                        .load_balancer
                        .as_ref()
                        .map(|balancer| (balancer.name.clone(), balancer.target_group.clone()))
                })
                .flatten();
            let unchanged = live.is_some_and(|live| {
                live.metric_type == policy.predefined_metric_type
                    && (live.target - policy.target).abs() < f64::EPSILON
                    && live.disable_scale_in == policy.disable_scale_in
                    && live.resource_label.is_some() == alb.is_some()
            });
            if !unchanged {
                actions.push(Action::PutScalingPolicy(PolicySpec {
                    name: policy.policy_name.clone(),
                    resource_id: resource_id.clone(),
                    metric_type: policy.predefined_metric_type.clone(),
                    target: policy.target,
                    disable_scale_in: policy.disable_scale_in,
                    alb,
                    scale_in_cooldown: live.and_then(|live| live.scale_in_cooldown).unwrap_or(DEFAULT_COOLDOWN),
                    scale_out_cooldown: live.and_then(|live| live.scale_out_cooldown).unwrap_or(DEFAULT_COOLDOWN),
                }));
            }
        }
    }
    // Policies maestro named for metrics that are no longer configured, and targets of services
    // that no longer scale. Policies named otherwise belong to someone else and are kept.
    for live in &observed.scaling_policies {
        let planned_policy =
            desired.services.iter().flat_map(|service| &service.scaling).any(|policy| policy.policy_name == live.name);
        let ours = live.name.ends_with("-scaling-policy");
        if ours && !planned_policy {
            actions
                .push(Action::DeleteScalingPolicy { name: live.name.clone(), resource_id: live.resource_id.clone() });
        }
    }
    for resource_id in observed.scalable_targets.keys() {
        if !planned.contains(&resource_id.as_str()) {
            actions.push(Action::DeregisterScalableTarget { resource_id: resource_id.clone() });
        }
    }
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut items = items.to_vec();
    items.sort();
    items
}

fn load_balancer(
    desired: &DesiredState,
    observed: &Observed,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    let Some(balancer) = &desired.load_balancer else { return };
    match &observed.load_balancer {
        None if balancer.shared => {
            warnings.push(format!(
                "the shared load balancer {} does not exist; create it, or unset ALB_NAME_OVERRIDE",
                balancer.name
            ));
        }
        None => actions.push(Action::CreateLoadBalancer {
            name: balancer.name.clone(),
            scheme: balancer.scheme.clone(),
            subnets: balancer.subnets.clone(),
            security_groups: balancer.security_groups.clone(),
            tags: tags.to_vec(),
        }),
        Some(live) if !balancer.shared => {
            if live.scheme != balancer.scheme {
                warnings.push(format!(
                    "load balancer {} is {}, not {}; AWS cannot change a scheme: delete it to have it recreated",
                    balancer.name, live.scheme, balancer.scheme
                ));
            }
            if !balancer.subnets.is_empty() && sorted(&live.subnets) != sorted(&balancer.subnets) {
                actions.push(Action::SetLoadBalancerSubnets {
                    name: balancer.name.clone(),
                    arn: live.arn.clone(),
                    subnets: balancer.subnets.clone(),
                });
            }
            if !balancer.security_groups.is_empty()
                && sorted(&live.security_groups) != sorted(&balancer.security_groups)
            {
                actions.push(Action::SetLoadBalancerSecurityGroups {
                    name: balancer.name.clone(),
                    arn: live.arn.clone(),
                    security_groups: balancer.security_groups.clone(),
                });
            }
        }
        Some(_) => {}
    }
    match &observed.target_group {
        None => actions.push(Action::CreateTargetGroup {
            name: balancer.target_group.clone(),
            port: balancer.port,
            vpc_id: balancer.vpc_id.clone(),
            health_check_path: balancer.health_check_path.clone(),
            deregistration_delay: balancer.deregistration_delay,
            tags: tags.to_vec(),
        }),
        Some(live) => {
            if live.port != balancer.port {
                warnings.push(format!(
                    "target group {} listens on port {}, not PORT {}; AWS cannot change it: delete the target group to have it recreated",
                    balancer.target_group, live.port, balancer.port
                ));
            }
            if live.health_check_path != balancer.health_check_path
                || live.deregistration_delay != Some(balancer.deregistration_delay)
            {
                actions.push(Action::ModifyTargetGroup {
                    name: balancer.target_group.clone(),
                    arn: live.arn.clone(),
                    health_check_path: balancer.health_check_path.clone(),
                    deregistration_delay: balancer.deregistration_delay,
                });
            }
        }
    }
    if balancer.shared {
        shared_rule(balancer, observed, tags, actions, warnings);
        return;
    }
    let forward = ListenerSpec {
        protocol: balancer.listener.protocol.clone(),
        port: balancer.listener.port,
        certificate_arn: balancer.certificate_arn.clone(),
        target_group: Some(balancer.target_group.clone()),
    };
    let mut wanted = vec![forward];
    if balancer.certificate_arn.is_some() {
        wanted.push(ListenerSpec { protocol: "HTTP".into(), port: 80, certificate_arn: None, target_group: None });
    }
    let ours = observed.target_group.as_ref().map(|group| group.arn.as_str());
    for spec in wanted {
        let live = observed
            .load_balancer
            .as_ref()
            .and_then(|live| live.listeners.iter().find(|listener| listener.port == spec.port));
        let Some(live) = live else {
            actions.push(Action::CreateListener {
                load_balancer: balancer.name.clone(),
                listener: spec,
                tags: tags.to_vec(),
            });
            continue;
        };
        let matches = live.protocol == spec.protocol
            && spec.certificate_arn.as_ref().is_none_or(|certificate| live.certificates.contains(certificate))
            && match &spec.target_group {
                Some(_) => ours.is_some_and(|arn| live.forwards_to == [arn]),
                None => live.redirects_to_https,
            };
        if !matches {
            actions.push(Action::ModifyListener { arn: live.arn.clone(), listener: spec });
        }
    }
}

/// On a shared load balancer maestro owns only its host's rule, never the listeners.
fn shared_rule(
    balancer: &crate::core::plan::desired::LoadBalancer,
    observed: &Observed,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    let Some(host) = &balancer.host else {
        warnings.push(format!(
            "load balancer {} is shared (ALB_NAME_OVERRIDE) and MAESTRO_HOST is unset: no listener rule routes to target group {}; set MAESTRO_HOST to have maestro manage one",
            balancer.name, balancer.target_group
        ));
        return;
    };
    let Some(live) = &observed.load_balancer else { return };
    let port = balancer.listener.port;
    let Some(listener) = live.listeners.iter().find(|listener| listener.port == port) else {
        warnings.push(format!(
            "the shared load balancer {} has no listener on port {port} to add the rule for {host} to",
            balancer.name
        ));
        return;
    };
    let ours = observed.target_group.as_ref().map(|group| group.arn.as_str());
    match live.rules.iter().find(|rule| rule.hosts.iter().any(|candidate| candidate == host)) {
        Some(rule) if ours.is_some_and(|arn| rule.forwards_to == [arn]) => {}
        Some(rule) => actions.push(Action::ForwardListenerRule {
            arn: rule.arn.clone(),
            host: host.clone(),
            target_group: balancer.target_group.clone(),
        }),
        None => {
            let taken: Vec<u32> = live.rules.iter().filter_map(|rule| rule.priority).collect();
            let priority = (1..=50_000).find(|candidate| !taken.contains(candidate)).unwrap_or(50_000);
            actions.push(Action::CreateListenerRule {
                listener_arn: listener.arn.clone(),
                priority,
                host: host.clone(),
                target_group: balancer.target_group.clone(),
                tags: tags.to_vec(),
            });
        }
    }
}

fn service_actions(
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
        .map_or_else(|| desired.request.slug.clone(), |definition| definition.container.clone());
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
        circuit_breaker: (service.circuit_breaker.enable, service.circuit_breaker.rollback),
        target_group: target_group.clone(),
        container: container.clone(),
        port,
        service_connect: service.service_connect.clone(),
        tags: tags.to_vec(),
        reasons: Vec::new(),
    };
    let Some(live) = observed.services.get(&service.name).and_then(Option::as_ref) else {
        actions.push(Action::CreateService(spec));
        return;
    };
    let mut reasons = Vec::new();
    let latest = observed
        .task_definitions
        .get(&service.task_definition)
        .and_then(Option::as_ref)
        .map(|definition| definition.arn.as_str());
    if registered.contains(&service.task_definition) {
        reasons.push("new task definition revision".to_owned());
    } else if latest != Some(live.task_definition.as_str()) {
        reasons.push(format!(
            "runs {} instead of the latest revision",
            live.task_definition.rsplit('/').next().unwrap_or_default()
        ));
    }
    // An autoscaled service's count belongs to the autoscaler.
    if service.max.is_some() {
        spec.desired_count = None;
    } else if live.desired_count != service.desired_count {
        reasons.push(format!("{} tasks instead of {}", service.desired_count, live.desired_count));
    }
    if sorted(&live.subnets) != sorted(&spec.subnets)
        || sorted(&live.security_groups) != sorted(&spec.security_groups)
        || live.assign_public_ip
    {
        reasons.push("network configuration".to_owned());
    }
    if live.circuit_breaker != Some(spec.circuit_breaker) {
        reasons.push("deployment circuit breaker".to_owned());
    }
    if !live.execute_command {
        reasons.push("ECS Exec".to_owned());
    }
    if live.propagate_tags != "TASK_DEFINITION" {
        reasons.push("tag propagation".to_owned());
    }
    let our_group = observed.target_group.as_ref().map(|group| group.arn.clone()).unwrap_or_default();
    let wanted = target_group.as_ref().map(|_| (our_group, container, port));
    if live.load_balancers.first().cloned() != wanted || live.load_balancers.len() > 1 {
        reasons.push("load balancer attachment".to_owned());
    }
    let missing_tags: Vec<Tag> = tags.iter().filter(|tag| !live.tags.contains(tag)).cloned().collect();
    if !missing_tags.is_empty() {
        actions.push(Action::TagResource { arn: live.arn.clone(), tags: missing_tags });
    }
    if !reasons.is_empty() {
        spec.reasons = reasons;
        actions.push(Action::UpdateService(spec));
    }
}

/// The definition with every key of the app's secret as a container secret, referenced by ARN
/// and key so ECS resolves the value at task start; the value never passes through maestro.
pub fn render_with_secrets(definition: &TaskDefinition, secret: Option<&ObservedSecret>) -> Map<String, Value> {
    let mut rendered = definition.definition.clone();
    let Some(secret) = secret else { return rendered };
    let containers = rendered.get_mut("containerDefinitions").and_then(Value::as_array_mut);
    let app = containers.and_then(|list| {
        list.iter_mut()
            .filter_map(Value::as_object_mut)
            .find(|container| container.get("name").and_then(Value::as_str) == Some(definition.container.as_str()))
    });
    if let Some(container) = app {
        let list = container.entry("secrets").or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            for key in &secret.keys {
                if !list.iter().any(|item| item.get("name").and_then(Value::as_str) == Some(key)) {
                    list.push(json!({"name": key, "valueFrom": format!("{}:{key}::", secret.arn)}));
                }
            }
        }
    }
    rendered
}

/// Tags are not part of a revision's description; they are compared on their own.
fn without_tags(definition: &Map<String, Value>) -> Map<String, Value> {
    let mut copy = definition.clone();
    copy.remove("tags");
    copy
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
