//! Which live load balancer and target group are the app's.
//!
//! Each is looked for under its name and, when that name is now cut with a hash, under the name
//! the original cut it to (`former_*` in the plan). One found under the former name is adopted,
//! the plan then using that name, unless maestro's tags say it is another app's or
//! branch's: two long branches the original cut alike shared one, and the second now gets its own.

use super::observed::Observed;
use super::ownership::Owner;
use crate::plan::desired::DesiredState;

/// The plan with the names of what it adopts, and what AWS holds that is the app's.
pub fn settle(desired: &DesiredState, observed: &Observed) -> (DesiredState, Observed) {
    let (mut desired, mut observed) = (desired.clone(), observed.clone());
    let owner = Owner::of(&desired);
    let Some(balancer) = desired.load_balancer.as_mut() else { return (desired, observed) };
    if let Some(live) = &observed.load_balancer
        && !balancer.shared
        && balancer.former_name.as_ref() == Some(&live.name)
    {
        match owner.claim(&live.tags) {
            Some(_) => observed.load_balancer = None,
            None => balancer.name = live.name.clone(),
        }
    }
    if let Some(live) = &observed.target_group
        && balancer.former_target_group.as_ref() == Some(&live.name)
    {
        match owner.claim(&live.tags) {
            Some(_) => observed.target_group = None,
            None => balancer.target_group = live.name.clone(),
        }
    }
    (desired, observed)
}
