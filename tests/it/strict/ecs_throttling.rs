//! ECS's request throttling, opt-in per account (tests/support/strict/ecs_throttling.py): a token
//! bucket per account, Region and category, capacity the burst, refilled at the sustained rate
//! (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html).

use std::time::{Duration, Instant};

use aws_sdk_ecs::error::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use maestro_test_support::{ecs_throttled, repository_root, throttle_ecs};

use super::world::World;

/// The task definition modify bucket: burst 20, then 1 a second.
const BURST: u32 = 20;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_burst_past_the_bucket_is_throttled_and_one_more_passes_a_second_later() {
    let world = World::new("strict_a_burst_past_the_bucket_is_throttled").await;
    let id = world.account.id.clone();
    tokio::task::spawn_blocking(move || throttle_ecs(&id)).await.unwrap();
    // No retries: each answer is the emulator's own.
    let config = aws_sdk_ecs::config::Builder::from(&world.account.config).retry_config(RetryConfig::disabled());
    let world = World { ecs: aws_sdk_ecs::Client::from_conf(config.build()), ..world };

    let started = Instant::now();
    let mut passed = 0;
    let refused = loop {
        match world.fargate("burst", false).send().await {
            Ok(_) => passed += 1,
            Err(error) => break error,
        }
        assert!(passed <= 2 * BURST, "{passed} registrations and no throttle");
    };
    // The bucket refills at 1 a second while the burst is sent.
    let refilled = started.elapsed().as_secs() as u32 + 1;
    assert!((BURST..=BURST + refilled).contains(&passed), "{passed} registrations passed before a throttle");
    let status = refused.raw_response().map(|answer| answer.status().as_u16());
    assert_eq!(
        (refused.code(), refused.message(), status),
        (Some("ThrottlingException"), Some("Rate exceeded"), Some(400))
    );

    // Another category's bucket is its own: the reads and the cluster's writes still pass.
    world.ecs.describe_task_definition().task_definition("burst").send().await.unwrap();
    world.ecs.list_clusters().send().await.unwrap();
    world.ecs.create_cluster().cluster_name("another").send().await.unwrap();

    tokio::time::sleep(Duration::from_millis(1100)).await;
    world.fargate("burst", false).send().await.unwrap();

    let id = world.account.id.clone();
    let report = tokio::task::spawn_blocking(move || ecs_throttled(&id)).await.unwrap();
    assert_eq!(report["throttled"], 1, "{report}");
    assert_eq!(report["by_action"]["RegisterTaskDefinition"], 1, "{report}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_account_not_opted_in_is_never_throttled() {
    let world = World::new("strict_an_account_not_opted_in_is_never_throttled").await;
    let config = aws_sdk_ecs::config::Builder::from(&world.account.config).retry_config(RetryConfig::disabled());
    let world = World { ecs: aws_sdk_ecs::Client::from_conf(config.build()), ..world };
    for _ in 0..BURST + 5 {
        world.fargate("unthrottled", false).send().await.unwrap();
    }
    let id = world.account.id.clone();
    let report = tokio::task::spawn_blocking(move || ecs_throttled(&id)).await.unwrap();
    assert_eq!(report["throttled"], 0, "{report}");
}

/// The emulator's table (strict/ecs_throttling.py) and maestro's (the core's `pacing::ecs_rates`)
/// are both the reference's: every action has the same burst and sustained rate in each.
#[test]
fn the_emulator_and_maestro_pace_by_the_same_table() {
    use maestro_core::pacing::ecs_rates::{EcsCategory, Rate};
    let source = std::fs::read_to_string(repository_root().join("tests/support/strict/ecs_throttling.py")).unwrap();
    let table = source.split("TABLE = \"\"\"\n").nth(1).unwrap().split("\"\"\"").next().unwrap();
    let (mut actions, mut rate) = (0, None);
    for line in table.lines() {
        let names = if let Some(rest) = line.strip_prefix("    ") {
            rest
        } else {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            rate = Some(Rate { burst: cells[1].parse().unwrap(), per_second: cells[2].parse().unwrap() });
            cells[3]
        };
        for action in names.split_whitespace() {
            assert_eq!(EcsCategory::of(action).map(EcsCategory::rate), rate, "{action}");
            actions += 1;
        }
    }
    assert_eq!(actions, 53, "every action of the reference's table");
}
