//! Waiting for the services' rollouts: each service's own new deployment, by id, to COMPLETED or
//! FAILED. One DescribeServices call per 10 services per poll; polls back off; progress and new
//! service events are reported once each, as they happen.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::task_log;
use crate::aws::Clients;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::backoff::Backoff;
use maestro_core::eventual::SERVICE_VISIBLE;
use maestro_core::naming;
use maestro_core::plan::desired::DesiredState;
use maestro_core::rollout::{Followed, Progress, ServiceEvent, ServiceState, progress};
use maestro_core::settings::WaitSettings;
use maestro_core::text::workflow_command;

/// The last progress line of each followed service ("2/3 tasks running, 1 pending"), readable
/// while (and after) the wait runs: what a cancelled run reports.
#[derive(Debug, Default)]
pub(crate) struct LastProgress(Mutex<BTreeMap<String, String>>);

impl LastProgress {
    fn record(&self, service: &str, line: String) {
        // Plain strings: a panic elsewhere while the lock was held leaves nothing half-written.
        self.0.lock().unwrap_or_else(PoisonError::into_inner).insert(service.to_owned(), line);
    }

    /// The last line seen for `service`, if it was polled.
    pub(crate) fn of(&self, service: &str) -> Option<String> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).get(service).cloned()
    }
}

/// A service whose deployment this run started.
#[derive(Debug, Clone)]
pub(crate) struct RolloutWatch {
    pub service: String,
    pub deployment: String,
    /// The service's deployment circuit breaker is on (without it, maestro judges failed tasks).
    pub circuit_breaker: bool,
}

/// How the wait for one service's deployment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RolloutEnd {
    pub service: String,
    /// `Deployed`, `Failed` or `TimedOut` (`Cancelled` when the wait itself is cancelled).
    pub state: ServiceState,
    pub reason: Option<String>,
    pub seconds: u64,
}

/// How the wait ended: each followed service's end, and the DescribeServices polls it took.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct RolloutResult {
    pub ended: Vec<RolloutEnd>,
    pub polls: u32,
}

