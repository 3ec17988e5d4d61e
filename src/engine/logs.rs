//! `maestro logs`' reads: every process's log group from a start time, concurrently, merged into
//! one time order by the core; and `--follow`'s polls, each from a little before the newest
//! event seen, printing only what was not printed before (`core::logs::Seen`).

use std::collections::BTreeSet;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::aws::logs::Logs;
use crate::error::{Error, Failure};
use maestro_core::logs::sources::Source;
use maestro_core::logs::{LogEvent, Seen, merge};

/// Between two polls of `--follow`: new lines show within seconds, and a poll of a few groups
/// stays far below FilterLogEvents' quota (25 requests per second per account and region,
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/cloudwatch_limits_cwl.html).
pub(crate) const FOLLOW_POLL: Duration = Duration::from_secs(2);

/// The log groups' reader; remembers which groups were missing, to warn once.
pub(crate) struct Reader {
    logs: Logs,
    sources: Vec<Source>,
    missing: BTreeSet<String>,
}

impl Reader {
    pub(crate) fn new(logs: Logs, sources: Vec<Source>) -> Self {
        Self { logs, sources, missing: BTreeSet::new() }
    }

    /// Every event of every source from `start` on, in time order. A group that does not exist
    /// is warned about (once) and read as empty: the process has not been deployed yet.
    pub(crate) async fn read(&mut self, start: i64) -> Result<Vec<LogEvent>, Failure> {
        let mut reads = JoinSet::new();
        for (index, source) in self.sources.iter().enumerate() {
            let (logs, source) = (self.logs.clone(), source.clone());
            reads.spawn(async move {
                let events = logs.events_since(&source.process, &source.group, start).await;
                (index, source, events)
            });
        }
        let mut per_source: Vec<Vec<LogEvent>> = vec![Vec::new(); self.sources.len()];
        while let Some(joined) = reads.join_next().await {
            let (index, source, events) =
                joined.map_err(|error| Failure::new(format!("a log read failed: {error}")))?;
            match events? {
                Some(events) => per_source[index] = events,
                None if self.missing.insert(source.group.clone()) => tracing::warn!(
                    "log group {} does not exist: process `{}` has not logged yet (deploy it first)",
                    source.group,
                    source.process
                ),
                None => {}
            }
        }
        // In the sources' order, so equal times print in the order the processes were named.
        Ok(merge(per_source))
    }

    /// Reads from `start`, hands each batch of new events to `print`, then polls every
    /// [`FOLLOW_POLL`] for ever (the caller races it against the interrupt).
    pub(crate) async fn follow(
        &mut self,
        start: i64,
        mut print: impl FnMut(&[LogEvent]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut seen = Seen::default();
        loop {
            let events = seen.fresh(self.read(seen.resume_from(start)).await?);
            print(events.as_slice())?;
            tokio::time::sleep(FOLLOW_POLL).await;
        }
    }
}
