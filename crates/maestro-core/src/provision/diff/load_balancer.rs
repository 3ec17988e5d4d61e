//! The load balancer, target group and listeners; on a shared load balancer, only the app's
//! host rule.

use super::sorted;
use crate::plan::aws_values::{ListenerProtocol, Scheme};
use crate::plan::desired::DesiredState;
use crate::provision::action::{Action, ListenerSpec};
use crate::provision::observed::{Observed, ObservedTargetGroup};
use crate::spec::tags::Tag;

pub(super) fn load_balancer(
    desired: &DesiredState,
    observed: &Observed,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    let Some(balancer) = &desired.load_balancer else { return };
    match &observed.load_balancer {
        // The deploy creates the previews' load balancer before its change set is read
        // (`engine::previews`): only `maestro plan` reads it missing.
        None if balancer.previews => warnings.push(format!(
            "the previews' load balancer {} does not exist yet: the first preview's deploy creates it, with its \
             listeners",
            balancer.name
        )),
        // A missing shared load balancer stops the deploy before the diff (`preflight`).
        None if balancer.shared => {}
        None => actions.push(Action::CreateLoadBalancer {
            name: balancer.name.clone(),
            scheme: balancer.scheme,
            subnets: balancer.subnets.clone(),
            security_groups: balancer.security_groups.clone(),
            tags: tags.to_vec(),
        }),
        Some(live) if !balancer.shared => {
            tag(&live.name, &live.arn, &live.tags, tags, actions);
            if live.scheme != Some(balancer.scheme) {
                warnings.push(format!(
                    "load balancer {} is {}, not {}; AWS cannot change a scheme: delete it to have it recreated",
                    balancer.name,
                    live.scheme.map_or("", Scheme::as_str),
                    balancer.scheme
                ));
            }
            if !balancer.subnets.is_empty() && sorted(&live.subnets) != sorted(&balancer.subnets) {
                actions.push(Action::SetLoadBalancerSubnets {
                    name: balancer.name.clone(),
                    arn: live.arn.clone(),
                    subnets: balancer.subnets.clone(),
                });
            }
            if !balancer.security_groups.is_empty()
                && sorted(&live.security_groups) != sorted(&balancer.security_groups)
            {
                actions.push(Action::SetLoadBalancerSecurityGroups {
                    name: balancer.name.clone(),
                    arn: live.arn.clone(),
                    security_groups: balancer.security_groups.clone(),
                });
            }
        }
        Some(_) => {}
    }
    target_group(balancer, &balancer.target_group, observed.target_group.as_ref(), tags, actions, warnings);
    if balancer.shared {
        // A shifting deploy's host rule forwards to the pair (`traffic`), not to one group.
        if balancer.alternate_target_group.is_none() {
            shared_rule(balancer, observed, tags, actions);
        }
        return;
    }
    let forward = ListenerSpec {
        protocol: balancer.listener.protocol,
        port: balancer.listener.port,
        certificate_arn: balancer.certificate_arn.clone(),
        target_group: Some(balancer.target_group.clone()),
    };
    let mut wanted = vec![forward];
    // A shifting deploy's test listener: its rule (`traffic`) forwards to the pair; its default
    // action, which that `/*` rule leaves unused, forwards like production's.
    if let Some(test) = &balancer.test_listener {
        wanted.push(ListenerSpec {
            protocol: test.protocol,
            port: test.port,
            certificate_arn: balancer.certificate_arn.clone(),
            target_group: Some(balancer.target_group.clone()),
        });
    }
    if balancer.certificate_arn.is_some() {
        wanted.push(ListenerSpec {
            protocol: ListenerProtocol::Http,
            port: 80,
            certificate_arn: None,
            target_group: None,
        });
    }
    let ours = observed.target_group.as_ref().map(|group| group.arn.as_str());
    for spec in wanted {
        let live = observed
            .load_balancer
            .as_ref()
            .and_then(|live| live.listeners.iter().find(|listener| listener.port == spec.port));
        let Some(live) = live else {
            actions.push(Action::CreateListener {
                load_balancer: balancer.name.clone(),
                listener: spec,
                tags: tags.to_vec(),
            });
            continue;
        };
        let matches = live.protocol == Some(spec.protocol)
            && spec.certificate_arn.as_ref().is_none_or(|certificate| live.certificates.contains(certificate))
            && match &spec.target_group {
                Some(_) => ours.is_some_and(|arn| live.forwards_to == [arn]),
                None => live.redirects_to_https,
            };
        if !matches {
            actions.push(Action::ModifyListener { arn: live.arn.clone(), listener: spec });
        }
    }
}

