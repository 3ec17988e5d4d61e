//! The lease against the emulator's SSM: one run only takes a free or expired lease, a run that
//! lost it is fenced and its late renewal or release leaves the new holder alone.

use std::sync::Arc;
use std::time::Duration;

use super::{Acquired, HELD, Held, LeaseRequest, acquire, fence, generations};
use crate::aws::ssm::Ssm;
use crate::clock::unix_seconds;
use maestro_core::lease::{Lease, encode, generation_name, generation_number};
use maestro_core::queue::{self, Kind, Supersession};
use maestro_test_support::TestAccount;

const FOLDER: &str = "/maestro/locks/acme-shop-api-staging";

fn lease(owner: &str, expires_at: u64) -> String {
    encode(&Lease { owner: owner.to_owned(), run_url: None, expires_at })
}

async fn ssm(test: &str) -> Ssm {
    Ssm(aws_sdk_ssm::Client::new(&TestAccount::new(test).await.config))
}

fn request(owner: &str) -> LeaseRequest<'_> {
    LeaseRequest {
        folder: FOLDER,
        owner,
        run_url: None,
        ttl: Duration::from_secs(60),
        timeout: Duration::ZERO,
        poll: Duration::from_millis(10),
        progress: Duration::from_secs(15),
        what: "acme/shop-api @ staging",
        sha: "ffeeddccbbaa00998877665544332211ffeeddcc",
        kind: Kind::Deploy,
    }
}

fn held(ssm: &Ssm, generation: u64, owner: &str) -> Arc<Held> {
    Arc::new(Held {
        ssm: ssm.clone(),
        folder: FOLDER.to_owned(),
        generation,
        owner: owner.to_owned(),
        run_url: None,
        // Renewed every second.
        ttl: Duration::from_secs(3),
        what: "acme/shop-api @ staging".to_owned(),
        // Never written by this test's run: every fence reads the lease back.
        written: std::sync::Mutex::new(None),
        at_once: true,
    })
}

