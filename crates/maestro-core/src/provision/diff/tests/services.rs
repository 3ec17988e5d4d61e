//! Services: each update names what changed, and only changes of revision run the release.

use super::*;

#[test]
fn service_drift_is_named_and_autoscaled_counts_are_left_alone() {
    let desired = desired();
    let mut observed = converged(&desired);
    let worker = observed.services.get_mut("acme-shop-api-staging-worker").unwrap().as_mut().unwrap();
    worker.desired_count = 1;
    worker.circuit_breaker = None;
    worker.subnets = vec!["subnet-zz".into()];
    let names = changes(&desired, &observed);
    // `web` autoscales (2-4) and runs 3 tasks: the autoscaler's count is not drift.
    assert_eq!(
        names,
        [
            "update service acme-shop-api-staging-worker (3 tasks instead of 1, network configuration, deployment circuit breaker)"
        ]
    );
    // The JSON (plan and deploy report) carries each change as its sentence.
    let actions = diff(&desired, &observed, Options::default()).actions;
    assert_eq!(
        serde_json::to_value(&actions[0]).unwrap()["reasons"],
        json!(["3 tasks instead of 1", "network configuration", "deployment circuit breaker"])
    );
}

#[test]
fn an_autoscaled_service_below_its_minimum_is_raised_to_it() {
    // After `maestro stop`: web (2-4) at zero tasks. The update raises it, so the deploy follows
    // the tasks coming back; RegisterScalableTarget would raise it unwatched.
    let desired = desired();
    let mut observed = converged(&desired);
    web(&mut observed).desired_count = 0;
    let actions = diff(&desired, &observed, Options::default()).actions;
    assert_eq!(described(&actions), ["update service acme-shop-api-staging-web (2 tasks instead of 0)"]);
    let [Action::UpdateService(web)] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(web.desired_count, Some(2));
    assert!(!web.moves_revision(), "a count releases nothing");
}

#[test]
fn orphaned_services_are_deleted_only_with_prune() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.orphaned_services = vec!["acme-shop-api-staging-clock".into()];
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty());
    let pruned = diff(&desired, &observed, Options { prune: true });
    let names = described(&pruned.actions);
    assert_eq!(names, ["delete service acme-shop-api-staging-clock (no longer planned)"]);
    // An autoscaled one loses its scalable target first, which would outlive it.
    let target = "service/acme-shop-api-staging/acme-shop-api-staging-clock";
    observed.orphaned_scalable_targets = vec![target.into()];
    let pruned = diff(&desired, &observed, Options { prune: true });
    assert_eq!(
        described(&pruned.actions),
        [format!("stop autoscaling {target}"), "delete service acme-shop-api-staging-clock (no longer planned)".into()]
    );
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty(), "nothing without --prune");
}

#[test]
fn a_draining_namesake_is_said_and_the_service_still_created() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.services.insert("acme-shop-api-staging-worker".into(), None);
    observed.draining_services = BTreeSet::from(["acme-shop-api-staging-worker".to_owned()]);
    let diff = diff(&desired, &observed, Options::default());
    assert_eq!(described(&diff.actions), ["create service acme-shop-api-staging-worker"]);
    assert_eq!(
        diff.warnings,
        [
            "service acme-shop-api-staging-worker was deleted and is still draining; maestro waits for ECS to let its name be used again before creating it"
        ]
    );
}

#[test]
fn each_drift_is_its_own_change_and_only_a_revision_moves_the_service() {
    use crate::provision::service_change::ServiceChange;
    let desired = desired();
    let mut observed = converged(&desired);
    let web = observed.services.get_mut("acme-shop-api-staging-web").unwrap().as_mut().unwrap();
    // A run stopped after registering revision 3, before the service moved off revision 2.
    web.task_definition = "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-web:2".into();
    web.execute_command = false;
    web.propagate_tags = Some(PropagateTags::Service);
    web.load_balancers.clear();
    let worker = observed.services.get_mut("acme-shop-api-staging-worker").unwrap().as_mut().unwrap();
    worker.propagate_tags = None;
    let actions = diff(&desired, &observed, Options::default()).actions;
    assert_eq!(
        described(&actions),
        [
            "update service acme-shop-api-staging-web (runs acme-shop-api-staging-web:2 instead of the latest revision, ECS Exec, tag propagation, load balancer attachment)",
            "update service acme-shop-api-staging-worker (tag propagation)",
        ]
    );
    let [Action::UpdateService(web), Action::UpdateService(worker)] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(
        web.changes,
        [
            ServiceChange::BehindLatest { running: "acme-shop-api-staging-web:2".into() },
            ServiceChange::Exec,
            ServiceChange::TagPropagation,
            ServiceChange::LoadBalancer,
        ]
    );
    assert!(web.moves_revision(), "the release runs before web moves to the latest revision");
    assert!(!worker.moves_revision(), "tag propagation alone releases nothing");
}

/// The live `web` service of `observed`.
fn web(observed: &mut Observed) -> &mut ObservedService {
    observed.services.get_mut("acme-shop-api-staging-web").unwrap().as_mut().unwrap()
}

