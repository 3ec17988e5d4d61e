//! The cluster and its log groups: adopted as they are, changed only where the plan says.

use super::*;

#[test]
fn an_adopted_cluster_keeps_other_providers_and_tags() {
    let desired = desired();
    let mut observed = converged(&desired);
    let cluster = observed.cluster.as_mut().unwrap();
    cluster.capacity_providers = vec!["FARGATE".into(), "my-asg-provider".into()];
    cluster.tags = vec![Tag { key: "owner".into(), value: "ops".into() }];
    let actions = diff(&desired, &observed, Options::default()).actions;
    let Action::PutClusterCapacityProviders { capacity_providers, .. } = &actions[0] else { panic!("{actions:?}") };
    assert_eq!(capacity_providers, &["FARGATE", "my-asg-provider", "FARGATE_SPOT"]);
    let Action::TagResource { tags, .. } = &actions[1] else { panic!("{actions:?}") };
    assert_eq!(tags.len(), 3, "only the tags maestro sets, never removing `owner`");
}

#[test]
fn the_default_capacity_provider_can_be_on_demand() {
    let desired = desired();
    let mut on_demand = desired.clone();
    on_demand.cluster.default_capacity_provider_strategy[0].capacity_provider = CapacityProvider::Fargate;
    let names = changes(&on_demand, &converged(&desired));
    assert_eq!(names, ["set the capacity providers of cluster acme-shop-api-staging to FARGATE, FARGATE_SPOT"]);
}

#[test]
fn log_retention_is_set_only_when_configured() {
    let mut desired = desired();
    let observed = converged(&desired);
    assert!(diff(&desired, &observed, Options::default()).actions.is_empty(), "unset leaves retention alone");
    desired.log_retention_days = Some(30);
    let names = changes(&desired, &observed);
    assert_eq!(
        names,
        [
            "keep the events of log group /ecs/acme-shop-api-staging-web for 30 days",
            "keep the events of log group /ecs/acme-shop-api-staging-worker for 30 days",
            "keep the events of log group /ecs/acme-shop-api-staging-launcher for 30 days",
        ]
    );
}

#[test]
fn a_shared_clusters_default_strategy_is_left_to_its_owner() {
    let mut desired = desired();
    desired.cluster.shared = true;
    desired.cluster.default_capacity_provider_strategy[0].capacity_provider = CapacityProvider::Fargate;
    assert_eq!(changes(&desired, &converged(&desired)), Vec::<String>::new(), "the services carry their own");
    let mut observed = converged(&desired);
    observed.cluster.as_mut().unwrap().capacity_providers = vec!["FARGATE".into()];
    assert_eq!(
        changes(&desired, &observed),
        ["set the capacity providers of cluster acme-shop-api-staging to FARGATE, FARGATE_SPOT"],
        "a missing provider is still added"
    );
}
