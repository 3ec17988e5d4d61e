//! CloudWatch Logs: names, retention, and reads that page as AWS warns they may
//! (tests/support/strict/logs.py), and FilterLogEvents's parameters and pages.

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

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn filter_log_events_checks_its_parameters_and_pages_in_time_order() {
    let world = World::new("strict_filter_log_events_checks_its_parameters").await;
    let logs = Client::new(&world.account.config);
    let group = "/ecs/app-web";
    logs.create_log_group().log_group_name(group).send().await.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    let now = i64::try_from(now.as_millis()).unwrap();
    // Two streams whose events interleave: moto listed them stream by stream.
    for (stream, offsets) in [("ecs/app/a", [0_i64, 2, 4]), ("ecs/app/b", [1, 3, 5])] {
        logs.create_log_stream().log_group_name(group).log_stream_name(stream).send().await.unwrap();
        let events = offsets.iter().map(|offset| {
            InputLogEvent::builder().timestamp(now + offset).message(format!("at {offset}")).build().unwrap()
        });
        let put = logs.put_log_events().log_group_name(group).log_stream_name(stream);
        put.set_log_events(Some(events.collect())).send().await.unwrap();
    }

    let filter = logs.filter_log_events().log_group_name(group);
    for refused in [
        filter.clone().limit(0),
        filter.clone().limit(10_001),
        filter.clone().start_time(-1),
        filter.clone().start_time(now).end_time(now - 1),
        logs.filter_log_events().log_group_name("/ecs/has space"),
        filter.clone().log_group_identifier(group),
    ] {
        assert_eq!(refusal(refused.send().await).0, "InvalidParameterException");
    }
    assert_eq!(
        refusal(logs.filter_log_events().log_group_name("/ecs/none").send().await).0,
        "ResourceNotFoundException"
    );

    let first = filter.clone().start_time(now + 1).limit(10_000).send().await.unwrap();
    assert!(first.events().is_empty() && first.next_token().is_some(), "the first page is empty: {first:?}");
    let mut token = first.next_token().map(str::to_owned);
    let mut read = Vec::new();
    while let Some(next) = token {
        let page = filter.clone().start_time(now + 1).next_token(next).send().await.unwrap();
        assert!(page.events().len() <= 2, "pages of at most two: {page:?}");
        read.extend(page.events().iter().map(|event| event.message().unwrap().to_owned()));
        token = page.next_token().map(str::to_owned);
    }
    assert_eq!(read, ["at 1", "at 2", "at 3", "at 4", "at 5"], "both streams in time order, from startTime");
    let nothing = filter.clone().start_time(now + 60_000).send().await.unwrap();
    assert!(nothing.events().is_empty() && nothing.next_token().is_none(), "{nothing:?}");
}
