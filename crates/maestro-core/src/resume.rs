//! `maestro continue`, pure: which services' deployments ECS holds at an approval pause
//! (`MAESTRO_APPROVAL`) are resumed (ContinueServiceDeployment `CONTINUE`), which are left alone
//! and why, and the job summary.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::abort::Untouched;
use crate::plan::desired::DesiredState;
use crate::rollout::ServiceOutcome;
use crate::rollout::service_deployment::ObservedServiceDeployment;

/// A service whose paused service deployment is resumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resume {
    pub process: String,
    pub service: String,
    pub service_deployment: String,
    /// The PAUSE hook that holds it (ContinueServiceDeployment's `hookId`).
    pub hook_id: String,
    /// Where it waits.
    pub stage: String,
}

/// What to resume, given each planned service's current service deployment (`None` when the
/// service is missing or ECS names none).
pub fn select(
    desired: &DesiredState,
    current: &BTreeMap<String, Option<ObservedServiceDeployment>>,
) -> (Vec<Resume>, Vec<Untouched>) {
    let (mut resumes, mut untouched) = (Vec::new(), Vec::new());
    for service in &desired.services {
        let leave = |why: String| Untouched { process: service.process.clone(), why };
        let found = current.get(&service.name).and_then(Option::as_ref);
        match found.and_then(|found| found.paused()) {
            Some(paused) => resumes.push(Resume {
                process: service.process.clone(),
                service: service.name.clone(),
                service_deployment: paused.service_deployment,
                hook_id: paused.hook.hook_id,
                stage: paused.stage,
            }),
            None => untouched.push(leave(match found {
                None => "has no service deployment (not deployed, or none ECS tracks)".to_owned(),
                Some(found) => format!("is not paused for approval (its service deployment is {})", found.status),
            })),
        }
    }
    (resumes, untouched)
}

/// The job summary's Markdown: how each resumed deployment ended, and what was left alone.
pub fn summary(headline: &str, outcomes: &[ServiceOutcome], untouched: &[Untouched]) -> String {
    let nothing = "No deployment was paused for approval: nothing was resumed.";
    crate::abort::acted_summary("maestro continue", nothing, headline, outcomes, untouched)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::ServiceState;
    use crate::rollout::service_deployment::PausedHook;
    use crate::spec::approval::TimeoutAction;

    fn desired() -> DesiredState {
        let settings = crate::fixtures::deployable(&[]).unwrap();
        let app = crate::fixtures::app_with("web: bin/web\nworker: bin/work\n", &[]);
        crate::fixtures::desired(&crate::fixtures::staging(&[]), &settings, &app).unwrap()
    }

    #[test]
    fn only_a_deployment_held_at_a_pause_is_resumed() {
        let desired = desired();
        let web = desired.services.iter().find(|service| service.process == "web").unwrap();
        let worker = desired.services.iter().find(|service| service.process == "worker").unwrap();
        let paused = ObservedServiceDeployment {
            arn: "arn:sd/web".into(),
            status: "IN_PROGRESS".into(),
            reason: None,
            stage: Some("PRE_PRODUCTION_TRAFFIC_SHIFT".into()),
            pause: Some(PausedHook {
                hook_id: "h-1".into(),
                expires_at: None,
                timeout_action: TimeoutAction::Rollback,
            }),
        };
        let done = ObservedServiceDeployment {
            arn: "arn:sd/worker".into(),
            status: "SUCCESSFUL".into(),
            reason: None,
            stage: None,
            pause: None,
        };
        let current = BTreeMap::from([(web.name.clone(), Some(paused)), (worker.name.clone(), Some(done))]);
        let (resumes, untouched) = select(&desired, &current);
        assert_eq!(
            resumes,
            [Resume {
                process: "web".into(),
                service: web.name.clone(),
                service_deployment: "arn:sd/web".into(),
                hook_id: "h-1".into(),
                stage: "PRE_PRODUCTION_TRAFFIC_SHIFT".into(),
            }]
        );
        assert_eq!(untouched[0].why, "is not paused for approval (its service deployment is SUCCESSFUL)");
        let outcome = ServiceOutcome {
            process: "web".into(),
            service: web.name.clone(),
            task_definition: String::new(),
            image: String::new(),
            state: ServiceState::Deployed,
            reason: None,
            seconds: 42,
            url: None,
        };
        let text = summary("shop staging", &[outcome], &untouched);
        assert!(text.contains("| web | acme-shop-api-staging-web | deployed |  |"), "{text}");
        assert!(text.contains("- `worker` left alone: it is not paused for approval"), "{text}");
        assert!(summary("shop", &[], &[]).contains("nothing was resumed"));
    }
}
