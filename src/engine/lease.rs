//! The deploy lease, held for the whole deploy or stop: taken before the first write (waiting,
//! bounded, for another deploy of the same app and branch), renewed in the background, read back
//! before each write stage ([`fence`]), released at the end. A lease left by a killed run expires
//! and is taken over. Why each step is compare-and-swap against SSM: `maestro_core::lease`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::aws::Session;
use crate::aws::ssm::Ssm;
use crate::clock::unix_seconds;
use crate::error::Failure;
use lease_queue::{Place, clear_expired, join, lease_and_queue, renew};
use maestro_core::backoff::Backoff;
use maestro_core::lease::{
    Found, Generation, Lease, Standing, current, encode, folder, generation_name, generation_number, holder, judge,
};
use maestro_core::queue::{self, Kind, Supersession, Turn};
use maestro_core::request::DeployRequest;
use maestro_core::rollout::heartbeat::{self, Heartbeat};
use maestro_core::settings::WaitSettings;

/// The longest wait between two tries of a held lease: a released one is taken within seconds.
const LONGEST_POLL: Duration = Duration::from_secs(5);

tokio::task_local! {
    /// The lease the running deploy holds: what [`fence`] reads back before a write stage.
    static HELD: Arc<Held>;
}

/// Runs `body` holding the deploy lease of `request`'s app and branch, unless MAESTRO_NO_LOCK
/// turns the lease off. The lease is taken before the body starts and given back after it ends,
/// whether it succeeded or failed; a run that is killed leaves a lease that expires by itself.
/// For `stop`, `restart`, `rollback` and `destroy`: waiting in the queue, they keep their place
/// (a deploy never supersedes them), so their body always runs or they fail.
pub(crate) async fn with_lease<T, E: From<Failure>>(
    session: &Session,
    request: &DeployRequest,
    waiting: &WaitSettings,
    body: impl AsyncFnOnce() -> Result<T, E>,
) -> Result<T, E> {
    match leased(session, request, waiting, Kind::Other, async { Ok(()) }, body).await? {
        Leased::Ran(value) => Ok(value),
        // The queue's rules supersede deploys only; said as a failure should that ever change.
        Leased::Superseded(by) => Err(Failure::new(format!("this run was {}", by.line())).into()),
    }
}

/// What a deploy under the lease came to: its body ran, or a newer deploy of the branch queued
/// behind it while it waited, and it left without running.
#[derive(Debug)]
pub(crate) enum Leased<T> {
    Ran(T),
    Superseded(Supersession),
}

/// [`with_lease`] for a deploy: while it waits in the queue, a newer deploy of the branch
/// supersedes it (`maestro_core::queue`). Once it holds the lease it is never interrupted.
/// `gate` runs beside the first read of the lease, and must pass before the lease is written.
pub(crate) async fn with_deploy_lease<T, E: From<Failure>>(
    session: &Session,
    request: &DeployRequest,
    waiting: &WaitSettings,
    gate: impl Future<Output = Result<(), E>>,
    body: impl AsyncFnOnce() -> Result<T, E>,
) -> Result<Leased<T>, E> {
    leased(session, request, waiting, Kind::Deploy, gate, body).await
}

/// Whether what the run read while it took the lease is as good as read under it: it took the
/// lease at its first look, so no run of the branch held it (one that expired writes nothing
/// more: its fence stops it). True outside a lease.
pub(crate) fn taken_at_once() -> bool {
    HELD.try_with(|held| held.at_once).unwrap_or(true)
}

async fn leased<T, E: From<Failure>>(
    session: &Session,
    request: &DeployRequest,
    waiting: &WaitSettings,
    kind: Kind,
    gate: impl Future<Output = Result<(), E>>,
    body: impl AsyncFnOnce() -> Result<T, E>,
) -> Result<Leased<T>, E> {
    if !waiting.lock {
        gate.await?;
        return body().await.map(Leased::Ran);
    }
    let guard = match LeaseGuard::take(session, request, waiting, kind, gate).await? {
        Taken::Guard(guard) => guard,
        Taken::Superseded(by) => return Ok(Leased::Superseded(by)),
    };
    let result = HELD.scope(Arc::clone(&guard.held), body()).await;
    guard.release().await;
    result.map(Leased::Ran)
}

