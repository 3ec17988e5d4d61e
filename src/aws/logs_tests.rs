//! The log tail against the emulator, whose first GetLogEvents page is empty while events exist
//! (as the API reference allows), and whose backward token repeats at the stream's start.

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use super::Logs;
use maestro_test_support::TestAccount;

const GROUP: &str = "/ecs/acme-shop-api-staging-release";
const STREAM: &str = "ecs/acme-shop-api/0123456789abcdef";

/// The account's logs with `lines` in the release's stream, oldest first.
async fn logs_with(test: &str, lines: &[&str]) -> Logs {
    let client = Client::new(&TestAccount::new(test).await.config);
    client.create_log_group().log_group_name(GROUP).send().await.unwrap();
    client.create_log_stream().log_group_name(GROUP).log_stream_name(STREAM).send().await.unwrap();
    // Now: CloudWatch Logs refuses events older than its retention window.
    let now = i64::try_from(crate::clock::unix_millis()).unwrap();
    let events = lines
        .iter()
        .zip(now - 1_000..)
        .map(|(line, timestamp)| InputLogEvent::builder().message(*line).timestamp(timestamp).build().unwrap());
    let put = client.put_log_events().log_group_name(GROUP).log_stream_name(STREAM);
    put.set_log_events(Some(events.collect())).send().await.unwrap();
    Logs(client)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_tail_reads_past_an_empty_first_page_and_keeps_the_last_lines_in_order() {
    let lines = ["migrating", "create table users", "create table orders", "error: no such column", "exit 1"];
    let logs = logs_with("the_tail_reads_past_an_empty_first_page", &lines).await;
    assert_eq!(logs.tail(GROUP, STREAM, 3).await, ["create table orders", "error: no such column", "exit 1"]);
    // Asked for more than the stream holds: every line, and the reading stops at the start.
    assert_eq!(logs.tail(GROUP, STREAM, 20).await, lines);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_stream_that_does_not_exist_has_no_lines() {
    let logs = logs_with("a_stream_that_does_not_exist_has_no_lines", &[]).await;
    assert!(logs.tail(GROUP, "ecs/acme-shop-api/missing", 5).await.is_empty());
}
