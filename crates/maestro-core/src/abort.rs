//! `maestro abort` (and a deploy cancelled with `MAESTRO_ABORT_ON_CANCEL=true`), pure: which
//! services' service deployments are rolled back (StopServiceDeployment `ROLLBACK`: "rolls back
//! the service deployment to the previous service revision"), which are left alone and why, how
//! each rollback ended, and the job summary.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::plan::desired::DesiredState;
use crate::report::{Ending, Finished};
use crate::rollout::service_deployment::ObservedServiceDeployment;
use crate::rollout::{ServiceOutcome, ServiceState};

/// A service whose in-flight service deployment is rolled back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Abort {
    pub process: String,
    pub service: String,
    pub service_deployment: String,
    /// Already rolling back (asked by someone else, or by the circuit breaker): waited for, not
    /// stopped a second time.
    pub already_rolling_back: bool,
    /// The PAUSE hook that holds it (`MAESTRO_APPROVAL`): rolled back through the hook
    /// (ContinueServiceDeployment `ROLLBACK`), the way ECS resolves a pause.
    pub paused_hook: Option<String>,
}

/// A service not rolled back, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Untouched {
    pub process: String,
    pub why: String,
}

/// What to roll back, given each planned service's current service deployment (`None` when the
/// service is missing or ECS names none).
pub fn select(
    desired: &DesiredState,
    current: &BTreeMap<String, Option<ObservedServiceDeployment>>,
) -> (Vec<Abort>, Vec<Untouched>) {
    let (mut aborts, mut untouched) = (Vec::new(), Vec::new());
    for service in &desired.services {
        let leave = |why: String| Untouched { process: service.process.clone(), why };
        match current.get(&service.name).and_then(Option::as_ref) {
            None => untouched.push(leave("has no service deployment (not deployed, or none ECS tracks)".to_owned())),
            Some(found) if found.rolls_forward() || rolling_back(found) => aborts.push(Abort {
                process: service.process.clone(),
                service: service.name.clone(),
                service_deployment: found.arn.clone(),
                already_rolling_back: rolling_back(found),
                paused_hook: found.paused().map(|paused| paused.hook.hook_id),
            }),
            Some(found) => {
                untouched.push(leave(format!("has no deployment in progress (its last one is {})", found.status)))
            }
        }
    }
    (aborts, untouched)
}

fn rolling_back(found: &ObservedServiceDeployment) -> bool {
    matches!(found.status.as_str(), "ROLLBACK_REQUESTED" | "ROLLBACK_IN_PROGRESS")
}

/// How a rollback that was waited for ended: `RolledBack` at `ROLLBACK_SUCCESSFUL`; `Failed` with
/// ECS's reason at any other end (`ROLLBACK_FAILED`; `SUCCESSFUL` when the deployment finished
/// before the stop reached it); `None` while it goes on.
pub fn ended(found: &ObservedServiceDeployment) -> Option<(ServiceState, Option<String>)> {
    if !found.is_finished() {
        return None;
    }
    if found.status == "ROLLBACK_SUCCESSFUL" {
        return Some((ServiceState::RolledBack, None));
    }
    let reason = found.reason.as_deref().unwrap_or("ECS gave no reason");
    Some((ServiceState::Failed, Some(format!("the service deployment ended {}: {reason}", found.status))))
}

/// The deploy an abort ended, for the reporters (the GitHub deployment, the commit status, the
/// webhook): failed, "rolled back by maestro abort: <reason>", each rolled-back service with its
/// outcome. Nothing was deployed, so no task definition is named.
pub fn finished(services: Vec<ServiceOutcome>, seconds: u64) -> Finished {
    let failed = services.iter().filter(|service| service.state != ServiceState::RolledBack).count();
    let reason = match (failed, services.as_slice()) {
        (0, [one]) => format!("{} back on the revision it ran before", one.process),
        (0, all) => format!("{} services back on the revisions they ran before", all.len()),
        (failed, all) => format!("{failed} of {} rollbacks did not succeed", all.len()),
    };
    let failure = Some(format!("rolled back by maestro abort: {reason}"));
    let mut finished = Finished::of(services, Ending { failure, seconds, ..Ending::default() });
    finished.task_definitions.clear();
    finished
}

/// The job summary's Markdown: how each rollback ended, and what was left alone.
pub fn summary(headline: &str, outcomes: &[ServiceOutcome], untouched: &[Untouched]) -> String {
    acted_summary(
        "maestro abort",
        "No deployment was in progress: nothing was rolled back.",
        headline,
        outcomes,
        untouched,
    )
}

