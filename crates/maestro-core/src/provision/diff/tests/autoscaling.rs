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

#[test]
fn each_drift_of_a_policy_or_its_bounds_is_put_again() {
    let desired = desired();
    let observed = converged(&desired);
    let put = "put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 55)";
    let drifts: [Drift<ObservedScalingPolicy>; 5] = [
        ("another metric", |live| live.metric_type = "ECSServiceAverageMemoryUtilization".into()),
        ("another target", |live| live.target = 55.5),
        ("scale-in disabled", |live| live.disable_scale_in = true),
        ("a load balancer label on a cpu policy", |live| live.resource_label = Some("app/x/y/targetgroup/z/w".into())),
        ("another service's policy of that name", |live| live.resource_id = "service/acme/other".into()),
    ];
    for (drift, apply) in drifts {
        let mut drifted = observed.clone();
        apply(&mut drifted.scaling_policies[0]);
        let names = changes(&desired, &drifted);
        assert!(names.contains(&put.to_owned()), "{drift}: {names:?}");
        let fresh = !drifted.scaling_policies.iter().any(|live| live.resource_id.ends_with("-web"));
        let Some(Action::PutScalingPolicy(policy)) =
            diff(&desired, &drifted, Options::default()).actions.into_iter().find(|action| action.to_string() == put)
        else {
            panic!("{drift}")
        };
        // A policy put over a live one keeps its cooldowns; a new one gets AWS's defaults.
        let cooldowns = if fresh { (300, 300) } else { (60, 120) };
        assert_eq!((policy.scale_in_cooldown, policy.scale_out_cooldown), cooldowns, "{drift}");
    }
    let bounds = "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 2 and 4 tasks";
    for (min, max) in [(1, 4), (2, 5)] {
        let mut drifted = observed.clone();
        let target = drifted.scalable_targets.values_mut().next().unwrap();
        (target.min, target.max) = (min, max);
        assert_eq!(changes(&desired, &drifted), [bounds], "{min}-{max}");
    }
}

#[test]
fn an_alb_policy_carries_the_load_balancers_label() {
    use crate::spec::process_list::Metric;
    let mut desired = desired();
    let web = desired.services.iter_mut().find(|service| service.process == "web").unwrap();
    web.scaling[0].metric = Metric::Alb;
    web.scaling[0].predefined_metric_type = "ALBRequestCountPerTarget".into();
    let mut observed = converged(&desired);
    let actions = diff(&desired, &observed, Options::default()).actions;
    let [Action::PutScalingPolicy(policy)] = actions.as_slice() else { panic!("{actions:?}") };
    let alb = policy.alb.as_ref().unwrap();
    assert_eq!(
        (alb.load_balancer.as_str(), alb.target_group.as_str()),
        ("acme-shop-api-staging", "acme-shop-api-staging")
    );
    // The label of the load balancer and target group in use: no change.
    let balancer =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/acme-shop-api-staging/50dc6c495c0c9188";
    let group =
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/acme-shop-api-staging/943f017f100becff";
    observed.load_balancer.as_mut().unwrap().arn = balancer.into();
    observed.load_balancer.as_mut().unwrap().listeners[0].forwards_to = vec![group.into()];
    observed.target_group.as_mut().unwrap().arn = group.into();
    let web = observed.services.get_mut("acme-shop-api-staging-web").unwrap().as_mut().unwrap();
    web.load_balancers[0].target_group_arn = group.into();
    observed.scaling_policies[0].resource_label =
        Some("app/acme-shop-api-staging/50dc6c495c0c9188/targetgroup/acme-shop-api-staging/943f017f100becff".into());
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());
    // The target group was recreated (maestro's warning about its port says to): the label is stale.
    observed.scaling_policies[0].resource_label =
        Some("app/acme-shop-api-staging/50dc6c495c0c9188/targetgroup/acme-shop-api-staging/0000000000000001".into());
    assert_eq!(
        changes(&desired, &observed),
        ["put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 55)"]
    );
    // A target group created in this run has no label yet that a live policy could carry.
    observed.target_group = None;
    assert!(
        changes(&desired, &observed)
            .contains(&"put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 55)".to_owned())
    );
}

#[test]
fn a_target_one_double_step_away_is_drift() {
    // `cpu=1` is a valid target; the next double after 1.0 is 1.0 + EPSILON, which AWS would
    // have been sent from another value: the comparison tolerates less than that step, not it.
    let mut desired = desired();
    let web = desired.services.iter_mut().find(|service| service.process == "web").unwrap();
    web.scaling[0].target = 1.0;
    let mut observed = converged(&desired);
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());
    observed.scaling_policies[0].target = 1.0 + f64::EPSILON;
    assert_eq!(
        changes(&desired, &observed),
        ["put scaling policy acme-shop-api-staging-web-cpu-scaling-policy (target 1)"]
    );
}
