//! The desired state minus the observed state: the ordered actions that make AWS match the plan.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{Map, Value, json};

mod autoscaling;
mod load_balancer;
mod rollback_alarm;
mod schedules;
mod service_rollout;
mod services;
mod traffic;

pub use autoscaling::alb_resource_label;
pub use schedules::{schedule_command, schedule_input};

use super::action::Action;
use super::observed::{Observed, ObservedProviderWeight, ObservedSecret};
use super::review::{self, Change, Detail};
use super::{adoption, compare};
use crate::plan::desired::{DesiredState, TaskDefinition};
use crate::spec::tags::Tag;

/// The tag maestro puts on everything it creates, naming the app and branch it belongs to.
pub const MARKER_TAG_KEY: &str = "maestro:app";

/// The workload's tags plus maestro's marker and the environment's identity
/// (`provision::ownership`).
pub fn resource_tags(desired: &DesiredState) -> Vec<Tag> {
    let mut tags = desired.tags.clone();
    tags.push(super::ownership::marker(desired));
    tags.push(super::ownership::environment(desired));
    tags
}

/// The actions, in order, and what the user should know that no action fixes.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Diff {
    pub actions: Vec<Action>,
    /// What each action changes, in the same order (`review`).
    pub details: Vec<Detail>,
    pub warnings: Vec<String>,
    /// Services of this environment the plan no longer has, left running (no `--prune`).
    pub orphans: Vec<String>,
}

impl Diff {
    /// Each action with what it changes.
    pub fn changes(&self) -> Vec<Change> {
        let pairs = self.actions.iter().cloned().zip(self.details.iter().cloned());
        pairs.map(|(action, detail)| Change { action, detail }).collect()
    }
}

/// How far the diff may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Delete services whose process is no longer planned (`maestro deploy --prune`).
    pub prune: bool,
}

pub fn diff(desired: &DesiredState, observed: &Observed, options: Options) -> Diff {
    let (desired, observed) = &adoption::settle(desired, observed);
    let tags = resource_tags(desired);
    let mut actions = Vec::new();
    let mut warnings = Vec::new();
    let mut orphans = Vec::new();
    let cluster = &desired.cluster;
    match &observed.cluster {
        None => actions.push(Action::CreateCluster {
            name: cluster.name.clone(),
            capacity_providers: cluster.capacity_providers.clone(),
            default_strategy: cluster.default_capacity_provider_strategy.clone(),
            // The previews' cluster is the app's previews', never the first preview's.
            tags: match &desired.preview {
                Some(_) => crate::preview::shared_tags(&desired.request.app_slug(), &desired.tags),
                None => tags.clone(),
            },
        }),
        Some(live) => {
            let strategy: Vec<ObservedProviderWeight> = cluster
                .default_capacity_provider_strategy
                .iter()
                .map(|item| ObservedProviderWeight {
                    capacity_provider: item.capacity_provider.as_str().to_owned(),
                    weight: item.weight,
                })
                .collect();
            let missing_providers: Vec<String> = cluster
                .capacity_providers
                .iter()
                .map(|provider| provider.as_str().to_owned())
                .filter(|provider| !live.capacity_providers.contains(provider))
                .collect();
            // A shared cluster's default strategy is its owner's: the services carry their own.
            let other_default = live.default_strategy != strategy && !cluster.shared;
            if !missing_providers.is_empty() || other_default {
                // Keep providers others added (an EC2 Auto Scaling provider, say): the call replaces the list.
                let mut providers = live.capacity_providers.clone();
                providers.extend(missing_providers);
                actions.push(Action::PutClusterCapacityProviders {
                    name: cluster.name.clone(),
                    capacity_providers: providers,
                    default_strategy: cluster.default_capacity_provider_strategy.clone(),
                });
            }
            // A shared cluster holds several environments: tagging it for each would have every
            // deploy take it back from the last one (never zero writes), and it is not theirs.
            let missing: Vec<Tag> = tags.iter().filter(|tag| !live.tags.contains(tag)).cloned().collect();
            if !missing.is_empty() && !cluster.shared {
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
        let unchanged =
            latest.is_some_and(|live| compare::same_task_definition(&live.definition, &without_tags(&rendered)));
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
    load_balancer::load_balancer(desired, observed, &tags, &mut actions, &mut warnings);
    traffic::traffic(desired, observed, &tags, &mut actions, &mut warnings);
    rollback_alarm::rollback_alarm(desired, observed, &tags, &mut actions, &mut warnings);
    for service in &desired.services {
        services::service_actions(desired, service, observed, &registered, &tags, &mut actions);
    }
    autoscaling::autoscaling(desired, observed, &mut actions);
    schedules::schedules(desired, observed, &registered, &tags, &mut actions, &mut warnings);
    for orphan in &observed.orphaned_services {
        if options.prune {
            // Its scalable target would outlive it (policies go with the target).
            let target = crate::naming::scalable_target_of(&desired.cluster.name, orphan);
            if observed.orphaned_scalable_targets.contains(&target) {
                actions.push(Action::DeregisterScalableTarget { resource_id: target });
            }
            actions.push(Action::DeleteService { cluster: desired.cluster.name.clone(), name: orphan.clone() });
            continue;
        }
        orphans.push(orphan.clone());
        warnings.push(format!(
            "service {orphan} is no longer in the plan (its process was removed or is no longer listed); it keeps running until deleted (`maestro deploy --prune` deletes it)"
        ));
    }
    for draining in &observed.draining_services {
        warnings.push(format!(
            "service {draining} was deleted and is still draining; maestro waits for ECS to let its name be used again before creating it"
        ));
    }
    actions.sort_by_key(Action::stage);
    let details = review::details(&actions, observed);
    Diff { actions, details, warnings, orphans }
}

fn sorted(items: &[String]) -> Vec<String> {
    let mut items = items.to_vec();
    items.sort();
    items
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
            // In name order: the secret's own order is its JSON's, which means nothing to ECS.
            let mut keys: Vec<&String> = secret.keys.iter().collect();
            keys.sort();
            for key in keys {
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
mod tests;
