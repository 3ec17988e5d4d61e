//! One change to AWS. The list of actions is the plan's diff: shown to the user, then applied.

use serde::ser::SerializeTuple;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::service_change::ServiceChange;
pub use super::traffic::TrafficRuleSpec;
use crate::plan::aws_values::{CapacityProvider, LaunchType, ListenerProtocol, PropagateTags, Scheme};
use crate::plan::desired::CapacityProviderWeight;
use crate::plan::health_check::HealthCheck;
use crate::spec::circuit_breaker::CircuitBreaker;
use crate::spec::tags::Tag;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    CreateCluster {
        name: String,
        capacity_providers: Vec<CapacityProvider>,
        default_strategy: Vec<CapacityProviderWeight>,
        tags: Vec<Tag>,
    },
    /// An existing cluster lacks a capacity provider or runs tasks on another default.
    PutClusterCapacityProviders {
        name: String,
        /// Maestro's and those others added (an EC2 Auto Scaling provider, say): the call replaces the list.
        capacity_providers: Vec<String>,
        default_strategy: Vec<CapacityProviderWeight>,
    },
    /// Tags maestro sets are missing on an existing resource (others' tags are left alone).
    TagResource {
        arn: String,
        tags: Vec<Tag>,
    },
    CreateLogGroup {
        name: String,
        tags: Vec<Tag>,
    },
    /// A new revision, because none exists or the latest differs from the plan.
    RegisterTaskDefinition {
        process: String,
        family: String,
        definition: Map<String, Value>,
    },
    CreateLoadBalancer {
        name: String,
        scheme: Scheme,
        subnets: Vec<String>,
        security_groups: Vec<String>,
        tags: Vec<Tag>,
    },
    SetLoadBalancerSubnets {
        name: String,
        arn: String,
        subnets: Vec<String>,
    },
    SetLoadBalancerSecurityGroups {
        name: String,
        arn: String,
        security_groups: Vec<String>,
    },
    CreateTargetGroup {
        name: String,
        port: u16,
        vpc_id: Option<String>,
        health_check_path: String,
        health_check: HealthCheck,
        deregistration_delay: u32,
        tags: Vec<Tag>,
    },
    ModifyTargetGroup {
        name: String,
        arn: String,
        health_check_path: String,
        health_check: HealthCheck,
        deregistration_delay: u32,
    },
    /// An HTTP listener on `port` forwarding to the app's target group.
    CreateListener {
        load_balancer: String,
        listener: ListenerSpec,
        tags: Vec<Tag>,
    },
    /// An existing listener does something other than the plan says.
    ModifyListener {
        arn: String,
        listener: ListenerSpec,
    },
    CreateService(ServiceSpec),
    UpdateService(ServiceSpec),
    /// Creates or updates the scalable target of a service (`service/<cluster>/<service>`).
    RegisterScalableTarget {
        resource_id: String,
        min: u32,
        max: u32,
    },
    /// Creates or updates a target-tracking policy; `alb` policies get their resource label from
    /// the load balancer and target group, which may be created in the same run.
    PutScalingPolicy(PolicySpec),
    /// The policy's metric is no longer configured.
    DeleteScalingPolicy {
        name: String,
        resource_id: String,
    },
    /// The service no longer autoscales.
    DeregisterScalableTarget {
        resource_id: String,
    },
    /// The log group keeps its events for a different time than the plan says.
    SetLogRetention {
        name: String,
        days: u32,
    },
    /// A host-header rule on a shared load balancer's listener, forwarding to the app.
    CreateListenerRule {
        listener_arn: String,
        priority: u32,
        host: String,
        target_group: String,
        tags: Vec<Tag>,
    },
    /// The app's rule forwards somewhere else.
    ForwardListenerRule {
        arn: String,
        host: String,
        target_group: String,
    },
    /// A shifting deploy's rule forwarding to the target group (100) and its alternate (0), for ECS to shift.
    CreateTrafficRule {
        rule: TrafficRuleSpec,
        /// The lowest free on the listener when observed (none yet on a listener this run creates).
        priority: u32,
        tags: Vec<Tag>,
    },
    /// The app's rule forwards elsewhere than the pair (in any weights it is ECS's): 100 and 0 again.
    ForwardTrafficRule {
        arn: String,
        rule: TrafficRuleSpec,
    },
    /// The web service's rollback alarm is missing or differs (`MAESTRO_ROLLBACK_ALARM`).
    PutRollbackAlarm {
        alarm: crate::plan::desired::ServiceAlarm,
        tags: Vec<Tag>,
    },
    /// The environment's rollback alarm, once `MAESTRO_ROLLBACK_ALARM` is off.
    DeleteRollbackAlarm {
        name: String,
    },
    /// Creates or updates a scheduled rule: enabled, or disabled for a preview's schedules.
    PutRule {
        name: String,
        expression: String,
        enabled: bool,
        tags: Vec<Tag>,
    },
    /// Sets the rule's one ECS target; the task definition is resolved when the action runs.
    PutRuleTarget(RuleTarget),
    TagRule {
        arn: String,
        tags: Vec<Tag>,
    },
    /// Tags maestro sets are missing on the app's load balancer or target group: one the original
    /// made, or adopted under its former name. The marker is what keeps another branch from
    /// adopting it too (`provision::preflight`).
    TagLoadBalancing {
        name: String,
        arn: String,
        tags: Vec<Tag>,
    },
    /// A service whose process is no longer planned; only with `--prune`.
    DeleteService {
        cluster: String,
        name: String,
    },
    /// A rule maestro created for a schedule line that is gone: its targets, then the rule.
    DeleteRule {
        name: String,
        target_ids: Vec<String>,
    },
    /// `maestro stop`: the service's task count, nothing else.
    ScaleService {
        cluster: String,
        name: String,
        count: u32,
    },
    /// `maestro stop`: the schedule paused, its targets kept.
    DisableRule {
        name: String,
    },
}

