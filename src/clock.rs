//! The wall clock, read in one place. Whatever decides on time takes "now" as a value (the core
//! never reads a clock; the HTTP retry policy is handed `now`), so it can be tested at any time.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long something has taken, on the monotonic clock: the waits for ECS and AWS to catch up.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stopwatch(Instant);

impl Stopwatch {
    pub(crate) fn start() -> Self {
        Self(Instant::now())
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

/// Seconds since the Unix epoch: lease expiry, rate-limit resets, GitLab log section stamps.
pub(crate) fn unix_seconds() -> u64 {
    since_epoch().as_secs()
}

/// Milliseconds since the Unix epoch: New Relic's deployment timestamps.
pub(crate) fn unix_millis() -> u64 {
    u64::try_from(since_epoch().as_millis()).unwrap_or(u64::MAX)
}

/// A clock set before 1970 reads as the epoch, as every caller did before this was shared.
fn since_epoch() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_milliseconds_read_the_same_clock() {
        let seconds = unix_seconds();
        let millis = unix_millis();
        // 2023-11-14, well before this code was written: a clock read as zero would fail.
        assert!(seconds > 1_700_000_000, "{seconds}");
        assert!(millis / 1000 >= seconds && millis / 1000 - seconds <= 1, "{seconds} {millis}");
    }

    #[test]
    fn a_stopwatch_counts_from_its_start() {
        let watch = Stopwatch::start();
        std::thread::sleep(Duration::from_millis(5));
        assert!(watch.elapsed() >= Duration::from_millis(5));
    }
}
