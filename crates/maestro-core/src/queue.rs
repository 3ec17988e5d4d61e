//! The deploy queue: the runs waiting for the deploy lease of one app and branch, in order, and
//! the rule that the newest deploy wins.
//!
//! A run that finds the lease held joins the queue: it creates the parameter
//! `<lease folder>/queue/<n>` (zero-padded like the lease's generations) with create-if-absent,
//! `n` one above the highest entry it sees, so the numbers are the order the runs queued in, as
//! SSM saw it (no runner's clock decides). Its entry names the run, its commit and whether it is a
//! deploy; it is renewed while the run waits and expires like the lease when the run dies. It is
//! deleted when the run takes the lease, is superseded, or gives up.
//!
//! The rules ([`turn`]):
//! - a waiting deploy with a newer deploy queued behind it is *superseded*: deploying its older
//!   commit after (or instead of) the newer one is wasted at best and a step back at worst, so it
//!   leaves at once, without failing, naming the newer run;
//! - only deploys supersede deploys: a `stop`, `restart`, `rollback` or `destroy` someone asked
//!   for keeps its place, and is never superseded (nor does it supersede a deploy);
//! - when the lease is free, the run whose turn it is takes it: the first entry that is not
//!   superseded. Entries whose runs died (expired) or that cannot be read are passed over.
//!
//! A run holding the lease is not in the queue, and is never interrupted.

use serde::{Deserialize, Serialize};

/// What a waiting run is: only deploys supersede, and are superseded by, deploys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Deploy,
    /// `stop`, `restart`, `rollback`, `destroy`: asked for by someone, kept in order.
    Other,
}

/// One waiting run, as its parameter holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The lease owner the run will write when it takes the lease.
    pub owner: String,
    pub run_url: Option<String>,
    /// The commit the run deploys.
    pub sha: String,
    pub kind: Kind,
    /// When the entry expires unless renewed (Unix seconds), like the lease.
    pub expires_at: u64,
}

/// One entry of the queue as read from SSM: its number and its parameter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub number: u64,
    pub text: String,
}

/// The run that overtook a superseded deploy: the newest deploy queued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Supersession {
    pub sha: String,
    pub run_url: Option<String>,
}

impl Supersession {
    /// The line a superseded run ends with: "superseded by <sha> (run <url>)".
    pub fn line(&self) -> String {
        let short = self.sha.get(..8).unwrap_or(&self.sha);
        // Another run wrote these: relayed text never becomes a CI command.
        crate::text::workflow_command::inert(&match &self.run_url {
            Some(url) => format!("superseded by {short} (run {url})"),
            None => format!("superseded by {short}"),
        })
    }
}

impl Supersession {
    /// What `maestro deploy` prints for people once superseded, below the request's headline.
    pub fn told(&self) -> String {
        format!(
            "{}: a newer deploy of the branch queued while this one waited for the deploy lease, and deploys instead; this run deployed nothing\n",
            self.line()
        )
    }
}

/// What a queued run does now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// Its turn: take the lease if it is free.
    Next,
    /// Runs ahead of it still wait; `first` names the first of them for the message.
    Wait { ahead: usize, first: String },
    /// A newer deploy queued behind it: leave without deploying.
    Superseded(Supersession),
}

/// The folder of the queue of the lease in `lease_folder`.
pub fn folder(lease_folder: &str) -> String {
    format!("{lease_folder}/queue")
}

/// The live entries, by number: readable, and not expired at `now`.
fn live(queue: &[Queued], now: u64) -> Vec<(u64, Entry)> {
    let mut live: Vec<(u64, Entry)> = queue
        .iter()
        .filter_map(|queued| Some((queued.number, serde_json::from_str::<Entry>(&queued.text).ok()?)))
        .filter(|(_, entry)| entry.expires_at > now)
        .collect();
    live.sort_by_key(|(number, _)| *number);
    live
}

/// Whether any live entry other than `number` waits in the queue at `now` (a run that finds the
/// lease free then queues behind them rather than taking it first).
pub fn others_wait(queue: &[Queued], number: Option<u64>, now: u64) -> bool {
    live(queue, now).iter().any(|(found, _)| Some(*found) != number)
}

/// What the run queued as `ours` (a `kind`) does, from the queue read at `now`. Its own entry
/// counts even when the listing does not show it yet (SSM lists a new parameter a moment late).
pub fn turn(queue: &[Queued], ours: u64, kind: Kind, now: u64) -> Turn {
    let live = live(queue, now);
    let newest_listed = live.iter().rev().find(|(_, entry)| entry.kind == Kind::Deploy).map(|(number, _)| *number);
    let newest_deploy = match kind {
        Kind::Deploy => newest_listed.max(Some(ours)),
        Kind::Other => newest_listed,
    };
    let superseded =
        |number: u64, entry: &Entry| entry.kind == Kind::Deploy && newest_deploy.is_some_and(|newest| newest > number);
    if kind == Kind::Deploy
        && let Some((_, newest)) =
            live.iter().rev().find(|(number, entry)| *number > ours && entry.kind == Kind::Deploy)
    {
        return Turn::Superseded(Supersession { sha: newest.sha.clone(), run_url: newest.run_url.clone() });
    }
    let ahead: Vec<&(u64, Entry)> =
        live.iter().filter(|(number, entry)| *number < ours && !superseded(*number, entry)).collect();
    match ahead.first() {
        None => Turn::Next,
        Some((_, first)) => Turn::Wait { ahead: ahead.len(), first: waiting(first) },
    }
}

/// How a waiting run is named in messages: its run's page, else its owner.
fn waiting(entry: &Entry) -> String {
    let what = match entry.kind {
        Kind::Deploy => format!("the deploy of {}", entry.sha.get(..8).unwrap_or(&entry.sha)),
        Kind::Other => "a stop, restart, rollback or destroy".to_owned(),
    };
    crate::text::workflow_command::inert(&match &entry.run_url {
        Some(url) => format!("{what} by {} ({url})", entry.owner),
        None => format!("{what} by {}", entry.owner),
    })
}

pub fn encode(entry: &Entry) -> String {
    serde_json::to_string(entry).unwrap_or_default()
}

#[cfg(test)]
#[path = "queue_tests.rs"]
mod tests;
