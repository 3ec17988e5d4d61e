//! Heroku's release phase on ECS: when the release runs, and what its stopped task means.

use crate::one_off::{Ended, ended};
use crate::provision::action::Action;

/// A one-off task as ECS describes it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservedTask {
    pub last_status: String,
    pub stop_code: Option<String>,
    pub stopped_reason: Option<String>,
    pub containers: Vec<ObservedContainer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObservedContainer {
    pub name: String,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
}

/// What a release task's state means for the deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Running,
    Succeeded,
    /// The deploy stops here; the message says why.
    Failed(String),
}

/// A release runs when the deploy releases something new: a new image or a changed task
/// definition (both register a revision), a service that is not yet on the latest revision (a
/// run that stopped after registering it, before the services moved), or when the user forces
/// it. A deploy that changes nothing runs nothing.
pub fn needed(actions: &[Action], force: bool) -> bool {
    force
        || actions.iter().any(|action| match action {
            Action::RegisterTaskDefinition { .. } | Action::CreateService(_) => true,
            Action::UpdateService(spec) => spec.moves_revision(),
            _ => false,
        })
}

/// The verdict on the release task, judged by its essential container `container`
/// (`one_off::ended`, which `maestro run` shares).
pub fn verdict(task: &ObservedTask, container: &str) -> Verdict {
    match ended(task, container) {
        None => Verdict::Running,
        Some(Ended::Exited { code: 0, .. }) => Verdict::Succeeded,
        Some(Ended::Exited { code, reason }) => {
            Verdict::Failed(format!("the release command exited with code {code} ({reason})"))
        }
        Some(ended @ Ended::NoExitCode { stop_code: Some(_), .. }) => {
            Verdict::Failed(format!("the release task stopped before its command finished ({})", ended.stop_reason()))
        }
        Some(Ended::NoExitCode { stop_code: None, reason, .. }) => {
            Verdict::Failed(format!("the release task stopped without an exit code ({reason})"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stopped(exit_code: Option<i32>, stop_code: Option<&str>, reason: &str) -> ObservedTask {
        ObservedTask {
            last_status: "STOPPED".into(),
            stop_code: stop_code.map(str::to_owned),
            stopped_reason: Some(reason.into()),
            containers: vec![
                ObservedContainer { name: "sidecar".into(), exit_code: Some(0), reason: None },
                ObservedContainer { name: "app".into(), exit_code, reason: None },
            ],
        }
    }

    #[test]
    fn the_essential_containers_exit_code_decides() {
        assert_eq!(verdict(&stopped(Some(0), Some("EssentialContainerExited"), "done"), "app"), Verdict::Succeeded);
        assert_eq!(
            verdict(&stopped(Some(3), Some("EssentialContainerExited"), "Essential container in task exited"), "app"),
            Verdict::Failed("the release command exited with code 3 (Essential container in task exited)".into())
        );
        let running = ObservedTask { last_status: "RUNNING".into(), ..ObservedTask::default() };
        assert_eq!(verdict(&running, "app"), Verdict::Running);
    }

    #[test]
    fn a_task_that_never_started_names_its_stop_reason() {
        let task = stopped(
            None,
            Some("TaskFailedToStart"),
            "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
        );
        let Verdict::Failed(message) = verdict(&task, "app") else { panic!() };
        assert!(message.contains("TaskFailedToStart: CannotPullContainerError"), "{message}");
    }

    #[test]
    fn only_a_new_release_runs_the_release() {
        let register = Action::RegisterTaskDefinition {
            process: "web".into(),
            family: "f".into(),
            definition: serde_json::Map::new(),
        };
        let log_group = Action::CreateLogGroup { name: "/ecs/x".into(), tags: Vec::new() };
        assert!(needed(&[log_group.clone(), register], false));
        assert!(!needed(&[log_group], false));
        assert!(!needed(&[], false));
        assert!(needed(&[], true));
    }

    #[test]
    fn a_service_left_behind_by_a_stopped_run_releases_again() {
        use crate::provision::action::ServiceSpec;
        use crate::provision::service_change::ServiceChange;
        let behind = ServiceSpec {
            changes: vec![ServiceChange::Network, ServiceChange::BehindLatest { running: "web:1".into() }],
            ..ServiceSpec::default()
        };
        let rescaled = ServiceSpec {
            changes: vec![ServiceChange::Count { want: 3, have: 2 }, ServiceChange::Exec],
            ..ServiceSpec::default()
        };
        assert!(needed(&[Action::UpdateService(behind)], false));
        assert!(needed(&[Action::CreateService(ServiceSpec::default())], false));
        assert!(!needed(&[Action::UpdateService(rescaled)], false));
    }
}
