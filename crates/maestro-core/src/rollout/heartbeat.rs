//! What a wait prints, and when: a status line whenever something changes, and at least every
//! `MAESTRO_PROGRESS_INTERVAL` seconds when nothing does, so a long wait never looks hung in a CI
//! log (a ten-minute silence reads as a stuck job). The times are durations since the wait began,
//! handed in by the caller: the core reads no clock.

use std::time::Duration;

/// When the next status line of one wait (a service's rollout, the release task, the lease) is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat {
    interval: Duration,
    /// When the last line was printed; `None` before the first.
    last: Option<Duration>,
}

impl Heartbeat {
    pub fn new(interval: Duration) -> Self {
        Self { interval, last: None }
    }

    /// A line is due at `now`: none was printed yet, or the interval has passed since the last.
    pub fn due(&self, now: Duration) -> bool {
        self.last.is_none_or(|last| now.saturating_sub(last) >= self.interval)
    }

    /// A line was printed at `now`.
    pub fn beat(&mut self, now: Duration) {
        self.last = Some(now);
    }

    /// How long from `now` until the next line is due (zero when it is due already): the caller
    /// polls again by then, so the line it prints is fresh, not a repeat of an old answer. An
    /// interval of zero (a line at every poll) paces nothing: `Duration::MAX`.
    pub fn until_due(&self, now: Duration) -> Duration {
        match self.last {
            _ if self.interval.is_zero() => Duration::MAX,
            None => Duration::ZERO,
            Some(last) => (last + self.interval).saturating_sub(now),
        }
    }
}

/// What a service's followed deployment is doing, said after its counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rolling {
    /// The run started a new deployment (a new revision, or another change ECS rolls out).
    NewDeployment,
    /// The run raised a service at zero tasks (after `maestro stop`) back to its count.
    ScalingFromZero,
}

impl Rolling {
    fn as_str(self) -> &'static str {
        match self {
            Self::NewDeployment => "new deployment",
            Self::ScalingFromZero => "scaling from 0",
        }
    }
}

/// A service's status line: `web: 1/2 running, 1 pending (new deployment), 45s`.
pub fn service_line(
    service: &str,
    running: u32,
    pending: u32,
    desired: u32,
    rolling: Rolling,
    waited: Duration,
) -> String {
    format!("{service}: {running}/{desired} running, {pending} pending ({}), {}", rolling.as_str(), elapsed(waited))
}

/// A blue-green, canary or linear deploy's line once its tasks run: where ECS is with the
/// traffic (`web: 3/3 running, ECS at PRODUCTION_TRAFFIC_SHIFT, 4m10s`).
pub fn stage_line(service: &str, stage: &str, waited: Duration) -> String {
    format!("{service}: new tasks running, ECS at {stage}, {}", elapsed(waited))
}

/// A deploy ECS holds at a PAUSE hook.
pub fn paused_line(service: &str, stage: &str, waited: Duration) -> String {
    format!(
        "{service}: paused at {stage}, awaiting approval (`maestro continue` or `maestro abort`), {}",
        elapsed(waited)
    )
}

/// The release task's status line: `release: task RUNNING, 1m05s`.
pub fn release_line(last_status: &str, waited: Duration) -> String {
    task_line("release", last_status, waited)
}

/// A one-off task's status line, `label` saying which (`release`, `run`).
pub fn task_line(label: &str, last_status: &str, waited: Duration) -> String {
    let status = if last_status.is_empty() { "not visible to DescribeTasks yet" } else { last_status };
    format!("{label}: task {status}, {}", elapsed(waited))
}

/// A duration as people read it in a log: `45s`, `2m10s`, `1h02m05s`.
pub fn elapsed(waited: Duration) -> String {
    let seconds = waited.as_secs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}s"),
        (0, _) => format!("{minutes}m{seconds:02}s"),
        _ => format!("{hours}h{minutes:02}m{seconds:02}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn a_line_is_due_first_and_then_once_per_interval() {
        let mut heartbeat = Heartbeat::new(15 * SECOND);
        assert!(heartbeat.due(Duration::ZERO), "the first line is due at once");
        assert_eq!(heartbeat.until_due(3 * SECOND), Duration::ZERO);
        heartbeat.beat(2 * SECOND);
        assert!(!heartbeat.due(16 * SECOND));
        assert_eq!(heartbeat.until_due(10 * SECOND), 7 * SECOND);
        assert!(heartbeat.due(17 * SECOND));
        assert_eq!(heartbeat.until_due(40 * SECOND), Duration::ZERO, "an overdue line is due now");
    }

    #[test]
    fn an_interval_of_zero_makes_every_poll_print_and_paces_nothing() {
        let mut heartbeat = Heartbeat::new(Duration::ZERO);
        heartbeat.beat(5 * SECOND);
        assert!(heartbeat.due(5 * SECOND));
        assert_eq!(heartbeat.until_due(5 * SECOND), Duration::MAX, "the polls keep their own pace");
    }

    #[test]
    fn lines_say_counts_what_rolls_and_the_time_waited() {
        assert_eq!(
            service_line("web", 1, 1, 2, Rolling::NewDeployment, 45 * SECOND),
            "web: 1/2 running, 1 pending (new deployment), 45s"
        );
        assert_eq!(
            service_line("worker", 0, 1, 1, Rolling::ScalingFromZero, 130 * SECOND),
            "worker: 0/1 running, 1 pending (scaling from 0), 2m10s"
        );
        assert_eq!(release_line("PROVISIONING", 5 * SECOND), "release: task PROVISIONING, 5s");
        assert_eq!(release_line("", SECOND), "release: task not visible to DescribeTasks yet, 1s");
        assert_eq!(task_line("run", "RUNNING", 65 * SECOND), "run: task RUNNING, 1m05s");
        assert_eq!(stage_line("web", "BAKE_TIME", 250 * SECOND), "web: new tasks running, ECS at BAKE_TIME, 4m10s");
        assert_eq!(
            paused_line("web", "PRE_PRODUCTION_TRAFFIC_SHIFT", 5 * SECOND),
            "web: paused at PRE_PRODUCTION_TRAFFIC_SHIFT, awaiting approval (`maestro continue` or `maestro abort`), 5s"
        );
    }

    #[test]
    fn elapsed_time_reads_in_seconds_minutes_and_hours() {
        let texts: Vec<String> = [0, 59, 60, 605, 3600, 3725].map(|seconds| elapsed(seconds * SECOND)).to_vec();
        assert_eq!(texts, ["0s", "59s", "1m00s", "10m05s", "1h00m00s", "1h02m05s"]);
    }
}
