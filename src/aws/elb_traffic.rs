//! A blue-green, canary or linear deploy's listener rules: a forward to the pair {target group,
//! alternate target group} with weights, which ECS then moves
//! (`maestro_core::provision::traffic`).

use aws_sdk_elasticloadbalancingv2::types::{
    Action as ListenerAction, ActionTypeEnum, ForwardActionConfig, PathPatternConditionConfig, RuleCondition,
    TargetGroupTuple,
};

use super::elb::{Elb, tags};
use super::elb_rules::host_condition;
use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::provision::traffic::{ALL_PATHS, ALTERNATE_WEIGHT, PRIMARY_WEIGHT};
use maestro_core::spec::tags::Tag;

/// The target groups a rule forwards to, by ARN.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair<'a> {
    pub primary: &'a str,
    pub alternate: &'a str,
}

/// Forward to both, production on the primary: "the weight … The range is 0 to 999"
/// (`TargetGroupTuple`, aws-sdk-elasticloadbalancingv2 1.134.0).
fn forward(pair: Pair<'_>) -> ListenerAction {
    let group = |arn: &str, weight: u32| {
        TargetGroupTuple::builder().target_group_arn(arn).weight(i32::try_from(weight).unwrap_or(0)).build()
    };
    let config = ForwardActionConfig::builder()
        .target_groups(group(pair.primary, PRIMARY_WEIGHT))
        .target_groups(group(pair.alternate, ALTERNATE_WEIGHT))
        .build();
    ListenerAction::builder().r#type(ActionTypeEnum::Forward).forward_config(config).build()
}

/// The app's host on a shared load balancer; every path on its own.
fn condition(host: Option<&str>) -> RuleCondition {
    match host {
        Some(host) => host_condition(host),
        None => RuleCondition::builder()
            .field("path-pattern")
            .path_pattern_config(PathPatternConditionConfig::builder().values(ALL_PATHS).build())
            .build(),
    }
}

impl Elb {
    /// Adds the rule at `priority`, forwarding to `pair`; its ARN, or `None` when another rule got
    /// that priority first (`PriorityInUse`: a concurrent deploy to a shared load balancer).
    pub(crate) async fn create_traffic_rule(
        &self,
        listener_arn: &str,
        priority: u32,
        host: Option<&str>,
        pair: Pair<'_>,
        resource_tags: &[Tag],
    ) -> Result<Option<String>, Failure> {
        let result = self
            .0
            .create_rule()
            .listener_arn(listener_arn)
            .priority(i32::try_from(priority).unwrap_or(50_000))
            .conditions(condition(host))
            .actions(forward(pair))
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await;
        match result {
            Ok(output) => {
                Ok(Some(output.rules().first().and_then(|rule| rule.rule_arn()).unwrap_or_default().to_owned()))
            }
            Err(error) if code(&error) == Some("PriorityInUse") => Ok(None),
            Err(error) => Err(failure(&format!("add the traffic rule to {listener_arn}"), &error)),
        }
    }

    /// Points the rule at `pair` again, 100 and 0.
    pub(crate) async fn forward_traffic_rule(
        &self,
        rule_arn: &str,
        host: Option<&str>,
        pair: Pair<'_>,
    ) -> Result<(), Failure> {
        self.0
            .modify_rule()
            .rule_arn(rule_arn)
            .conditions(condition(host))
            .actions(forward(pair))
            .send()
            .await
            .map_err(|error| failure(&format!("modify the traffic rule {rule_arn}"), &error))?;
        Ok(())
    }
}
