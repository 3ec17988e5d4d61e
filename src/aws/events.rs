//! EventBridge: the rules and ECS targets of the app's scheduled tasks.

use aws_sdk_eventbridge::Client;
use aws_sdk_eventbridge::types::{
    AssignPublicIp, AwsVpcConfiguration, EcsParameters, LaunchType as EventsLaunchType, NetworkConfiguration,
    PropagateTags as EventsPropagateTags, RuleState, Tag as EventsTag, Target,
};

use super::failure::failure;
use crate::error::Failure;
use maestro_core::plan::aws_values::{LaunchType, PropagateTags};
use maestro_core::provision::action::RuleTarget;
use maestro_core::provision::observed::{ObservedRule, ObservedRuleTarget};
use maestro_core::spec::tags::Tag;

#[derive(Debug, Clone)]
pub(crate) struct Events(pub(crate) Client);

fn built<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, Failure> {
    result.map_err(|error| Failure::new(format!("invalid schedule rule: {error}")))
}

fn launch_type(launch: LaunchType) -> EventsLaunchType {
    match launch {
        LaunchType::Fargate => EventsLaunchType::Fargate,
        LaunchType::Ec2 => EventsLaunchType::Ec2,
        LaunchType::External => EventsLaunchType::External,
    }
}

fn observed_launch_type(launch: &EventsLaunchType) -> Option<LaunchType> {
    match launch {
        EventsLaunchType::Fargate => Some(LaunchType::Fargate),
        EventsLaunchType::Ec2 => Some(LaunchType::Ec2),
        EventsLaunchType::External => Some(LaunchType::External),
        _ => None,
    }
}

/// EventBridge knows only `TASK_DEFINITION`; leaving the field unset propagates nothing.
fn propagate_tags(propagate: PropagateTags) -> Option<EventsPropagateTags> {
    match propagate {
        PropagateTags::TaskDefinition => Some(EventsPropagateTags::TaskDefinition),
        PropagateTags::Service | PropagateTags::Off => None,
    }
}

fn observed_propagate_tags(propagate: &EventsPropagateTags) -> Option<PropagateTags> {
    match propagate {
        EventsPropagateTags::TaskDefinition => Some(PropagateTags::TaskDefinition),
        _ => None,
    }
}

fn tags(tags: &[Tag]) -> Result<Vec<EventsTag>, Failure> {
    tags.iter().map(|tag| built(EventsTag::builder().key(&tag.key).value(&tag.value).build())).collect()
}

impl Events {
    /// Every rule named with one of `prefixes`, with its tags and targets.
    pub(crate) async fn rules_under(&self, prefixes: &[String]) -> Result<Vec<ObservedRule>, Failure> {
        let mut rules = Vec::new();
        for prefix in prefixes {
            rules.extend(self.rules(prefix).await?);
        }
        Ok(rules)
    }

