//! The deploy lease: one deploy of an app and branch at a time. It lives in AWS (an SSM
//! parameter, created only if absent), so it holds across runners, CIs and laptops.
//!
//! SSM has no compare-and-set: create-if-absent (`PutParameter` with `Overwrite=false`) is its
//! only atomic write. So a stale lease is taken over through a claim: a second parameter named
//! after the stale lease's exact text, created if absent, which only one run can create. The
//! winner checks the lease still holds that text, overwrites it, and deletes the claim; a run
//! that judged the same lease stale later creates the claim only after that, finds the lease
//! changed, and waits.

use md5::{Digest, Md5};
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

/// The parameter holding the lease of `request`'s app and branch.
pub fn parameter_name(request: &DeployRequest) -> String {
    format!("/maestro/locks/{}-{}", request.slug, request.branch_slug.as_deref().unwrap_or("default"))
}

/// The claim a run creates to take over the stale lease `stale` (its exact text) of `parameter`.
pub fn takeover_claim(parameter: &str, stale: &str) -> String {
    let digest = Md5::digest(stale.as_bytes());
    let hash: String = digest.iter().take(6).map(|byte| format!("{byte:02x}")).collect();
    format!("{parameter}.takeover-{hash}")
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
    match &lease.run_url {
        Some(url) => format!("{} ({url})", lease.owner),
        None => lease.owner.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_ours_held_or_stale() {
        let lease = Lease { owner: "run-1".into(), run_url: Some("https://ci/run/1".into()), expires_at: 100 };
        let text = encode(&lease);
        assert_eq!(judge(&text, "run-1", 50), Found::Ours);
        assert_eq!(judge(&text, "run-2", 50), Found::Held(lease.clone()));
        assert_eq!(judge(&text, "run-2", 100), Found::Stale(Some(lease.clone())));
        assert_eq!(judge("not json", "run-2", 0), Found::Stale(None));
        assert_eq!(holder(&lease), "run-1 (https://ci/run/1)");
    }

    #[test]
    fn the_lease_is_named_after_the_app_and_branch_or_default() {
        let mut request = crate::fixtures::staging(&[]);
        assert_eq!(parameter_name(&request), "/maestro/locks/acme-shop-api-staging");
        // A request with no branch (a detached checkout) still locks, under `default`.
        request.branch_slug = None;
        assert_eq!(parameter_name(&request), "/maestro/locks/acme-shop-api-default");
    }

    #[test]
    fn a_takeover_claim_names_the_exact_stale_lease() {
        let stale = encode(&Lease { owner: "run-1".into(), run_url: None, expires_at: 100 });
        let claim = takeover_claim("/maestro/locks/acme-shop-api-staging", &stale);
        assert!(claim.starts_with("/maestro/locks/acme-shop-api-staging.takeover-"), "{claim}");
        assert_eq!(claim.len(), "/maestro/locks/acme-shop-api-staging.takeover-".len() + 12);
        assert_eq!(claim, takeover_claim("/maestro/locks/acme-shop-api-staging", &stale), "the same for every run");
        // Another lease (another run, or the same run's renewal) is another claim.
        let renewed = encode(&Lease { owner: "run-1".into(), run_url: None, expires_at: 160 });
        assert_ne!(claim, takeover_claim("/maestro/locks/acme-shop-api-staging", &renewed));
    }
}
