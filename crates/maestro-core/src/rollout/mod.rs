//! Following a service's own deployment: what its state means (the summary of how each ended is
//! in `outcome`).

pub mod approval;
pub mod events;
pub mod heartbeat;
mod outcome;
mod restore;
pub mod service_deployment;

pub use approval::{AwaitingApproval, Paused, TimeoutAction};
pub use outcome::{ServiceOutcome, ServiceState, acted_on, table};
pub use restore::scaled_from_zero;

/// One deployment of a service, as ECS describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservedDeployment {
    pub id: String,
    pub status: String,
    pub rollout_state: String,
    pub reason: Option<String>,
    pub desired: u32,
    pub running: u32,
    pub pending: u32,
    pub failed_tasks: u32,
}

/// A service's deployments and its newest events.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservedRollout {
    pub service: String,
    pub deployments: Vec<ObservedDeployment>,
    /// Newest first.
    pub events: Vec<ServiceEvent>,
}

/// A line of a service's event log ("has reached a steady state", "unable to place a task", …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceEvent {
    /// Identifies the event, so each is reported once across polls.
    pub id: String,
    pub message: String,
    /// When ECS created it, in milliseconds since the Unix epoch (`None` when ECS gave no time).
    pub created_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    InProgress {
        running: u32,
        pending: u32,
        desired: u32,
    },
    Completed,
    /// The deployment failed (a circuit-breaker rollback among others); the reason says why.
    Failed(String),
    /// Another deployment took over before this one finished.
    Replaced {
        by: String,
    },
    /// A blue-green, canary or linear deploy whose tasks run while ECS moves the traffic or
    /// bakes: ECS's lifecycle stage.
    Shifting {
        stage: String,
    },
    /// ECS holds the deployment at a PAUSE hook until `maestro continue` or `maestro abort`.
    Paused(service_deployment::PausedAt),
    /// The deployment reached the stage the wait stops at (`MAESTRO_WAIT_UNTIL`).
    StageReached {
        stage: String,
    },
}

/// The deployment maestro started on a service, and what decides when it has failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Followed<'a> {
    pub deployment_id: &'a str,
    /// The service's deployment circuit breaker is on: ECS itself marks a failing deployment FAILED.
    pub circuit_breaker: bool,
}

/// Where the deployment maestro started stands. `history` is every event of the service seen
/// while following it (ECS describes only its newest).
pub fn progress(rollout: &ObservedRollout, followed: Followed<'_>, history: &[ServiceEvent]) -> Progress {
    let Some(ours) = rollout.deployments.iter().find(|deployment| deployment.id == followed.deployment_id) else {
        // ECS keeps only the PRIMARY and ACTIVE deployments: after a circuit-breaker rollback the
        // failed one is gone, and only the service's events still say it failed.
        if let Some(event) = failure_event(history, followed.deployment_id) {
            return Progress::Failed(event.message.clone());
        }
        let primary = rollout.deployments.iter().find(|deployment| deployment.status == "PRIMARY");
        return match primary {
            Some(primary) => Progress::Replaced { by: primary.id.clone() },
            None => Progress::Failed("the service has no deployment any more (was it deleted?)".to_owned()),
        };
    };
    match ours.rollout_state.as_str() {
        // COMPLETED once running, not before: a count-only update leaves a completed deployment
        // whose new tasks are still starting.
        "COMPLETED" if ours.running >= ours.desired => Progress::Completed,
        "FAILED" => {
            let reason = ours.reason.clone().unwrap_or_else(|| "ECS gave no reason".to_owned());
            Progress::Failed(format!("{reason} ({} tasks failed)", ours.failed_tasks))
        }
        _ if ours.status != "PRIMARY" => {
            if let Some(event) = failure_event(history, followed.deployment_id) {
                return Progress::Failed(event.message.clone());
            }
            let by = rollout
                .deployments
                .iter()
                .find(|deployment| deployment.status == "PRIMARY")
                .map_or_else(String::new, |primary| primary.id.clone());
            Progress::Replaced { by }
        }
        // Without the breaker, ECS never marks the deployment FAILED ("If the service fails to
        // reach a steady state and circuit breaker is turned on, the deployment transitions to a
        // FAILED state", Deployment.rolloutState): judge it by the breaker's own threshold.
        _ if !followed.circuit_breaker && ours.failed_tasks >= breaker_threshold(ours.desired) => {
            Progress::Failed(format!(
                "{} tasks failed to start (the deployment circuit breaker is off, so ECS keeps trying; \
                 maestro stopped waiting at the breaker's own threshold)",
                ours.failed_tasks
            ))
        }
        _ => Progress::InProgress { running: ours.running, pending: ours.pending, desired: ours.desired },
    }
}

/// The event in which ECS says `deployment_id` failed: "(service …) (deployment ecs-svc/…)
/// deployment failed: tasks failed to start."
fn failure_event<'a>(history: &'a [ServiceEvent], deployment_id: &str) -> Option<&'a ServiceEvent> {
    history.iter().find(|event| event.message.contains(deployment_id) && event.message.contains("failed"))
}

