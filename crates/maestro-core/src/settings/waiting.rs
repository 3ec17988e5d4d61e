//! How maestro waits for ECS and for other deploys.

use super::reader::Reader;
use crate::input::vars as var;

/// How maestro waits for ECS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitSettings {
    /// The first poll interval, in seconds; it backs off from there.
    pub poll_interval: f64,
    /// The longest silence while waiting, in seconds: a status line is printed at least this often.
    pub progress_interval: f64,
    /// Seconds the release task may run.
    pub release_timeout: u32,
    /// Seconds the services' rollouts may take, together.
    pub deploy_timeout: u32,
    /// Do not wait for rollouts (the original's fire-and-forget).
    pub no_wait: bool,
    /// A deploy whose wait times out or is cancelled rolls its in-flight service deployments back
    /// (StopServiceDeployment `ROLLBACK`) and waits for the rollbacks, as `maestro abort` does.
    pub abort_on_cancel: bool,
    /// Do not copy the end of a failed task's log into the CI log (often read by more people
    /// than the CloudWatch log).
    pub no_log_tail: bool,
    /// Take the deploy lease (one deploy of an app and branch at a time).
    pub lock: bool,
    /// Seconds to wait for another deploy's lease before giving up.
    pub lock_timeout: u32,
    /// Seconds a lease lives without renewal (a killed run's lease is taken over after it).
    pub lock_ttl: u32,
    /// Pace ECS calls at ECS's documented per-account rates (`maestro_core::pacing`); off for an
    /// account whose rates AWS raised, or an emulator that does not throttle.
    pub ecs_pacing: bool,
}

impl WaitSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        Self {
            poll_interval: read
                .checked(
                    var::MAESTRO_POLL_INTERVAL,
                    |text| text.parse::<f64>().is_ok_and(|seconds| seconds > 0.0 && seconds <= 300.0),
                    "a number of seconds from above 0 to 300",
                    "give seconds, fractions allowed, e.g. `5` or `0.5`",
                )
                .and_then(|text| text.parse().ok())
                .unwrap_or(1.0),
            progress_interval: read
                .checked(
                    var::MAESTRO_PROGRESS_INTERVAL,
                    |text| text.parse::<f64>().is_ok_and(|seconds| (0.0..=300.0).contains(&seconds)),
                    "a number of seconds from 0 to 300",
                    "give seconds, fractions allowed, e.g. `15` or `0.5` (0: a line at every poll)",
                )
                .and_then(|text| text.parse().ok())
                .unwrap_or(15.0),
            release_timeout: read.integer(var::MAESTRO_RELEASE_TIMEOUT, 1..=86_400, "seconds").unwrap_or(3600),
            deploy_timeout: read.integer(var::MAESTRO_DEPLOY_TIMEOUT, 1..=86_400, "seconds").unwrap_or(1800),
            no_wait: read.boolean(var::MAESTRO_NO_WAIT),
            abort_on_cancel: read.boolean(var::MAESTRO_ABORT_ON_CANCEL),
            no_log_tail: read.boolean(var::MAESTRO_NO_LOG_TAIL),
            lock: !read.boolean(var::MAESTRO_NO_LOCK),
            lock_timeout: read.integer(var::MAESTRO_LOCK_TIMEOUT, 0..=86_400, "seconds").unwrap_or(1800),
            lock_ttl: read.integer(var::MAESTRO_LOCK_TTL, 2..=3600, "seconds").unwrap_or(120),
            ecs_pacing: !read.boolean(var::MAESTRO_NO_ECS_PACING),
        }
    }
}
