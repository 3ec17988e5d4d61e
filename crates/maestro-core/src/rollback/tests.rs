use super::*;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::history::{Kind, Outcome, Release, SCHEMA_VERSION};

const A: &str = "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c";
const B: &str = "9e8d7c6b5a4f3e2d1c0b9e8d7c6b5a4f3e2d1c0b";
/// Starts like A for seven characters, then differs.
const A2: &str = "3f2a9c1ffffffffffffffffffffffffffffffff0";

fn numbered(number: u64, commit: &str, succeeded: bool) -> Numbered {
    let outcome = if succeeded { Outcome::Succeeded } else { Outcome::Failed { reason: "boom".to_owned() } };
    Numbered {
        number,
        release: Release {
            schema_version: SCHEMA_VERSION,
            kind: Kind::Deploy,
            commit: commit.to_owned(),
            image: Some(format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/shop@sha256:{number:064}")),
            task_definitions: [("web", format!("acme-shop-api-staging-web:{number}"))]
                .into_iter()
                .map(|(process, revision)| (process.to_owned(), revision))
                .collect(),
            who: None,
            run_url: None,
            time: 1_700_000_000 + number,
            outcome,
            built_with: None,
        },
    }
}

/// Newest first, as `history::list` gives them.
fn history(list: &[(u64, &str, bool)]) -> Vec<Numbered> {
    let mut releases: Vec<Numbered> = list.iter().map(|(n, commit, ok)| numbered(*n, commit, *ok)).collect();
    releases.sort_by_key(|release| std::cmp::Reverse(release.number));
    releases
}

fn number(target: Target<'_>) -> u64 {
    match target {
        Target::Release(release) => release.number,
        Target::Current(number) => panic!("the current release {number}, not a target"),
    }
}

#[test]
fn to_is_a_number_or_a_commit_prefix_and_anything_else_is_bad_input_naming_to() {
    assert_eq!(parse_to("12"), Ok(Wanted::Number(12)));
    assert_eq!(parse_to("3F2A9C1"), Ok(Wanted::Commit("3f2a9c1".to_owned())));
    for bad in ["3f2a9c", "v1.2", "", &"a".repeat(41)] {
        let error = parse_to(bad).unwrap_err();
        assert_eq!(error.location.to_string(), "maestro rollback --to", "{bad}");
        assert!(error.hint.contains("maestro releases"), "{error:?}");
    }
}

#[test]
fn without_to_the_newest_success_before_the_current_one_is_the_target() {
    // 4 failed (the services stayed on 3), 2 failed: back from 3 to 1.
    let releases = history(&[(1, A, true), (2, B, false), (3, B, true), (4, A, false)]);
    assert_eq!(number(select(None, &releases).unwrap()), 1);
    // After a rollback to 1 (release 5, current), the previous is 3: forward again.
    let releases = history(&[(1, A, true), (3, B, true), (5, A, true)]);
    assert_eq!(number(select(None, &releases).unwrap()), 3);
}

#[test]
fn without_an_earlier_success_there_is_nothing_to_return_to() {
    let one = history(&[(1, A, true)]);
    let error = select(None, &one).unwrap_err();
    assert_eq!(error, NoTarget::NoEarlier { current: 1 });
    let input = InputError::from(error);
    assert!(input.hint.contains("only one release") && input.hint.contains("maestro releases"), "{input:?}");
    assert_eq!(input.location.to_string(), "maestro rollback");
    assert_eq!(select(None, &[]).unwrap_err(), NoTarget::Nothing);
    assert_eq!(select(None, &history(&[(1, A, false)])).unwrap_err(), NoTarget::NoneSucceeded);
}

#[test]
fn a_number_names_its_release_and_the_current_one_is_said_so() {
    let releases = history(&[(1, A, true), (2, B, true), (3, A, false)]);
    assert_eq!(number(select(Some(&Wanted::Number(1)), &releases).unwrap()), 1);
    assert_eq!(select(Some(&Wanted::Number(2)), &releases).unwrap(), Target::Current(2));
    assert_eq!(select(Some(&Wanted::Number(3)), &releases).unwrap_err(), NoTarget::Failed { number: 3 });
    let missing = select(Some(&Wanted::Number(99)), &releases).unwrap_err();
    assert_eq!(missing, NoTarget::NoRelease { number: 99, known: "3, 2, 1".to_owned() });
    assert_eq!(InputError::from(missing).location.to_string(), "maestro rollback --to");
}

#[test]
fn a_commit_names_the_newest_successful_release_of_it_and_two_commits_are_ambiguous() {
    let releases = history(&[(1, A, true), (2, B, true), (3, A, true), (4, B, true), (5, A, false)]);
    let wanted = |prefix: &str| Wanted::Commit(prefix.to_owned());
    assert_eq!(number(select(Some(&wanted(&A[..10])), &releases).unwrap()), 3, "5 failed");
    assert_eq!(select(Some(&wanted(B)), &releases).unwrap(), Target::Current(4));
    let none = select(Some(&wanted("abcdef0")), &releases).unwrap_err();
    assert!(matches!(&none, NoTarget::NoCommit { known, .. } if known.contains("3f2a9c1d")), "{none:?}");

    let two = history(&[(1, A, true), (2, A2, true), (3, B, true)]);
    let error = select(Some(&wanted("3f2a9c1")), &two).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("3f2a9c1d (release 1)") && text.contains("3f2a9c1f (release 2)"), "{text}");
    assert_eq!(number(select(Some(&wanted("3f2a9c1d")), &two).unwrap()), 1);
}

