//! The release phase: the `release` process as a one-off ECS task, after the task definitions are
//! registered and before any service is touched. Its essential container's exit code gates the
//! deploy (Heroku's contract).

use std::time::{Duration, Instant};

use super::task_log;
use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::backoff::Backoff;
use maestro_core::plan::desired::{DesiredState, Release};
use maestro_core::release::{Verdict, verdict};
use maestro_core::settings::WaitSettings;

const LOG_LINES: i32 = 20;

/// Runs the release task of `task_definition` and waits for it; any outcome but exit 0 fails.
pub(crate) async fn run(
    clients: &Clients,
    desired: &DesiredState,
    release: &Release,
    task_definition: &str,
    waiting: &WaitSettings,
) -> Result<(), Failure> {
    let cluster = &desired.cluster.name;
    let network = &release.network;
    tracing::info!("release: running {task_definition}");
    let task = clients.ecs.run_task(cluster, task_definition, &network.subnets, &network.security_groups).await?;
    let started = Instant::now();
    let timeout = Duration::from_secs(u64::from(waiting.release_timeout));
    // Polls start at the configured interval and back off to `backoff::MAX_POLL`.
    let mut polls = Backoff::polls(Duration::from_secs_f64(waiting.poll_interval));
    let mut last_status = String::new();
    loop {
        let observed = clients.ecs.task(cluster, &task).await?;
        if observed.last_status != last_status {
            tracing::info!("release: task {}", observed.last_status);
            last_status.clone_from(&observed.last_status);
        }
        match verdict(&observed, &release.container) {
            Verdict::Succeeded => {
                tracing::info!("release: done in {}s", started.elapsed().as_secs());
                return Ok(());
            }
            Verdict::Failed(message) => {
                return Err(with_logs(clients, desired, release, &task, Failure::new(message)).await);
            }
            Verdict::Running if started.elapsed() >= timeout => {
                let failure = Failure::new(format!("the release task was still {last_status} after {}s", timeout.as_secs()))
                    .hint("raise MAESTRO_RELEASE_TIMEOUT if the release is that slow; the task keeps running, stop it in the ECS console if needed");
                return Err(with_logs(clients, desired, release, &task, failure).await);
            }
            Verdict::Running => tokio::time::sleep(polls.next_wait()).await,
        }
    }
}

/// The end of the task's log, so the reason is on the CI page, not only in CloudWatch.
async fn with_logs(
    clients: &Clients,
    desired: &DesiredState,
    release: &Release,
    task: &str,
    failure: Failure,
) -> Failure {
    let lines = task_log::tail(clients, desired, &release.family, task, LOG_LINES).await;
    let mut failure = failure.detail(format!("task {task}"));
    if lines.is_empty() {
        failure = failure.detail("no log lines (the log stream is empty, or MAESTRO_NO_LOG is set)");
    } else {
        failure = failure.detail(format!("the last {} log lines:", lines.len()));
        for line in lines {
            failure = failure.detail(format!("  {line}"));
        }
    }
    failure.hint("no service was updated: fix the release (usually the migrations) and deploy again")
}
