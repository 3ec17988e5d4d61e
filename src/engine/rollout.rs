//! Waiting for the services' rollouts: each service's own new deployment, by id, to COMPLETED or
//! FAILED, and its service deployment (a rollback or a stop is a failure with ECS's reason). One
//! DescribeServices call per 10 services and one DescribeServiceDeployments per 20 service
//! deployments per poll, sent together (one round trip); polls back off; each service's
//! status is printed when it changes and at least every MAESTRO_PROGRESS_INTERVAL; its events
//! since the run began updating the services are printed once each, as they happen.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use super::live::View;
use super::task_log;
use crate::aws::Clients;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::backoff::Backoff;
use maestro_core::eventual::SERVICE_VISIBLE;
use maestro_core::naming;
use maestro_core::plan::desired::DesiredState;
use maestro_core::report::stream::StreamEvent;
use maestro_core::rollout::heartbeat::{self, Heartbeat, Rolling};
use maestro_core::rollout::service_deployment::{self, ObservedServiceDeployment, PausedAt};
use maestro_core::rollout::{Followed, Progress, ServiceEvent, ServiceState, events, progress};
use maestro_core::settings::WaitSettings;
use maestro_core::spec::lifecycle_stage;
use maestro_core::text::workflow_command;

/// What the wait has seen so far, readable while (and after) it runs: what a cancelled run
/// reports. Each followed service's last status line, and how those that ended ended.
#[derive(Debug, Default)]
pub(crate) struct LastProgress {
    lines: Mutex<BTreeMap<String, String>>,
    ended: Mutex<Vec<RolloutEnd>>,
}

impl LastProgress {
    fn record(&self, service: &str, line: String) {
        // Plain values: a panic elsewhere while the lock was held leaves nothing half-written.
        self.lines.lock().unwrap_or_else(PoisonError::into_inner).insert(service.to_owned(), line);
    }

    fn finish(&self, end: &RolloutEnd) {
        self.ended.lock().unwrap_or_else(PoisonError::into_inner).push(end.clone());
    }

    /// The last status seen for `service` (`1/2 running, 1 pending (new deployment), 45s`), if
    /// it was polled.
    pub(crate) fn of(&self, service: &str) -> Option<String> {
        self.lines.lock().unwrap_or_else(PoisonError::into_inner).get(service).cloned()
    }

    /// How `service`'s wait ended, if it did before the wait was stopped.
    pub(crate) fn ended(&self, service: &str) -> Option<RolloutEnd> {
        self.ended.lock().unwrap_or_else(PoisonError::into_inner).iter().find(|end| end.service == service).cloned()
    }
}

/// A service whose deployment this run started.
#[derive(Debug, Clone)]
pub(crate) struct RolloutWatch {
    pub service: String,
    pub deployment: String,
    /// Its service deployment, read beside the service each poll: a rollback or a stop fails the
    /// wait with ECS's reason. `None` for tasks coming back after `maestro stop` (a count-only
    /// update starts none, and the current one is an earlier run's).
    pub service_deployment: Option<String>,
    /// The service's deployment circuit breaker is on (without it, maestro judges failed tasks).
    pub circuit_breaker: bool,
    /// It ends when its service deployment does: ECS shifts its traffic (blue-green, canary,
    /// linear), or its early success criteria let ECS call it done before the old tasks drain.
    pub shifting: bool,
    /// The lifecycle stage at which the wait stops (`MAESTRO_WAIT_UNTIL`, ECS's name).
    pub until: Option<&'static str>,
    /// A new deployment, or tasks coming back to a service at zero (after `maestro stop`).
    pub rolling: Rolling,
}

/// How the wait for one service's deployment ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RolloutEnd {
    pub service: String,
    /// `Deployed`, `ScaledFromZero`, `Failed` or `TimedOut` (`Cancelled` when the wait itself is
    /// cancelled).
    pub state: ServiceState,
    pub reason: Option<String>,
    pub seconds: u64,
    /// Where ECS holds it, when it ended `AwaitingApproval`.
    pub paused: Option<PausedAt>,
}

/// How the wait ended: each followed service's end, and the DescribeServices polls it took.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct RolloutResult {
    pub ended: Vec<RolloutEnd>,
    pub polls: u32,
}