/// Stops the run, before the write stage it is about to start, unless it still holds the deploy
/// lease (read back from SSM): a run that stalled past the lease's TTL must not write beside the
/// run that took the lease over. Nothing to check outside [`with_lease`] or with the lease off.
pub(crate) async fn fence() -> Result<(), Failure> {
    let Ok(held) = HELD.try_with(Arc::clone) else { return Ok(()) };
    // Written moments ago, it cannot have been taken over: no round trip to read it back.
    if held.surely_valid() {
        return Ok(());
    }
    match held.standing().await? {
        Standing::Holds => Ok(()),
        lost => Err(held.lost(&lost)),
    }
}

struct LeaseRequest<'a> {
    pub folder: &'a str,
    pub owner: &'a str,
    pub run_url: Option<&'a str>,
    pub ttl: Duration,
    pub timeout: Duration,
    /// The first wait between tries; it doubles up to [`LONGEST_POLL`].
    pub poll: Duration,
    /// The longest silence while waiting for another run's lease (MAESTRO_PROGRESS_INTERVAL).
    pub progress: Duration,
    /// What is deployed, for messages.
    pub what: &'a str,
    /// The commit the run deploys, for its queue entry.
    pub sha: &'a str,
    /// Whether the run supersedes, and may be superseded by, other deploys while it waits.
    pub kind: Kind,
}

/// How waiting for the lease ended, short of a failure.
#[derive(Debug, PartialEq, Eq)]
enum Acquired {
    /// This run took the lease: its generation.
    Took(u64),
    /// A newer deploy queued behind this one: it leaves.
    Superseded(Supersession),
}

/// The lease taken, or the run superseded while it waited.
enum Taken {
    Guard(LeaseGuard),
    Superseded(Supersession),
}

/// The generation of the lease this run took.
struct Held {
    ssm: Ssm,
    folder: String,
    generation: u64,
    owner: String,
    run_url: Option<String>,
    ttl: Duration,
    what: String,
    /// When this run last wrote its generation, by the monotonic clock (which runs on while the
    /// process is stopped); `None`: never, so it is read back.
    written: Mutex<Option<Instant>>,
    /// Taken at the first look, without waiting for another run ([`taken_at_once`]).
    at_once: bool,
}

/// A held lease; `release` gives it back (a dropped one expires by itself).
struct LeaseGuard {
    held: Arc<Held>,
    renewal: tokio::task::JoinHandle<()>,
}

fn lease(owner: &str, run_url: Option<&str>, ttl: Duration) -> String {
    encode(&Lease {
        owner: owner.to_owned(),
        run_url: run_url.map(str::to_owned),
        expires_at: unix_seconds() + ttl.as_secs(),
    })
}

/// The generations of the lease in `folder`.
async fn generations(ssm: &Ssm, folder: &str) -> Result<Vec<Generation>, Failure> {
    let found = ssm.list(folder).await?;
    Ok(found
        .into_iter()
        .filter_map(|(name, text)| generation_number(folder, &name).map(|number| Generation { number, text }))
        .collect())
}

/// Takes the lease in its turn, or learns that a newer deploy superseded this one; the run's
/// queue entry, if it queued, is removed however the wait ends (a killed run's expires).
#[cfg(test)]
async fn acquire(ssm: &Ssm, request: &LeaseRequest<'_>) -> Result<Acquired, Failure> {
    acquire_from(ssm, request, None).await.map(|(acquired, _)| acquired)
}

/// [`acquire`] from a `first` look at the lease and its queue, if one was read already; with
/// whether the run took the lease without queueing.
async fn acquire_from(ssm: &Ssm, request: &LeaseRequest<'_>, first: Option<Look>) -> Result<(Acquired, bool), Failure> {
    let mut place = None;
    let result = wait_in_line(ssm, request, &mut place, first).await;
    let at_once = place.is_none();
    if let Some(place) = place
        && let Err(error) = ssm.delete(&generation_name(&queue::folder(request.folder), place.number)).await
    {
        tracing::warn!("{}; the queue entry expires by itself", error.message);
    }
    result.map(|acquired| (acquired, at_once))
}