/// A command that acts on services' deployments (`maestro abort`, `maestro continue`), as the job
/// summary says it: each acted-on service's state and reason, then what was left alone and why;
/// `nothing` when none was acted on.
pub(crate) fn acted_summary(
    command: &str,
    nothing: &str,
    headline: &str,
    outcomes: &[ServiceOutcome],
    untouched: &[Untouched],
) -> String {
    let mut text = format!("### {command}: {headline}\n\n");
    if outcomes.is_empty() {
        text.push_str(nothing);
        text.push('\n');
    } else {
        text.push_str("| process | service | state | reason |\n|---|---|---|---|\n");
        for outcome in outcomes {
            let reason = outcome.reason.as_deref().unwrap_or("");
            text.push_str(&format!("| {} | {} | {} | {reason} |\n", outcome.process, outcome.service, outcome.state));
        }
    }
    for leave in untouched {
        text.push_str(&format!("\n- `{}` left alone: it {}", leave.process, leave.why));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, PROCFILE, app_with};

    fn desired() -> DesiredState {
        let settings = fixtures::deployable(&[("ECS_SERVICE_TASK_PROCESSES", "web, worker, clock")]);
        fixtures::desired(&fixtures::staging(&[]), &settings.unwrap(), &app_with(PROCFILE, &[])).unwrap()
    }

    fn observed(status: &str) -> Option<ObservedServiceDeployment> {
        Some(ObservedServiceDeployment {
            arn: format!("arn:sd/{status}"),
            status: status.into(),
            reason: None,
            stage: None,
            pause: None,
        })
    }

    #[test]
    fn an_abort_is_reported_as_a_failed_deploy_rolled_back() {
        let outcome = |process: &str, state: ServiceState| ServiceOutcome {
            process: process.into(),
            service: format!("s-{process}"),
            task_definition: String::new(),
            image: String::new(),
            state,
            reason: None,
            seconds: 3,
            url: None,
        };
        let one = finished(vec![outcome("web", ServiceState::RolledBack)], 9);
        assert!(!one.succeeded && one.task_definitions.is_empty() && one.seconds == 9);
        assert_eq!(
            one.failure.as_deref(),
            Some("rolled back by maestro abort: web back on the revision it ran before")
        );
        let both =
            finished(vec![outcome("web", ServiceState::RolledBack), outcome("api", ServiceState::RolledBack)], 9);
        assert_eq!(
            both.failure.as_deref(),
            Some("rolled back by maestro abort: 2 services back on the revisions they ran before")
        );
        let half = finished(vec![outcome("web", ServiceState::RolledBack), outcome("api", ServiceState::Failed)], 9);
        assert_eq!(half.failure.as_deref(), Some("rolled back by maestro abort: 1 of 2 rollbacks did not succeed"));
        assert!(!half.deployed_something(), "no New Relic marker for an abort");
    }

    #[test]
    fn only_an_in_flight_deployment_is_rolled_back_and_a_rollback_under_way_is_waited_for() {
        let desired = desired();
        let name = |process: &str| desired.services.iter().find(|s| s.process == process).unwrap().name.clone();
        let current = BTreeMap::from([
            (name("web"), observed("IN_PROGRESS")),
            (name("worker"), observed("ROLLBACK_IN_PROGRESS")),
            (name("clock"), observed("SUCCESSFUL")),
        ]);
        let (aborts, untouched) = select(&desired, &current);
        let chosen: Vec<(&str, bool)> =
            aborts.iter().map(|abort| (abort.process.as_str(), abort.already_rolling_back)).collect();
        assert_eq!(chosen, [("web", false), ("worker", true)]);
        assert_eq!(aborts[0].service_deployment, "arn:sd/IN_PROGRESS");
        assert_eq!(
            untouched,
            [Untouched {
                process: "clock".into(),
                why: "has no deployment in progress (its last one is SUCCESSFUL)".into()
            }]
        );
        let (aborts, untouched) = select(&desired, &BTreeMap::new());
        assert!(aborts.is_empty() && untouched.len() == 3 && untouched[0].why.starts_with("has no service deployment"));
    }

    #[test]
    fn a_rollback_ends_rolled_back_or_failed_with_the_reason() {
        assert_eq!(ended(&observed("ROLLBACK_IN_PROGRESS").unwrap()), None);
        assert_eq!(ended(&observed("ROLLBACK_SUCCESSFUL").unwrap()), Some((ServiceState::RolledBack, None)));
        let mut failed = observed("ROLLBACK_FAILED").unwrap();
        failed.reason = Some("no previous revision".into());
        assert_eq!(
            ended(&failed),
            Some((
                ServiceState::Failed,
                Some("the service deployment ended ROLLBACK_FAILED: no previous revision".into())
            ))
        );
    }

    #[test]
    fn the_summary_tells_each_rollback_and_what_was_left_alone() {
        let outcome = ServiceOutcome {
            process: "web".into(),
            service: "shop-staging-web".into(),
            task_definition: String::new(),
            image: String::new(),
            state: ServiceState::RolledBack,
            reason: None,
            seconds: 12,
            url: None,
        };
        let untouched = [Untouched { process: "clock".into(), why: "has no deployment in progress".into() }];
        let text = summary("shop staging", &[outcome], &untouched);
        assert!(text.starts_with("### maestro abort: shop staging\n"), "{text}");
        assert!(text.contains("| web | shop-staging-web | rolled back |  |"), "{text}");
        assert!(text.contains("- `clock` left alone: it has no deployment in progress"), "{text}");
        assert!(summary("x", &[], &[]).contains("nothing was rolled back"));
    }
}
