//! The desired state of an app's AWS resources: what `maestro plan` prints and what the
//! provision engine reconciles. Its JSON form is a documented contract (docs/plan-json.md).

use serde::Serialize;
use serde_json::{Map, Value};

use super::aws_values::{CapacityProvider, ListenerProtocol, Scheme};
use super::health_check::HealthCheck;
use crate::build::repository::{ImageRepository, RegistryKind};
use crate::build::source::{Launch, Source};
use crate::platform::Architecture;
use crate::request::DeployRequest;
use crate::spec::approval::Approval;
use crate::spec::circuit_breaker::CircuitBreaker;
use crate::spec::deploy_strategy::Strategy;
use crate::spec::efs::EfsVolume;
use crate::spec::process_list::Metric;
use crate::spec::tags::Tag;

/// Bumped when a key changes meaning or disappears; new keys do not bump it.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesiredState {
    pub schema_version: u32,
    pub request: DeployRequest,
    pub cluster: Cluster,
    pub image: Image,
    /// The Secrets Manager secret whose keys become the containers' environment at deploy time.
    pub secret: String,
    pub log_groups: Vec<String>,
    /// Days the log groups keep their events; forever when `null`.
    pub log_retention_days: Option<u32>,
    pub task_definitions: Vec<TaskDefinition>,
    pub services: Vec<Service>,
    pub load_balancer: Option<LoadBalancer>,
    pub schedules: Vec<ScheduledTask>,
    pub release: Option<Release>,
    pub efs_volumes: Vec<EfsVolume>,
    pub tags: Vec<Tag>,
    /// Things worth knowing that do not stop the deploy.
    pub warnings: Vec<String>,
    /// A pull request's preview (`MAESTRO_PREVIEWS`): its host, shared load balancer, cluster and secret.
    pub preview: Option<crate::preview::Preview>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub name: String,
    /// Named by ECS_CLUSTER_ID, so possibly other apps' too: its default strategy is left alone.
    pub shared: bool,
    /// Where the environment's schedule rules are listed (`naming::Names::schedule_rule_prefixes`).
    #[serde(skip)]
    pub schedule_rule_prefixes: Vec<String>,
    pub capacity_providers: Vec<CapacityProvider>,
    pub default_capacity_provider_strategy: Vec<CapacityProviderWeight>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityProviderWeight {
    pub capacity_provider: CapacityProvider,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    /// The repository's path in its registry: the ECR repository's name, `<slug>-<branch>`, by default.
    pub repository: String,
    /// The registry's host.
    pub registry: String,
    /// `ecr` (the ECR API) or `oci` (any other registry, through the OCI distribution API):
    /// decided once, from the registry's host, when the plan is made.
    pub registry_kind: RegistryKind,
    pub tag: String,
    pub uri: String,
    /// The tasks' CPU architecture (`MAESTRO_CPU_ARCHITECTURE` or the base files'); left out
    /// of the JSON when nothing chose it (x86_64, as before).
    #[serde(skip_serializing_if = "Architecture::unchosen")]
    pub architecture: Architecture,
    pub builder: String,
    /// Where the builder came from: `MAESTRO_BUILDER`, `project.toml` or `default`.
    pub builder_source: String,
    /// The folder the buildpacks build, relative to the repository.
    pub source_dir: String,
    /// Where the image comes from; absent from the JSON for the buildpacks (the builder says so),
    /// as before image sources existed.
    #[serde(skip_serializing_if = "Source::is_buildpacks")]
    pub source: Source,
}

impl Image {
    pub fn repository_ref(&self) -> ImageRepository {
        ImageRepository { host: self.registry.clone(), path: self.repository.clone() }
    }
}

