//! The deploy lease, held for the whole deploy or stop: taken before the first write (waiting,
//! bounded, for another deploy of the same app and branch), renewed in the background, released
//! at the end. A lease left by a killed run expires and is taken over.

use std::time::{Duration, Instant};

use crate::aws::Session;
use crate::aws::ssm::Ssm;
use crate::clock::unix_seconds;
use crate::error::Failure;
use maestro_core::backoff::Backoff;
use maestro_core::lease::{Found, Lease, encode, holder, judge, parameter_name, takeover_claim};
use maestro_core::request::DeployRequest;
use maestro_core::settings::WaitSettings;
use maestro_core::text::workflow_command;

/// The longest wait between two tries of a held lease: a released one is taken within seconds.
const LONGEST_POLL: Duration = Duration::from_secs(5);

/// Runs `body` holding the deploy lease of `request`'s app and branch, unless MAESTRO_NO_LOCK
/// turns the lease off. The lease is taken before the body starts and given back after it ends,
/// whether it succeeded or failed; a run that is killed leaves a lease that expires by itself.
pub(crate) async fn with_lease<T, E: From<Failure>>(
    session: &Session,
    request: &DeployRequest,
    waiting: &WaitSettings,
    body: impl AsyncFnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let guard = match waiting.lock {
        true => Some(LeaseGuard::take(session, request, waiting).await?),
        false => None,
    };
    let result = body().await;
    if let Some(guard) = guard {
        guard.release().await;
    }
    result
}

struct LeaseRequest<'a> {
    pub name: &'a str,
    pub owner: &'a str,
    pub run_url: Option<&'a str>,
    pub ttl: Duration,
    pub timeout: Duration,
    /// The first wait between tries; it doubles up to [`LONGEST_POLL`].
    pub poll: Duration,
    /// What is deployed, for messages.
    pub what: &'a str,
}

/// A held lease; `release` gives it back (a dropped one expires by itself).
struct LeaseGuard {
    ssm: Ssm,
    name: String,
    owner: String,
    renewal: tokio::task::JoinHandle<()>,
}

fn lease(request: &LeaseRequest<'_>) -> String {
    encode(&Lease {
        owner: request.owner.to_owned(),
        run_url: request.run_url.map(str::to_owned),
        expires_at: unix_seconds() + request.ttl.as_secs(),
    })
}

async fn acquire(ssm: &Ssm, request: &LeaseRequest<'_>) -> Result<LeaseGuard, Failure> {
    let started = Instant::now();
    let mut polls = Backoff::doubling(request.poll, LONGEST_POLL);
    let mut told = false;
    loop {
        if ssm.create(request.name, &lease(request)).await? {
            break;
        }
        let Some(text) = ssm.read(request.name).await? else {
            // Released between our create and read: try again at once.
            continue;
        };
        let holder = match judge(&text, request.owner, unix_seconds()) {
            Found::Ours => break,
            Found::Stale(previous) => {
                if take_over(ssm, request.name, &text, &lease(request), request.owner).await? {
                    let previous = previous.map_or_else(
                        || "an unreadable lease".to_owned(),
                        |lease| workflow_command::inert(&holder(&lease)),
                    );
                    tracing::warn!("took over the expired deploy lease of {previous}");
                    break;
                }
                // Another run is taking it over: wait for that run as for any holder.
                "a run taking over an expired lease".to_owned()
            }
            // The holder is what another run wrote in the parameter: relayed text.
            Found::Held(lease) => workflow_command::inert(&holder(&lease)),
        };
        let waited = started.elapsed();
        if waited >= request.timeout {
            return Err(Failure::new(format!("another deploy of {} is running: {holder}", request.what))
                .detail(format!("waited {} s for its lease ({})", waited.as_secs(), request.name))
                .hint("let it finish, then run again (or raise MAESTRO_LOCK_TIMEOUT to wait longer); a lease of a run that was killed expires by itself (MAESTRO_LOCK_TTL)"));
        }
        if !told {
            tracing::info!("waiting for the deploy of {} by {holder} to finish", request.what);
            told = true;
        }
        tokio::time::sleep(polls.next_wait().min(request.timeout.saturating_sub(waited))).await;
    }
    if told {
        tracing::info!("took the deploy lease after waiting {} s", started.elapsed().as_secs());
    }
    let renewal = {
        let (ssm, name, owner, run_url, ttl) = (
            ssm.clone(),
            request.name.to_owned(),
            request.owner.to_owned(),
            request.run_url.map(str::to_owned),
            request.ttl,
        );
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(ttl / 3).await;
                let value = encode(&Lease {
                    owner: owner.clone(),
                    run_url: run_url.clone(),
                    expires_at: unix_seconds() + ttl.as_secs(),
                });
                match renew(&ssm, &name, &owner, &value).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(
                            "the deploy lease {name} is no longer this run's (it expired and another deploy took it over): maestro stopped renewing it, and the other deploy may run beside this one"
                        );
                        return;
                    }
                    Err(error) => tracing::warn!("{}", error.message),
                }
            }
        })
    };
    Ok(LeaseGuard { ssm: ssm.clone(), name: request.name.to_owned(), owner: request.owner.to_owned(), renewal })
}

