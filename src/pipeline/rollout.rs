//! The deploy's last phase: waiting for the deployments this run started, and what each service
//! ended as.

use std::time::Duration;

use crate::aws::Clients;
use crate::engine::ChangeSet;
use crate::engine::rollout::{self, LastProgress, RolloutEnd, RolloutResult, RolloutWatch};
use maestro_core::plan::desired::DesiredState;
use maestro_core::rollout::heartbeat::Rolling;
use maestro_core::rollout::{ServiceOutcome, ServiceState, scaled_from_zero};
use maestro_core::settings::WaitSettings;

/// What the deploy's phases after the build produced.
pub(crate) struct Rollout {
    /// The changes the run made, and its warnings.
    pub changes: ChangeSet,
    pub outcomes: Vec<ServiceOutcome>,
    /// DescribeServices polls while waiting for the rollouts.
    pub polls: u32,
    /// Why failed deployments failed (their stopped tasks, the end of a log), one line each.
    pub explanations: Vec<String>,
}

/// The deployment of each planned service that this run changed.
pub(super) fn watches(desired: &DesiredState, changes: &ChangeSet) -> Vec<RolloutWatch> {
    desired
        .services
        .iter()
        .filter_map(|service| {
            changes.deployment_of(&service.name).map(|deployment| {
                let rolling = if scaled_from_zero(&changes.actions, &service.name) {
                    Rolling::ScalingFromZero
                } else {
                    Rolling::NewDeployment
                };
                RolloutWatch {
                    service: service.name.clone(),
                    deployment: deployment.id.clone(),
                    service_deployment: match rolling {
                        Rolling::NewDeployment => deployment.service_deployment.clone(),
                        Rolling::ScalingFromZero => None,
                    },
                    circuit_breaker: service.circuit_breaker.enable,
                    rolling,
                }
            })
        })
        .collect()
}

/// Every followed service as left when the wait was cancelled: those whose wait had ended as
/// they ended (a deployment that completed stays `deployed`), the others cancelled while in
/// progress, with their last known state.
pub(super) fn cancelled(watches: &[RolloutWatch], last_progress: &LastProgress, waited: Duration) -> RolloutResult {
    let ended = watches
        .iter()
        .map(|watch| {
            last_progress.ended(&watch.service).unwrap_or_else(|| {
                let last = last_progress.of(&watch.service).unwrap_or_else(|| "not polled yet".to_owned());
                let reason = format!("maestro stopped waiting; the deployment goes on (last seen: {last})");
                RolloutEnd {
                    service: watch.service.clone(),
                    state: ServiceState::Cancelled,
                    reason: Some(reason),
                    seconds: waited.as_secs(),
                }
            })
        })
        .collect();
    RolloutResult { ended, polls: 0 }
}

/// Why each failed deployment failed, one line each, prefixed by its service.
pub(super) async fn explain_failures(
    clients: &Clients,
    desired: &DesiredState,
    watches: &[RolloutWatch],
    result: Option<&RolloutResult>,
    waiting: &WaitSettings,
) -> Vec<String> {
    let mut explanations = Vec::new();
    for end in result.iter().flat_map(|result| &result.ended).filter(|end| end.state == ServiceState::Failed) {
        if let Some(watch) = watches.iter().find(|watch| watch.service == end.service) {
            for line in rollout::explain(clients, desired, waiting, &watch.service, &watch.deployment).await {
                explanations.push(format!("{}: {line}", watch.service));
            }
        }
    }
    explanations
}

/// Where the app answers: its host, or its load balancer's DNS name.
pub(super) async fn app_url(clients: &Clients, desired: &DesiredState) -> Option<String> {
    let balancer = desired.load_balancer.as_ref()?;
    let scheme = if balancer.certificate_arn.is_some() { "https" } else { "http" };
    if let Some(host) = &balancer.host {
        return Some(format!("{scheme}://{host}"));
    }
    // An adopted load balancer of the original's keeps the name it cut (provision::adoption).
    let dns_name = crate::engine::load_balancing::dns_name(clients, balancer).await.ok()??;
    Some(format!("{scheme}://{dns_name}"))
}

/// Each planned service as the run left it. `result` is `None` when the run did not wait.
pub(super) fn outcomes(
    desired: &DesiredState,
    changes: &ChangeSet,
    result: Option<&RolloutResult>,
    url: Option<&str>,
) -> Vec<ServiceOutcome> {
    desired
        .services
        .iter()
        .map(|service| {
            let deployment = changes.deployment_of(&service.name);
            let end = result.and_then(|result| result.ended.iter().find(|end| end.service == service.name));
            let (state, reason, seconds) = match (&deployment, end, result) {
                (None, _, _) => (ServiceState::Unchanged, None, 0),
                (Some(_), Some(end), _) => (end.state, end.reason.clone(), end.seconds),
                (Some(_), None, None) => (ServiceState::NotWaited, None, 0),
                (Some(_), None, Some(_)) => (ServiceState::Failed, Some("not followed".to_owned()), 0),
            };
            let task_definition = deployment
                .map(|deployment| deployment.task_definition.clone())
                .or_else(|| changes.task_definition_arn(&service.task_definition).ok())
                .unwrap_or_default();
            ServiceOutcome {
                process: service.process.clone(),
                service: service.name.clone(),
                task_definition,
                image: desired.image.uri.clone(),
                state,
                reason,
                seconds,
                url: service.load_balanced.then(|| url.map(str::to_owned)).flatten(),
            }
        })
        .collect()
}
