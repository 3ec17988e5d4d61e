//! Listener rule priorities on a shared load balancer: each rule of a listener holds its own, from
//! 1 to 50,000 (CreateRule's `Priority`: "A listener can't have multiple rules with the same
//! priority", aws-sdk-elasticloadbalancingv2 1.134.0).

/// Tries of CreateRule when another deploy takes the chosen priority first (`PriorityInUse`):
/// each try re-reads the listener's rules, so only a burst of concurrent deploys exhausts them.
pub const PRIORITY_TRIES: u32 = 5;

/// The highest priority a rule can have.
pub const LAST: u32 = 50_000;

/// The lowest priority no rule of the listener holds (`LAST` when every one is taken: CreateRule
/// then answers `PriorityInUse`, which says it).
pub fn lowest_free(taken: &[u32]) -> u32 {
    (1..=LAST).find(|candidate| !taken.contains(candidate)).unwrap_or(LAST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lowest_priority_no_rule_holds() {
        assert_eq!(lowest_free(&[]), 1);
        assert_eq!(lowest_free(&[1, 2, 4]), 3);
        assert_eq!(lowest_free(&[2, 1]), 3);
        let full: Vec<u32> = (1..=LAST).collect();
        assert_eq!(lowest_free(&full), LAST);
    }
}