/// The target group `name` (the plan's, or a shifting deploy's alternate, with the same
/// settings): created, tagged, or its health check and deregistration delay set.
pub(super) fn target_group(
    balancer: &crate::plan::desired::LoadBalancer,
    name: &str,
    live: Option<&ObservedTargetGroup>,
    tags: &[Tag],
    actions: &mut Vec<Action>,
    warnings: &mut Vec<String>,
) {
    let Some(live) = live else {
        actions.push(Action::CreateTargetGroup {
            name: name.to_owned(),
            port: balancer.port,
            vpc_id: balancer.vpc_id.clone(),
            health_check_path: balancer.health_check_path.clone(),
            health_check: balancer.health_check,
            deregistration_delay: balancer.deregistration_delay,
            tags: tags.to_vec(),
        });
        return;
    };
    tag(&live.name, &live.arn, &live.tags, tags, actions);
    if live.port != balancer.port {
        warnings.push(format!(
            "target group {name} listens on port {}, not PORT {}; AWS cannot change it: delete the target group to have it recreated",
            live.port, balancer.port
        ));
    }
    if live.health_check_path != balancer.health_check_path
        || live.health_check != Some(balancer.health_check)
        || live.deregistration_delay != Some(balancer.deregistration_delay)
    {
        actions.push(Action::ModifyTargetGroup {
            name: name.to_owned(),
            arn: live.arn.clone(),
            health_check_path: balancer.health_check_path.clone(),
            health_check: balancer.health_check,
            deregistration_delay: balancer.deregistration_delay,
        });
    }
}

/// On a shared load balancer maestro owns only its host's rule, never the listeners.
fn shared_rule(
    balancer: &crate::plan::desired::LoadBalancer,
    observed: &Observed,
    tags: &[Tag],
    actions: &mut Vec<Action>,
) {
    // The planner requires the host on a shared load balancer, and `preflight` stops the deploy
    // when the load balancer or its listener is missing.
    let (Some(host), Some(live)) = (&balancer.host, &observed.load_balancer) else { return };
    let port = balancer.listener.port;
    let Some(listener) = live.listeners.iter().find(|listener| listener.port == port) else { return };
    let ours = observed.target_group.as_ref().map(|group| group.arn.as_str());
    match live.rules.iter().find(|rule| rule.hosts.iter().any(|candidate| candidate == host)) {
        Some(rule) if ours.is_some_and(|arn| rule.forwards_to == [arn]) => {}
        Some(rule) => actions.push(Action::ForwardListenerRule {
            arn: rule.arn.clone(),
            host: host.clone(),
            target_group: balancer.target_group.clone(),
        }),
        None => {
            let taken: Vec<u32> = live.rules.iter().filter_map(|rule| rule.priority).collect();
            let priority = crate::provision::priority::lowest_free(&taken);
            actions.push(Action::CreateListenerRule {
                listener_arn: listener.arn.clone(),
                priority,
                host: host.clone(),
                target_group: balancer.target_group.clone(),
                tags: tags.to_vec(),
            });
        }
    }
}

/// The tags maestro sets that `live` lacks (its other tags are left alone).
pub(super) fn tag(name: &str, arn: &str, live: &[Tag], tags: &[Tag], actions: &mut Vec<Action>) {
    let missing: Vec<Tag> = tags.iter().filter(|tag| !live.contains(tag)).cloned().collect();
    if !missing.is_empty() {
        actions.push(Action::TagLoadBalancing { name: name.to_owned(), arn: arn.to_owned(), tags: missing });
    }
}
