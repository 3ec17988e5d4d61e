//! The load balancer attachment of a service, rolled or shifted: a rolling service is attached
//! to the app's target group alone; a blue-green, canary or linear one to the pair of target
//! groups with the listener rules and the role ECS shifts traffic with (`advancedConfiguration`).

use crate::plan::desired::Service;
use crate::provision::observed::LoadBalancerAttachment;
use crate::provision::traffic::Traffic;

/// Whether the live attachments are the planned one. A shifting service's two target groups are
/// compared as a pair: after a blue-green deploy ECS serves production from the alternate one,
/// and maestro must not swap them back. Until the alternate group and the rules exist (`traffic`
/// as observed), a shifting service is not attached as planned: this run creates them first.
pub(super) fn same_attachment(
    live: &[LoadBalancerAttachment],
    planned: Option<&str>,
    service: &Service,
    traffic: Option<&Traffic>,
    container: &str,
    port: u16,
) -> bool {
    let [attached] = live else { return live.is_empty() && planned.is_none() };
    let Some(our_group) = planned else { return false };
    if attached.container != container || attached.port != port {
        return false;
    }
    let Some(rollout) = &service.rollout else {
        return attached.target_group_arn == our_group && attached.traffic.is_none();
    };
    let (Some(live), Some(traffic)) = (&attached.traffic, traffic) else { return false };
    let (Some(alternate), Some(production), Some(test)) =
        (&traffic.alternate_target_group_arn, &traffic.production_rule, &traffic.test_rule)
    else {
        return false;
    };
    let mut attached_pair = [attached.target_group_arn.as_str(), live.alternate_target_group_arn.as_str()];
    let mut planned_pair = [our_group, alternate.as_str()];
    attached_pair.sort_unstable();
    planned_pair.sort_unstable();
    attached_pair == planned_pair
        && live.production_rule == production.arn
        && live.test_rule.as_deref() == Some(test.arn.as_str())
        && Some(live.role_arn.as_str()) == rollout.infrastructure_role_arn.as_deref()
}
