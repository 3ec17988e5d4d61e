//! The deletes, as values, in the order they run.

use std::fmt;

use serde::Serialize;

use super::Kind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Scaled to zero tasks first when it runs some (`scale_first`), then deleted; the engine
    /// waits past DRAINING until ECS reports it INACTIVE.
    DeleteService {
        cluster: String,
        name: String,
        scale_first: bool,
    },
    /// Its scaling policies go with it.
    DeregisterScalableTarget {
        resource_id: String,
    },
    /// The rollback alarm, once the service that watched it is deleted.
    DeleteAlarm {
        name: String,
    },
    /// Its targets removed first: EventBridge refuses to delete a rule that has targets.
    DeleteRule {
        name: String,
        target_ids: Vec<String>,
    },
    /// The environment's rule on a shared listener.
    DeleteListenerRule {
        arn: String,
        hosts: Vec<String>,
    },
    /// Its listeners and their rules go with it.
    DeleteLoadBalancer {
        name: String,
        arn: String,
    },
    /// Once nothing forwards to it: ELB refuses a target group in use (`ResourceInUse`).
    DeleteTargetGroup {
        name: String,
        arn: String,
    },
    /// Every active revision deregistered (ECS keeps them, INACTIVE).
    DeregisterTaskDefinitions {
        family: String,
        revisions: Vec<String>,
    },
    DeleteLogGroup {
        name: String,
    },
    /// With its images (`force`).
    DeleteRepository {
        registry_id: String,
        name: String,
    },
    /// Once the services deleted here (and `draining`, deleted by an earlier run) are INACTIVE:
    /// ECS refuses a cluster with active or draining services.
    DeleteCluster {
        name: String,
        draining: Vec<String>,
    },
    /// The release records parameter: last, and only when every other delete succeeded.
    DeleteRecords {
        name: String,
    },
}

impl Step {
    pub fn kind(&self) -> Kind {
        match self {
            Self::DeleteService { .. } => Kind::Service,
            Self::DeregisterScalableTarget { .. } => Kind::ScalableTarget,
            Self::DeleteAlarm { .. } => Kind::Alarm,
            Self::DeleteRule { .. } => Kind::ScheduleRule,
            Self::DeleteListenerRule { .. } => Kind::ListenerRule,
            Self::DeleteLoadBalancer { .. } => Kind::LoadBalancer,
            Self::DeleteTargetGroup { .. } => Kind::TargetGroup,
            Self::DeregisterTaskDefinitions { .. } => Kind::TaskDefinitionFamily,
            Self::DeleteLogGroup { .. } => Kind::LogGroup,
            Self::DeleteRepository { .. } => Kind::Repository,
            Self::DeleteCluster { .. } => Kind::Cluster,
            Self::DeleteRecords { .. } => Kind::ReleaseRecords,
        }
    }

    /// The kinds whose failed delete makes this step unsafe or bound to fail: it is skipped, and
    /// the next run tries again. The independent rest goes on.
    pub fn needs(&self) -> &'static [Kind] {
        match self {
            Self::DeleteTargetGroup { .. } => &[Kind::Service, Kind::ListenerRule, Kind::LoadBalancer],
            Self::DeleteCluster { .. } => &[Kind::Service, Kind::ScheduleRule],
            // A service still watching it would find no alarm on its next deployment.
            Self::DeleteAlarm { .. } => &[Kind::Service],
            Self::DeleteRecords { .. } => &[
                Kind::Service,
                Kind::ScalableTarget,
                Kind::Alarm,
                Kind::ScheduleRule,
                Kind::ListenerRule,
                Kind::LoadBalancer,
                Kind::TargetGroup,
                Kind::TaskDefinitionFamily,
                Kind::LogGroup,
                Kind::Repository,
                Kind::Cluster,
            ],
            _ => &[],
        }
    }

    /// Whether it may run once the steps of `failed` kinds failed.
    pub fn may_run_after(&self, failed: &[Kind]) -> bool {
        !self.needs().iter().any(|kind| failed.contains(kind))
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DeleteService { name, scale_first: true, .. } => write!(f, "scale service {name} to 0, delete it"),
            Self::DeleteService { name, .. } => write!(f, "delete service {name}"),
            Self::DeregisterScalableTarget { resource_id } => write!(f, "deregister scalable target {resource_id}"),
            Self::DeleteAlarm { name } => write!(f, "delete alarm {name}"),
            Self::DeleteRule { name, .. } => write!(f, "delete schedule rule {name}"),
            Self::DeleteListenerRule { hosts, .. } => write!(f, "delete the listener rule for {}", hosts.join(", ")),
            Self::DeleteLoadBalancer { name, .. } => write!(f, "delete load balancer {name} and its listeners"),
            Self::DeleteTargetGroup { name, .. } => write!(f, "delete target group {name}"),
            Self::DeregisterTaskDefinitions { family, revisions } => {
                write!(f, "deregister {} revision(s) of task definition {family}", revisions.len())
            }
            Self::DeleteLogGroup { name } => write!(f, "delete log group {name}"),
            Self::DeleteRepository { name, .. } => write!(f, "delete ECR repository {name} with its images"),
            Self::DeleteCluster { name, .. } => write!(f, "delete cluster {name}"),
            Self::DeleteRecords { name } => write!(f, "delete the release records {name}"),
        }
    }
}