/// How many failed tasks fail a deployment, as ECS's circuit breaker counts them
/// (ServiceDeploymentCircuitBreaker.threshold): "a minimum threshold of 3 and a maximum threshold
/// of 200 … 0.5 * desired task count".
pub fn breaker_threshold(desired: u32) -> u32 {
    desired.div_ceil(2).clamp(3, 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(id: &str, status: &str, state: &str) -> ObservedDeployment {
        ObservedDeployment {
            id: id.into(),
            status: status.into(),
            rollout_state: state.into(),
            desired: 2,
            running: 1,
            pending: 1,
            ..ObservedDeployment::default()
        }
    }

    fn rollout(deployments: Vec<ObservedDeployment>) -> ObservedRollout {
        ObservedRollout { service: "web".into(), deployments, events: Vec::new() }
    }

    const OURS: Followed<'static> = Followed { deployment_id: "new", circuit_breaker: true };

    fn event(message: &str) -> ServiceEvent {
        ServiceEvent { id: message.into(), message: message.into(), created_at: None }
    }

    #[test]
    fn our_deployment_is_followed_by_its_id() {
        let both = rollout(vec![deployment("new", "PRIMARY", "IN_PROGRESS"), deployment("old", "ACTIVE", "COMPLETED")]);
        assert_eq!(progress(&both, OURS, &[]), Progress::InProgress { running: 1, pending: 1, desired: 2 });
        let mut done = deployment("new", "PRIMARY", "COMPLETED");
        done.running = 2;
        assert_eq!(progress(&rollout(vec![done]), OURS, &[]), Progress::Completed);
    }

    #[test]
    fn a_completed_deployment_still_scaling_out_is_in_progress() {
        // After `maestro stop`, the deploy's count-only update raises a completed deployment.
        let mut raised = deployment("new", "PRIMARY", "COMPLETED");
        raised.running = 0;
        raised.pending = 2;
        assert_eq!(
            progress(&rollout(vec![raised]), OURS, &[]),
            Progress::InProgress { running: 0, pending: 2, desired: 2 }
        );
    }

    #[test]
    fn a_rollback_or_a_takeover_is_a_failure() {
        let mut failed = deployment("new", "ACTIVE", "FAILED");
        failed.reason = Some("ECS deployment circuit breaker: tasks failed to start.".into());
        failed.failed_tasks = 2;
        let rolled_back = rollout(vec![deployment("old", "PRIMARY", "IN_PROGRESS"), failed]);
        assert_eq!(
            progress(&rolled_back, OURS, &[]),
            Progress::Failed("ECS deployment circuit breaker: tasks failed to start. (2 tasks failed)".into())
        );
        let taken_over =
            rollout(vec![deployment("theirs", "PRIMARY", "IN_PROGRESS"), deployment("new", "ACTIVE", "IN_PROGRESS")]);
        assert_eq!(progress(&taken_over, OURS, &[]), Progress::Replaced { by: "theirs".into() });
        assert_eq!(
            progress(&rollout(vec![deployment("theirs", "PRIMARY", "IN_PROGRESS")]), OURS, &[]),
            Progress::Replaced { by: "theirs".into() }
        );
    }

    #[test]
    fn a_rollback_whose_deployment_ecs_dropped_is_a_failure_not_a_takeover() {
        let history = [
            event("(service web) rolling back to deployment old."),
            event("(service web) (deployment new) deployment failed: tasks failed to start."),
            event("(service web) (deployment older) deployment failed: tasks failed to start."),
        ];
        let rolled_back = rollout(vec![deployment("old", "PRIMARY", "IN_PROGRESS")]);
        assert_eq!(
            progress(&rolled_back, OURS, &history),
            Progress::Failed("(service web) (deployment new) deployment failed: tasks failed to start.".into())
        );
        // Another deployment's failure says nothing about ours.
        let other = Followed { deployment_id: "newest", circuit_breaker: true };
        assert_eq!(progress(&rolled_back, other, &history), Progress::Replaced { by: "old".into() });
    }

    #[test]
    fn without_the_breaker_failed_tasks_fail_the_deployment_at_the_breakers_threshold() {
        let no_breaker = Followed { deployment_id: "new", circuit_breaker: false };
        let mut failing = deployment("new", "PRIMARY", "IN_PROGRESS");
        failing.failed_tasks = 2;
        let below = rollout(vec![failing.clone()]);
        assert_eq!(progress(&below, no_breaker, &[]), Progress::InProgress { running: 1, pending: 1, desired: 2 });
        failing.failed_tasks = 3;
        let at = rollout(vec![failing]);
        assert!(
            matches!(progress(&at, no_breaker, &[]), Progress::Failed(reason) if reason.starts_with("3 tasks failed"))
        );
        // With the breaker on, ECS decides.
        assert_eq!(progress(&at, OURS, &[]), Progress::InProgress { running: 1, pending: 1, desired: 2 });
    }

    #[test]
    fn the_breaker_threshold_is_half_the_tasks_between_3_and_200() {
        let thresholds: Vec<u32> = [0, 1, 6, 7, 8, 399, 400, 1000].map(breaker_threshold).to_vec();
        assert_eq!(thresholds, [3, 3, 3, 4, 4, 200, 200, 200]);
    }
}
