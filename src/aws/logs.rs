//! CloudWatch Logs: the app's log groups.

use std::collections::BTreeMap;

use aws_sdk_cloudwatchlogs::Client;

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::logs::LogEvent;
use maestro_core::provision::observed::ObservedLogGroup;
use maestro_core::spec::tags::Tag;
use maestro_core::text::common_prefix;

#[derive(Debug, Clone)]
pub(crate) struct Logs(pub(crate) Client);

/// The most GetLogEvents pages one tail reads: an error message waits for it.
const TAIL_PAGES: usize = 10;

impl Logs {
    /// The groups among `names` that exist, found with one listing of their common prefix.
    /// Names must match exactly: the original took `/ecs/app-web` for `/ecs/app-webhooks`.
    pub(crate) async fn groups(&self, names: &[String]) -> Result<BTreeMap<String, Option<ObservedLogGroup>>, Failure> {
        let mut found: BTreeMap<String, Option<ObservedLogGroup>> =
            names.iter().map(|name| (name.clone(), None)).collect();
        let Some(prefix) = common_prefix(names) else { return Ok(found) };
        // 50 a page, DescribeLogGroups' most: one call for most apps.
        let mut pages = self.0.describe_log_groups().log_group_name_prefix(prefix).limit(50).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure(&format!("list log groups under {prefix}"), &error))?;
            for group in page.log_groups() {
                let Some(name) = group.log_group_name() else { continue };
                if let Some(slot) = found.get_mut(name) {
                    *slot = Some(ObservedLogGroup {
                        arn: group.arn().unwrap_or_default().to_owned(),
                        retention_days: group.retention_in_days(),
                    });
                }
            }
        }
        Ok(found)
    }

    /// The last `count` lines of a log stream; empty when it cannot be read (logs are a courtesy
    /// in an error message, never a reason to fail differently). GetLogEvents may answer a page
    /// with fewer events than exist, even none: "Partially full or empty pages don't necessarily
    /// mean that pagination is finished. As long as the nextBackwardToken … returned is NOT equal
    /// to the nextToken that you passed into the API call, there might be more log events
    /// available" (aws-sdk-cloudwatchlogs 1.162.0). So pages are read backwards until there are
    /// enough lines, the token repeats, or `TAIL_PAGES` pages were read.
    pub(crate) async fn tail(&self, group: &str, stream: &str, count: i32) -> Vec<String> {
        let wanted = usize::try_from(count).unwrap_or_default();
        let mut lines: Vec<String> = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..TAIL_PAGES {
            let page = self
                .0
                .get_log_events()
                .log_group_name(group)
                .log_stream_name(stream)
                .start_from_head(false)
                .limit(count)
                .set_next_token(token.clone())
                .send()
                .await;
            let Ok(page) = page else { break };
            // Each page is in time order, and each is older than the one before.
            let mut older: Vec<String> =
                page.events().iter().filter_map(|event| event.message().map(str::to_owned)).collect();
            older.append(&mut lines);
            lines = older;
            let next = page.next_backward_token().map(str::to_owned);
            if lines.len() >= wanted || next.is_none() || next == token {
                break;
            }
            token = next;
        }
        let surplus = lines.len().saturating_sub(wanted);
        lines.split_off(surplus)
    }

    /// The lines of a stream after `token` (from its start without one), read page by page to
    /// the stream's current end: GetLogEvents' `nextForwardToken` "If you have reached the end of
    /// the stream, it returns the same token you passed in", and a partial or empty page before
    /// that does not mean the end (aws-sdk-cloudwatchlogs 1.162.0, GetLogEventsFluentBuilder).
    /// Returns the lines and the token to go on from; none, and the same token, while the stream
    /// does not exist yet (a task that has not started writes nothing).
    pub(crate) async fn read_on(
        &self,
        group: &str,
        stream: &str,
        mut token: Option<String>,
    ) -> Result<(Vec<String>, Option<String>), Failure> {
        let mut lines = Vec::new();
        loop {
            let page = self
                .0
                .get_log_events()
                .log_group_name(group)
                .log_stream_name(stream)
                .start_from_head(true)
                .set_next_token(token.clone())
                .send()
                .await;
            let page = match page {
                Ok(page) => page,
                Err(error) if code(&error) == Some("ResourceNotFoundException") => return Ok((lines, token)),
                Err(error) => return Err(failure(&format!("read log stream {group} {stream}"), &error)),
            };
            lines.extend(page.events().iter().filter_map(|event| event.message().map(str::to_owned)));
            let next = page.next_forward_token().map(str::to_owned);
            if next.is_none() || next == token {
                return Ok((lines, token));
            }
            token = next;
        }
    }

    /// Every event of `group` from `start` (milliseconds since the epoch) on, oldest first, as
    /// `process`'s; `None` when the group does not exist (the process never deployed).
    /// FilterLogEvents interleaves the group's streams in time order, and its pages may be
    /// "partially full, or even empty" while more remain: the pages are read until no `nextToken`
    /// (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
    pub(crate) async fn events_since(
        &self,
        process: &str,
        group: &str,
        start: i64,
    ) -> Result<Option<Vec<LogEvent>>, Failure> {
        let mut events = Vec::new();
        let mut pages = self.0.filter_log_events().log_group_name(group).start_time(start).into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = match page {
                Ok(page) => page,
                Err(error) if code(&error) == Some("ResourceNotFoundException") => return Ok(None),
                Err(error) => return Err(failure(&format!("read the events of log group {group}"), &error)),
            };
            events.extend(page.events().iter().map(|event| LogEvent {
                process: process.to_owned(),
                stream: event.log_stream_name().unwrap_or_default().to_owned(),
                timestamp: event.timestamp().unwrap_or_default(),
                event_id: event.event_id().unwrap_or_default().to_owned(),
                message: event.message().unwrap_or_default().to_owned(),
            }));
        }
        Ok(Some(events))
    }

    pub(crate) async fn set_retention(&self, name: &str, days: u32) -> Result<(), Failure> {
        self.0
            .put_retention_policy()
            .log_group_name(name)
            .retention_in_days(i32::try_from(days).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|error| failure(&format!("set the retention of log group {name}"), &error))?;
        Ok(())
    }

    pub(crate) async fn create(&self, name: &str, tags: &[Tag]) -> Result<(), Failure> {
        let tags = tags.iter().map(|tag| (tag.key.clone(), tag.value.clone())).collect();
        self.0
            .create_log_group()
            .log_group_name(name)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|error| failure(&format!("create log group {name}"), &error))?;
        Ok(())
    }
}

#[cfg(test)]
#[path = "logs_tests.rs"]
mod tests;