/// A listener as maestro wants it: forwarding to the app's target group (named), or, without
/// one, redirecting HTTP to HTTPS.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListenerSpec {
    pub protocol: ListenerProtocol,
    pub port: u16,
    pub certificate_arn: Option<String>,
    pub target_group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleTarget {
    pub rule: String,
    pub cluster_arn: String,
    pub role_arn: String,
    pub family: String,
    /// The container override as JSON: `{"containerOverrides":[{"name":…,"command":[…]}]}`.
    pub input: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
}

impl RuleTarget {
    /// Scheduled tasks run on Fargate, like the services.
    pub const LAUNCH_TYPE: LaunchType = LaunchType::Fargate;
    /// Scheduled tasks carry the task definition's tags, like the services'.
    pub const PROPAGATE_TAGS: PropagateTags = PropagateTags::TaskDefinition;
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicySpec {
    pub name: String,
    pub resource_id: String,
    pub metric_type: String,
    pub target: f64,
    pub disable_scale_in: bool,
    /// For `ALBRequestCountPerTarget`: whose requests are counted.
    pub alb: Option<AlbLabel>,
    pub scale_in_cooldown: i32,
    pub scale_out_cooldown: i32,
}

/// The load balancer and target group (named) whose request count per target an `alb` policy
/// tracks; their ARNs make the policy's resource label when it runs (both may be created in the
/// same run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlbLabel {
    pub load_balancer: String,
    pub target_group: String,
}

/// `[load balancer, target group]`, the pair the plan's JSON has always carried.
impl Serialize for AlbLabel {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pair = serializer.serialize_tuple(2)?;
        pair.serialize_element(&self.load_balancer)?;
        pair.serialize_element(&self.target_group)?;
        pair.end()
    }
}

fn enable_and_rollback<S: Serializer>(breaker: &CircuitBreaker, serializer: S) -> Result<S::Ok, S::Error> {
    (breaker.enable, breaker.rollback).serialize(serializer)
}

/// A service as maestro wants it; the task definition and target group are named, and their
/// ARNs are resolved when the action runs (they may be created in the same run).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServiceSpec {
    pub cluster: String,
    pub name: String,
    pub family: String,
    /// Set on creation, and on update when the service does not autoscale.
    pub desired_count: Option<u32>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `[enable, rollback]` in the JSON, as it always was.
    #[serde(serialize_with = "enable_and_rollback")]
    pub circuit_breaker: CircuitBreaker,
    pub target_group: Option<String>,
    pub container: String,
    pub port: u16,
    pub service_connect: Option<crate::plan::desired::ServiceConnect>,
    /// ECS Exec, on only with a task role (ECS refuses it without one).
    pub execute_command: bool,
    pub capacity_provider_strategy: Vec<CapacityProviderWeight>,
    /// Behind the load balancer only.
    pub health_check_grace_period: Option<u32>,
    /// A blue-green, canary or linear deploy, and its approval pause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<crate::plan::desired::Rollout>,
    /// ECS's early success criteria (the rolling web service).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub early_success: bool,
    /// The alarm ECS watches during a deployment and rolls back on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_alarm: Option<String>,
    /// ECS's alarm watch is on and the plan has no alarm: sent off, once.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub alarms_off: bool,
    pub tags: Vec<Tag>,
    /// What differs on the live service (an update's reasons; none on creation).
    #[serde(rename = "reasons")]
    pub changes: Vec<ServiceChange>,
}

impl ServiceSpec {
    /// The services' tasks carry the task definition's tags (maestro's among them).
    pub const PROPAGATE_TAGS: PropagateTags = PropagateTags::TaskDefinition;

    /// The update moves the service to another task definition revision.
    pub fn moves_revision(&self) -> bool {
        self.changes.iter().any(ServiceChange::moves_revision)
    }
}

#[cfg(test)]
#[path = "action_tests.rs"]
mod tests;
