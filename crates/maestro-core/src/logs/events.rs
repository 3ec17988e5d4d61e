//! The events of every process in one time order, and the follow's memory of what it printed.

use std::collections::{BTreeMap, BTreeSet};

use crate::naming::LOG_STREAM_PREFIX;

/// One log event of one process, as FilterLogEvents returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEvent {
    pub process: String,
    /// The log stream, `ecs/<container>/<task id>` for the tasks maestro defines.
    pub stream: String,
    /// Milliseconds since the Unix epoch, as the app's log driver stamped the line.
    pub timestamp: i64,
    /// CloudWatch's id of the event, unique within the log group.
    pub event_id: String,
    pub message: String,
}

impl LogEvent {
    /// The task that wrote the event: the last part of a stream maestro's log driver named
    /// (`ecs/<container>/<task id>`), else the stream's whole name.
    pub fn task(&self) -> &str {
        match self.stream.strip_prefix(LOG_STREAM_PREFIX).and_then(|rest| rest.strip_prefix('/')) {
            Some(rest) => rest.rsplit('/').next().unwrap_or(rest),
            None => &self.stream,
        }
    }
}

/// The events of each process (each list in the order CloudWatch returned it, oldest first) as
/// one list in time order. Equal times keep the order of the lists, then of each list: the
/// lines of one task never swap, and a rerun prints the same order.
pub fn merge(processes: Vec<Vec<LogEvent>>) -> Vec<LogEvent> {
    let mut all: Vec<LogEvent> = processes.into_iter().flatten().collect();
    // `sort_by_key` is stable.
    all.sort_by_key(|event| event.timestamp);
    all
}

/// What `--follow` has printed, so a poll that reads some of the same events again (it starts a
/// little before the newest one seen, see [`Seen::resume_from`]) prints each event once.
/// Event ids are unique within a log group, so they are kept per process; ids older than the
/// next poll's start can never come back and are forgotten, so the memory stays small.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    /// Per process, each timestamp's event ids.
    ids: BTreeMap<String, BTreeMap<i64, BTreeSet<String>>>,
    newest: Option<i64>,
}

/// How far before the newest event seen the next poll starts: the awslogs driver sends each
/// task's lines in batches (every 5 s by default), so one task's line can reach CloudWatch after a
/// newer line of another task was already read. Reading again from a little earlier finds it;
/// the ids keep it from being printed twice.
pub const FOLLOW_OVERLAP_MILLIS: i64 = 10_000;

impl Seen {
    /// The events among `events` not printed before, in their order; remembers them.
    pub fn fresh(&mut self, events: Vec<LogEvent>) -> Vec<LogEvent> {
        let mut fresh = Vec::new();
        for event in events {
            let ids = self.ids.entry(event.process.clone()).or_default().entry(event.timestamp).or_default();
            if ids.insert(event.event_id.clone()) {
                self.newest = Some(self.newest.map_or(event.timestamp, |newest| newest.max(event.timestamp)));
                fresh.push(event);
            }
        }
        let horizon = self.resume_from(i64::MIN);
        for times in self.ids.values_mut() {
            *times = times.split_off(&horizon);
        }
        fresh
    }

    /// Where the next poll starts: [`FOLLOW_OVERLAP_MILLIS`] before the newest event seen, or
    /// `start` while none was.
    pub fn resume_from(&self, start: i64) -> i64 {
        self.newest.map_or(start, |newest| newest.saturating_sub(FOLLOW_OVERLAP_MILLIS).max(start))
    }

    /// How many event ids are remembered (the memory is bounded by the overlap).
    pub fn remembered(&self) -> usize {
        self.ids.values().flat_map(BTreeMap::values).map(BTreeSet::len).sum()
    }
}
