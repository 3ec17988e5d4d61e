//! CloudWatch Logs: names, retention, and reads that page as AWS warns they may
//! (tests/support/strict/logs.py).

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use super::world::{World, refusal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_first_page_of_log_events_is_empty_and_its_token_leads_to_them() {
    let world = World::new("strict_the_first_page_of_log_events_is_empty").await;
    let logs = Client::new(&world.account.config);
    logs.create_log_group().log_group_name("/ecs/release").send().await.unwrap();
    logs.create_log_stream().log_group_name("/ecs/release").log_stream_name("ecs/app/1").send().await.unwrap();
    // CloudWatch Logs refuses events older than 14 days: these are from now.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let now = i64::try_from(now.as_millis()).unwrap();
    let events: Vec<InputLogEvent> = (0..3_i64)
        .map(|n| InputLogEvent::builder().timestamp(now + n).message(format!("line {n}")).build().unwrap())
        .collect();
    logs.put_log_events()
        .log_group_name("/ecs/release")
        .log_stream_name("ecs/app/1")
        .set_log_events(Some(events))
        .send()
        .await
        .unwrap();

    let read = logs
        .get_log_events()
        .log_group_name("/ecs/release")
        .log_stream_name("ecs/app/1")
        .start_from_head(false)
        .limit(2);
    let first = read.clone().send().await.unwrap();
    assert!(first.events().is_empty(), "{first:?}");
    let next = read.next_token(first.next_backward_token().unwrap()).send().await.unwrap();
    let lines: Vec<&str> = next.events().iter().filter_map(|event| event.message()).collect();
    assert_eq!(lines, ["line 1", "line 2"], "the token leads to the last events");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn log_groups_are_named_kept_and_listed_as_documented() {
    let world = World::new("strict_log_groups_are_named_kept_and_listed").await;
    let logs = Client::new(&world.account.config);
    assert_eq!(
        refusal(logs.create_log_group().log_group_name("/ecs/has space").send().await).0,
        "InvalidParameterException"
    );
    for name in ["/ecs/app-a", "/ecs/app-b", "/ecs/app-c"] {
        logs.create_log_group().log_group_name(name).send().await.unwrap();
    }
    let retention = logs.put_retention_policy().log_group_name("/ecs/app-a");
    assert_eq!(refusal(retention.clone().retention_in_days(2).send().await).0, "InvalidParameterException");
    retention.retention_in_days(14).send().await.unwrap();
    let first = logs.describe_log_groups().log_group_name_prefix("/ecs/app-").limit(50).send().await.unwrap();
    assert_eq!((first.log_groups().len(), first.next_token().is_some()), (2, true));
}
