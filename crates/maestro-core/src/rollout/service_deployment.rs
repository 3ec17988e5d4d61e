//! The service deployment an update started (`Service.currentServiceDeployment`): ECS's own
//! account of the rollout, which says a rollback or a stop in plain words (`statusReason`) where
//! the service's deployments only show another deployment taking over.

use super::Progress;
use crate::spec::approval::TimeoutAction;

/// What a create or update started on a service: the deployment maestro follows by id, and the
/// service deployment ECS made for it (none from an ECS that predates them, or a count-only update).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Started {
    pub id: String,
    pub service_deployment: Option<String>,
}

/// One service deployment, as DescribeServiceDeployments answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedServiceDeployment {
    pub arn: String,
    /// `PENDING`, `IN_PROGRESS`, `SUCCESSFUL`, `STOP_REQUESTED`, `STOPPED`, `ROLLBACK_*` (ServiceDeploymentStatus).
    pub status: String,
    pub reason: Option<String>,
    /// ECS's lifecycle stage (`SCALE_UP`, `PRODUCTION_TRAFFIC_SHIFT`, `BAKE_TIME`, …), when it says.
    pub stage: Option<String>,
    /// A PAUSE hook waiting for someone (`lifecycleHookDetails`, status `AWAITING_ACTION`).
    pub pause: Option<PausedHook>,
}

/// A lifecycle hook that holds the deployment until ContinueServiceDeployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PausedHook {
    /// What ContinueServiceDeployment names ("Use this value when calling ContinueServiceDeployment").
    pub hook_id: String,
    /// When ECS takes the timeout action (RFC 3339), if it said.
    pub expires_at: Option<String>,
    pub timeout_action: TimeoutAction,
}

/// A service deployment ECS holds at a PAUSE hook, where it waits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PausedAt {
    pub service_deployment: String,
    /// The lifecycle stage it waits at.
    pub stage: String,
    pub hook: PausedHook,
}

impl ObservedServiceDeployment {
    /// "You can stop a deployment that is in any of the following states": PENDING, IN_PROGRESS,
    /// STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS (Stopping Amazon ECS service
    /// deployments). A rollback already under way needs no second stop, only a wait.
    pub fn rolls_forward(&self) -> bool {
        matches!(self.status.as_str(), "PENDING" | "IN_PROGRESS")
    }

    /// Whether it has finished, whichever way ("Completed: SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL,
    /// ROLLBACK_FAILED", View service history using Amazon ECS service deployments).
    pub fn is_finished(&self) -> bool {
        matches!(self.status.as_str(), "SUCCESSFUL" | "STOPPED" | "ROLLBACK_SUCCESSFUL" | "ROLLBACK_FAILED")
    }

    /// Where it waits, when a PAUSE hook holds it (a finished one waits for nothing).
    pub fn paused(&self) -> Option<PausedAt> {
        let hook = self.pause.clone().filter(|_| !self.is_finished() && self.failure().is_none())?;
        Some(PausedAt {
            service_deployment: self.arn.clone(),
            stage: self.stage.clone().unwrap_or_else(|| "an approval stage".to_owned()),
            hook,
        })
    }

    /// Why it is a failure (`statusReason` and the status), when it is one: a rollback requested,
    /// under way or done, a stop, or `FAILED` (which older answers used).
    pub fn failure(&self) -> Option<String> {
        let failed = self.status.starts_with("ROLLBACK_")
            || matches!(self.status.as_str(), "STOPPED" | "STOP_REQUESTED" | "FAILED");
        failed.then(|| {
            // Relayed into the CI log: one line, never a workflow command.
            let reason = self.reason.as_deref().unwrap_or("ECS gave no reason").replace(['\n', '\r'], " ");
            crate::text::workflow_command::inert(&format!("{reason} (service deployment {})", self.status))
        })
    }
}

