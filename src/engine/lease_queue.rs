//! The deploy lease's queue, as SSM parameters (`maestro_core::queue` holds the rules): one
//! read of the lease and its queue, a run's entry created, renewed and the dead runs' cleared.

use super::{LeaseRequest, generation_name, generation_number};
use crate::aws::ssm::Ssm;
use crate::clock::unix_seconds;
use crate::error::Failure;
use maestro_core::lease::Generation;
use maestro_core::queue::{self, Entry, Queued};

/// This run's entry in the queue, once it had to wait.
pub(super) struct Place {
    pub(super) number: u64,
    /// When its entry expires unless renewed (Unix seconds).
    pub(super) expires_at: u64,
}

/// The generations of the lease in `folder` and the entries of its queue, in one read.
pub(super) async fn lease_and_queue(ssm: &Ssm, folder: &str) -> Result<(Vec<Generation>, Vec<Queued>), Failure> {
    let queue_folder = queue::folder(folder);
    let (mut found, mut queued) = (Vec::new(), Vec::new());
    for (name, text) in ssm.list_all(folder).await? {
        if let Some(number) = generation_number(folder, &name) {
            found.push(Generation { number, text });
        } else if let Some(number) = generation_number(&queue_folder, &name) {
            queued.push(Queued { number, text });
        }
    }
    Ok((found, queued))
}

/// The queue entry of this run, valid for one TTL from now.
fn entry(request: &LeaseRequest<'_>) -> (String, u64) {
    let expires_at = unix_seconds() + request.ttl.as_secs();
    let entry = Entry {
        owner: request.owner.to_owned(),
        run_url: request.run_url.map(str::to_owned),
        sha: request.sha.to_owned(),
        kind: request.kind,
        expires_at,
    };
    (queue::encode(&entry), expires_at)
}

/// Queues this run: creates the entry one above the highest `queued` (create-if-absent, so two
/// runs that queue at once get two numbers, in the order SSM created them).
pub(super) async fn join(ssm: &Ssm, request: &LeaseRequest<'_>, queued: &[Queued]) -> Result<Place, Failure> {
    let folder = queue::folder(request.folder);
    let first = queued.iter().map(|entry| entry.number).max().unwrap_or(0) + 1;
    for number in first..first + MOST_JOIN_TRIES {
        let (text, expires_at) = entry(request);
        if ssm.create(&generation_name(&folder, number), &text).await? {
            return Ok(Place { number, expires_at });
        }
    }
    Err(Failure::new(format!("could not queue for the deploy lease of {}", request.what))
        .detail(format!("{MOST_JOIN_TRIES} entries of {folder} after the highest one listed already exist"))
        .hint("many runs queued at once: run again"))
}

/// How many numbers a run tries when it queues: each one taken means another run queued first.
const MOST_JOIN_TRIES: u64 = 50;

/// Renews this run's entry once a third of its TTL has passed (so it lives while the run waits);
/// a failed renewal is a warning, the entry lives on until it expires.
pub(super) async fn renew(ssm: &Ssm, request: &LeaseRequest<'_>, place: &mut Place) {
    let ttl = request.ttl.as_secs();
    if place.expires_at.saturating_sub(unix_seconds()) > ttl * 2 / 3 {
        return;
    }
    let (text, expires_at) = entry(request);
    let name = generation_name(&queue::folder(request.folder), place.number);
    match ssm.overwrite(&name, &text).await {
        Ok(()) => place.expires_at = expires_at,
        Err(error) => tracing::warn!("{}", error.message),
    }
}

/// Deletes the queue entries of runs that died (expired at `now`): the holder keeps the folder
/// short. A run that only stalled writes its entry again at its next renewal.
pub(super) async fn clear_expired(ssm: &Ssm, folder: &str, queued: &[Queued], now: u64) {
    let queue_folder = queue::folder(folder);
    for dead in queued
        .iter()
        .filter(|entry| serde_json::from_str::<Entry>(&entry.text).map_or(true, |entry| entry.expires_at <= now))
    {
        if let Err(error) = ssm.delete(&generation_name(&queue_folder, dead.number)).await {
            tracing::warn!("{}", error.message);
        }
    }
}