async fn numbers(ssm: &Ssm) -> Vec<u64> {
    let mut found: Vec<u64> = generations(ssm, FOLDER).await.unwrap().iter().map(|found| found.number).collect();
    found.sort_unstable();
    found
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_stale_lease_is_taken_over_by_one_run_only() {
    let ssm = ssm("a_stale_lease_is_taken_over_by_one_run_only").await;
    assert!(ssm.create(&generation_name(FOLDER, 4), &lease("killed run", 1)).await.unwrap());
    // Two runs judge generation 4 expired at once: one creates generation 5, the other waits.
    let (run_a, run_b) = (request("run a"), request("run b"));
    let (a, b) = tokio::join!(acquire(&ssm, &run_a), acquire(&ssm, &run_b));
    let (won, lost) = match (a, b) {
        (Ok(Acquired::Took(number)), Err(failure)) | (Err(failure), Ok(Acquired::Took(number))) => (number, failure),
        other => panic!("exactly one run must take the lease: {other:?}"),
    };
    assert_eq!(won, 5);
    assert!(lost.message.starts_with("another deploy of acme/shop-api @ staging is running: "), "{}", lost.message);
    assert_eq!(numbers(&ssm).await, [5], "the expired generation is deleted by the taker");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_run_that_lost_the_lease_is_fenced_and_leaves_the_new_holder_alone() {
    let ssm = ssm("a_run_that_lost_the_lease_is_fenced").await;
    assert_eq!(acquire(&ssm, &request("run a")).await.unwrap(), Acquired::Took(1));
    let a = held(&ssm, 1, "run a");
    HELD.scope(Arc::clone(&a), fence()).await.expect("run a holds the lease");
    // Run a stalls past its TTL; run b takes the lease over.
    ssm.overwrite(&generation_name(FOLDER, 1), &lease("run a", unix_seconds() - 1)).await.unwrap();
    assert_eq!(acquire(&ssm, &request("run b")).await.unwrap(), Acquired::Took(2));
    let fenced = HELD.scope(Arc::clone(&a), fence()).await.expect_err("run a must not write any more");
    assert_eq!(fenced.message, "the deploy lease of acme/shop-api @ staging is no longer this run's: run b holds it");
    // Run a's late renewal and release leave run b's lease alone.
    let renewal = tokio::spawn(Arc::clone(&a).renew_until_lost());
    tokio::time::timeout(Duration::from_secs(30), renewal).await.expect("the renewal stops").unwrap();
    super::LeaseGuard { held: a, renewal: tokio::spawn(async {}) }.release().await;
    let b = held(&ssm, 2, "run b");
    HELD.scope(b, fence()).await.expect("run b still holds the lease");
    assert_eq!(ssm.read(&generation_name(FOLDER, 2)).await.unwrap().map(|text| text.contains("run b")), Some(true));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_expired_lease_is_not_renewed_by_its_late_holder() {
    let ssm = ssm("an_expired_lease_is_not_renewed").await;
    assert!(ssm.create(&generation_name(FOLDER, 1), &lease("run a", unix_seconds() - 1)).await.unwrap());
    let a = held(&ssm, 1, "run a");
    let before = ssm.read(&generation_name(FOLDER, 1)).await.unwrap();
    let fenced = HELD.scope(Arc::clone(&a), fence()).await.expect_err("an expired lease is not this run's");
    assert_eq!(fenced.message, "the deploy lease of acme/shop-api @ staging expired before this run renewed it");
    tokio::time::timeout(Duration::from_secs(30), tokio::spawn(a.renew_until_lost())).await.unwrap().unwrap();
    assert_eq!(ssm.read(&generation_name(FOLDER, 1)).await.unwrap(), before, "not renewed");
}

/// The numbers of the queue's entries, sorted.
async fn queued(ssm: &Ssm) -> Vec<u64> {
    let folder = queue::folder(FOLDER);
    let listed = ssm.list(&folder).await.unwrap();
    let mut found: Vec<u64> = listed.iter().filter_map(|(name, _)| generation_number(&folder, name)).collect();
    found.sort_unstable();
    found
}

/// Waits (up to 30 s) until the queue's entries are `expected`.
async fn until_queued(ssm: &Ssm, expected: &[u64]) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while queued(ssm).await != expected {
        assert!(std::time::Instant::now() < deadline, "the queue never became {expected:?}: {:?}", queued(ssm).await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn waiting<'a>(owner: &'a str, sha: &'a str, kind: Kind) -> LeaseRequest<'a> {
    LeaseRequest { timeout: Duration::from_secs(60), sha, kind, run_url: Some("https://ci/runs/2"), ..request(owner) }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_waiting_deploy_is_superseded_by_a_newer_one_which_takes_the_lease_in_its_turn() {
    let ssm = ssm("a_waiting_deploy_is_superseded_by_a_newer_one").await;
    assert!(ssm.create(&generation_name(FOLDER, 1), &lease("the running deploy", unix_seconds() + 600)).await.unwrap());
    let older = waiting("run older", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Kind::Deploy);
    let newer = waiting("run newer", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Kind::Deploy);
    let (older, newer, ()) = tokio::join!(
        acquire(&ssm, &older),
        async {
            // The newer deploy comes once the older one waits in the queue.
            until_queued(&ssm, &[1]).await;
            acquire(&ssm, &newer).await
        },
        async {
            // The running deploy finishes once the older one left the queue.
            until_queued(&ssm, &[2]).await;
            ssm.delete(&generation_name(FOLDER, 1)).await.unwrap();
        }
    );
    let by = Supersession { sha: "b".repeat(40), run_url: Some("https://ci/runs/2".into()) };
    assert_eq!(older.unwrap(), Acquired::Superseded(by));
    // The running deploy's generation was deleted (released): the newer deploy creates the first.
    assert_eq!(newer.unwrap(), Acquired::Took(1), "the newer deploy takes the lease");
    assert_eq!(queued(&ssm).await, Vec::<u64>::new(), "both runs left the queue");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_stop_keeps_its_place_before_a_newer_deploy() {
    let ssm = ssm("a_stop_keeps_its_place_before_a_newer_deploy").await;
    assert!(ssm.create(&generation_name(FOLDER, 1), &lease("the running deploy", unix_seconds() + 600)).await.unwrap());
    let stop = waiting("run stop", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Kind::Other);
    let deploy = waiting("run deploy", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Kind::Deploy);
    let (stop, deploy) = tokio::join!(
        async {
            let took = acquire(&ssm, &stop).await;
            // The stop holds the lease: the deploy still waits, queued.
            assert_eq!(queued(&ssm).await, [2], "the deploy waits in the queue while the stop runs");
            ssm.delete(&generation_name(FOLDER, 1)).await.unwrap();
            took
        },
        async {
            until_queued(&ssm, &[1]).await;
            let joined = acquire(&ssm, &deploy);
            let release = async {
                until_queued(&ssm, &[1, 2]).await;
                ssm.delete(&generation_name(FOLDER, 1)).await.unwrap();
            };
            tokio::join!(joined, release).0
        }
    );
    // Each took the lease once its holder released it (deleted its generation, the first).
    assert_eq!(stop.unwrap(), Acquired::Took(1), "the stop queued first and is not superseded");
    assert_eq!(deploy.unwrap(), Acquired::Took(1), "the deploy takes the lease after the stop");
}
