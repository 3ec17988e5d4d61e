//! Pacing ECS calls at ECS's documented per-account rates ([`ecs_rates`]), so that one process
//! never provokes a throttle and several sharing an account settle on a share of it.
//!
//! A [`Pacer`] keeps one token bucket per category, as ECS does. A call reserves a token before it
//! is sent and waits the time its bucket needs to hold one: tokens may go below zero, so calls
//! reserved together are spaced at the sustained rate, in the order they asked. The pacer cannot
//! see other callers' calls on the account: a throttle says they exist, so the category's bucket
//! is emptied and its refill halved (down to a quarter), and each call that passes gives back an
//! eighth of the full rate (additive increase, multiplicative decrease: callers sharing the
//! bucket converge on their shares of it). The floor is a quarter, not less: the throttles of one
//! burst arrive together and would halve the share to nothing at once, and a caller left at a
//! sixteenth of 1 a second waits 16 s a registration; with more than four callers the SDK's
//! retries absorb the excess (a model of five deploys sharing an account, each registering 11
//! task definitions: 44 s at a quarter, 88 s at an eighth, 176 s at a sixteenth, 35 s the least). Time is a value the caller passes (the time since
//! any fixed instant), so this is computed, never slept.

pub mod ecs_rates;

use std::collections::BTreeMap;
use std::time::Duration;

use ecs_rates::EcsCategory;

/// The smallest share of a category's sustained rate a pacer falls back to after throttles.
const MIN_SHARE: f64 = 1.0 / 4.0;
/// What each call that passes gives back of the share, after a throttle.
const RECOVERY: f64 = 1.0 / 8.0;
/// Added to every wait: ECS's bucket started when the first call arrived, a round trip after the
/// pacer's did, so a call sent at the pacer's exact time could find ECS's token not yet there.
/// One constant shift covers it (the waits of a paced run do not add up margins).
pub const MARGIN: Duration = Duration::from_millis(200);

#[derive(Debug, Clone)]
struct Bucket {
    /// Tokens left at `at`; below zero when calls are waiting for tokens to come.
    tokens: f64,
    at: Duration,
    /// The part of the category's documented rate this caller takes, in (0, 1].
    share: f64,
}

/// The ECS buckets of one account and Region, as one caller sees them.
#[derive(Debug, Clone, Default)]
pub struct Pacer {
    buckets: BTreeMap<EcsCategory, Bucket>,
}

impl Pacer {
    /// How long `action` (`RegisterTaskDefinition`) must wait from `now` before it is sent, its
    /// token reserved. Zero for an action the table does not list.
    pub fn reserve(&mut self, action: &str, now: Duration) -> Duration {
        let Some((bucket, per_second)) = self.bucket(action, now) else {
            return Duration::ZERO;
        };
        bucket.tokens -= 1.0;
        if bucket.tokens >= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs_f64(-bucket.tokens / (per_second * bucket.share)) + MARGIN
    }

    /// `action` was refused with `ThrottlingException` at `now`: others share the account's bucket.
    pub fn throttled(&mut self, action: &str, now: Duration) {
        if let Some((bucket, _)) = self.bucket(action, now) {
            bucket.tokens = bucket.tokens.min(0.0);
            bucket.share = (bucket.share / 2.0).max(MIN_SHARE);
        }
    }

    /// `action` was answered (anything but a throttle) at `now`.
    pub fn passed(&mut self, action: &str, now: Duration) {
        if let Some((bucket, _)) = self.bucket(action, now) {
            bucket.share = (bucket.share + RECOVERY).min(1.0);
        }
    }

    /// The share of `action`'s documented rate this pacer takes now (1 until a throttle).
    pub fn share(&self, action: &str) -> f64 {
        EcsCategory::of(action).and_then(|category| self.buckets.get(&category)).map_or(1.0, |bucket| bucket.share)
    }

    /// `action`'s bucket refilled to `now` (full the first time), and its category's sustained rate.
    fn bucket(&mut self, action: &str, now: Duration) -> Option<(&mut Bucket, f64)> {
        let category = EcsCategory::of(action)?;
        let rate = category.rate();
        let (burst, per_second) = (f64::from(rate.burst), f64::from(rate.per_second));
        let bucket = self.buckets.entry(category).or_insert(Bucket { tokens: burst, at: now, share: 1.0 });
        // A clock read before the last one (two callers racing to the lock) refills nothing.
        let elapsed = now.saturating_sub(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * per_second * bucket.share).min(burst);
        bucket.at = bucket.at.max(now);
        Some((bucket, per_second))
    }
}

#[cfg(test)]
mod tests;
