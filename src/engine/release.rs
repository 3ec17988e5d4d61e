//! The release phase: the `release` process as a one-off ECS task, after the task definitions are
//! registered and before any service is touched. Its essential container's exit code gates the
//! deploy (Heroku's contract).

use std::time::Duration;

use super::task_log;
use crate::aws::Clients;
use crate::cancel::Cancellation;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::backoff::Backoff;
use maestro_core::eventual::TASK_VISIBLE;
use maestro_core::plan::desired::{DesiredState, Release};
use maestro_core::release::{Verdict, verdict};
use maestro_core::rollout::heartbeat::{Heartbeat, release_line};
use maestro_core::settings::WaitSettings;

const LOG_LINES: i32 = 20;

/// Runs the release task of `task_definition` and waits for it; any outcome but exit 0 fails.
/// A task maestro stops waiting for (timed out, or the CI cancelled the job) is stopped, so the
/// next deploy never runs its release beside this one (two migrations at once).
pub(crate) async fn run(
    clients: &Clients,
    desired: &DesiredState,
    release: &Release,
    task_definition: &str,
    waiting: &WaitSettings,
) -> Result<(), Failure> {
    let cluster = &desired.cluster.name;
    let network = &release.network;
    // Listening from before RunTask: a job cancelled while the task starts still stops it.
    let mut cancellation = Cancellation::listen();
    super::lease::fence().await?;
    tracing::info!("release: running {task_definition}");
    let task = clients.ecs.run_task(cluster, task_definition, &network.subnets, &network.security_groups).await?;
    let ended = tokio::select! {
        ended = follow(clients, cluster, release, &task, waiting) => ended?,
        () = cancellation.requested() => Ended::Cancelled,
    };
    let failure = match ended {
        Ended::Succeeded => return Ok(()),
        Ended::Failed(message) => Failure::new(message),
        Ended::TimedOut { last_status, after } => {
            let failure = Failure::new(format!("the release task was still {last_status} after {}s", after.as_secs()))
                .hint("raise MAESTRO_RELEASE_TIMEOUT if the release is that slow");
            stop(clients, cluster, &task, "the release timed out (MAESTRO_RELEASE_TIMEOUT)", failure).await
        }
        Ended::Cancelled => {
            let failure = Failure::new("maestro was stopped while the release task ran");
            stop(clients, cluster, &task, "the deploy was cancelled", failure).await
        }
    };
    Err(with_logs(clients, desired, release, &task, waiting, failure).await)
}

/// How following the release task ended.
enum Ended {
    Succeeded,
    Failed(String),
    TimedOut { last_status: String, after: Duration },
    Cancelled,
}

/// Polls the task until it stops or `MAESTRO_RELEASE_TIMEOUT` runs out.
async fn follow(
    clients: &Clients,
    cluster: &str,
    release: &Release,
    task: &str,
    waiting: &WaitSettings,
) -> Result<Ended, Failure> {
    let watch = Stopwatch::start();
    let timeout = Duration::from_secs(u64::from(waiting.release_timeout));
    // Polls start at the configured interval and back off to `backoff::MAX_POLL`. The first is
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
                return Err(Failure::new(format!("ECS does not know the release task {task}"))
                    .detail(format!("DescribeTasks answered MISSING {}s after RunTask started it", waited.as_secs()))
                    .hint("look the task up in the ECS console; if it runs, let it finish before deploying again"));
            }
            if waited >= timeout {
                let last_status = "not visible to DescribeTasks yet".to_owned();
                return Ok(Ended::TimedOut { last_status, after: timeout });
            }
            if heartbeat.due(waited) {
                tracing::info!("{}", release_line(&last_status, waited));
                heartbeat.beat(waited);
            }
            continue;
        };
        seen = true;
        let at = watch.elapsed();
        // A line when the task's state changes, and at least every interval when it does not.
        if observed.last_status != last_status || heartbeat.due(at) {
            tracing::info!("{}", release_line(&observed.last_status, at));
            heartbeat.beat(at);
            last_status.clone_from(&observed.last_status);
        }
        match verdict(&observed, &release.container) {
            Verdict::Succeeded => {
                tracing::info!("release: done in {}s", watch.elapsed().as_secs());
                return Ok(Ended::Succeeded);
            }
            Verdict::Failed(message) => return Ok(Ended::Failed(message)),
            Verdict::Running if watch.elapsed() >= timeout => {
                return Ok(Ended::TimedOut { last_status, after: timeout });
            }
            Verdict::Running => {}
        }
    }
}

/// Stops the task maestro gave up on, and says so in `failure`.
async fn stop(clients: &Clients, cluster: &str, task: &str, reason: &str, failure: Failure) -> Failure {
    match clients.ecs.stop_task(cluster, task, &format!("maestro: {reason}")).await {
        Ok(()) => {
            tracing::warn!("release: stopped task {task}: {reason}");
            failure.detail("maestro stopped the release task, so no later deploy runs a release beside it")
        }
        Err(error) => failure
            .detail(format!("maestro could not stop the release task: {}", error.message))
            .detail("stop it in the ECS console before deploying again, or two releases may run at once"),
    }
}

/// The end of the task's log, so the reason is on the CI page, not only in CloudWatch.
async fn with_logs(
    clients: &Clients,
    desired: &DesiredState,
    release: &Release,
    task: &str,
    waiting: &WaitSettings,
    failure: Failure,
) -> Failure {
    let lines = task_log::tail(clients, desired, waiting, &release.family, task, LOG_LINES).await;
    let mut failure = failure.detail(format!("task {task}"));
    if lines.is_empty() {
        failure =
            failure.detail("no log lines (the log stream is empty, or MAESTRO_NO_LOG or MAESTRO_NO_LOG_TAIL is set)");
    } else {
        failure = failure.detail(format!("the last {} log lines:", lines.len()));
        for line in lines {
            failure = failure.detail(format!("  {line}"));
        }
    }
    match failure.hint {
        // A timeout's own hint says more than the generic one.
        Some(_) => failure.detail("no service was updated"),
        None => failure.hint("no service was updated: fix the release (usually the migrations) and deploy again"),
    }
}
