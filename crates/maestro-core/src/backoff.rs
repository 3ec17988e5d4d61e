//! Waits that grow: between polls of a release task, a rollout or a held lease, and between
//! retries of an HTTP request. The first wait is the one asked for; each next one is the last
//! times a growth ratio, never above a ceiling. Computed, never slept: the shell sleeps.

use std::time::Duration;

/// The longest wait between two polls of ECS (a release task, the services' rollouts): slow
/// rollouts are still seen within seconds of finishing.
pub const MAX_POLL: Duration = Duration::from_secs(15);

/// An endless sequence of waits; [`Backoff::next_wait`] gives the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
    ceiling: Duration,
    /// The growth ratio, `numerator / denominator`, kept in integers so the waits are exact.
    numerator: u32,
    denominator: u32,
}

impl Backoff {
    /// ECS polls: each wait half again as long as the last, up to [`MAX_POLL`].
    pub fn polls(first: Duration) -> Self {
        Self { next: first, ceiling: MAX_POLL, numerator: 3, denominator: 2 }
    }

    /// Each wait twice the last, up to `ceiling`.
    pub fn doubling(first: Duration, ceiling: Duration) -> Self {
        Self { next: first, ceiling, numerator: 2, denominator: 1 }
    }

    /// The wait to use now; the one after it grows.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        // A wait too long to multiply is past any ceiling.
        let grown = wait.checked_mul(self.numerator).map_or(self.ceiling, |grown| grown / self.denominator);
        self.next = grown.min(self.ceiling);
        wait
    }

    /// The wait after `index` others (`0` is the first), leaving `self` as it is.
    pub fn nth_wait(&self, index: u32) -> Duration {
        let mut waits = self.clone();
        for _ in 0..index {
            waits.next_wait();
        }
        waits.next_wait()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waits(mut backoff: Backoff, count: usize) -> Vec<Duration> {
        (0..count).map(|_| backoff.next_wait()).collect()
    }

    fn millis(values: &[u64]) -> Vec<Duration> {
        values.iter().copied().map(Duration::from_millis).collect()
    }

    #[test]
    fn polls_grow_by_half_up_to_fifteen_seconds() {
        let expected = millis(&[5_000, 7_500, 11_250, 15_000, 15_000]);
        assert_eq!(waits(Backoff::polls(Duration::from_secs(5)), 5), expected);
        assert_eq!(waits(Backoff::polls(Duration::from_secs(1)), 3), millis(&[1_000, 1_500, 2_250]));
    }

    #[test]
    fn the_first_wait_is_the_one_asked_even_above_the_ceiling() {
        assert_eq!(waits(Backoff::polls(Duration::from_secs(40)), 3), millis(&[40_000, 15_000, 15_000]));
        assert_eq!(
            waits(Backoff::doubling(Duration::MAX, Duration::from_secs(5)), 2),
            [Duration::MAX, Duration::from_secs(5)]
        );
    }

    #[test]
    fn doubling_stops_at_its_ceiling() {
        let backoff = Backoff::doubling(Duration::from_millis(500), Duration::from_secs(5));
        assert_eq!(waits(backoff, 6), millis(&[500, 1_000, 2_000, 4_000, 5_000, 5_000]));
    }

    #[test]
    fn nth_wait_skips_without_advancing() {
        let backoff = Backoff::doubling(Duration::from_millis(250), Duration::from_secs(60));
        assert_eq!(backoff.nth_wait(0), Duration::from_millis(250));
        assert_eq!(backoff.nth_wait(2), Duration::from_secs(1));
    }

    #[test]
    fn a_zero_wait_stays_zero() {
        assert_eq!(waits(Backoff::polls(Duration::ZERO), 3), [Duration::ZERO; 3]);
    }
}
