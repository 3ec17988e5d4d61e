//! The web service's rollback alarm (`provision::rollback_alarm`): put when missing or when it
//! differs from the plan, deleted once the plan has none, only if it carries the environment's
//! marker (`provision::ownership`).

use crate::plan::desired::DesiredState;
use crate::provision::action::Action;
use crate::provision::observed::Observed;
use crate::provision::ownership::Owner;
use crate::provision::rollback_alarm::wanted;
use crate::spec::tags::Tag;

pub(super) fn rollback_alarm(
    desired: &DesiredState,
    observed: &Observed,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    let planned = desired.services.iter().find_map(|service| service.rollback_alarm.as_ref());
    let live = observed.rollback_alarm.as_ref();
    let owner = Owner::of(desired);
    if let Some(claim) = live.and_then(|live| owner.claim(&live.tags)) {
        warnings.push(format!(
            "alarm {} carries another environment's tag ({}={}): maestro neither changes nor deletes it; delete or rename it to let this environment's rollback alarm be made",
            live.map(|live| live.name.as_str()).unwrap_or_default(),
            claim.key,
            claim.theirs
        ));
        return;
    }
    let Some(alarm) = planned else {
        if let Some(live) = live.filter(|live| owner.owns(&live.tags)) {
            actions.push(Action::DeleteRollbackAlarm { name: live.name.clone() });
        }
        return;
    };
    let put = Action::PutRollbackAlarm { alarm: alarm.clone(), tags: tags.to_vec() };
    let Some(live) = live else { return actions.push(put) };
    // The dimensions are ARNs: any of them still to be created makes the alarm differ anyway.
    let balancer = observed.load_balancer.as_ref().map(|balancer| balancer.arn.as_str());
    let primary = observed.target_group.as_ref().map(|group| group.arn.as_str());
    let alternate = observed.traffic.as_ref().and_then(|traffic| traffic.alternate_target_group.as_ref());
    let mut groups: Vec<Option<&str>> = vec![primary];
    if alarm.target_groups.len() > 1 {
        groups.push(alternate.map(|group| group.arn.as_str()));
    }
    let groups: Option<Vec<&str>> = groups.into_iter().collect();
    let in_step = match (balancer, groups, &live.shape) {
        (Some(balancer), Some(groups), Some(shape)) => *shape == wanted(alarm, balancer, &groups),
        _ => false,
    };
    if !in_step {
        actions.push(put);
    }
}
