//! The target group's health check timing, tuned for deploys, and what it costs a rollout.
//!
//! A new `web` task takes traffic once the load balancer has seen `healthy_threshold` passing
//! checks `interval` apart, so those two numbers set the least time a web rollout takes after its
//! task starts. AWS's defaults (30 s × 5 healthy checks) make that 150 s; maestro's, 20 s.

use std::ops::RangeInclusive;

use serde::Serialize;

/// "The range is 5-300." (CreateTargetGroup and ModifyTargetGroup, `HealthCheckIntervalSeconds`:
/// <https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html>)
pub const INTERVAL_RANGE: RangeInclusive<u32> = 5..=300;
/// "The range is 2–120 seconds." (`HealthCheckTimeoutSeconds`, same reference); it must also be
/// smaller than the interval for an HTTP target group.
pub const TIMEOUT_RANGE: RangeInclusive<u32> = 2..=120;
/// "The range is 2-10." (`HealthyThresholdCount` and `UnhealthyThresholdCount`, same reference)
pub const THRESHOLD_RANGE: RangeInclusive<u32> = 2..=10;

/// Seconds, beyond the health checks themselves, that ECS's grace period gives a new task to boot
/// before a failing check may stop it. With the defaults the grace period is 60 s: what maestro
/// set before (AWS Copilot's default), so no existing service changes.
pub const BOOT_MARGIN: u32 = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HealthCheck {
    /// Seconds between two checks of a target.
    pub interval_seconds: u32,
    /// Seconds without an answer that fail a check; below the interval.
    pub timeout_seconds: u32,
    /// Passing checks in a row before a target takes traffic.
    pub healthy_threshold: u32,
    /// Failing checks in a row before a target is taken out.
    pub unhealthy_threshold: u32,
}

impl HealthCheck {
    /// maestro's defaults. 10 s × 2 checks puts a new task in service 20 s after it answers;
    /// the 5 s timeout leaves the next check its own slot; 3 failures (30 s) before a target is
    /// taken out, one more than AWS's 2, so one slow answer from a busy task (a GC pause, a cold
    /// cache) never drains it, while a dead task is still out twice as fast as with AWS's 2 × 30 s.
    pub const DEPLOY: Self =
        Self { interval_seconds: 10, timeout_seconds: 5, healthy_threshold: 2, unhealthy_threshold: 3 };

    /// What an HTTP target group gets when its creator sets nothing (CreateTargetGroup's
    /// reference: 30 s, 6 s, 5 healthy, 2 unhealthy): the comparison the docs make.
    pub const AWS: Self =
        Self { interval_seconds: 30, timeout_seconds: 6, healthy_threshold: 5, unhealthy_threshold: 2 };

    /// Seconds from a task answering to the load balancer calling it healthy.
    pub fn time_to_healthy(&self) -> u32 {
        self.interval_seconds.saturating_mul(self.healthy_threshold)
    }

    /// ECS's grace period that follows from these checks: the time to healthy plus
    /// [`BOOT_MARGIN`]. It costs a healthy deploy nothing (ECS only stops a failing task later),
    /// and a slow-booting app keeps the time it had.
    pub fn grace_period(&self) -> u32 {
        self.time_to_healthy().saturating_add(BOOT_MARGIN)
    }

    /// The least time a load-balanced rollout takes, in seconds, for a task that starts in
    /// `task_start` seconds: it starts, then passes its checks. With early success the old tasks'
    /// drain comes after, outside the wait.
    pub fn rollout_floor(&self, task_start: u32) -> u32 {
        task_start.saturating_add(self.time_to_healthy())
    }
}

impl Default for HealthCheck {
    fn default() -> Self {
        Self::DEPLOY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_within_aws_ranges_with_the_timeout_below_the_interval() {
        for check in [HealthCheck::DEPLOY, HealthCheck::AWS] {
            assert!(INTERVAL_RANGE.contains(&check.interval_seconds));
            assert!(TIMEOUT_RANGE.contains(&check.timeout_seconds));
            assert!(check.timeout_seconds < check.interval_seconds);
            assert!(THRESHOLD_RANGE.contains(&check.healthy_threshold));
            assert!(THRESHOLD_RANGE.contains(&check.unhealthy_threshold));
        }
    }

    #[test]
    fn the_deploy_defaults_take_a_task_in_after_20_s_against_aws_150_s() {
        assert_eq!(HealthCheck::DEPLOY.time_to_healthy(), 20);
        assert_eq!(HealthCheck::AWS.time_to_healthy(), 150);
        assert_eq!(HealthCheck::DEPLOY.rollout_floor(15), 35);
    }

    #[test]
    fn the_grace_period_follows_the_checks_and_keeps_60_s_by_default() {
        assert_eq!(HealthCheck::DEPLOY.grace_period(), 60);
        let slow = HealthCheck { interval_seconds: 30, healthy_threshold: 5, ..HealthCheck::DEPLOY };
        assert_eq!(slow.grace_period(), 190);
        let huge = HealthCheck { interval_seconds: u32::MAX, ..HealthCheck::DEPLOY };
        assert_eq!(huge.grace_period(), u32::MAX);
    }
}
