//! The lease's takeover and renewal against the emulator's SSM: only one run takes over a stale
//! lease, a claim left by a killed takeover expires, and a late renewal leaves the new holder alone.

use super::{renew, take_over};
use crate::aws::ssm::Ssm;
use crate::clock::unix_seconds;
use maestro_core::lease::{Lease, encode, takeover_claim};
use maestro_test_support::TestAccount;

const NAME: &str = "/maestro/locks/acme-shop-api-staging";

fn lease(owner: &str, expires_at: u64) -> String {
    encode(&Lease { owner: owner.to_owned(), run_url: None, expires_at })
}

async fn ssm(test: &str) -> Ssm {
    Ssm(aws_sdk_ssm::Client::new(&TestAccount::new(test).await.config))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_stale_lease_is_taken_over_by_one_run_only() {
    let ssm = ssm("a_stale_lease_is_taken_over_by_one_run_only").await;
    let stale = lease("killed run", 1);
    assert!(ssm.create(NAME, &stale).await.unwrap());
    let (a, b) = (lease("run a", unix_seconds() + 60), lease("run b", unix_seconds() + 60));
    assert!(take_over(&ssm, NAME, &stale, &a, "run a").await.unwrap());
    // Run b judged the same lease stale before a took it over: it must not overwrite a's.
    assert!(!take_over(&ssm, NAME, &stale, &b, "run b").await.unwrap());
    assert_eq!(ssm.read(NAME).await.unwrap(), Some(a));
    assert_eq!(ssm.read(&takeover_claim(NAME, &stale)).await.unwrap(), None, "no claim is left behind");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_claim_left_by_a_killed_takeover_expires() {
    let ssm = ssm("a_claim_left_by_a_killed_takeover_expires").await;
    let stale = lease("killed run", 1);
    assert!(ssm.create(NAME, &stale).await.unwrap());
    let claim = takeover_claim(NAME, &stale);
    let ours = lease("run a", unix_seconds() + 60);
    // A run killed mid-takeover, whose claim is still valid: wait for it.
    assert!(ssm.create(&claim, &lease("killed taker", unix_seconds() + 60)).await.unwrap());
    assert!(!take_over(&ssm, NAME, &stale, &ours, "run a").await.unwrap());
    assert!(ssm.read(&claim).await.unwrap().is_some());
    // Once its claim has expired, it is removed, and the next try takes the lease.
    ssm.overwrite(&claim, &lease("killed taker", 1)).await.unwrap();
    assert!(!take_over(&ssm, NAME, &stale, &ours, "run a").await.unwrap());
    assert!(take_over(&ssm, NAME, &stale, &ours, "run a").await.unwrap());
    assert_eq!(ssm.read(NAME).await.unwrap(), Some(ours));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_late_renewal_leaves_the_new_holder_alone() {
    let ssm = ssm("a_late_renewal_leaves_the_new_holder_alone").await;
    let a = lease("run a", unix_seconds() + 60);
    assert!(ssm.create(NAME, &a).await.unwrap());
    assert!(renew(&ssm, NAME, "run a", &lease("run a", unix_seconds() + 120)).await.unwrap());
    // Run a's lease expired and run b took it over; a's renewal comes too late.
    let b = lease("run b", unix_seconds() + 60);
    ssm.overwrite(NAME, &b).await.unwrap();
    assert!(!renew(&ssm, NAME, "run a", &lease("run a", unix_seconds() + 180)).await.unwrap());
    assert_eq!(ssm.read(NAME).await.unwrap(), Some(b));
}
