//! A one-off ECS task followed to its end, shared by the release phase and `maestro run`: polled
//! with back-off (a status line whenever its state changes, and at least every
//! MAESTRO_PROGRESS_INTERVAL), and stopped (StopTask) when maestro gives up on it, so it never
//! runs on unwatched (two migrations at once).

use std::time::Duration;

use crate::aws::Clients;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::backoff::Backoff;
use maestro_core::eventual::TASK_VISIBLE;
use maestro_core::release::ObservedTask;
use maestro_core::rollout::heartbeat::{Heartbeat, task_line};
use maestro_core::settings::WaitSettings;

/// The task to follow.
pub(super) struct Followed<'a> {
    pub cluster: &'a str,
    pub task: &'a str,
    /// The status lines' label: `release`, `run`.
    pub label: &'static str,
    /// What the task is, for messages: `the release task`.
    pub what: &'a str,
    pub timeout: Duration,
    /// Why maestro stops a task it gave up on: `so no later deploy runs a release beside it`.
    pub why_stop: &'a str,
    /// What happens if it cannot: `or two releases may run at once`.
    pub unless_stopped: &'a str,
    /// When the user may run it again: `before deploying again`.
    pub again: &'a str,
}

/// How following a task ended.
pub(super) enum Ended {
    /// The task stopped; the caller judges it by its essential container.
    Stopped(ObservedTask),
    TimedOut {
        last_status: String,
        after: Duration,
    },
    /// The CI cancelled the job, or the user pressed Ctrl-C (the caller races `follow` with it).
    Cancelled,
}

/// Polls the task until it stops or `timeout` runs out.
pub(super) async fn follow(
    clients: &Clients,
    followed: &Followed<'_>,
    waiting: &WaitSettings,
) -> Result<Ended, Failure> {
    let (cluster, task, label) = (followed.cluster, followed.task, followed.label);
    let watch = Stopwatch::start();
    // Polls start at the configured interval and back off to `backoff::MAX_ROLLOUT_POLL`. The first is
    // waited too: a task RunTask has just started is rarely visible at once.
    let mut polls = Backoff::polls(Duration::from_secs_f64(waiting.poll_interval));
    let mut last_status = String::new();
    let mut seen = false;
    let mut heartbeat = Heartbeat::new(Duration::from_secs_f64(waiting.progress_interval));
    // RunTask's own line counts as the first: the first poll is waited for.
    heartbeat.beat(Duration::ZERO);
    loop {
        // Polled again by the next heartbeat at the latest, so its line tells the task's state then.
        tokio::time::sleep(polls.next_wait().min(heartbeat.until_due(watch.elapsed()))).await;
        let Some(observed) = clients.ecs.task(cluster, task).await? else {
            // MISSING: not visible yet (eventual consistency), unless it was seen before or
            // should have been visible long ago.
            let waited = watch.elapsed();
            if seen || waited >= TASK_VISIBLE {
                return Err(Failure::new(format!("ECS does not know {} {task}", followed.what))
                    .detail(format!("DescribeTasks answered MISSING {}s after RunTask started it", waited.as_secs()))
                    .hint(format!(
                        "look the task up in the ECS console; if it runs, let it finish {}",
                        followed.again
                    )));
            }
            if waited >= followed.timeout {
                let last_status = "not visible to DescribeTasks yet".to_owned();
                return Ok(Ended::TimedOut { last_status, after: followed.timeout });
            }
            if heartbeat.due(waited) {
                tracing::info!("{}", task_line(label, &last_status, waited));
                heartbeat.beat(waited);
            }
            continue;
        };
        seen = true;
        let at = watch.elapsed();
        // A line when the task's state changes, and at least every interval when it does not.
        if observed.last_status != last_status || heartbeat.due(at) {
            tracing::info!("{}", task_line(label, &observed.last_status, at));
            heartbeat.beat(at);
            last_status.clone_from(&observed.last_status);
        }
        if observed.last_status == "STOPPED" {
            return Ok(Ended::Stopped(observed));
        }
        if at >= followed.timeout {
            return Ok(Ended::TimedOut { last_status, after: followed.timeout });
        }
    }
}

/// Stops the task maestro gave up on, and says so in `failure`.
pub(super) async fn stop(clients: &Clients, followed: &Followed<'_>, reason: &str, failure: Failure) -> Failure {
    let (what, task) = (followed.what, followed.task);
    match clients.ecs.stop_task(followed.cluster, task, &format!("maestro: {reason}")).await {
        Ok(()) => {
            tracing::warn!("{}: stopped task {task}: {reason}", followed.label);
            failure.detail(format!("maestro stopped {what}, {}", followed.why_stop))
        }
        Err(error) => failure
            .detail(format!("maestro could not stop {what}: {}", error.message))
            .detail(format!("stop it in the ECS console {}, {}", followed.again, followed.unless_stopped)),
    }
}
