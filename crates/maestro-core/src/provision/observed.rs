//! What exists in AWS now, as plain values filled by the AWS adapters. "Not found" is `None`;
//! any other failure to read never reaches here, so absence always means absence.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::plan::aws_values::{LaunchType, ListenerProtocol, PropagateTags, Scheme};
use crate::plan::health_check::HealthCheck;
use crate::spec::approval::Approval;
use crate::spec::circuit_breaker::CircuitBreaker;
use crate::spec::deploy_strategy::Strategy;
use crate::spec::tags::Tag;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observed {
    pub cluster: Option<ObservedCluster>,
    /// Every planned log group, by name: `None` when it does not exist.
    pub log_groups: BTreeMap<String, Option<ObservedLogGroup>>,
    /// The latest active revision of every planned family: `None` when there is none.
    pub task_definitions: BTreeMap<String, Option<ObservedTaskDefinition>>,
    pub secret: Option<ObservedSecret>,
    pub load_balancer: Option<ObservedLoadBalancer>,
    pub target_group: Option<ObservedTargetGroup>,
    /// Every planned service, by name: `None` when it does not exist (or is inactive).
    pub services: BTreeMap<String, Option<ObservedService>>,
    /// Services of this environment (its marker tag, `provision::ownership`) that the plan no
    /// longer has.
    pub orphaned_services: Vec<String>,
    /// The scalable targets of those services (`service/<cluster>/<service>`) that exist.
    pub orphaned_scalable_targets: Vec<String>,
    /// Planned services whose deleted namesake is still `DRAINING`: ECS refuses to create them
    /// until it is `INACTIVE`.
    pub draining_services: BTreeSet<String>,
    /// Scalable targets of the app's services, by resource id.
    pub scalable_targets: BTreeMap<String, ObservedScalableTarget>,
    /// Scaling policies on those targets.
    pub scaling_policies: Vec<ObservedScalingPolicy>,
    /// EventBridge rules with this cluster's prefix (`md5(cluster)[0..6]-`), by name.
    pub rules: BTreeMap<String, ObservedRule>,
    /// What a blue-green, canary or linear deploy shifts traffic with; read only when the plan
    /// has an alternate target group (`None` for a rolling deploy, which reads nothing more).
    pub traffic: Option<ObservedTraffic>,
    /// The web service's rollback alarm, by the plan's name (read whether or not the plan has
    /// one, so turning it off deletes it): `None` when it does not exist.
    pub rollback_alarm: Option<super::rollback_alarm::ObservedAlarm>,
}