    /// Every rule named with `prefix`, with its tags and targets.
    pub(crate) async fn rules(&self, prefix: &str) -> Result<Vec<ObservedRule>, Failure> {
        let mut rules = Vec::new();
        let mut token = None;
        loop {
            let page = self
                .0
                .list_rules()
                .name_prefix(prefix)
                .set_next_token(token)
                .send()
                .await
                .map_err(|error| failure(&format!("list the schedule rules {prefix}*"), &error))?;
            for rule in page.rules() {
                let (Some(name), Some(arn)) = (rule.name(), rule.arn()) else { continue };
                let listed = self
                    .0
                    .list_tags_for_resource()
                    .resource_arn(arn)
                    .send()
                    .await
                    .map_err(|error| failure(&format!("list the tags of rule {name}"), &error))?;
                rules.push(ObservedRule {
                    name: name.to_owned(),
                    arn: arn.to_owned(),
                    expression: rule.schedule_expression().unwrap_or_default().to_owned(),
                    enabled: rule.state() == Some(&RuleState::Enabled),
                    tags: listed
                        .tags()
                        .iter()
                        .map(|tag| Tag { key: tag.key().to_owned(), value: tag.value().to_owned() })
                        .collect(),
                    targets: Vec::new(),
                });
            }
            token = page.next_token().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        // Targets are compared for planned rules, and emptied from stale ones before they are deleted.
        // ListTargetsByRule pages by NextToken like any list (its SDK has no paginator for it).
        for rule in &mut rules {
            let mut token = None;
            loop {
                let listed = self
                    .0
                    .list_targets_by_rule()
                    .rule(&rule.name)
                    .set_next_token(token)
                    .send()
                    .await
                    .map_err(|error| failure(&format!("list the targets of rule {}", rule.name), &error))?;
                rule.targets.extend(listed.targets().iter().map(observed_target));
                token = listed.next_token().map(str::to_owned);
                if token.is_none() {
                    break;
                }
            }
        }
        Ok(rules)
    }

    pub(crate) async fn put_rule(
        &self,
        name: &str,
        expression: &str,
        enabled: bool,
        rule_tags: &[Tag],
    ) -> Result<(), Failure> {
        self.0
            .put_rule()
            .name(name)
            .schedule_expression(expression)
            .state(if enabled { RuleState::Enabled } else { RuleState::Disabled })
            .set_tags(Some(tags(rule_tags)?))
            .send()
            .await
            .map_err(|error| failure(&format!("put schedule rule {name}"), &error))?;
        Ok(())
    }

    /// Paused, targets kept: the next deploy's `put_rule` enables it again.
    pub(crate) async fn disable_rule(&self, name: &str) -> Result<(), Failure> {
        self.0
            .disable_rule()
            .name(name)
            .send()
            .await
            .map_err(|error| failure(&format!("disable schedule rule {name}"), &error))?;
        Ok(())
    }

    pub(crate) async fn tag(&self, arn: &str, rule_tags: &[Tag]) -> Result<(), Failure> {
        self.0
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tags(rule_tags)?))
            .send()
            .await
            .map_err(|error| failure(&format!("tag {arn}"), &error))?;
        Ok(())
    }

    pub(crate) async fn put_target(&self, target: &RuleTarget, task_definition_arn: &str) -> Result<(), Failure> {
        let vpc = built(
            AwsVpcConfiguration::builder()
                .set_subnets(Some(target.subnets.clone()))
                .set_security_groups(Some(target.security_groups.clone()))
                .assign_public_ip(AssignPublicIp::Disabled)
                .build(),
        )?;
        let ecs = built(
            EcsParameters::builder()
                .task_definition_arn(task_definition_arn)
                .task_count(1)
                .launch_type(launch_type(RuleTarget::LAUNCH_TYPE))
                .network_configuration(NetworkConfiguration::builder().awsvpc_configuration(vpc).build())
                .set_propagate_tags(propagate_tags(RuleTarget::PROPAGATE_TAGS))
                .build(),
        )?;
        let rule_target = built(
            Target::builder()
                .id(&target.rule)
                .arn(&target.cluster_arn)
                .role_arn(&target.role_arn)
                .input(&target.input)
                .ecs_parameters(ecs)
                .build(),
        )?;
        let output = self
            .0
            .put_targets()
            .rule(&target.rule)
            .targets(rule_target)
            .send()
            .await
            .map_err(|error| failure(&format!("set the target of rule {}", target.rule), &error))?;
        if output.failed_entry_count() > 0 {
            let reasons: Vec<&str> = output.failed_entries().iter().filter_map(|entry| entry.error_message()).collect();
            return Err(Failure::new(format!("set the target of rule {}: {}", target.rule, reasons.join("; "))));
        }
        Ok(())
    }

    pub(crate) async fn delete_rule(&self, name: &str, target_ids: &[String]) -> Result<(), Failure> {
        if !target_ids.is_empty() {
            self.0
                .remove_targets()
                .rule(name)
                .set_ids(Some(target_ids.to_vec()))
                .send()
                .await
                .map_err(|error| failure(&format!("remove the targets of rule {name}"), &error))?;
        }
        self.0
            .delete_rule()
            .name(name)
            .send()
            .await
            .map_err(|error| failure(&format!("delete rule {name}"), &error))?;
        Ok(())
    }
}

fn observed_target(target: &Target) -> ObservedRuleTarget {
    let ecs = target.ecs_parameters();
    let vpc = ecs.and_then(|ecs| ecs.network_configuration()).and_then(|network| network.awsvpc_configuration());
    ObservedRuleTarget {
        id: target.id().to_owned(),
        arn: target.arn().to_owned(),
        role_arn: target.role_arn().unwrap_or_default().to_owned(),
        input: target.input().unwrap_or_default().to_owned(),
        task_definition: ecs.map(|ecs| ecs.task_definition_arn().to_owned()).unwrap_or_default(),
        launch_type: ecs.and_then(|ecs| ecs.launch_type()).and_then(observed_launch_type),
        subnets: vpc.map(|vpc| vpc.subnets().to_vec()).unwrap_or_default(),
        security_groups: vpc.map(|vpc| vpc.security_groups().to_vec()).unwrap_or_default(),
        assign_public_ip: vpc.and_then(|vpc| vpc.assign_public_ip()) == Some(&AssignPublicIp::Enabled),
        propagate_tags: ecs.and_then(|ecs| ecs.propagate_tags()).and_then(observed_propagate_tags),
    }
}
