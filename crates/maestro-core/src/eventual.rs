//! AWS is eventually consistent: what a write has just created may be invisible to the next read,
//! or unknown to another service, for a while. maestro tries again for a bounded time before it
//! believes such an answer; each window below says which situation it covers and why it is that
//! long. Computed, never slept: the engine sleeps and reads the clock.

use std::time::Duration;

use crate::backoff::Backoff;

/// The longest wait between two tries: a thing that has become visible is seen within seconds.
const LONGEST_WAIT: Duration = Duration::from_secs(15);

/// A task RunTask has just started may be `MISSING` from DescribeTasks. RunTask's API reference
/// (aws-sdk-ecs 1.157.0): "The Amazon ECS API follows an eventual consistency model … run the
/// DescribeTasks command repeatedly, starting with a couple of seconds of wait time and increasing
/// gradually up to five minutes of wait time."
pub const TASK_VISIBLE: Duration = Duration::from_secs(300);

/// A service CreateService has just created may be `MISSING` from DescribeServices: the same
/// consistency model as RunTask's (above), which the ECS API follows throughout.
pub const SERVICE_VISIBLE: Duration = Duration::from_secs(60);

/// RegisterScalableTarget right after CreateService may fail with `ValidationException: ECS service
/// doesn't exist` (spinnaker/spinnaker#4371, by AWS's ECS engineers: "We need to retry the
/// RegisterScalableTarget API call").
pub const SERVICE_KNOWN_TO_AUTOSCALING: Duration = Duration::from_secs(60);

/// The first CreateCluster or CreateService of an account creates ECS's service-linked role, and
/// "Unable to assume the service linked role" answers until IAM has propagated it
/// (aws-samples/baseline-environment-on-aws#238, awslabs/fargatecli#35).
pub const SERVICE_LINKED_ROLE: Duration = Duration::from_secs(60);

/// A deleted service is `DRAINING` until its tasks have stopped (the load balancer's
/// deregistration delay, then the containers' stop timeout). DeleteService's reference
/// (aws-sdk-ecs 1.157.0): "After all tasks have transitioned to either STOPPING or STOPPED status,
/// the service status moves from DRAINING to INACTIVE" and "If you attempt to create a new service
/// with the same name as an existing service in either ACTIVE or DRAINING status, you receive an
/// error."
pub const SERVICE_DRAINED: Duration = Duration::from_secs(900);

/// A target group stays in use while the load balancer (or listener rule) forwarding to it is
/// being deleted: DeleteTargetGroup's reference, "You can't delete a target group if it is used by
/// a listener or rule", answered `ResourceInUse` until the deletion is done.
pub const TARGET_GROUP_RELEASED: Duration = Duration::from_secs(300);

/// Whether to try again, and after how long: the waits grow from `first` (the poll interval) while
/// the window lasts, and the last one is cut so that the last try happens when it closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patience {
    window: Duration,
    waits: Backoff,
}

impl Patience {
    pub fn new(window: Duration, first: Duration) -> Self {
        Self { window, waits: Backoff::doubling(first, LONGEST_WAIT) }
    }

    /// The wait before the next try, `elapsed` after the first one; `None` once the window is
    /// spent: then the answer stands.
    pub fn next_wait(&mut self, elapsed: Duration) -> Option<Duration> {
        let left = self.window.checked_sub(elapsed).filter(|left| !left.is_zero())?;
        Some(self.waits.next_wait().min(left))
    }

    /// How long the window is, for the message that says it was spent.
    pub fn window(&self) -> Duration {
        self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seconds(value: u64) -> Duration {
        Duration::from_secs(value)
    }

    #[test]
    fn waits_double_from_the_poll_interval_until_the_window_closes() {
        let mut patience = Patience::new(seconds(10), seconds(1));
        assert_eq!(patience.next_wait(Duration::ZERO), Some(seconds(1)));
        assert_eq!(patience.next_wait(seconds(1)), Some(seconds(2)));
        assert_eq!(patience.next_wait(seconds(3)), Some(seconds(4)));
        // Cut to what is left, so the last try is at the window's end, not past it.
        assert_eq!(patience.next_wait(seconds(7)), Some(seconds(3)));
        assert_eq!(patience.next_wait(seconds(10)), None);
        assert_eq!(patience.next_wait(seconds(11)), None);
        assert_eq!(patience.window(), seconds(10));
    }

    #[test]
    fn waits_stop_growing_at_fifteen_seconds() {
        let mut patience = Patience::new(SERVICE_DRAINED, seconds(10));
        let waits: Vec<_> = (0..3).map(|_| patience.next_wait(seconds(1)).unwrap()).collect();
        assert_eq!(waits, [seconds(10), seconds(15), seconds(15)]);
    }

    #[test]
    fn a_spent_window_means_no_retry_at_all() {
        assert_eq!(Patience::new(Duration::ZERO, seconds(1)).next_wait(Duration::ZERO), None);
    }
}