/// The lease's generations and its queue's entries, as one read found them.
type Look = (Vec<Generation>, Vec<queue::Queued>);

/// Takes the lease: creates the generation after the highest one found, if that one is free,
/// released or expired and no run queued before this one is still waiting for it; otherwise
/// queues (`place`) and waits for its turn, up to the timeout. A deploy leaves as soon as a newer
/// deploy queues behind it.
async fn wait_in_line(
    ssm: &Ssm,
    request: &LeaseRequest<'_>,
    place: &mut Option<Place>,
    mut first: Option<Look>,
) -> Result<Acquired, Failure> {
    let started = Instant::now();
    let mut polls = Backoff::doubling(request.poll, LONGEST_POLL);
    let mut told = false;
    let mut heartbeat = Heartbeat::new(request.progress);
    let number = loop {
        let (found, queued) = match first.take() {
            Some(look) => look,
            None => lease_and_queue(ssm, request.folder).await?,
        };
        let now = unix_seconds();
        let turn = place.as_ref().map(|place| queue::turn(&queued, place.number, request.kind, now));
        if let Some(Turn::Superseded(by)) = turn {
            tracing::info!("a newer deploy of {} queued behind this one: this run was {}", request.what, by.line());
            return Ok(Acquired::Superseded(by));
        }
        let highest = current(&found);
        let next = highest.map_or(1, |generation| generation.number + 1);
        let holder = match highest.map(|generation| judge(&generation.text, request.owner, now)) {
            Some(Found::Held(lease)) => holder(&lease),
            free_or_stale => match turn {
                Some(Turn::Wait { ahead, first }) => format!("{first}, queued before this run ({ahead} in all)"),
                // Runs already wait for the lease: this one queues behind them, not before.
                None if queue::others_wait(&queued, None, now) => "the runs queued before this one".to_owned(),
                _ => {
                    let previous = match free_or_stale {
                        Some(Found::Stale(previous)) => {
                            Some(previous.map_or_else(|| "an unreadable lease".to_owned(), |lease| holder(&lease)))
                        }
                        _ => None,
                    };
                    if take(ssm, request, next, previous.as_deref()).await? {
                        clear_expired(ssm, request.folder, &queued, now).await;
                        break next;
                    }
                    // Another run took it first: wait for it as for any holder (read again after the
                    // wait, not at once: SSM may list the new generation only a moment later).
                    "a run that took the lease at the same moment".to_owned()
                }
            },
        };
        let waited = started.elapsed();
        if waited >= request.timeout {
            return Err(Failure::new(format!("another deploy of {} is running: {holder}", request.what))
                .detail(format!("waited {} s for its lease ({})", waited.as_secs(), request.folder))
                .hint("let it finish, then run again (or raise MAESTRO_LOCK_TIMEOUT to wait longer); a lease of a run that was killed expires by itself (MAESTRO_LOCK_TTL)"));
        }
        match place {
            None => *place = Some(join(ssm, request, &queued).await?),
            Some(place) => renew(ssm, request, place).await,
        }
        // Said when the wait begins, and at least every interval while it lasts (with the holder
        // read again: another run may have taken over).
        if heartbeat.due(waited) {
            let elapsed = heartbeat::elapsed(waited);
            tracing::info!("waiting for the deploy of {} by {holder} to finish, {elapsed}", request.what);
            heartbeat.beat(waited);
            told = true;
        }
        let wait = polls.next_wait().min(heartbeat.until_due(waited));
        tokio::time::sleep(wait.min(request.timeout.saturating_sub(waited))).await;
    };
    if told {
        tracing::info!("took the deploy lease after waiting {}", heartbeat::elapsed(started.elapsed()));
    }
    Ok(Acquired::Took(number))
}

