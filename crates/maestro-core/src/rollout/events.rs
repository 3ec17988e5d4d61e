//! Which of a service's events are news. ECS keeps a long event history (a steady-state event
//! every few hours, an earlier deploy's failure), and DescribeServices returns the newest: only
//! those created since this deploy began are printed, so an old "deployment failed" is not
//! replayed as live (ecspresso does the same).

use super::ServiceEvent;

/// How far before the deploy's start an event still counts as this deploy's. ECS stamps events
/// with AWS's clock and maestro reads the runner's: a self-hosted runner's clock can be a few
/// seconds off. The margin is kept small because an event of the previous deploy (which ended
/// before this one took the lease, built and provisioned) must not come back.
pub const CLOCK_SKEW_MARGIN_MILLIS: i64 = 10_000;

/// `event` happened since the deploy began (`since`, milliseconds since the Unix epoch on the
/// runner's clock). An event without a time cannot be judged and is shown.
pub fn is_news(event: &ServiceEvent, since: i64) -> bool {
    event.created_at.is_none_or(|created| created >= since - CLOCK_SKEW_MARGIN_MILLIS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(created_at: Option<i64>) -> ServiceEvent {
        ServiceEvent { id: "e".into(), message: "(service web) has reached a steady state.".into(), created_at }
    }

    #[test]
    fn only_events_since_the_start_less_the_margin_are_news() {
        let start = 1_800_000_000_000;
        assert!(is_news(&at(Some(start + 1)), start));
        assert!(is_news(&at(Some(start - CLOCK_SKEW_MARGIN_MILLIS)), start), "a runner's clock a little ahead");
        assert!(!is_news(&at(Some(start - CLOCK_SKEW_MARGIN_MILLIS - 1)), start), "an earlier deploy's event");
        assert!(!is_news(&at(Some(start - 3_600_000)), start));
        assert!(is_news(&at(None), start));
    }
}
