//! `maestro restart [process …]`: which services get a new deployment of the task definition
//! they run (a rotated secret, a stuck task), and which are skipped with why. The names are
//! checked against the plan before any AWS call.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::input::Location;
use crate::input_error::InputError;
use crate::plan::desired::DesiredState;
use crate::provision::observed::ObservedService;
use crate::rollout::ServiceOutcome;

/// A service to restart, with the revision it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restart {
    pub process: String,
    pub service: String,
    pub task_definition: String,
    /// Its deployment circuit breaker is on (the wait judges failed tasks itself otherwise).
    pub circuit_breaker: bool,
    /// ECS shifts its traffic (blue-green, canary, linear): its service deployment says when it ends.
    pub shifting: bool,
}

/// A process not restarted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub process: String,
    pub why: String,
}

/// Every name of `requested` is a process of the plan (a service's, a one-off's or a schedule's).
pub fn check_names(requested: &[String], services: &[&str], others: &[&str]) -> Result<(), InputError> {
    let unknown: Vec<&str> = requested
        .iter()
        .map(String::as_str)
        .filter(|name| !services.contains(name) && !others.contains(name))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(InputError::new(
        Location::Described("maestro restart <process>".to_owned()),
        format!("unknown process {}: the plan has no such process", unknown.join(", ")),
        format!("name a service process ({}), or none to restart them all", services.join(", ")),
    ))
}

/// What to restart of `requested` (every service of the plan when empty), given the services the
/// account runs (`live`, `None` when missing).
pub fn select(
    requested: &[String],
    desired: &DesiredState,
    live: &BTreeMap<String, Option<ObservedService>>,
) -> (Vec<Restart>, Vec<Skipped>) {
    let (mut restarts, mut skipped) = (Vec::new(), Vec::new());
    for name in requested {
        if !desired.services.iter().any(|service| &service.process == name) {
            let why = if desired.schedules.iter().any(|schedule| &schedule.name == name) || is_schedules(desired, name)
            {
                "runs on a schedule, not as a service: its next run uses the current secret"
            } else {
                "is not a service (a one-off task runs with the current secret each time)"
            };
            skipped.push(Skipped { process: name.clone(), why: why.to_owned() });
        }
    }
    let chosen = desired.services.iter().filter(|service| requested.is_empty() || requested.contains(&service.process));
    for service in chosen {
        let skip = |why: &str| Skipped { process: service.process.clone(), why: why.to_owned() };
        match live.get(&service.name).and_then(Option::as_ref) {
            None => skipped.push(skip("is not deployed: `maestro deploy` creates it")),
            Some(found) if found.desired_count == 0 => {
                skipped.push(skip("is stopped (0 tasks): `maestro deploy` brings it back"));
            }
            Some(found) => restarts.push(Restart {
                process: service.process.clone(),
                service: service.name.clone(),
                task_definition: found.task_definition.clone(),
                circuit_breaker: found.circuit_breaker.is_some_and(|breaker| breaker.enable),
                shifting: found.shifts_traffic(),
            }),
        }
    }
    (restarts, skipped)
}

/// The job summary's Markdown: how each restarted service ended, and what was skipped.
pub fn summary(headline: &str, outcomes: &[ServiceOutcome], skipped: &[Skipped]) -> String {
    let mut text = format!("### maestro restart: {headline}\n\n");
    if outcomes.is_empty() {
        text.push_str("Nothing was restarted.\n");
    } else {
        text.push_str("| process | service | revision | state |\n|---|---|---|---|\n");
        for outcome in outcomes {
            let revision = outcome.task_definition.rsplit('/').next().unwrap_or_default();
            text.push_str(&format!("| {} | {} | {revision} | {} |\n", outcome.process, outcome.service, outcome.state));
        }
    }
    for skip in skipped {
        text.push_str(&format!("\n- `{}` skipped: it {}", skip.process, skip.why));
    }
    text.push('\n');
    text
}

/// `name` is the process whose task definition the schedules run (`scheduledtasks`).
fn is_schedules(desired: &DesiredState, name: &str) -> bool {
    desired.schedules.iter().any(|schedule| {
        desired
            .task_definitions
            .iter()
            .any(|definition| definition.process == name && definition.family == schedule.task_definition)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, PROCFILE, app_with};

    fn desired() -> DesiredState {
        let settings = fixtures::deployable(&[("ECS_SERVICE_TASK_PROCESSES", "web, worker, clock, scheduledtasks")]);
        fixtures::desired(&fixtures::staging(&[]), &settings.unwrap(), &app_with(PROCFILE, &[])).unwrap()
    }

    fn running(count: u32) -> Option<ObservedService> {
        Some(crate::fixtures::live_service("arn:td/web:3", count))
    }

    #[test]
    fn an_unknown_name_is_bad_input_listing_the_services() {
        let error = check_names(&["web".into(), "wbe".into()], &["web", "worker"], &["release"]).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("unknown process wbe") && !text.contains("web,"), "{text}");
        assert!(check_names(&["release".into()], &["web"], &["release"]).is_ok());
    }

    #[test]
    fn by_default_every_running_service_restarts_and_the_others_are_skipped_with_why() {
        let desired = desired();
        let name =
            |process: &str| desired.services.iter().find(|service| service.process == process).unwrap().name.clone();
        let live: BTreeMap<String, Option<ObservedService>> =
            [(name("web"), running(2)), (name("worker"), running(0)), (name("clock"), None)].into_iter().collect();
        let (restarts, skipped) = select(&[], &desired, &live);
        assert_eq!(restarts.iter().map(|restart| restart.process.as_str()).collect::<Vec<_>>(), ["web"]);
        assert_eq!(restarts[0].task_definition, "arn:td/web:3", "the same revision");
        let skipped: Vec<(&str, bool)> =
            skipped.iter().map(|skip| (skip.process.as_str(), skip.why.contains("maestro deploy"))).collect();
        assert_eq!(skipped, [("worker", true), ("clock", true)]);
    }

    #[test]
    fn the_summary_tells_each_restart_and_each_skip() {
        let outcome = ServiceOutcome {
            process: "web".into(),
            service: "shop-staging-web".into(),
            task_definition: "arn:aws:ecs:us-east-1:1:task-definition/shop-staging-web:7".into(),
            image: String::new(),
            state: crate::rollout::ServiceState::Deployed,
            reason: None,
            seconds: 4,
            url: None,
        };
        let skipped = Skipped { process: "clock".into(), why: "is stopped (0 tasks)".into() };
        let text = summary("acme/shop @ staging", &[outcome], &[skipped]);
        assert!(text.starts_with("### maestro restart: acme/shop @ staging\n"), "{text}");
        assert!(text.contains("| web | shop-staging-web | shop-staging-web:7 | deployed |"), "{text}");
        assert!(text.contains("- `clock` skipped: it is stopped (0 tasks)"), "{text}");
        assert!(summary("h", &[], &[]).contains("Nothing was restarted."));
    }

    #[test]
    fn a_named_schedule_process_is_skipped() {
        let desired = desired();
        let (restarts, skipped) = select(&["scheduledtasks".into()], &desired, &BTreeMap::new());
        assert!(restarts.is_empty());
        assert!(skipped[0].why.contains("schedule"), "{skipped:?}");
    }
}
