//! `maestro stop`: a branch's environment paused rather than deleted, for a closed pull request or
//! a stopped review environment. Every service of the plan goes to zero tasks (its autoscaler
//! bounds first, or the autoscaler would bring the tasks back) and every schedule is paused.
//! Nothing is deleted, so the next deploy restores counts, bounds and schedules through the
//! ordinary diff, and adopts everything as it was.

use super::action::Action;
use super::observed::Observed;
use crate::naming::scalable_target_of;
use crate::plan::desired::DesiredState;

/// The actions that pause what exists of the plan; none when it is already paused.
pub fn actions(desired: &DesiredState, observed: &Observed) -> Vec<Action> {
    let mut actions = Vec::new();
    for service in &desired.services {
        let Some(Some(live)) = observed.services.get(&service.name) else { continue };
        let resource_id = scalable_target_of(&desired.cluster.name, &service.name);
        if observed.scalable_targets.get(&resource_id).is_some_and(|target| (target.min, target.max) != (0, 0)) {
            actions.push(Action::RegisterScalableTarget { resource_id, min: 0, max: 0 });
        }
        if live.desired_count > 0 {
            actions.push(Action::ScaleService {
                cluster: desired.cluster.name.clone(),
                name: service.name.clone(),
                count: 0,
            });
        }
    }
    for schedule in &desired.schedules {
        if observed.rules.get(&schedule.rule).is_some_and(|rule| rule.enabled) {
            actions.push(Action::DisableRule { name: schedule.rule.clone() });
        }
    }
    actions.sort_by_key(Action::stage);
    actions
}
