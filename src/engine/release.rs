//! The release phase: the `release` process as a one-off ECS task, after the task definitions are
//! registered and before any service is touched. Its essential container's exit code gates the
//! deploy (Heroku's contract). The task is followed by `one_off`, which `maestro run` shares.

use std::time::Duration;

use super::one_off::{self, Ended, Followed};
use super::task_log;
use crate::aws::Clients;
use crate::aws::ecs_tasks::TaskLaunch;
use crate::cancel::Cancellation;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::plan::desired::{DesiredState, Release};
use maestro_core::release::{Verdict, verdict};
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
    let what = "the release task";
    // Listening from before RunTask: a job cancelled while the task starts still stops it.
    let mut cancellation = Cancellation::listen();
    super::lease::fence().await?;
    tracing::info!("release: running {task_definition}");
    let watch = Stopwatch::start();
    // On Fargate by launch type, as the release always ran.
    let launch =
        TaskLaunch { cluster, task_definition, network: &release.network, strategy: &[], overrides: None, what };
    let task = clients.ecs.run_task(&launch).await?;
    let followed = Followed {
        cluster,
        task: &task,
        label: "release",
        what,
        timeout: Duration::from_secs(u64::from(waiting.release_timeout)),
        why_stop: "so no later deploy runs a release beside it",
        unless_stopped: "or two releases may run at once",
        again: "before deploying again",
    };
    let ended = tokio::select! {
        ended = one_off::follow(clients, &followed, waiting) => ended?,
        () = cancellation.requested() => Ended::Cancelled,
    };
    let failure = match ended {
        Ended::Stopped(observed) => match verdict(&observed, &release.container) {
            Verdict::Succeeded => {
                tracing::info!("release: done in {}s", watch.elapsed().as_secs());
                return Ok(());
            }
            Verdict::Failed(message) => Failure::new(message),
            // `follow` returns a stopped task only.
            Verdict::Running => Failure::new("the release task was judged before it stopped"),
        },
        Ended::TimedOut { last_status, after } => {
            let failure = Failure::new(format!("the release task was still {last_status} after {}s", after.as_secs()))
                .hint("raise MAESTRO_RELEASE_TIMEOUT if the release is that slow");
            one_off::stop(clients, &followed, "the release timed out (MAESTRO_RELEASE_TIMEOUT)", failure).await
        }
        Ended::Cancelled => {
            let failure = Failure::new("maestro was stopped while the release task ran");
            one_off::stop(clients, &followed, "the deploy was cancelled", failure).await
        }
    };
    Err(with_logs(clients, desired, release, &task, waiting, failure).await)
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