fn desired() -> DesiredState {
    let settings = fixtures::deployable(&[("ECS_SERVICE_TASK_PROCESSES", "web, worker, clock, scheduledtasks")]);
    fixtures::desired(&fixtures::staging(&[]), &settings.unwrap(), &app_with(PROCFILE, &[])).unwrap()
}

fn running(task_definition: &str) -> Option<ObservedService> {
    Some(fixtures::live_service(&format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{task_definition}"), 1))
}

#[test]
fn services_off_the_target_revision_move_and_the_others_are_skipped_with_why() {
    let desired = desired();
    let name = |process: &str| desired.services.iter().find(|service| service.process == process).unwrap().name.clone();
    let mut target = numbered(1, A, true);
    target.release.task_definitions = [
        ("web", "acme-shop-api-staging-web:1"),
        ("worker", "acme-shop-api-staging-worker:1"),
        ("release", "acme-shop-api-staging-release:1"),
        ("gone", "acme-shop-api-staging-gone:1"),
    ]
    .into_iter()
    .map(|(process, revision)| (process.to_owned(), revision.to_owned()))
    .collect();
    let live: BTreeMap<String, Option<ObservedService>> = [
        (name("web"), running("acme-shop-api-staging-web:2")),
        (name("worker"), running("acme-shop-api-staging-worker:1")),
        (name("clock"), running("acme-shop-api-staging-clock:2")),
    ]
    .into_iter()
    .collect();
    let (moves, skipped) = moves(&desired, &target, &live);
    assert_eq!(
        moves,
        [Move {
            process: "web".into(),
            service: name("web"),
            from: "acme-shop-api-staging-web:2".into(),
            to: "acme-shop-api-staging-web:1".into(),
            circuit_breaker: false,
            shifting: false,
        }]
    );
    let why: Vec<(&str, &str)> = skipped.iter().map(|skip| (skip.process.as_str(), skip.why.as_str())).collect();
    assert_eq!(
        why,
        [
            ("worker", "already runs acme-shop-api-staging-worker:1"),
            ("clock", "was not a process of release 1: it is left as it is"),
            ("gone", "was a process of release 1 but is no longer planned: nothing of it is changed"),
        ]
    );
    // A service not deployed is skipped, not created.
    let (moves, skipped) = super::moves(&desired, &target, &BTreeMap::new());
    assert!(moves.is_empty());
    assert!(skipped.iter().any(|skip| skip.process == "web" && skip.why.contains("not deployed")), "{skipped:?}");
}

#[test]
fn the_recorded_image_splits_into_its_repository_and_digest() {
    let (repository, digest) =
        pinned_image("123456789012.dkr.ecr.us-east-1.amazonaws.com/acme/shop@sha256:abc").unwrap();
    assert_eq!((repository.path.as_str(), digest.as_str()), ("acme/shop", "sha256:abc"));
    assert!(matches!(repository.kind(), crate::build::repository::RegistryKind::Ecr { .. }));
    assert_eq!(pinned_image("ghcr.io/acme/shop:3f2a9c1d"), None, "a tag, no digest");
}

#[test]
fn the_reports_speak_of_the_target_commit() {
    let request = request_for(&fixtures::staging(&[]), B).unwrap();
    assert_eq!((request.sha.as_str(), request.report_sha.as_str(), request.short_sha.as_str()), (B, B, "9e8d7c6b"));
}