/// Follows `watched` until each ends. `since` is when the run began updating the services
/// (milliseconds since the Unix epoch): only events since then are printed. A deployment ECS
/// holds at a PAUSE hook ends the wait as `AwaitingApproval`, unless `hold_at_pause` (then the wait
/// goes on until someone continues or aborts it, or the deploy timeout).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn wait(
    clients: &Clients,
    cluster: &str,
    watched: &[RolloutWatch],
    waiting: &WaitSettings,
    hold_at_pause: bool,
    since: i64,
    unattended: bool,
    last_progress: &LastProgress,
) -> Result<RolloutResult, Failure> {
    let started = Stopwatch::start();
    let view = View::for_wait(unattended, &watched.iter().map(|watch| watch.service.as_str()).collect::<Vec<_>>());
    let timeout = Duration::from_secs(u64::from(waiting.deploy_timeout));
    let mut polls = Backoff::polls(Duration::from_secs_f64(waiting.poll_interval));
    let interval = Duration::from_secs_f64(waiting.progress_interval);
    // Counted from the start: a service's first line comes with its first counts (a change), and
    // one not visible yet is polled at the poll interval, not at once again.
    let mut heartbeats: BTreeMap<&str, Heartbeat> = watched
        .iter()
        .map(|watch| {
            let mut heartbeat = Heartbeat::new(interval);
            heartbeat.beat(Duration::ZERO);
            (watch.service.as_str(), heartbeat)
        })
        .collect();
    let mut pending: Vec<&RolloutWatch> = watched.iter().collect();
    let mut waited = RolloutResult::default();
    let mut seen_events: HashSet<String> = HashSet::new();
    // Every event seen per service: a deployment ECS dropped after a rollback is judged by them.
    let mut history: BTreeMap<&str, Vec<ServiceEvent>> = BTreeMap::new();
    let mut shown: BTreeMap<String, Progress> = BTreeMap::new();
    // Cleared by the first failed read: the deployments alone are then followed, as before.
    let mut service_deployments_readable = true;
    while !pending.is_empty() {
        let names: Vec<String> = pending.iter().map(|watched| watched.service.clone()).collect();
        // The service deployments' ARNs came with the updates: both reads go out together.
        let (rollouts, service_deployments) = tokio::join!(
            clients.ecs.rollouts(cluster, &names),
            read_service_deployments(clients, &pending, &mut service_deployments_readable)
        );
        let rollouts = rollouts?;
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
                waited.ended.push(end(watched, ServiceState::Failed, Some(reason), started, last_progress, &view));
                continue;
            };
            let seen = history.entry(watched.service.as_str()).or_default();
            for event in rollout.events.iter().rev() {
                if seen_events.insert(event.id.clone()) {
                    // An earlier deploy's events are history, not news; they still judge a rollback.
                    if events::is_news(event, since) {
                        // ECS's event text quotes names and reasons it was given: relayed text.
                        let message = workflow_command::inert(&event.message);
                        view.say(|| tracing::info!("{}: {message}", watched.service));
                    }
                    seen.push(event.clone());
                }
            }
            let followed = Followed { deployment_id: &watched.deployment, circuit_breaker: watched.circuit_breaker };
            let ecs_view = watched
                .service_deployment
                .as_ref()
                .and_then(|arn| service_deployments.iter().find(|observed| &observed.arn == arn));
            let now = service_deployment::judge(progress(rollout, followed, seen), ecs_view, watched.shifting);
            let stage = ecs_view.and_then(|observed| observed.stage.as_deref());
            let now = match (now, watched.until.zip(stage)) {
                (Progress::InProgress { .. } | Progress::Shifting { .. }, Some((until, stage)))
                    if lifecycle_stage::position(stage) >= lifecycle_stage::position(until) =>
                {
                    Progress::StageReached { stage: stage.to_owned() }
                }
                (now, _) => now,
            };
            let at = started.elapsed();
            let line = match &now {
                Progress::InProgress { running, pending, desired } => {
                    Some(heartbeat::service_line(&watched.service, *running, *pending, *desired, watched.rolling, at))
                }
                Progress::Shifting { stage } => Some(heartbeat::stage_line(&watched.service, stage, at)),
                Progress::Paused(paused) if hold_at_pause => {
                    Some(heartbeat::paused_line(&watched.service, &paused.stage, at))
                }
                _ => None,
            };
            if let Some(line) = line {
                let heartbeat = heartbeats.entry(watched.service.as_str()).or_insert_with(|| Heartbeat::new(interval));
                view.status(&watched.service, &line);
                // A line when the counts change, and at least every interval when they do not
                // (on a terminal, the live line says it all along).
                if shown.get(&watched.service) != Some(&now) || heartbeat.due(at) {
                    if view.plain() {
                        tracing::info!("{line}");
                    }
                    heartbeat.beat(at);
                    let status = line.split_once(": ").map_or_else(|| line.clone(), |(_, status)| status.to_owned());
                    if shown.get(&watched.service) != Some(&now) {
                        let service = watched.service.clone();
                        crate::event_stream::emit(&StreamEvent::Service { service, status: status.clone() });
                    }
                    last_progress.record(&watched.service, status);
                }
            }
            shown.insert(watched.service.clone(), now.clone());
            let deployed = match watched.rolling {
                Rolling::NewDeployment => ServiceState::Deployed,
                Rolling::ScalingFromZero => ServiceState::ScaledFromZero,
            };
            match now {
                Progress::Completed => waited.ended.push(end(watched, deployed, None, started, last_progress, &view)),
                Progress::Failed(reason) => {
                    waited.ended.push(end(watched, ServiceState::Failed, Some(reason), started, last_progress, &view));
                }
                Progress::Replaced { by } => {
                    let reason = format!("another deployment ({by}) replaced this one before it finished");
                    waited.ended.push(end(watched, ServiceState::Failed, Some(reason), started, last_progress, &view));
                }
                Progress::StageReached { stage } => {
                    let reason =
                        format!("reached {stage} (MAESTRO_WAIT_UNTIL); ECS finishes the deployment on its own");
                    waited.ended.push(end(
                        watched,
                        ServiceState::StageReached,
                        Some(reason),
                        started,
                        last_progress,
                        &view,
                    ));
                }
                Progress::Paused(paused) if !hold_at_pause => {
                    let reason = format!(
                        "paused at {}: `maestro continue` resumes it, `maestro abort` rolls it back",
                        paused.stage
                    );
                    let mut ended =
                        end(watched, ServiceState::AwaitingApproval, Some(reason), started, last_progress, &view);
                    ended.paused = Some(paused);
                    last_progress.finish(&ended);
                    waited.ended.push(ended);
                }
                Progress::InProgress { .. } | Progress::Shifting { .. } | Progress::Paused(_) => still.push(watched),
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
                waited.ended.push(end(watched, ServiceState::TimedOut, Some(reason), started, last_progress, &view));
            }
            break;
        }
        // Polled again by the next heartbeat, so its line tells the counts of that moment.
        let at = started.elapsed();
        let next_line = pending
            .iter()
            .filter_map(|watch| heartbeats.get(watch.service.as_str()))
            .map(|beat| beat.until_due(at))
            .min();
        let wait = polls.next_wait();
        tokio::time::sleep(next_line.map_or(wait, |next_line| wait.min(next_line))).await;
    }
    Ok(waited)
}

