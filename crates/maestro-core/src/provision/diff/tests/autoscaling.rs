//! Autoscaling: targets and policies follow the plan; others' policies are kept.

use super::*;

#[test]
fn removed_metrics_and_ranges_are_cleaned_up_and_cooldowns_kept() {
    let desired = desired();
    let mut observed = converged(&desired);
    let web = "service/acme-shop-api-staging/acme-shop-api-staging-web";
    let worker = "service/acme-shop-api-staging/acme-shop-api-staging-worker";
    // `mem` was configured before; the worker used to autoscale; someone added their own policy.
    let mut stale = observed.scaling_policies[0].clone();
    stale.name = "acme-shop-api-staging-web-mem-scaling-policy".into();
    let mut foreign = observed.scaling_policies[0].clone();
    foreign.name = "ops-step-policy".into();
    observed.scaling_policies[0].target = 70.0;
    observed.scaling_policies.extend([stale, foreign]);
    observed
        .scalable_targets
        .insert(worker.into(), ObservedScalableTarget { resource_id: worker.into(), min: 1, max: 3 });
    let actions = diff(&desired, &observed, Options::default()).actions;
    let names = described(&actions);
    assert_eq!(
        names,
        [
            "delete scaling policy acme-shop-api-staging-web-mem-scaling-policy",
            "put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 55)",
            format!("stop autoscaling {worker}").as_str(),
        ]
    );
    let Action::PutScalingPolicy(policy) = &actions[1] else { panic!() };
    assert_eq!((policy.scale_in_cooldown, policy.scale_out_cooldown, policy.resource_id.as_str()), (60, 120, web));
}
