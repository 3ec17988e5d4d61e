//! ECS clusters: names and capacity provider strategies, and what DeleteCluster refuses
//! (tests/support/strict/ecs_clusters.py).

use aws_sdk_ecs::types::CapacityProviderStrategyItem;

use super::world::{CLUSTER, World, refusal};

fn item(provider: &str, base: i32) -> CapacityProviderStrategyItem {
    CapacityProviderStrategyItem::builder().capacity_provider(provider).weight(1).base(base).build().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_strategy_names_only_the_clusters_providers_and_one_base() {
    let world = World::new("strict_a_strategy_names_only_the_clusters_providers").await;
    let put = world.ecs.put_cluster_capacity_providers().cluster(CLUSTER).capacity_providers("FARGATE");
    let (code, message) = refusal(put.clone().default_capacity_provider_strategy(item("FARGATE_SPOT", 0)).send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("not associated with the cluster"), "{message}");
    let both = put.clone().capacity_providers("FARGATE_SPOT");
    let (code, _) = refusal(
        both.clone()
            .default_capacity_provider_strategy(item("FARGATE", 1))
            .default_capacity_provider_strategy(item("FARGATE_SPOT", 1))
            .send()
            .await,
    );
    assert_eq!(code, "InvalidParameterException");
    both.default_capacity_provider_strategy(item("FARGATE", 1))
        .default_capacity_provider_strategy(item("FARGATE_SPOT", 0))
        .send()
        .await
        .unwrap();
    assert_eq!(
        refusal(world.ecs.create_cluster().cluster_name("no spaces").send().await).0,
        "InvalidParameterException"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_strategy_names_providers_that_exist_with_weights_and_bases_in_range() {
    let world = World::new("strict_a_strategy_names_providers_that_exist_in_range").await;
    let put = world.ecs.put_cluster_capacity_providers().cluster(CLUSTER);
    let (code, message) = refusal(put.clone().capacity_providers("nope").send().await);
    assert_eq!(code, "InvalidParameterException");
    assert!(message.contains("'nope' does not exist"), "{message}");
    let fargate = CapacityProviderStrategyItem::builder().capacity_provider("FARGATE");
    for (weight, base) in [(1001, 0), (-1, 0), (1, 100_001), (1, -1)] {
        let item = fargate.clone().weight(weight).base(base).build().unwrap();
        let (code, message) =
            refusal(put.clone().capacity_providers("FARGATE").default_capacity_provider_strategy(item).send().await);
        assert_eq!(code, "InvalidParameterException", "weight {weight}, base {base}");
        assert!(message.contains("between 0 and 1000"), "{message}");
    }
    let item = fargate.weight(1000).base(100_000).build().unwrap();
    put.capacity_providers("FARGATE").default_capacity_provider_strategy(item).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_cluster_with_a_service_active_or_draining_cannot_be_deleted() {
    let world = World::new("strict_a_cluster_with_a_service_cannot_be_deleted").await;
    let definition = world.definition("kept", true).await;
    world.service("kept", &definition).desired_count(0).send().await.unwrap();
    let delete = world.ecs.delete_cluster().cluster(CLUSTER);
    assert_eq!(refusal(delete.clone().send().await).0, "ClusterContainsServicesException");
    world.ecs.delete_service().cluster(CLUSTER).service("kept").force(true).send().await.unwrap();
    // DRAINING still counts; once DescribeServices shows it INACTIVE, the cluster goes.
    assert_eq!(refusal(delete.clone().send().await).0, "ClusterContainsServicesException");
    let mut polls = 0;
    while world.describe("kept").await.0 != ["INACTIVE"] {
        polls += 1;
        assert!(polls < 20, "the deleted service never became INACTIVE");
    }
    delete.send().await.unwrap();
}
