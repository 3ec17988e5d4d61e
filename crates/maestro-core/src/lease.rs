//! The deploy lease: one deploy of an app and branch at a time. It lives in AWS (SSM parameters),
//! so it holds across runners, CIs and laptops.
//!
//! SSM has no compare-and-set on a parameter's value or version: `PutParameter` with
//! `Overwrite=false` (create-if-absent, refused with `ParameterAlreadyExists`) is its only
//! conditional write (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html>).
//! So the lease is a sequence of generations, one parameter each, under the folder
//! `/maestro/locks/<slug>-<branch>/`: generation `n` is `<folder>/<n>` (zero-padded), and the
//! holder is the highest generation present. Each write is then compare-and-swap in effect:
//! - taking a free, released or expired lease is creating generation `n + 1`; of two runs that
//!   judged generation `n` expired, exactly one creates it;
//! - renewing writes only the holder's own generation, which no other run ever writes, so a late
//!   renewal cannot overwrite the next holder's lease (it lives under another name);
//! - releasing deletes only the holder's own generation, and only while it is valid: nobody
//!   creates a higher one before it expires, so the delete cannot touch the next holder's.
//!
//! The holder reads the folder back (`GetParametersByPath`) before each write stage and at each
//! renewal: a higher generation, or its own expired, means another run may hold the lease, and
//! the run stops before writing ([`standing`]). A new holder deletes the generations below its
//! own, so the folder holds one or two parameters.

use serde::{Deserialize, Serialize};

use crate::request::DeployRequest;

/// Who holds the lease, and until when (Unix seconds); renewed while the deploy runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    pub owner: String,
    pub run_url: Option<String>,
    pub expires_at: u64,
}

/// What to do about the lease found in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Ours: the lease is held.
    Ours,
    /// Someone else's, still valid: wait for it.
    Held(Lease),
    /// Someone else's, expired (a run that was killed), or unreadable: take it over.
    Stale(Option<Lease>),
}

/// One generation of the lease as read from SSM: its number and its parameter's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub number: u64,
    pub text: String,
}

/// Whether the run that took generation `ours` still holds the lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    Holds,
    /// This run's generation is still the highest, but it expired: another run may take it over
    /// at any moment.
    Expired,
    /// Another run holds it, named for the message.
    Lost(String),
}

/// The folder holding the generations of `request`'s app and branch's lease.
pub fn folder(request: &DeployRequest) -> String {
    format!("/maestro/locks/{}", request.environment_key())
}

/// The parameter of generation `number` in `folder`; zero-padded so the names sort as numbers.
pub fn generation_name(folder: &str, number: u64) -> String {
    format!("{folder}/{number:010}")
}

/// The generation a parameter `name` of `folder` holds; `None` for a name that is not one.
pub fn generation_number(folder: &str, name: &str) -> Option<u64> {
    let rest = name.strip_prefix(folder)?.strip_prefix('/')?;
    rest.bytes().all(|byte| byte.is_ascii_digit()).then(|| rest.parse().ok()).flatten()
}

/// The holder's generation: the highest one found.
pub fn current(found: &[Generation]) -> Option<&Generation> {
    found.iter().max_by_key(|generation| generation.number)
}

/// Whether the run `owner`, which took generation `ours`, still holds the lease at `now`, from
/// the generations `found`. Its own generation must be the highest and still valid: an expired one
/// may be taken over at any moment, so the run must not write on it, even if nobody has yet.
pub fn standing(found: &[Generation], ours: u64, owner: &str, now: u64) -> Standing {
    let Some(highest) = current(found) else {
        return Standing::Lost("nobody (its lease was taken over, then released)".to_owned());
    };
    let lease = serde_json::from_str::<Lease>(&highest.text).ok();
    match lease {
        Some(lease) if highest.number == ours && lease.owner == owner => match lease.expires_at > now {
            true => Standing::Holds,
            false => Standing::Expired,
        },
        Some(lease) => Standing::Lost(holder(&lease)),
        None => Standing::Lost("an unreadable lease".to_owned()),
    }
}

pub fn encode(lease: &Lease) -> String {
    serde_json::to_string(lease).unwrap_or_default()
}

pub fn judge(text: &str, owner: &str, now: u64) -> Found {
    match serde_json::from_str::<Lease>(text) {
        Ok(lease) if lease.owner == owner => Found::Ours,
        Ok(lease) if lease.expires_at > now => Found::Held(lease),
        Ok(lease) => Found::Stale(Some(lease)),
        Err(_) => Found::Stale(None),
    }
}

/// How a holder is named in messages: its run's page, else its owner id.
pub fn holder(lease: &Lease) -> String {
    // What another run wrote in the parameter is relayed text: it never becomes a CI command.
    crate::text::workflow_command::inert(&match &lease.run_url {
        Some(url) => format!("{} ({url})", lease.owner),
        None => lease.owner.clone(),
    })
}

#[cfg(test)]
#[path = "lease_tests.rs"]
mod tests;