/// The service deployments of the `pending` watches that name one. A failed read (a role without
/// `ecs:DescribeServiceDeployments`, an ECS that lacks them) is said once; the wait then follows
/// the deployments alone, as it did before ECS had service deployments.
async fn read_service_deployments(
    clients: &Clients,
    pending: &[&RolloutWatch],
    readable: &mut bool,
) -> Vec<ObservedServiceDeployment> {
    let arns: Vec<String> = pending.iter().filter_map(|watch| watch.service_deployment.clone()).collect();
    if arns.is_empty() || !*readable {
        return Vec::new();
    }
    match clients.ecs.service_deployments(&arns).await {
        Ok(found) => found,
        Err(failure) => {
            *readable = false;
            tracing::warn!("following the deployments without their service deployments: {}", failure.message);
            Vec::new()
        }
    }
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

fn end(
    watched: &RolloutWatch,
    state: ServiceState,
    reason: Option<String>,
    started: Stopwatch,
    last_progress: &LastProgress,
    view: &View,
) -> RolloutEnd {
    let waited = heartbeat::elapsed(started.elapsed());
    view.done(&watched.service);
    crate::event_stream::emit(&StreamEvent::verdict(&watched.service, state));
    view.say(|| match &reason {
        Some(reason) => tracing::warn!("{}: {state}: {reason} ({waited})", watched.service),
        None => tracing::info!("{}: {state} ({waited})", watched.service),
    });
    let end = RolloutEnd {
        service: watched.service.clone(),
        state,
        reason,
        seconds: started.elapsed().as_secs(),
        paused: None,
    };
    if state != ServiceState::AwaitingApproval {
        last_progress.finish(&end);
    }
    end
}