#[test]
fn each_drift_of_a_service_is_named() {
    let desired = desired();
    let observed = converged(&desired);
    let update = |change: &str| format!("update service acme-shop-api-staging-web ({change})");
    let drifts: [(Drift<ObservedService>, &str); 10] = [
        (("other security groups", |live| live.security_groups = vec!["sg-9".into()]), "network configuration"),
        (("a public IP", |live| live.assign_public_ip = true), "network configuration"),
        (
            ("no rollback", |live| {
                live.circuit_breaker =
                    Some(CircuitBreaker { enable: true, rollback: false, ..CircuitBreaker::default() })
            }),
            "deployment circuit breaker",
        ),
        (
            ("a second target group", |live| {
                let mut second = live.load_balancers[0].clone();
                second.target_group_arn = "arn:other-tg".into();
                live.load_balancers.push(second);
            }),
            "load balancer attachment",
        ),
        (("another container", |live| live.load_balancers[0].container = "sidecar".into()), "load balancer attachment"),
        (("another port", |live| live.load_balancers[0].port = 8080), "load balancer attachment"),
        (
            ("another target group", |live| live.load_balancers[0].target_group_arn = "arn:other-tg".into()),
            "load balancer attachment",
        ),
        (
            ("on-demand tasks", |live| live.capacity_provider_strategy[0].capacity_provider = "FARGATE".into()),
            "capacity provider",
        ),
        (("no grace period", |live| live.health_check_grace_period = None), "health-check grace period"),
        (
            ("Service Connect on", |live| {
                live.service_connect =
                    Some(ObservedServiceConnect { enabled: true, ..ObservedServiceConnect::default() })
            }),
            "Service Connect",
        ),
    ];
    for ((drift, apply), change) in drifts {
        let mut drifted = observed.clone();
        apply(web(&mut drifted));
        assert_eq!(changes(&desired, &drifted), [update(change)], "{drift}");
    }
    // Security groups and subnets in another order are the same configuration.
    let mut reordered = observed.clone();
    web(&mut reordered).subnets.reverse();
    assert_eq!(changes(&desired, &reordered), Vec::<String>::new());
    // A service ECS reports no strategy for (created with a launch type) is left on it, and
    // Service Connect turned off is no Service Connect.
    let mut unknown = observed.clone();
    web(&mut unknown).capacity_provider_strategy.clear();
    web(&mut unknown).service_connect = Some(ObservedServiceConnect::default());
    assert_eq!(changes(&desired, &unknown), Vec::<String>::new());
    // A missing tag is added, without updating the service.
    let mut untagged = observed.clone();
    web(&mut untagged).tags.clear();
    assert_eq!(
        changes(&desired, &untagged),
        ["tag arn:service/acme-shop-api-staging-web (team, maestro:app, maestro:environment)"]
    );
}

#[test]
fn a_new_service_is_created_whole() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.services.insert("acme-shop-api-staging-web".into(), None);
    let actions = diff(&desired, &observed, Options::default()).actions;
    let [Action::CreateService(spec)] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(
        (spec.family.as_str(), spec.desired_count, spec.container.as_str(), spec.port, spec.target_group.as_deref()),
        ("acme-shop-api-staging-web", Some(2), "acme-shop-api", 3000, Some("acme-shop-api-staging"))
    );
    assert_eq!((spec.subnets.join(","), spec.security_groups.join(",")), ("subnet-a1,subnet-b2".into(), "sg-1".into()));
}

#[test]
fn the_load_balancer_targets_the_container_of_the_services_own_task_definition() {
    let mut desired = desired();
    let web = desired.task_definitions.iter_mut().find(|definition| definition.process == "web").unwrap();
    web.container = "web-app".into();
    let mut observed = converged(&desired);
    observed.services.insert("acme-shop-api-staging-web".into(), None);
    let actions = diff(&desired, &observed, Options::default()).actions;
    let [Action::CreateService(spec)] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(spec.container, "web-app");
}

#[test]
fn only_web_gets_a_grace_period_and_every_service_its_own_capacity_provider() {
    let desired = desired();
    let graces: Vec<(&str, Option<u32>)> =
        desired.services.iter().map(|service| (service.process.as_str(), service.health_check_grace_period)).collect();
    assert_eq!(graces, [("web", Some(60)), ("worker", None)], "ECS refuses a grace period without a load balancer");
    let mut observed = converged(&desired);
    observed.services.insert("acme-shop-api-staging-worker".into(), None);
    let actions = diff(&desired, &observed, Options::default()).actions;
    let [Action::CreateService(spec)] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(spec.capacity_provider_strategy, desired.cluster.default_capacity_provider_strategy);
    assert_eq!(spec.health_check_grace_period, None);
}

#[test]
fn service_connect_compares_a_namespace_echoed_as_an_arn_by_its_other_fields() {
    let mut desired = desired();
    let connect = crate::plan::desired::ServiceConnect {
        namespace: "shop.local".into(),
        port_name: "acme-shop-api-web".into(),
        discovery_name: "acme-shop-api-staging-web".into(),
        dns_name: "web".into(),
        port: 3000,
    };
    desired.services[0].service_connect = Some(connect);
    let mut observed = converged(&desired);
    let live = web(&mut observed).service_connect.as_mut().unwrap();
    live.namespace = "arn:aws:servicediscovery:us-east-1:123456789012:namespace/ns-abc".into();
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());
    web(&mut observed).service_connect.as_mut().unwrap().dns_name = "api".into();
    assert_eq!(changes(&desired, &observed), ["update service acme-shop-api-staging-web (Service Connect)"]);
    web(&mut observed).service_connect = None;
    assert_eq!(changes(&desired, &observed), ["update service acme-shop-api-staging-web (Service Connect)"]);
}