/// Creates generation `next` (`previous` names the expired holder it replaces); `true` when this
/// run now holds the lease. Create-if-absent lets one run only create it; the folder is then
/// read back, because a run that read an old folder may have recreated a generation the
/// current holder deleted: below a higher one, it holds nothing, and deletes what it created.
/// (Its own generation missing from the list is SSM catching up, not a loss.)
async fn take(ssm: &Ssm, request: &LeaseRequest<'_>, next: u64, previous: Option<&str>) -> Result<bool, Failure> {
    let name = generation_name(request.folder, next);
    if !ssm.create(&name, &lease(request.owner, request.run_url, request.ttl)).await? {
        return Ok(false);
    }
    let found = generations(ssm, request.folder).await?;
    if current(&found).is_some_and(|generation| generation.number > next) {
        ssm.delete(&name).await?;
        return Ok(false);
    }
    if let Some(previous) = previous {
        tracing::warn!("took over the expired deploy lease of {previous}");
    }
    // The generations below are released or expired, and their runs stop at their next fence.
    for older in found.iter().filter(|generation| generation.number < next) {
        ssm.delete(&generation_name(request.folder, older.number)).await?;
    }
    Ok(true)
}

impl LeaseGuard {
    /// Takes the lease of `request`'s app and branch, owned by this run, in its turn; a deploy
    /// may be superseded instead.
    async fn take<E: From<Failure>>(
        session: &Session,
        request: &DeployRequest,
        waiting: &WaitSettings,
        kind: Kind,
        gate: impl Future<Output = Result<(), E>>,
    ) -> Result<Taken, E> {
        let folder = folder(request);
        let run = request.run_id.as_deref().map_or_else(|| "a local run".to_owned(), |id| format!("run {id}"));
        let owner = format!("{run} (pid {}, {})", std::process::id(), &crate::random::token()[..8]);
        let what = format!("{} @ {}", request.repository, request.branch.as_deref().unwrap_or("default"));
        let lease_request = LeaseRequest {
            folder: &folder,
            owner: &owner,
            run_url: request.run_url.as_deref(),
            ttl: Duration::from_secs(u64::from(waiting.lock_ttl)),
            timeout: Duration::from_secs(u64::from(waiting.lock_timeout)),
            poll: Duration::from_secs_f64(waiting.poll_interval),
            progress: Duration::from_secs_f64(waiting.progress_interval),
            what: &what,
            sha: request.sha.as_str(),
            kind,
        };
        let ssm = session.ssm();
        let taking = Instant::now(); // before the lease's expiry is counted

        // The first look at the lease is a read: it goes out beside the gate (the checks that
        // must pass before the run's first write, the lease's).
        let (first, gated) = tokio::join!(lease_and_queue(&ssm, &folder), gate);
        gated?;
        let (generation, at_once) = match acquire_from(&ssm, &lease_request, Some(first?)).await? {
            (Acquired::Took(generation), at_once) => (generation, at_once),
            (Acquired::Superseded(by), _) => return Ok(Taken::Superseded(by)),
        };
        let ttl = lease_request.ttl;
        let written = Mutex::new(Some(taking));
        let held = Arc::new(Held {
            ssm,
            folder,
            generation,
            owner,
            run_url: request.run_url.clone(),
            ttl,
            what,
            written,
            at_once,
        });
        let renewal = tokio::spawn(Arc::clone(&held).renew_until_lost());
        Ok(Taken::Guard(Self { held, renewal }))
    }

    /// Stops renewing, and deletes this run's generation if it still holds the lease: while it is
    /// valid nobody creates a higher one, so the delete cannot touch another run's lease.
    async fn release(self) {
        self.renewal.abort();
        let held = &self.held;
        // Surely valid: nobody created a higher generation, so the delete is safe unread.
        let standing = if held.surely_valid() { Ok(Standing::Holds) } else { held.standing().await };
        match standing {
            Ok(Standing::Holds) => {
                if let Err(error) = held.ssm.delete(&generation_name(&held.folder, held.generation)).await {
                    tracing::warn!("{}; the lease expires by itself", error.message);
                }
            }
            Ok(Standing::Lost(_) | Standing::Expired) => {}
            Err(error) => tracing::warn!("{}; the lease expires by itself", error.message),
        }
    }
}

#[path = "lease_held.rs"]
mod lease_held;
#[path = "lease_queue.rs"]
mod lease_queue;

#[cfg(test)]
#[path = "lease_tests.rs"]
mod tests;
