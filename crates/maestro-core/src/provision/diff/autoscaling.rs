//! Autoscaling: scalable targets and target-tracking policies; policies for metrics no longer
//! configured, and targets of services that no longer scale, are removed.

use crate::plan::desired::DesiredState;
use crate::provision::action::{Action, AlbLabel, PolicySpec};
use crate::provision::observed::Observed;

/// AWS's default cooldowns, used when a policy is first created.
const DEFAULT_COOLDOWN: i32 = 300;

pub(super) fn autoscaling(desired: &DesiredState, observed: &Observed, actions: &mut Vec<Action>) {
    let planned: Vec<&str> = desired.services.iter().filter_map(|service| service.scalable_target.as_deref()).collect();
    for service in &desired.services {
        let (Some(resource_id), Some(max)) = (&service.scalable_target, service.max) else { continue };
        match observed.scalable_targets.get(resource_id) {
            Some(live) if live.min == service.min && live.max == max => {}
            _ => {
                actions.push(Action::RegisterScalableTarget { resource_id: resource_id.clone(), min: service.min, max })
            }
        }
        for policy in &service.scaling {
            let live = observed
                .scaling_policies
                .iter()
                .find(|live| live.name == policy.policy_name && &live.resource_id == resource_id);
            let alb = (policy.metric == crate::spec::process_list::Metric::Alb)
                .then(|| {
                    desired.load_balancer.as_ref().map(|balancer| AlbLabel {
                        load_balancer: balancer.name.clone(),
                        target_group: balancer.target_group.clone(),
                    })
                })
                .flatten();
            // The label names the load balancer's and target group's ids, which change when either
            // is recreated: it must be the one of those in use (none is when one is created now).
            let label = alb.as_ref().and_then(|_| {
                let (balancer, group) = (observed.load_balancer.as_ref()?, observed.target_group.as_ref()?);
                alb_resource_label(&balancer.arn, &group.arn)
            });
            let unchanged = live.is_some_and(|live| {
                live.metric_type == policy.predefined_metric_type
                    && (live.target - policy.target).abs() < f64::EPSILON
                    && live.disable_scale_in == policy.disable_scale_in
                    && match (&alb, &live.resource_label) {
                        (None, None) => true,
                        (Some(_), Some(live_label)) => label.as_ref() == Some(live_label),
                        _ => false,
                    }
            });
            if !unchanged {
                actions.push(Action::PutScalingPolicy(PolicySpec {
                    name: policy.policy_name.clone(),
                    resource_id: resource_id.clone(),
                    metric_type: policy.predefined_metric_type.clone(),
                    target: policy.target,
                    disable_scale_in: policy.disable_scale_in,
                    alb,
                    scale_in_cooldown: live.and_then(|live| live.scale_in_cooldown).unwrap_or(DEFAULT_COOLDOWN),
                    scale_out_cooldown: live.and_then(|live| live.scale_out_cooldown).unwrap_or(DEFAULT_COOLDOWN),
                }));
            }
        }
    }
    // Policies maestro named for metrics that are no longer configured, and targets of services
    // that no longer scale. Policies named otherwise belong to someone else and are kept.
    for live in &observed.scaling_policies {
        let planned_policy =
            desired.services.iter().flat_map(|service| &service.scaling).any(|policy| policy.policy_name == live.name);
        let ours = live.name.ends_with("-scaling-policy");
        if ours && !planned_policy {
            actions
                .push(Action::DeleteScalingPolicy { name: live.name.clone(), resource_id: live.resource_id.clone() });
        }
    }
    for resource_id in observed.scalable_targets.keys() {
        if !planned.contains(&resource_id.as_str()) {
            actions.push(Action::DeregisterScalableTarget { resource_id: resource_id.clone() });
        }
    }
}

/// `app/<lb>/<id>/targetgroup/<tg>/<id>`: what `ALBRequestCountPerTarget` counts, from the ARNs
/// of the load balancer and target group actually used (the original looked the load balancer
/// up by the cluster's name).
pub fn alb_resource_label(load_balancer_arn: &str, target_group_arn: &str) -> Option<String> {
    let balancer = load_balancer_arn.split_once(":loadbalancer/")?.1;
    let group = target_group_arn.rsplit_once(':')?.1;
    Some(format!("{balancer}/{group}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_resource_label_joins_the_two_arns() {
        let label = super::alb_resource_label(
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/acme-shop-api-staging/50dc6c495c0c9188",
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/acme-shop-api-staging/943f017f100becff",
        );
        assert_eq!(
            label.as_deref(),
            Some("app/acme-shop-api-staging/50dc6c495c0c9188/targetgroup/acme-shop-api-staging/943f017f100becff")
        );
        assert_eq!(super::alb_resource_label("not an arn", "arn:x:targetgroup/tg/1"), None);
    }
}