/// The deployment's progress, judged again with its service deployment: a service deployment
/// that rolls back or stops is a failure with ECS's reason, whatever the deployments show (a
/// rollback appears there as another deployment taking over). A failure the deployment itself
/// states is kept: its reason counts the failed tasks.
///
/// A blue-green, canary or linear deploy (`shifting`) is ECS's to finish: its tasks run long
/// before the traffic has moved and the bake is over, so it completes when its service deployment
/// is `SUCCESSFUL`, and a PAUSE hook holding it is `Paused`.
pub fn judge(progress: Progress, service_deployment: Option<&ObservedServiceDeployment>, shifting: bool) -> Progress {
    if matches!(progress, Progress::Failed(_)) {
        return progress;
    }
    let Some(observed) = service_deployment else { return progress };
    if let Some(reason) = observed.failure() {
        return Progress::Failed(reason);
    }
    if let Some(paused) = observed.paused() {
        return Progress::Paused(paused);
    }
    if !shifting {
        return progress;
    }
    match (progress, observed.status.as_str()) {
        (Progress::Replaced { .. } | Progress::Completed | Progress::Shifting { .. }, "SUCCESSFUL") => {
            Progress::Completed
        }
        (Progress::InProgress { running, desired, .. }, "SUCCESSFUL") if running >= desired => Progress::Completed,
        // The new tasks run while ECS shifts the traffic: say where it is.
        (Progress::InProgress { running, desired, .. }, _) if running >= desired && observed.stage.is_some() => {
            Progress::Shifting { stage: observed.stage.clone().unwrap_or_default() }
        }
        // ECS moves the traffic, then bakes: the tasks are up, the deploy is not over.
        (Progress::Completed | Progress::Replaced { .. }, _) => {
            Progress::Shifting { stage: observed.stage.clone().unwrap_or_else(|| observed.status.clone()) }
        }
        (progress, _) => progress,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relayed_reason_stays_one_line_and_no_command() {
        let said = observed("STOPPED", Some("::error::spoof\n##[warning]x")).failure().unwrap();
        assert!(!said.contains('\n') && !said.starts_with("::") && !said.contains("##["), "{said}");
    }

    fn observed(status: &str, reason: Option<&str>) -> ObservedServiceDeployment {
        ObservedServiceDeployment {
            arn: "arn:sd".into(),
            status: status.into(),
            reason: reason.map(str::to_owned),
            stage: None,
            pause: None,
        }
    }

    const RUNNING: Progress = Progress::InProgress { running: 1, pending: 1, desired: 2 };

    #[test]
    fn a_rollback_or_a_stop_fails_the_wait_with_ecs_reason() {
        let rolled_back = observed("ROLLBACK_IN_PROGRESS", Some("Service deployment rolled back by a user."));
        assert_eq!(
            judge(RUNNING, Some(&rolled_back), false),
            Progress::Failed(
                "Service deployment rolled back by a user. (service deployment ROLLBACK_IN_PROGRESS)".into()
            )
        );
        let replaced = Progress::Replaced { by: "ecs-svc/2".into() };
        for status in
            ["ROLLBACK_REQUESTED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED", "STOP_REQUESTED", "FAILED"]
        {
            assert!(
                matches!(judge(replaced.clone(), Some(&observed(status, None)), false), Progress::Failed(_)),
                "{status}"
            );
        }
        assert_eq!(
            judge(RUNNING, Some(&observed("STOPPED", None)), false),
            Progress::Failed("ECS gave no reason (service deployment STOPPED)".into())
        );
    }

    #[test]
    fn an_ongoing_or_successful_service_deployment_leaves_the_progress_as_it_is() {
        for status in ["PENDING", "IN_PROGRESS", "SUCCESSFUL"] {
            assert_eq!(judge(RUNNING, Some(&observed(status, None)), false), RUNNING, "{status}");
            assert_eq!(judge(Progress::Completed, Some(&observed(status, None)), false), Progress::Completed);
        }
        assert_eq!(judge(RUNNING, None, false), RUNNING, "no service deployment: the deployments alone");
        let breaker =
            Progress::Failed("ECS deployment circuit breaker: tasks failed to start. (2 tasks failed)".into());
        assert_eq!(judge(breaker.clone(), Some(&observed("ROLLBACK_REQUESTED", Some("other"))), true), breaker);
    }

    #[test]
    fn only_a_pending_or_running_one_is_stopped_and_a_completed_one_is_finished() {
        assert!(observed("PENDING", None).rolls_forward() && observed("IN_PROGRESS", None).rolls_forward());
        assert!(!observed("ROLLBACK_IN_PROGRESS", None).rolls_forward());
        assert!(!observed("ROLLBACK_IN_PROGRESS", None).is_finished());
        assert!(observed("ROLLBACK_SUCCESSFUL", None).is_finished() && observed("SUCCESSFUL", None).is_finished());
    }

    fn at(stage: &str, status: &str) -> ObservedServiceDeployment {
        ObservedServiceDeployment { stage: Some(stage.into()), ..observed(status, None) }
    }

    #[test]
    fn a_shifting_deploy_ends_when_ecs_says_so_not_when_its_tasks_run() {
        let baking = at("BAKE_TIME", "IN_PROGRESS");
        assert_eq!(judge(Progress::Completed, Some(&baking), true), Progress::Shifting { stage: "BAKE_TIME".into() });
        assert_eq!(judge(Progress::Completed, Some(&baking), false), Progress::Completed, "a rolling one: as before");
        assert_eq!(judge(RUNNING, Some(&baking), true), RUNNING, "tasks still starting: their counts");
        let up = Progress::InProgress { running: 2, pending: 0, desired: 2 };
        assert_eq!(judge(up, Some(&baking), true), Progress::Shifting { stage: "BAKE_TIME".into() });
        assert_eq!(judge(Progress::Completed, Some(&at("CLEAN_UP", "SUCCESSFUL")), true), Progress::Completed);
        // ECS may have made the old deployment the PRIMARY one's successor by then.
        let replaced = Progress::Replaced { by: "ecs-svc/2".into() };
        assert_eq!(judge(replaced, Some(&at("CLEAN_UP", "SUCCESSFUL")), true), Progress::Completed);
    }

    #[test]
    fn a_pause_hook_awaiting_action_is_where_the_deploy_waits() {
        let hook = PausedHook { hook_id: "hook-1".into(), expires_at: None, timeout_action: TimeoutAction::Rollback };
        let paused = ObservedServiceDeployment {
            pause: Some(hook.clone()),
            ..at("PRE_PRODUCTION_TRAFFIC_SHIFT", "IN_PROGRESS")
        };
        let expected =
            PausedAt { service_deployment: "arn:sd".into(), stage: "PRE_PRODUCTION_TRAFFIC_SHIFT".into(), hook };
        assert_eq!(judge(Progress::Completed, Some(&paused), true), Progress::Paused(expected.clone()));
        assert_eq!(judge(RUNNING, Some(&paused), true), Progress::Paused(expected));
        // Rolled back (a timeout's action, or `maestro abort`): a failure, not a pause.
        let rolled = ObservedServiceDeployment { status: "ROLLBACK_IN_PROGRESS".into(), ..paused };
        assert!(matches!(judge(RUNNING, Some(&rolled), true), Progress::Failed(_)));
    }
}
