//! A blue-green, canary or linear deploy's alternate target group and its two listener rules
//! (`provision::traffic`); the test listener itself is the load balancer's (`load_balancer`).
//! Nothing here for a rolling deploy: the plan has no alternate target group.

use super::load_balancer::target_group;
use crate::plan::desired::DesiredState;
use crate::provision::action::{Action, TrafficRuleSpec};
use crate::provision::observed::Observed;
use crate::provision::priority::lowest_free;
use crate::provision::traffic::{TrafficListener, forwards_to_pair, rule_host};
use crate::spec::tags::Tag;

pub(super) fn traffic(
    desired: &DesiredState,
    observed: &Observed,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    let Some(balancer) = &desired.load_balancer else { return };
    let Some(alternate) = &balancer.alternate_target_group else { return };
    let live = observed.traffic.clone().unwrap_or_default();
    target_group(balancer, alternate, live.alternate_target_group.as_ref(), tags, actions, warnings);
    let pair = observed
        .target_group
        .as_ref()
        .map(|group| group.arn.as_str())
        .zip(live.alternate_target_group.as_ref().map(|group| group.arn.as_str()));
    let host = rule_host(balancer);
    for listener in TrafficListener::BOTH {
        let Some(port) = listener.port(balancer) else { continue };
        // A shared load balancer's listeners are its owner's: one missing stops the deploy
        // (`preflight`); the app's own are created in the stage before.
        let exists = observed
            .load_balancer
            .as_ref()
            .is_some_and(|live| live.listeners.iter().any(|candidate| candidate.port == port));
        if balancer.shared && !exists {
            continue;
        }
        let rule = TrafficRuleSpec {
            listener,
            load_balancer: balancer.name.clone(),
            port,
            host: host.map(str::to_owned),
            target_group: balancer.target_group.clone(),
            alternate_target_group: alternate.clone(),
        };
        match live.rule(listener, host) {
            Some(found) if pair.is_some_and(|(primary, alternate)| forwards_to_pair(found, primary, alternate)) => {}
            Some(found) => actions.push(Action::ForwardTrafficRule { arn: found.arn.clone(), rule }),
            None => {
                let taken: Vec<u32> = live.rules(listener).iter().filter_map(|rule| rule.priority).collect();
                actions.push(Action::CreateTrafficRule { rule, priority: lowest_free(&taken), tags: tags.to_vec() });
            }
        }
    }
}