/// The alternate target group and the rules of the production and test listeners, as read.
/// `provision::traffic` tells which rule is the app's and whether it forwards to the pair.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservedTraffic {
    pub alternate_target_group: Option<ObservedTargetGroup>,
    /// Every rule of the production listener (empty when it does not exist yet).
    pub production_rules: Vec<ObservedListenerRule>,
    /// Every rule of the test listener (empty when it does not exist yet).
    pub test_rules: Vec<ObservedListenerRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedLoadBalancer {
    pub name: String,
    pub arn: String,
    pub dns_name: String,
    /// `None` when AWS names a scheme maestro does not know.
    pub scheme: Option<Scheme>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub listeners: Vec<ObservedListener>,
    /// On a shared load balancer: the rules of the listener the app is routed through.
    pub rules: Vec<ObservedListenerRule>,
    /// Read for maestro's marker: whose it is. Not read on a shared load balancer.
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedListenerRule {
    pub arn: String,
    /// `None` for the listener's default rule.
    pub priority: Option<u32>,
    pub hosts: Vec<String>,
    /// Its `path-pattern` condition's values: a shifting deploy's rule on the app's own load
    /// balancer is `/*`.
    pub paths: Vec<String>,
    pub forwards_to: Vec<String>,
    /// The weight of each of `forwards_to`, in the same order (ELB's 1 when the forward names one
    /// target group without a weight).
    pub weights: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedListener {
    pub arn: String,
    pub port: u16,
    /// `None` for protocols maestro never sets (TCP, TLS, …).
    pub protocol: Option<ListenerProtocol>,
    /// The target groups its default action forwards to.
    pub forwards_to: Vec<String>,
    /// Its default action redirects to HTTPS.
    pub redirects_to_https: bool,
    pub certificates: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedTargetGroup {
    pub name: String,
    pub arn: String,
    pub port: u16,
    pub health_check_path: String,
    /// `None` when ELB's answer lacks one of its timings.
    pub health_check: Option<HealthCheck>,
    pub deregistration_delay: Option<u32>,
    /// Read for maestro's marker: whose it is.
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedService {
    pub arn: String,
    pub task_definition: String,
    pub desired_count: u32,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
    /// When ECS reports one.
    pub circuit_breaker: Option<CircuitBreaker>,
    pub execute_command: bool,
    /// `None` when unset.
    pub propagate_tags: Option<PropagateTags>,
    pub load_balancers: Vec<LoadBalancerAttachment>,
    pub tags: Vec<Tag>,
    /// Empty when ECS reports none (a service created with a launch type).
    pub capacity_provider_strategy: Vec<ObservedProviderWeight>,
    pub health_check_grace_period: Option<u32>,
    /// The Service Connect configuration of the service's primary deployment.
    pub service_connect: Option<ObservedServiceConnect>,
    /// Its deployment strategy and approval pause, as maestro plans them; `None` when ECS
    /// reports something maestro does not plan (a Lambda hook, several pauses), which an update
    /// replaces.
    pub rollout: Option<LiveRollout>,
}

impl ObservedService {
    /// ECS shifts its traffic between two target groups (blue-green, canary, linear), or does
    /// something maestro does not plan: either way its service deployment says when it ends.
    pub fn shifts_traffic(&self) -> bool {
        self.rollout.as_ref().is_none_or(|rollout| rollout.strategy.shifts_traffic())
    }
}

impl LiveRollout {
    /// What a service of the plan has live once deployed.
    pub fn planned(service: &crate::plan::desired::Service) -> Self {
        Self {
            strategy: service.rollout.as_ref().map(|rollout| rollout.strategy).unwrap_or_default(),
            approval: service.rollout.as_ref().and_then(|rollout| rollout.approval),
            early_success: service.early_success,
            rollback_alarm: service.rollback_alarm.as_ref().map(|alarm| alarm.name.clone()),
        }
    }
}

/// A service's deployment strategy and PAUSE hook, in the plan's terms.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LiveRollout {
    pub strategy: Strategy,
    pub approval: Option<Approval>,
    /// Early success criteria enabled, at 100% healthy with deferred cleanup (maestro's); any
    /// other criteria are not maestro's and read as `None` for the whole rollout.
    pub early_success: bool,
    /// The alarm ECS watches and rolls back on (`deploymentConfiguration.alarms` enabled with
    /// rollback, one name: maestro's); `None` when the watch is off. Any other alarm
    /// configuration reads as `None` for the whole rollout.
    pub rollback_alarm: Option<String>,
}

/// A service's Service Connect configuration, as its deployment describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservedServiceConnect {
    pub enabled: bool,
    /// The name or ARN ECS echoes.
    pub namespace: String,
    pub port_name: String,
    pub discovery_name: String,
    pub dns_name: String,
    pub port: u16,
}

/// A service's attachment to a target group: where the load balancer sends its requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancerAttachment {
    pub target_group_arn: String,
    pub container: String,
    pub port: u16,
    /// What ECS shifts traffic with (blue-green, canary, linear): `advancedConfiguration`.
    pub traffic: Option<TrafficAttachment>,
}

/// A load balancer attachment's `advancedConfiguration`, as ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficAttachment {
    pub alternate_target_group_arn: String,
    pub production_rule: String,
    pub test_rule: Option<String>,
    pub role_arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedCluster {
    pub arn: String,
    /// Any provider's name: maestro's Fargate ones, or those someone else added.
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<ObservedProviderWeight>,
    pub tags: Vec<Tag>,
}

/// One entry of a cluster's default capacity provider strategy, whoever set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedProviderWeight {
    pub capacity_provider: String,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedLogGroup {
    pub arn: String,
    pub retention_days: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObservedTaskDefinition {
    pub arn: String,
    /// As `DescribeTaskDefinition` returns it, JSON for JSON.
    pub definition: Map<String, Value>,
}

/// The app's Secrets Manager secret: its ARN and the names of its keys. Never the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedSecret {
    pub arn: String,
    pub keys: Vec<String>,
}

/// A scalable target of Application Auto Scaling (`service/<cluster>/<service>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedScalableTarget {
    pub resource_id: String,
    pub min: u32,
    pub max: u32,
}

/// A target-tracking policy on one of the app's scalable targets.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedScalingPolicy {
    pub name: String,
    pub resource_id: String,
    pub metric_type: String,
    pub target: f64,
    pub disable_scale_in: bool,
    pub resource_label: Option<String>,
    /// Kept on update: someone may have tuned them (the original kept them too).
    pub scale_in_cooldown: Option<i32>,
    pub scale_out_cooldown: Option<i32>,
}

/// An EventBridge rule whose name carries this cluster's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedRule {
    pub name: String,
    pub arn: String,
    pub expression: String,
    pub enabled: bool,
    pub tags: Vec<Tag>,
    /// The rule's targets (read for planned rules only).
    pub targets: Vec<ObservedRuleTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedRuleTarget {
    pub id: String,
    pub arn: String,
    pub role_arn: String,
    pub input: String,
    pub task_definition: String,
    /// `None` when unset (a capacity provider strategy instead).
    pub launch_type: Option<LaunchType>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
    /// `None` when unset.
    pub propagate_tags: Option<PropagateTags>,
}
