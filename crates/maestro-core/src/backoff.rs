//! Waits that grow: between polls of a release task, a rollout or a held lease, and between
//! retries of an HTTP request. The first wait is the one asked for; each next one is the last
//! times a growth ratio, never above a ceiling. Computed, never slept: the shell sleeps.

use std::time::Duration;

/// The longest wait between two retries of a call AWS answers "not yet" (eventual consistency).
pub const MAX_POLL: Duration = Duration::from_secs(15);

/// The longest wait between two polls of a rollout, a release task or an abort: a deploy ends
/// within this of ECS finishing it (the rollout floor, docs/rollout-floor.md), and a failure is
/// reported within one poll of ECS reporting it. At one DescribeServices per 10 services, 12
/// calls a minute cost nothing against ECS's request rates.
pub const MAX_ROLLOUT_POLL: Duration = Duration::from_secs(5);

/// An endless sequence of waits; [`Backoff::next_wait`] gives the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    next: Duration,
    ceiling: Duration,
    /// The growth ratio, `numerator / denominator`, kept in integers so the waits are exact.
    numerator: u32,
    denominator: u32,
    /// Waits still to give at their first length before they grow.
    held: u32,
}

impl Backoff {
    /// ECS polls: fast first, since a task often starts or fails in its first seconds (the first
    /// wait twice), then each wait half again as long as the last, up to [`MAX_ROLLOUT_POLL`].
    /// From 1 s: 1, 1, 1.5, 2.25, 3.375, 5, 5 … s.
    pub fn polls(first: Duration) -> Self {
        Self { next: first, ceiling: MAX_ROLLOUT_POLL, numerator: 3, denominator: 2, held: 1 }
    }

    /// Each wait twice the last, up to `ceiling`.
    pub fn doubling(first: Duration, ceiling: Duration) -> Self {
        Self { next: first, ceiling, numerator: 2, denominator: 1, held: 0 }
    }

    /// The wait to use now; the one after it grows.
    pub fn next_wait(&mut self) -> Duration {
        let wait = self.next;
        if self.held > 0 {
            self.held -= 1;
            return wait;
        }
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
    fn polls_are_fast_twice_then_grow_by_half_up_to_five_seconds() {
        let expected = millis(&[1_000, 1_000, 1_500, 2_250, 3_375, 5_000, 5_000]);
        assert_eq!(waits(Backoff::polls(Duration::from_secs(1)), 7), expected);
        let expected = millis(&[2_000, 2_000, 3_000, 4_500, 5_000]);
        assert_eq!(waits(Backoff::polls(Duration::from_secs(2)), 5), expected);
    }

    /// A failure ECS reports is seen at the next poll: never more than 5 s later.
    #[test]
    fn no_poll_waits_longer_than_the_rollout_ceiling_after_the_first() {
        let mut polls = Backoff::polls(Duration::from_secs(1));
        let total: Duration =
            (0..100).map(|_| polls.next_wait()).inspect(|wait| assert!(*wait <= MAX_ROLLOUT_POLL)).sum();
        // 100 polls in under 8.5 minutes: about 12 DescribeServices a minute per 10 services.
        assert!(total <= Duration::from_secs(500), "{total:?}");
    }

    #[test]
    fn the_first_wait_is_the_one_asked_even_above_the_ceiling() {
        assert_eq!(waits(Backoff::polls(Duration::from_secs(40)), 3), millis(&[40_000, 40_000, 5_000]));
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