impl DesiredState {
    /// Every task definition runs the commit's image by its digest, once the registry has it: a
    /// tag can be pushed again (by hand, or by another build of the commit), and ECS would pull
    /// whatever it names when a task starts, so two tasks of one revision could run different code.
    pub fn pin_image(&mut self, digest: &str) {
        // A registry that answered no digest leaves the tag: `<repository>@` is no image.
        if !digest.starts_with("sha256:") {
            return;
        }
        let pinned = self.image.repository_ref().pinned(digest);
        for definition in &mut self.task_definitions {
            super::task_definition::set_image(definition, &pinned);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskDefinition {
    pub process: String,
    pub family: String,
    pub cpu: u32,
    pub memory: u32,
    /// The CNB launcher's process; empty for an image that keeps its own entry point.
    pub entry_point: Vec<String>,
    /// The container's command, for an image that keeps its own entry point: the Procfile's
    /// line in shell form; absent for the buildpacks' images and for the image's own `CMD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// The container port, for `web`.
    pub port: Option<u16>,
    pub container: String,
    pub log_group: Option<String>,
    /// The app's own `task-definition-<process>.json`, when it ships one.
    pub base_file: Option<String>,
    /// The task definition as `RegisterTaskDefinition` takes it, secrets still to be resolved.
    pub definition: Map<String, Value>,
}

impl TaskDefinition {
    /// ECS resolves `secrets` and pulls from ECR with the execution role; Fargate refuses either
    /// without one.
    pub fn has_execution_role(&self) -> bool {
        self.has_text("executionRoleArn")
    }

    /// ECS Exec needs the task role: Create/UpdateService and RunTask refuse
    /// `enableExecuteCommand` for a task definition without `taskRoleArn`.
    pub fn has_task_role(&self) -> bool {
        self.has_text("taskRoleArn")
    }

    fn has_text(&self, key: &str) -> bool {
        self.definition.get(key).and_then(Value::as_str).is_some_and(|text| !text.is_empty())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub process: String,
    pub name: String,
    pub task_definition: String,
    pub desired_count: u32,
    pub min: u32,
    /// Present when the service autoscales.
    pub max: Option<u32>,
    pub scaling: Vec<ScalingPolicy>,
    /// The Application Auto Scaling resource id, when the service autoscales.
    pub scalable_target: Option<String>,
    pub load_balanced: bool,
    pub service_connect: Option<ServiceConnect>,
    pub network: Network,
    pub circuit_breaker: CircuitBreaker,
    /// ECS Exec (`aws ecs execute-command`): on when the task definition has a task role, which
    /// ECS requires for it.
    pub execute_command: bool,
    /// Where the service's tasks run; set on the service itself, since the cluster's default
    /// applies only when a service is created.
    pub capacity_provider_strategy: Vec<CapacityProviderWeight>,
    /// Seconds ECS ignores the load balancer's health checks of a new task; behind the load
    /// balancer only (ECS refuses it elsewhere).
    pub health_check_grace_period: Option<u32>,
    /// A blue-green, canary or linear deploy (`MAESTRO_DEPLOY_STRATEGY`), for the service behind
    /// the load balancer; absent for a rolling update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<Rollout>,
    /// ECS's early success criteria (`MAESTRO_EARLY_SUCCESS`), for the rolling web service:
    /// the deploy succeeds once every new task is healthy (the breaker's minimum, 100%), and the
    /// old tasks drain afterwards (`DEFERRED`), so waiting ends before the deregistration delay.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub early_success: bool,
    /// The CloudWatch alarm ECS rolls a deployment back on (`MAESTRO_ROLLBACK_ALARM`), for the
    /// service behind the load balancer; absent when off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback_alarm: Option<ServiceAlarm>,
}

/// A CloudWatch alarm on the 5xx answers of the service's target groups, which ECS watches during
/// each deployment (`deploymentConfiguration.alarms`) and rolls back on. The load balancer and
/// target groups are named; the alarm's dimensions are their ARN suffixes, resolved when it is
/// put (they may be created in the same run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceAlarm {
    pub name: String,
    pub namespace: &'static str,
    pub metric: &'static str,
    pub statistic: &'static str,
    pub load_balancer: String,
    /// The target group, and under a blue-green, canary or linear deploy its alternate: the
    /// alarm sums the 5xx answers of both (`provision::rollback_alarm`).
    pub target_groups: Vec<String>,
    /// 5xx answers in one period at which it breaches (`GreaterThanOrEqualToThreshold`).
    pub threshold: u32,
    pub period_seconds: u32,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    /// `notBreaching`: a period without 5xx answers has no data point, and is fine.
    pub treat_missing_data: &'static str,
}

/// How ECS shifts the load-balanced service's traffic to a new revision, and where it pauses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollout {
    pub strategy: Strategy,
    /// The least time a deploy takes once the new tasks are healthy: every bake ECS waits.
    pub minimum_minutes: u32,
    /// A PAUSE lifecycle hook (`MAESTRO_APPROVAL`).
    pub approval: Option<Approval>,
    /// The role ECS moves the traffic with (`advancedConfiguration.roleArn`): set by
    /// `MAESTRO_INFRASTRUCTURE_ROLE_ARN`, else the account's `ecsInfrastructureRoleForLoadBalancers`
    /// once the plan is bound.
    pub infrastructure_role_arn: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingPolicy {
    pub metric: Metric,
    pub target: f64,
    pub disable_scale_in: bool,
    pub policy_name: String,
    pub predefined_metric_type: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceConnect {
    pub namespace: String,
    pub port_name: String,
    pub discovery_name: String,
    pub dns_name: String,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub assign_public_ip: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadBalancer {
    pub name: String,
    /// The name the original cut `name` to before it was cut with a hash: such a load balancer
    /// is adopted when it exists and is not another app's.
    pub former_name: Option<String>,
    /// True with `ALB_NAME_OVERRIDE`: the load balancer is shared and maestro adds a rule to it.
    pub shared: bool,
    /// The load balancer the app's previews share: maestro creates it with its listeners when it
    /// is missing (tagged `maestro:previews`, no environment's), and adds the preview's rule.
    pub previews: bool,
    pub scheme: Scheme,
    pub target_group: String,
    /// As `former_name`, for the target group.
    pub former_target_group: Option<String>,
    pub port: u16,
    pub health_check_path: String,
    /// The health check's interval, timeout and thresholds (`MAESTRO_HEALTH_CHECK_*`).
    pub health_check: HealthCheck,
    pub deregistration_delay: u32,
    /// The listener that forwards to the app: HTTPS:443 with a certificate, else HTTP:80.
    pub listener: Listener,
    /// With a certificate: the certificate, and HTTP:80 redirects to HTTPS.
    pub certificate_arn: Option<String>,
    /// On a shared load balancer: the host name its listener rule sends to this app.
    pub host: Option<String>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub vpc_id: Option<String>,
    /// The second target group of a blue-green, canary or linear deploy: ECS moves the traffic
    /// between it and `target_group`, so either may be the live one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternate_target_group: Option<String>,
    /// The listener that sends test traffic to the new revision before production gets it
    /// (blue-green, canary, linear): the same protocol as `listener`, on its own port.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_listener: Option<Listener>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listener {
    pub protocol: ListenerProtocol,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledTask {
    pub name: String,
    pub rule: String,
    pub expression: String,
    pub command: String,
    /// How the command reaches the container (`Launch::scheduled_command`).
    #[serde(skip)]
    pub launch: Launch,
    pub task_definition: String,
    /// The rule's state: a preview's schedules are created disabled.
    pub enabled: bool,
    /// What the rule starts: the cluster, with the role EventBridge uses, in the tasks' network.
    pub cluster_arn: String,
    pub role_arn: String,
    pub container: String,
    pub network: Network,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    pub process: String,
    pub family: String,
    /// The container whose exit code decides.
    pub container: String,
    pub network: Network,
}
