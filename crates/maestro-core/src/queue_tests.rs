use super::*;

const NOW: u64 = 1_000;

fn queued(number: u64, sha: char, kind: Kind, expires_at: u64) -> Queued {
    let entry = Entry {
        owner: format!("run {number}"),
        run_url: Some(format!("https://ci/runs/{number}")),
        sha: sha.to_string().repeat(40),
        kind,
        expires_at,
    };
    Queued { number, text: encode(&entry) }
}

fn deploy(number: u64, sha: char) -> Queued {
    queued(number, sha, Kind::Deploy, NOW + 60)
}

fn other(number: u64) -> Queued {
    queued(number, '0', Kind::Other, NOW + 60)
}

#[test]
fn the_first_run_queued_is_next_and_the_others_wait_behind_it() {
    let queue = [other(1), other(2), other(3)];
    assert_eq!(turn(&queue, 1, Kind::Other, NOW), Turn::Next);
    assert_eq!(
        turn(&queue, 3, Kind::Other, NOW),
        Turn::Wait { ahead: 2, first: "a stop, restart, rollback or destroy by run 1 (https://ci/runs/1)".into() }
    );
}

#[test]
fn a_newer_deploy_supersedes_every_older_waiting_deploy() {
    let queue = [deploy(1, 'a'), deploy(2, 'b'), deploy(3, 'c')];
    let by_third = Turn::Superseded(Supersession { sha: "c".repeat(40), run_url: Some("https://ci/runs/3".into()) });
    assert_eq!(turn(&queue, 1, Kind::Deploy, NOW), by_third);
    assert_eq!(turn(&queue, 2, Kind::Deploy, NOW), by_third);
    // The newest is next: the deploys ahead of it are superseded, so nobody waits before it.
    assert_eq!(turn(&queue, 3, Kind::Deploy, NOW), Turn::Next);
}

#[test]
fn only_deploys_supersede_deploys() {
    // A stop queued behind a deploy does not supersede it, and a deploy does not supersede a stop
    // queued before it: the stop keeps its place, and the newest deploy waits for it.
    let queue = [deploy(1, 'a'), other(2), deploy(3, 'c')];
    assert!(matches!(turn(&queue, 1, Kind::Deploy, NOW), Turn::Superseded(by) if by.sha == "c".repeat(40)));
    assert_eq!(turn(&queue, 2, Kind::Other, NOW), Turn::Next);
    assert!(matches!(turn(&queue, 3, Kind::Deploy, NOW), Turn::Wait { ahead: 1, .. }));
    let queue = [deploy(1, 'a'), other(2)];
    assert_eq!(turn(&queue, 1, Kind::Deploy, NOW), Turn::Next);
    assert!(
        matches!(turn(&queue, 2, Kind::Other, NOW), Turn::Wait { ahead: 1, first } if first.starts_with("the deploy of aaaaaaaa"))
    );
}

#[test]
fn entries_of_dead_runs_and_unreadable_ones_are_passed_over() {
    let dead_newer = queued(3, 'c', Kind::Deploy, NOW);
    let unreadable = Queued { number: 4, text: "not json".into() };
    let queue = [queued(1, 'a', Kind::Other, NOW - 1), deploy(2, 'b'), dead_newer, unreadable];
    // The newer deploy's run died: it supersedes nobody, and the expired stop holds nobody up.
    assert_eq!(turn(&queue, 2, Kind::Deploy, NOW), Turn::Next);
    assert!(!others_wait(&queue[..1], None, NOW));
    assert!(others_wait(&queue, None, NOW));
    assert!(!others_wait(&queue, Some(2), NOW));
}

#[test]
fn a_run_counts_its_own_entry_before_the_listing_shows_it() {
    // SSM lists a new parameter a moment late: the run queued as 5 is still behind 1, and a
    // deploy queued as 5 still supersedes the deploy queued as 1 from that deploy's view once listed.
    let queue = [deploy(1, 'a')];
    assert!(matches!(turn(&queue, 5, Kind::Other, NOW), Turn::Wait { ahead: 1, .. }));
    assert_eq!(turn(&queue, 5, Kind::Deploy, NOW), Turn::Next);
}

#[test]
fn the_superseded_line_names_the_newer_commit_and_its_run() {
    let by = Supersession { sha: "c".repeat(40), run_url: Some("https://ci/runs/3".into()) };
    assert_eq!(by.line(), "superseded by cccccccc (run https://ci/runs/3)");
    assert_eq!(
        by.told(),
        "superseded by cccccccc (run https://ci/runs/3): a newer deploy of the branch queued while this one waited for the deploy lease, and deploys instead; this run deployed nothing\n"
    );
    let by = Supersession { sha: "::error::x".into(), run_url: None };
    assert!(!by.line().contains("::error::"), "relayed text is made inert: {}", by.line());
    assert_eq!(folder("/maestro/locks/acme-shop-api-staging"), "/maestro/locks/acme-shop-api-staging/queue");
}
