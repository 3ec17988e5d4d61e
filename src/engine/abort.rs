//! `maestro abort`'s reads and writes, and the rollback a deploy cancelled with
//! `MAESTRO_ABORT_ON_CANCEL=true` makes: each in-flight service deployment stopped with
//! `ROLLBACK`, then waited for until ECS says how the rollback ended. No lease: the deploy whose
//! deployments are rolled back holds it (abort is how one stops it from outside).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use super::rollout::RolloutEnd;
use crate::aws::Clients;
use crate::aws::ecs_service_deployments::PauseAction;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::abort::{self, Abort, Untouched};
use maestro_core::backoff::Backoff;
use maestro_core::plan::desired::DesiredState;
use maestro_core::rollout::service_deployment::ObservedServiceDeployment;
use maestro_core::rollout::{ServiceState, events};
use maestro_core::settings::WaitSettings;
use maestro_core::text::workflow_command;

/// What to roll back of the environment: each planned service's current service deployment, judged.
pub(crate) async fn select(clients: &Clients, desired: &DesiredState) -> Result<(Vec<Abort>, Vec<Untouched>), Failure> {
    Ok(abort::select(desired, &current(clients, desired).await?))
}

/// Each planned service's current service deployment (`None`: missing, or none ECS names).
pub(crate) async fn current(
    clients: &Clients,
    desired: &DesiredState,
) -> Result<BTreeMap<String, Option<ObservedServiceDeployment>>, Failure> {
    let names: Vec<String> = desired.services.iter().map(|service| service.name.clone()).collect();
    let current = clients.ecs.current_service_deployments(&desired.cluster.name, &names).await?;
    let arns: Vec<String> = current.values().flatten().cloned().collect();
    let found = if arns.is_empty() { Vec::new() } else { clients.ecs.service_deployments(&arns).await? };
    let observed: BTreeMap<String, Option<ObservedServiceDeployment>> = current
        .into_iter()
        .map(|(service, arn)| {
            let observed = arn.and_then(|arn| found.iter().find(|found| found.arn == arn).cloned());
            (service, observed)
        })
        .collect();
    Ok(observed)
}

/// Stops each of `aborts` not already rolling back, then waits for every rollback to end (at most
/// MAESTRO_DEPLOY_TIMEOUT). A stop ECS refuses (the deployment finished meanwhile) ends that
/// service with ECS's answer; the others go on. `since`: events from then on are printed.
pub(crate) async fn roll_back(
    clients: &Clients,
    cluster: &str,
    aborts: &[Abort],
    waiting: &WaitSettings,
    since: i64,
) -> Result<Vec<RolloutEnd>, Failure> {
    let started = Stopwatch::start();
    let mut ended = Vec::new();
    let mut pending: Vec<&Abort> = Vec::new();
    for abort in aborts {
        if abort.already_rolling_back {
            tracing::info!("{}: already rolling back; waiting for it", abort.service);
            pending.push(abort);
            continue;
        }
        let rolled = match &abort.paused_hook {
            Some(hook) => clients.ecs.resolve_pause(&abort.service_deployment, hook, PauseAction::RollBack).await,
            None => clients.ecs.roll_back_service_deployment(&abort.service_deployment).await,
        };
        match rolled {
            Ok(()) => {
                tracing::info!("{}: rolling back its deployment in progress", abort.service);
                pending.push(abort);
            }
            Err(failure) => ended.push(end(abort, ServiceState::Failed, Some(failure.message), started)),
        }
    }
    let timeout = Duration::from_secs(u64::from(waiting.deploy_timeout));
    let mut polls = Backoff::polls(Duration::from_secs_f64(waiting.poll_interval));
    let mut seen_events: HashSet<String> = HashSet::new();
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    while !pending.is_empty() {
        // The services' events say what ECS does meanwhile (which tasks stop, which start).
        let names: Vec<String> = pending.iter().map(|abort| abort.service.clone()).collect();
        for rollout in clients.ecs.rollouts(cluster, &names).await? {
            for event in rollout.events.iter().rev() {
                if seen_events.insert(event.id.clone()) && events::is_news(event, since) {
                    tracing::info!("{}: {}", rollout.service, workflow_command::inert(&event.message));
                }
            }
        }
        let arns: Vec<String> = pending.iter().map(|abort| abort.service_deployment.clone()).collect();
        let found = clients.ecs.service_deployments(&arns).await?;
        let mut still = Vec::new();
        for abort in pending {
            let Some(observed) = found.iter().find(|found| found.arn == abort.service_deployment) else {
                let reason = "ECS no longer knows the service deployment".to_owned();
                ended.push(end(abort, ServiceState::Failed, Some(reason), started));
                continue;
            };
            if shown.get(&abort.service) != Some(&observed.status) {
                tracing::info!("{}: service deployment {}", abort.service, observed.status);
                shown.insert(abort.service.clone(), observed.status.clone());
            }
            match abort::ended(observed) {
                Some((state, reason)) => ended.push(end(abort, state, reason, started)),
                None => still.push(abort),
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        if started.elapsed() >= timeout {
            for abort in pending {
                let reason = format!(
                    "the rollback had not ended after {}s (MAESTRO_DEPLOY_TIMEOUT); ECS goes on with it",
                    timeout.as_secs()
                );
                ended.push(end(abort, ServiceState::TimedOut, Some(reason), started));
            }
            break;
        }
        tokio::time::sleep(polls.next_wait()).await;
    }
    Ok(ended)
}

fn end(abort: &Abort, state: ServiceState, reason: Option<String>, started: Stopwatch) -> RolloutEnd {
    match &reason {
        Some(reason) => tracing::warn!("{}: {state}: {reason}", abort.service),
        None => tracing::info!("{}: {state}", abort.service),
    }
    RolloutEnd { service: abort.service.clone(), state, reason, seconds: started.elapsed().as_secs(), paused: None }
}
