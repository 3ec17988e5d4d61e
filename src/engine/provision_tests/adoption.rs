//! Resources the bash maestro created are adopted, never duplicated.

use super::Scenario;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn resources_of_the_bash_maestro_are_adopted() {
    let scenario = Scenario::new("resources_of_the_bash_maestro_are_adopted").await;
    let account = &scenario.account;
    scenario.seed_secret().await;
    // What the original created: the cluster (its FARGATE_SPOT default) and the web log group,
    // plus a log group whose name merely starts like one of ours.
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let spot = aws_sdk_ecs::types::CapacityProviderStrategyItem::builder()
        .capacity_provider("FARGATE_SPOT")
        .weight(1)
        .build()
        .unwrap();
    ecs.create_cluster()
        .cluster_name("acme-shop-api-staging")
        .capacity_providers("FARGATE")
        .capacity_providers("FARGATE_SPOT")
        .default_capacity_provider_strategy(spot)
        .send()
        .await
        .unwrap();
    let logs = aws_sdk_cloudwatchlogs::Client::new(&account.config);
    for name in ["/ecs/acme-shop-api-staging-web", "/ecs/acme-shop-api-staging-webhooks"] {
        logs.create_log_group().log_group_name(name).send().await.unwrap();
    }

    let actions = scenario.reconcile(&scenario.plan(&[])).await.actions();
    assert!(!actions.iter().any(|action| action.starts_with("create cluster")), "{actions:?}");
    assert!(!actions.contains(&"create log group /ecs/acme-shop-api-staging-web".to_owned()), "{actions:?}");
    assert!(actions.contains(&"create log group /ecs/acme-shop-api-staging-worker".to_owned()), "{actions:?}");
    assert!(
        actions.iter().any(|action| action.starts_with("tag arn:aws:ecs:us-east-1:")),
        "the adopted cluster gets maestro's tags: {actions:?}"
    );
    let clusters = ecs.list_clusters().send().await.unwrap();
    assert_eq!(clusters.cluster_arns().len(), 1, "no duplicate cluster");
    assert!(clusters.cluster_arns()[0].contains(&account.id), "the test's own account");
    let groups =
        logs.describe_log_groups().log_group_name_prefix("/ecs/acme-shop-api-staging-web").send().await.unwrap();
    assert_eq!(groups.log_groups().len(), 2, "no duplicate log group");
}
