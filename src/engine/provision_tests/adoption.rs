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

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn long_branches_cut_alike_keep_their_own_load_balancers() {
    use aws_sdk_elasticloadbalancingv2::types::{ProtocolEnum, Tag, TargetTypeEnum};
    let scenario = Scenario::new("long_branches_cut_alike_keep_their_own_load_balancers").await;
    let (account, network) = (&scenario.account, &scenario.network);
    // What maestro before the hash created for `feature-payments-refactor-v2`: both cut to 32
    // characters, the load balancer with its marker; the target group as the bash maestro left
    // it, untagged.
    let former = "acme-shop-api-feature-payments-r";
    let marker = Tag::builder().key("maestro:app").value("acme-shop-api-feature-payments-refactor-v2").build();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    elb.create_load_balancer()
        .name(former)
        .set_subnets(Some(network.subnets.clone()))
        .tags(marker.clone())
        .send()
        .await
        .unwrap();
    elb.create_target_group()
        .name(former)
        .protocol(ProtocolEnum::Http)
        .port(3000)
        .vpc_id(&network.vpc_id)
        .target_type(TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();

    let v2 = scenario.plan(&[("MAESTRO_BRANCH_OVERRIDE", "feature-payments-refactor-v2")]);
    let actions = scenario.reconcile(&v2).await.actions();
    assert!(
        !actions
            .iter()
            .any(|action| action.starts_with("create load balancer") || action.starts_with("create target group")),
        "its own, under the former names, are adopted: {actions:?}"
    );
    // Adopted, the untagged target group gets the marker, so `-v3` leaves it to `-v2`.
    assert!(
        actions.iter().any(|action| action.starts_with(&format!("tag {former} (")) && action.contains("maestro:app")),
        "{actions:?}"
    );
    scenario.reconcile(&v2).await.assert_converged();

    // The original would have given `-v3` the same two; it gets its own, under hashed names.
    let v3 = scenario.plan(&[("MAESTRO_BRANCH_OVERRIDE", "feature-payments-refactor-v3")]);
    let name = v3.load_balancer.as_ref().unwrap().name.clone();
    assert!(name.len() <= 32 && name != former, "{name}");
    let actions = scenario.reconcile(&v3).await.actions();
    assert!(actions.contains(&format!("create load balancer {name} (internet-facing)")), "{actions:?}");
    assert!(actions.contains(&format!("create target group {name} (port 3000)")), "{actions:?}");
    scenario.reconcile(&v3).await.assert_converged();
    let balancers = elb.describe_load_balancers().send().await.unwrap();
    assert_eq!(balancers.load_balancers().len(), 2);
    let mut groups = Vec::new();
    let mut pages = elb.describe_target_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        groups.extend(
            page.unwrap().target_groups().iter().filter_map(|group| group.target_group_name().map(str::to_owned)),
        );
    }
    assert_eq!(groups.len(), 2, "each branch its own target group: {groups:?}");
}
