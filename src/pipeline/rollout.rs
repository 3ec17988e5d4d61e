//! The deploy's last phase: waiting for the deployments this run started, and what each service
//! ended as.

use std::time::Duration;

use crate::aws::Clients;
use crate::engine::rollout::{self, LastProgress, RolloutEnd, RolloutResult, RolloutWatch};
use crate::engine::{self, ChangeSet};
use crate::error::Failure;
use maestro_core::abort::Abort;
use maestro_core::plan::desired::DesiredState;
use maestro_core::rollout::heartbeat::Rolling;
use maestro_core::rollout::{AwaitingApproval, Paused, ServiceOutcome, ServiceState, scaled_from_zero};
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
    /// The services ECS holds at the approval pause, when every other one rolled out: the deploy
    /// then ends as `awaiting-approval`.
    pub awaiting_approval: Option<AwaitingApproval>,
}

/// The deployment of each planned service that this run changed; a shifting one's wait stops at
/// `until` (`MAESTRO_WAIT_UNTIL`) when set.
pub(super) fn watches(desired: &DesiredState, changes: &ChangeSet, until: Option<&'static str>) -> Vec<RolloutWatch> {
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
                    // ECS says when a shifting deploy, or a rolling one with early success or
                    // an alarm it watches (and may roll back on after the tasks are up), is done.
                    shifting: service.rollout.is_some() || service.early_success || service.rollback_alarm.is_some(),
                    until: service.rollout.as_ref().and(until),
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
                    paused: None,
                }
            })
        })
        .collect();
    RolloutResult { ended, polls: 0 }
}

/// With MAESTRO_ABORT_ON_CANCEL=true: each service whose wait timed out or was cancelled has its
/// service deployment rolled back (StopServiceDeployment `ROLLBACK`, as `maestro abort`), and the
/// rollbacks are waited for. A service rolled back ends `rolled back` (the deploy still fails);
/// one whose rollback failed keeps its state, with why. The stops are sent first: a job the CI
/// kills before the rollbacks end still leaves them under way.
pub(super) async fn abort_in_flight(
    clients: &Clients,
    desired: &DesiredState,
    watches: &[RolloutWatch],
    result: &mut RolloutResult,
    waiting: &WaitSettings,
    since: i64,
) -> Result<(), Failure> {
    let in_flight = |end: &RolloutEnd| matches!(end.state, ServiceState::TimedOut | ServiceState::Cancelled);
    let aborts: Vec<Abort> = result
        .ended
        .iter()
        .filter(|end| in_flight(end))
        .filter_map(|end| {
            let watch = watches.iter().find(|watch| watch.service == end.service)?;
            let planned = desired.services.iter().find(|service| service.name == end.service)?;
            Some(Abort {
                process: planned.process.clone(),
                service: end.service.clone(),
                service_deployment: watch.service_deployment.clone()?,
                already_rolling_back: false,
                paused_hook: end.paused.as_ref().map(|paused| paused.hook.hook_id.clone()),
            })
        })
        .collect();
    if aborts.is_empty() {
        return Ok(());
    }
    tracing::warn!("MAESTRO_ABORT_ON_CANCEL=true: rolling back the deployments still in progress");
    let rolled = engine::abort::roll_back(clients, &desired.cluster.name, &aborts, waiting, since).await?;
    for end in result.ended.iter_mut().filter(|end| in_flight(end)) {
        let Some(rollback) = rolled.iter().find(|rollback| rollback.service == end.service) else { continue };
        let before = end.reason.clone().unwrap_or_default();
        if rollback.state == ServiceState::RolledBack {
            end.state = ServiceState::RolledBack;
            end.reason =
                Some(format!("{before}; rolled back to the revision that ran before (MAESTRO_ABORT_ON_CANCEL)"));
        } else {
            let why = rollback.reason.as_deref().unwrap_or("no reason given");
            end.reason = Some(format!("{before}; the rollback (MAESTRO_ABORT_ON_CANCEL) did not succeed: {why}"));
        }
        end.seconds += rollback.seconds;
    }
    Ok(())
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

/// Where the app answers: its host, or its load balancer's DNS name (`known`: as the run read it
/// already, else read now).
pub(crate) async fn app_url(clients: &Clients, desired: &DesiredState, known: Option<&str>) -> Option<String> {
    let balancer = desired.load_balancer.as_ref()?;
    let scheme = if balancer.certificate_arn.is_some() { "https" } else { "http" };
    if let Some(host) = &balancer.host {
        return Some(format!("{scheme}://{host}"));
    }
    if let Some(dns_name) = known {
        return Some(format!("{scheme}://{dns_name}"));
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

/// The deploy's pause for approval: each service ECS holds at its hook, with where reviewers try
/// the new revision. `None` when none is paused, or when another service failed (the deploy then
/// failed, whatever waits).
pub(crate) async fn awaiting_approval(
    clients: &Clients,
    desired: &DesiredState,
    outcomes: &[ServiceOutcome],
    result: Option<&RolloutResult>,
) -> Option<AwaitingApproval> {
    let ended = &result?.ended;
    let services: Vec<Paused> = ended
        .iter()
        .filter_map(|end| {
            let paused = end.paused.as_ref()?;
            let planned = desired.services.iter().find(|service| service.name == end.service)?;
            Some(Paused {
                process: planned.process.clone(),
                service: end.service.clone(),
                stage: paused.stage.clone(),
                service_deployment_arn: paused.service_deployment.clone(),
                expires_at: paused.hook.expires_at.clone(),
                timeout_action: paused.hook.timeout_action,
            })
        })
        .collect();
    if services.is_empty() || outcomes.iter().any(|outcome| !outcome.succeeded()) {
        return None;
    }
    Some(AwaitingApproval { services, test_url: test_url(clients, desired).await })
}

/// Where the new revision answers before production traffic reaches it: the test listener, on
/// the app's host or its load balancer's DNS name.
async fn test_url(clients: &Clients, desired: &DesiredState) -> Option<String> {
    let balancer = desired.load_balancer.as_ref()?;
    let dns_name = match &balancer.host {
        Some(_) => None,
        None => crate::engine::load_balancing::dns_name(clients, balancer).await.ok().flatten(),
    };
    maestro_core::provision::traffic::test_url(desired, dns_name.as_deref())
}

/// Runs `main` with `alongside` beside it: `alongside`'s failure ends both at once (its error);
/// else `main`'s result once both are done, so what `alongside` writes is finished either way.
pub(super) async fn beside<T>(
    alongside: impl Future<Output = Result<(), Failure>>,
    main: impl Future<Output = Result<T, crate::error::Error>>,
) -> Result<T, crate::error::Error> {
    let (mut alongside, mut main) = (std::pin::pin!(alongside), std::pin::pin!(main));
    tokio::select! {
        done = &mut alongside => {
            done?;
            main.await
        }
        result = &mut main => {
            alongside.await?;
            result
        }
    }
}
