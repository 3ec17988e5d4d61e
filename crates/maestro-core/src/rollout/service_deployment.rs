//! The service deployment an update started (`Service.currentServiceDeployment`): ECS's own
//! account of the rollout, which says a rollback or a stop in plain words (`statusReason`) where
//! the service's deployments only show another deployment taking over.

use super::Progress;

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
pub fn judge(progress: Progress, service_deployment: Option<&ObservedServiceDeployment>) -> Progress {
    if matches!(progress, Progress::Failed(_)) {
        return progress;
    }
    match service_deployment.and_then(ObservedServiceDeployment::failure) {
        Some(reason) => Progress::Failed(reason),
        None => progress,
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
        ObservedServiceDeployment { arn: "arn:sd".into(), status: status.into(), reason: reason.map(str::to_owned) }
    }

    const RUNNING: Progress = Progress::InProgress { running: 1, pending: 1, desired: 2 };

    #[test]
    fn a_rollback_or_a_stop_fails_the_wait_with_ecs_reason() {
        let rolled_back = observed("ROLLBACK_IN_PROGRESS", Some("Service deployment rolled back by a user."));
        assert_eq!(
            judge(RUNNING, Some(&rolled_back)),
            Progress::Failed(
                "Service deployment rolled back by a user. (service deployment ROLLBACK_IN_PROGRESS)".into()
            )
        );
        let replaced = Progress::Replaced { by: "ecs-svc/2".into() };
        for status in
            ["ROLLBACK_REQUESTED", "ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED", "STOP_REQUESTED", "FAILED"]
        {
            assert!(matches!(judge(replaced.clone(), Some(&observed(status, None))), Progress::Failed(_)), "{status}");
        }
        assert_eq!(
            judge(RUNNING, Some(&observed("STOPPED", None))),
            Progress::Failed("ECS gave no reason (service deployment STOPPED)".into())
        );
    }

    #[test]
    fn an_ongoing_or_successful_service_deployment_leaves_the_progress_as_it_is() {
        for status in ["PENDING", "IN_PROGRESS", "SUCCESSFUL"] {
            assert_eq!(judge(RUNNING, Some(&observed(status, None))), RUNNING, "{status}");
            assert_eq!(judge(Progress::Completed, Some(&observed(status, None))), Progress::Completed);
        }
        assert_eq!(judge(RUNNING, None), RUNNING, "no service deployment: the deployments alone");
        let breaker =
            Progress::Failed("ECS deployment circuit breaker: tasks failed to start. (2 tasks failed)".into());
        assert_eq!(judge(breaker.clone(), Some(&observed("ROLLBACK_REQUESTED", Some("other")))), breaker);
    }

    #[test]
    fn only_a_pending_or_running_one_is_stopped_and_a_completed_one_is_finished() {
        assert!(observed("PENDING", None).rolls_forward() && observed("IN_PROGRESS", None).rolls_forward());
        assert!(!observed("ROLLBACK_IN_PROGRESS", None).rolls_forward());
        assert!(!observed("ROLLBACK_IN_PROGRESS", None).is_finished());
        assert!(observed("ROLLBACK_SUCCESSFUL", None).is_finished() && observed("SUCCESSFUL", None).is_finished());
    }
}
