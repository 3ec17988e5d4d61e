//! Scheduled tasks: one EventBridge rule and ECS target per schedule line; rules whose line is
//! gone (or, in a shared cluster, named as before the environment was hashed in) are deleted when
//! maestro's tag says they are this environment's; another environment's are left alone.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::MARKER_TAG_KEY;
use super::sorted;
use crate::plan::desired::DesiredState;
use crate::provision::action::{Action, RuleTarget};
use crate::provision::observed::Observed;
use crate::provision::ownership::Owner;
use crate::spec::tags::Tag;

/// The container override a schedule's target passes: the command as one shell line for the CNB
/// launcher, in shell form for an image of its own (`Launch::scheduled_command`), properly
/// JSON-encoded (the original spliced it in unescaped).
pub fn schedule_input(container: &str, command: &[String]) -> String {
    json!({"containerOverrides": [{"name": container, "command": command}]}).to_string()
}

/// The command a target's input runs (its one shell line), as [`schedule_input`] writes it;
/// `None` when the input is not that shape (a target someone else set).
pub fn schedule_command(input: &str) -> Option<Value> {
    let input: Value = serde_json::from_str(input).ok()?;
    let command = input.get("containerOverrides")?.get(0)?.get("command")?;
    match command.as_array().map(Vec::as_slice) {
        Some([line]) => Some(line.clone()),
        _ => Some(command.clone()),
    }
}

pub(super) fn schedules(
    desired: &DesiredState,
    observed: &Observed,
    registered: &BTreeSet<String>,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    for task in &desired.schedules {
        let live = observed.rules.get(&task.rule);
        if live.is_none_or(|rule| rule.expression != task.expression || rule.enabled != task.enabled) {
            actions.push(Action::PutRule {
                name: task.rule.clone(),
                expression: task.expression.clone(),
                enabled: task.enabled,
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
            input: schedule_input(&task.container, &task.launch.scheduled_command(&task.command)),
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
                && live.launch_type == Some(RuleTarget::LAUNCH_TYPE)
                && sorted(&live.subnets) == sorted(&target.subnets)
                && sorted(&live.security_groups) == sorted(&target.security_groups)
                && !live.assign_public_ip
                && live.propagate_tags == Some(RuleTarget::PROPAGATE_TAGS)
        });
        if !current {
            actions.push(Action::PutRuleTarget(target));
        }
    }
    // Rules with the prefix but no line: deleted only when maestro's tag says they are this app's.
    let owner = Owner::of(desired);
    for (name, rule) in &observed.rules {
        if desired.schedules.iter().any(|task| &task.rule == name) {
            continue;
        }
        if owner.owns(&rule.tags) {
            let target_ids = rule.targets.iter().map(|target| target.id.clone()).collect();
            actions.push(Action::DeleteRule { name: name.clone(), target_ids });
        } else if owner.claim(&rule.tags).is_some() {
            // Another environment's, in a shared cluster: not this one's to delete or mention.
            continue;
        } else {
            warnings.push(format!(
                "schedule rule {name} is not in the schedule file but carries no `{MARKER_TAG_KEY}` tag, so maestro leaves it; delete it if it is stale"
            ));
        }
    }
}