pub(crate) async fn wait(
    clients: &Clients,
    cluster: &str,
    watched: &[RolloutWatch],
    waiting: &WaitSettings,
    last_progress: &LastProgress,
) -> Result<RolloutResult, Failure> {
    let started = Stopwatch::start();
    let timeout = Duration::from_secs(u64::from(waiting.deploy_timeout));
    let mut polls = Backoff::polls(Duration::from_secs_f64(waiting.poll_interval));
    let mut pending: Vec<&RolloutWatch> = watched.iter().collect();
    let mut waited = RolloutResult::default();
    let mut seen_events: HashSet<String> = HashSet::new();
    // Every event seen per service: a deployment ECS dropped after a rollback is judged by them.
    let mut history: BTreeMap<&str, Vec<ServiceEvent>> = BTreeMap::new();
    let mut shown: BTreeMap<String, Progress> = BTreeMap::new();
    while !pending.is_empty() {
        let names: Vec<String> = pending.iter().map(|watched| watched.service.clone()).collect();
        let rollouts = clients.ecs.rollouts(cluster, &names).await?;
        waited.polls += 1;
        let mut still = Vec::new();
        for watched in pending {
            let Some(rollout) = rollouts.iter().find(|rollout| rollout.service == watched.service) else {
                // MISSING: a service just created may not be visible yet (eventual consistency).
                if started.elapsed() < SERVICE_VISIBLE {
                    still.push(watched);
                    continue;
                }
                let reason =
                    format!("ECS does not know the service ({}s after it was deployed)", started.elapsed().as_secs());
                waited.ended.push(end(watched, ServiceState::Failed, Some(reason), started));
                continue;
            };
            let seen = history.entry(watched.service.as_str()).or_default();
            for event in rollout.events.iter().rev() {
                if seen_events.insert(event.id.clone()) {
                    // ECS's event text quotes names and reasons it was given: relayed text.
                    tracing::info!("{}: {}", watched.service, workflow_command::inert(&event.message));
                    seen.push(event.clone());
                }
            }
            let followed = Followed { deployment_id: &watched.deployment, circuit_breaker: watched.circuit_breaker };
            let now = progress(rollout, followed, seen);
            if shown.get(&watched.service) != Some(&now) {
                if let Progress::InProgress { running, pending, desired } = &now {
                    let state = format!("{running}/{desired} tasks running, {pending} pending");
                    tracing::info!("{}: {state}", watched.service);
                    last_progress.record(&watched.service, state);
                }
                shown.insert(watched.service.clone(), now.clone());
            }
            match now {
                Progress::Completed => waited.ended.push(end(watched, ServiceState::Deployed, None, started)),
                Progress::Failed(reason) => {
                    waited.ended.push(end(watched, ServiceState::Failed, Some(reason), started));
                }
                Progress::Replaced { by } => {
                    let reason = format!("another deployment ({by}) replaced this one before it finished");
                    waited.ended.push(end(watched, ServiceState::Failed, Some(reason), started));
                }
                Progress::InProgress { .. } => still.push(watched),
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        if started.elapsed() >= timeout {
            for watched in pending {
                let reason =
                    format!("not finished after {}s (MAESTRO_DEPLOY_TIMEOUT); ECS goes on with it", timeout.as_secs());
                waited.ended.push(end(watched, ServiceState::TimedOut, Some(reason), started));
            }
            break;
        }
        tokio::time::sleep(polls.next_wait()).await;
    }
    Ok(waited)
}

/// Why a failed deployment failed: its stopped tasks' reasons, and the end of the first one's log.
/// When they cannot be read, the explanation says so and why.
pub(crate) async fn explain(
    clients: &Clients,
    desired: &DesiredState,
    waiting: &WaitSettings,
    service: &str,
    deployment: &str,
) -> Vec<String> {
    let tasks = match clients.ecs.stopped_tasks(&desired.cluster.name, service, deployment, 3).await {
        Ok(tasks) => tasks,
        Err(failure) => return vec![format!("its stopped tasks could not be read: {}", failure.message)],
    };
    if tasks.is_empty() {
        return vec!["ECS lists no stopped task of this deployment (a task that never started has none)".to_owned()];
    }
    let family =
        desired.services.iter().find(|candidate| candidate.name == service).map(|planned| &planned.task_definition);
    let mut lines = Vec::new();
    for (index, (arn, task)) in tasks.iter().enumerate() {
        let task_id = naming::task_id(arn);
        let exits: Vec<String> = task
            .containers
            .iter()
            .map(|container| match container.exit_code {
                Some(code) => format!("{} exited {code}", container.name),
                None => format!("{} {}", container.name, container.reason.as_deref().unwrap_or("did not start")),
            })
            .collect();
        // The stopped reason can carry the app's words (a health check's output): relayed text.
        lines.push(workflow_command::inert(&format!(
            "stopped task {task_id}: {}: {} ({})",
            task.stop_code.as_deref().unwrap_or("no stop code"),
            task.stopped_reason.as_deref().unwrap_or("no reason given"),
            exits.join(", ")
        )));
        if let (0, Some(family)) = (index, family) {
            for line in task_log::tail(clients, desired, waiting, family, arn, 10).await {
                lines.push(format!("  {line}"));
            }
        }
    }
    lines
}

fn end(watched: &RolloutWatch, state: ServiceState, reason: Option<String>, started: Stopwatch) -> RolloutEnd {
    match &reason {
        Some(reason) => tracing::warn!("{}: {state}: {reason}", watched.service),
        None => tracing::info!("{}: {state}", watched.service),
    }
    RolloutEnd { service: watched.service.clone(), state, reason, seconds: started.elapsed().as_secs() }
}
