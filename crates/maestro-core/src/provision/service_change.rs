//! Why a live service is updated: one value per difference, from which both the sentence the
//! user reads and "does this move the service to another revision" are derived.

use std::fmt;

use serde::{Serialize, Serializer};

/// One difference between a live service and the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceChange {
    /// This run registers a new revision of the service's task definition.
    NewRevision,
    /// The service runs an older revision than its family's latest (a run stopped after
    /// registering it, before the services moved); `running` is the `family:revision` it runs.
    BehindLatest {
        running: String,
    },
    /// The task count differs; never for an autoscaled service, whose count is the autoscaler's.
    Count {
        want: u32,
        have: u32,
    },
    /// Subnets, security groups or public IP.
    Network,
    CircuitBreaker,
    /// ECS Exec is off and the service has a task role, or on and it has none.
    Exec,
    /// Tasks do not take their tags from the task definition.
    TagPropagation,
    /// The service is not attached to the app's target group, or to more than it.
    LoadBalancer,
    /// Its Service Connect configuration differs (or is on, unplanned).
    ServiceConnect,
    /// Its capacity provider strategy is not the planned one (MAESTRO_CAPACITY_PROVIDER).
    CapacityProvider,
    /// The health-check grace period behind the load balancer.
    HealthCheckGracePeriod,
    /// The deployment strategy or the approval pause (MAESTRO_DEPLOY_STRATEGY, MAESTRO_APPROVAL).
    Rollout,
    /// The alarm ECS rolls back on, or none (MAESTRO_ROLLBACK_ALARM).
    RollbackAlarm,
}

impl ServiceChange {
    /// The update moves the service to another task definition revision: what a release is run for.
    pub fn moves_revision(&self) -> bool {
        matches!(self, Self::NewRevision | Self::BehindLatest { .. })
    }
}

impl fmt::Display for ServiceChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewRevision => f.write_str("new task definition revision"),
            Self::BehindLatest { running } => write!(f, "runs {running} instead of the latest revision"),
            Self::Count { want, have } => write!(f, "{want} tasks instead of {have}"),
            Self::Network => f.write_str("network configuration"),
            Self::CircuitBreaker => f.write_str("deployment circuit breaker"),
            Self::Exec => f.write_str("ECS Exec"),
            Self::TagPropagation => f.write_str("tag propagation"),
            Self::LoadBalancer => f.write_str("load balancer attachment"),
            Self::ServiceConnect => f.write_str("Service Connect"),
            Self::CapacityProvider => f.write_str("capacity provider"),
            Self::HealthCheckGracePeriod => f.write_str("health-check grace period"),
            Self::Rollout => f.write_str("deployment strategy"),
            Self::RollbackAlarm => f.write_str("rollback alarm"),
        }
    }
}

/// The sentence, as the plan's and the deploy report's JSON have always carried it.
impl Serialize for ServiceChange {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_reads_as_a_sentence_and_only_revisions_move_the_service() {
        let changes = [
            (ServiceChange::NewRevision, "new task definition revision", true),
            (
                ServiceChange::BehindLatest { running: "shop-web:1".into() },
                "runs shop-web:1 instead of the latest revision",
                true,
            ),
            (ServiceChange::Count { want: 3, have: 2 }, "3 tasks instead of 2", false),
            (ServiceChange::Network, "network configuration", false),
            (ServiceChange::CircuitBreaker, "deployment circuit breaker", false),
            (ServiceChange::Exec, "ECS Exec", false),
            (ServiceChange::TagPropagation, "tag propagation", false),
            (ServiceChange::LoadBalancer, "load balancer attachment", false),
            (ServiceChange::ServiceConnect, "Service Connect", false),
            (ServiceChange::CapacityProvider, "capacity provider", false),
            (ServiceChange::HealthCheckGracePeriod, "health-check grace period", false),
            (ServiceChange::Rollout, "deployment strategy", false),
            (ServiceChange::RollbackAlarm, "rollback alarm", false),
        ];
        for (change, sentence, moves) in changes {
            assert_eq!(change.to_string(), sentence);
            assert_eq!(serde_json::to_value(&change).unwrap(), sentence);
            assert_eq!(change.moves_revision(), moves, "{sentence}");
        }
    }
}
