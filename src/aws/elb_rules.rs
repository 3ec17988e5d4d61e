//! Listener rules on a shared load balancer: read to their last page, the app's host rule added
//! at a free priority, or pointed at the app again.

use aws_sdk_elasticloadbalancingv2::types::{HostHeaderConditionConfig, Rule, RuleCondition};

use super::elb::{Elb, default_action, tags};
use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::provision::observed::ObservedListenerRule;
use maestro_core::spec::tags::Tag;

/// What CreateRule did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RuleCreated {
    Created,
    /// Another rule holds the priority: re-read the rules, and try the next free one.
    PriorityTaken,
}

pub(super) fn observed_rule(rule: &Rule) -> ObservedListenerRule {
    // A forward names one target group (`TargetGroupArn`) or several with weights
    // (`ForwardConfig`, a blue-green, canary or linear deploy's pair).
    let forwards: Vec<(String, u32)> = rule
        .actions()
        .iter()
        .flat_map(|action| match action.forward_config().map(|config| config.target_groups()) {
            Some(groups) if !groups.is_empty() => groups
                .iter()
                .filter_map(|group| {
                    let weight = group.weight().and_then(|weight| u32::try_from(weight).ok()).unwrap_or(1);
                    Some((group.target_group_arn()?.to_owned(), weight))
                })
                .collect(),
            _ => action.target_group_arn().map(|arn| vec![(arn.to_owned(), 1)]).unwrap_or_default(),
        })
        .collect();
    ObservedListenerRule {
        arn: rule.rule_arn().unwrap_or_default().to_owned(),
        priority: rule.priority().and_then(|priority| priority.parse().ok()),
        hosts: rule
            .conditions()
            .iter()
            .filter(|condition| condition.field() == Some("host-header"))
            .flat_map(|condition| {
                let configured =
                    condition.host_header_config().map(|config| config.values().to_vec()).unwrap_or_default();
                if configured.is_empty() { condition.values().to_vec() } else { configured }
            })
            .collect(),
        paths: rule
            .conditions()
            .iter()
            .filter(|condition| condition.field() == Some("path-pattern"))
            .flat_map(|condition| {
                let configured =
                    condition.path_pattern_config().map(|config| config.values().to_vec()).unwrap_or_default();
                if configured.is_empty() { condition.values().to_vec() } else { configured }
            })
            .collect(),
        forwards_to: forwards.iter().map(|(arn, _)| arn.clone()).collect(),
        weights: forwards.iter().map(|(_, weight)| *weight).collect(),
    }
}

pub(super) fn host_condition(host: &str) -> RuleCondition {
    RuleCondition::builder()
        .field("host-header")
        .host_header_config(HostHeaderConditionConfig::builder().values(host).build())
        .build()
}

impl Elb {
    /// Every rule of the listener, its default rule among them.
    pub(crate) async fn rules(&self, listener_arn: &str) -> Result<Vec<ObservedListenerRule>, Failure> {
        let mut rules = Vec::new();
        let mut pages = self.0.describe_rules().listener_arn(listener_arn).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure(&format!("describe the rules of {listener_arn}"), &error))?;
            rules.extend(page.rules().iter().map(observed_rule));
        }
        Ok(rules)
    }

    /// Adds the host's rule at `priority`; `PriorityTaken` when another rule got that priority
    /// first (a concurrent deploy to the same shared load balancer: "The specified priority is in
    /// use", `PriorityInUse`).
    pub(crate) async fn create_rule(
        &self,
        listener_arn: &str,
        priority: u32,
        host: &str,
        target_group_arn: &str,
        resource_tags: &[Tag],
    ) -> Result<RuleCreated, Failure> {
        let result = self
            .0
            .create_rule()
            .listener_arn(listener_arn)
            .priority(i32::try_from(priority).unwrap_or(50_000))
            .conditions(host_condition(host))
            .actions(default_action(Some(target_group_arn))?)
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(RuleCreated::Created),
            Err(error) if code(&error) == Some("PriorityInUse") => Ok(RuleCreated::PriorityTaken),
            Err(error) => Err(failure(&format!("add the rule for {host} to {listener_arn}"), &error)),
        }
    }

    pub(crate) async fn forward_rule(&self, rule_arn: &str, host: &str, target_group_arn: &str) -> Result<(), Failure> {
        self.0
            .modify_rule()
            .rule_arn(rule_arn)
            .conditions(host_condition(host))
            .actions(default_action(Some(target_group_arn))?)
            .send()
            .await
            .map_err(|error| failure(&format!("modify the rule for {host}"), &error))?;
        Ok(())
    }
}