/// Takes over the stale lease `stale` (its exact text) of `name` with `ours`; `true` when this
/// run now holds it. SSM has no compare-and-set, so only the run that creates the takeover claim
/// (create-if-absent, atomic) may overwrite, and only while the lease still reads `stale`: a
/// run that judged the same lease stale creates the claim only after the winner deleted it, and
/// then finds the lease changed (`maestro_core::lease`).
async fn take_over(ssm: &Ssm, name: &str, stale: &str, ours: &str, owner: &str) -> Result<bool, Failure> {
    let claim = takeover_claim(name, stale);
    if !ssm.create(&claim, ours).await? {
        // Another run holds the claim. One left by a run killed mid-takeover expires like a lease.
        let left = ssm.read(&claim).await?;
        if left.is_some_and(|text| matches!(judge(&text, owner, unix_seconds()), Found::Stale(_))) {
            ssm.delete(&claim).await?;
        }
        return Ok(false);
    }
    let still_stale = ssm.read(name).await?.as_deref() == Some(stale);
    if still_stale {
        ssm.overwrite(name, ours).await?;
    }
    ssm.delete(&claim).await?;
    Ok(still_stale)
}

/// Renews the lease with `value` if it is still `owner`'s; `false` when another run took it over
/// (this run's renewal came too late). Read, then write: SSM cannot make the two one step, so a
/// takeover landing between them (a round trip) is overwritten; a renewal every third of the TTL
/// makes that a run that was already late.
async fn renew(ssm: &Ssm, name: &str, owner: &str, value: &str) -> Result<bool, Failure> {
    let ours = ssm.read(name).await?.is_some_and(|text| judge(&text, owner, unix_seconds()) == Found::Ours);
    if ours {
        ssm.overwrite(name, value).await?;
    }
    Ok(ours)
}

impl LeaseGuard {
    /// Takes the lease of `request`'s app and branch, owned by this run.
    async fn take(session: &Session, request: &DeployRequest, waiting: &WaitSettings) -> Result<Self, Failure> {
        let name = parameter_name(request);
        let run = request.run_id.as_deref().map_or_else(|| "a local run".to_owned(), |id| format!("run {id}"));
        let owner = format!("{run} (pid {}, {})", std::process::id(), &crate::random::token()[..8]);
        let what = format!("{} @ {}", request.repository, request.branch.as_deref().unwrap_or("default"));
        let lease_request = LeaseRequest {
            name: &name,
            owner: &owner,
            run_url: request.run_url.as_deref(),
            ttl: Duration::from_secs(u64::from(waiting.lock_ttl)),
            timeout: Duration::from_secs(u64::from(waiting.lock_timeout)),
            poll: Duration::from_secs_f64(waiting.poll_interval),
            what: &what,
        };
        acquire(&session.ssm(), &lease_request).await
    }

    /// Stops renewing, and deletes the lease if it is still ours.
    async fn release(self) {
        self.renewal.abort();
        let ours = match self.ssm.read(&self.name).await {
            Ok(Some(text)) => judge(&text, &self.owner, unix_seconds()) == Found::Ours,
            Ok(None) => false,
            Err(error) => {
                tracing::warn!("{}; the lease expires by itself", error.message);
                false
            }
        };
        if ours && let Err(error) = self.ssm.delete(&self.name).await {
            tracing::warn!("{}; the lease expires by itself", error.message);
        }
    }
}

#[cfg(test)]
#[path = "lease_tests.rs"]
mod tests;
