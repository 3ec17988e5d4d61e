use super::*;

fn release(kind: Kind, outcome: Outcome) -> Release {
    Release {
        schema_version: SCHEMA_VERSION,
        kind,
        commit: "3f2a9c1d7e4b5a6c3f2a9c1d7e4b5a6c3f2a9c1d".to_owned(),
        image: Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging@sha256:abc".to_owned()),
        task_definitions: [("web", "acme-shop-api-staging-web:7"), ("worker", "acme-shop-api-staging-worker:3")]
            .into_iter()
            .map(|(process, family)| (process.to_owned(), family.to_owned()))
            .collect(),
        who: Some("octocat".to_owned()),
        run_url: Some("https://github.com/acme/shop-api/actions/runs/1".to_owned()),
        time: 1_700_000_000,
        outcome,
        built_with: None,
    }
}

#[test]
fn the_parameter_is_beside_the_lease_and_named_alike() {
    let mut request = crate::fixtures::staging(&[]);
    assert_eq!(parameter(&request), "/maestro/releases/acme-shop-api-staging");
    assert_eq!(crate::lease::folder(&request), "/maestro/locks/acme-shop-api-staging");
    request.branch_slug = None;
    assert_eq!(parameter(&request), "/maestro/releases/acme-shop-api-default");
}

#[test]
fn a_record_reads_back_as_written_with_its_number() {
    for (kind, outcome) in [
        (Kind::Deploy, Outcome::Succeeded),
        (Kind::Rollback { to: 3 }, Outcome::Failed { reason: "1 of 2 services did not roll out".to_owned() }),
        (Kind::Restart, Outcome::Succeeded),
    ] {
        let written = release(kind, outcome);
        let text = encode(&written).unwrap();
        assert_eq!(decode(9, &text), Ok(Numbered { number: 9, release: written }));
    }
}

#[test]
fn the_stored_json_is_flat_and_documented() {
    let text = encode(&release(Kind::Rollback { to: 3 }, Outcome::Failed { reason: "boom".to_owned() })).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["kind"], "rollback");
    assert_eq!(value["to"], 3);
    assert_eq!(value["outcome"], "failed");
    assert_eq!(value["reason"], "boom");
    assert_eq!(value["task_definitions"]["web"], "acme-shop-api-staging-web:7");
}

#[test]
fn what_is_no_release_of_this_schema_is_skipped_with_why() {
    let newer = encode(&release(Kind::Deploy, Outcome::Succeeded))
        .unwrap()
        .replace("\"schema_version\":1", "\"schema_version\":2");
    let skipped = decode(4, &newer).unwrap_err();
    assert_eq!(skipped.number, 4);
    assert!(skipped.why.contains("schema version 2"), "{skipped:?}");
    assert!(decode(5, "not json").unwrap_err().why.starts_with("not JSON"));
    assert!(decode(6, "{\"owner\":\"x\"}").unwrap_err().why.contains("no schema_version"));
    assert!(
        decode(7, "{\"schema_version\":1,\"kind\":\"teleport\"}").unwrap_err().why.contains("not a release record")
    );
}

#[test]
fn the_list_is_newest_first_and_the_current_is_the_newest_success() {
    let ok = encode(&release(Kind::Deploy, Outcome::Succeeded)).unwrap();
    let failed = encode(&release(Kind::Deploy, Outcome::Failed { reason: "x".to_owned() })).unwrap();
    let versions = vec![(1, ok.clone()), (3, failed), (2, ok), (4, "garbage".to_owned())];
    let (releases, skipped) = list(&versions);
    assert_eq!(releases.iter().map(|release| release.number).collect::<Vec<_>>(), [3, 2, 1]);
    assert_eq!(skipped.iter().map(|skip| skip.number).collect::<Vec<_>>(), [4]);
    assert_eq!(current(&releases), Some(2));
    assert_eq!(current(&releases[..1]), None, "only a failed release: none is current");
}

#[test]
fn a_record_too_large_is_shortened_never_refused_for_its_url_or_reason() {
    let mut big = release(Kind::Deploy, Outcome::Failed { reason: "r".repeat(5000) });
    big.run_url = Some(format!("https://ci/{}", "u".repeat(1000)));
    let text = encode(&big).unwrap();
    assert!(text.len() <= VALUE_LIMIT, "{}", text.len());
    let back = decode(1, &text).unwrap().release;
    assert_eq!(back.run_url, None);
    assert!(matches!(back.outcome, Outcome::Failed { reason } if reason.chars().count() <= SHORT_REASON));
    assert_eq!(back.task_definitions, big.task_definitions, "what a rollback needs is kept");
    // Within the limit, nothing is dropped.
    let small = release(Kind::Deploy, Outcome::Succeeded);
    assert_eq!(decode(1, &encode(&small).unwrap()).unwrap().release, small);
    // Too many processes to fit: no record, which the caller warns about.
    let mut huge = small;
    huge.task_definitions =
        (0..200).map(|n| (format!("process{n}"), format!("acme-shop-api-staging-process{n}:1"))).collect();
    assert_eq!(encode(&huge), None);
}

#[test]
fn task_definitions_are_kept_as_family_and_revision() {
    assert_eq!(
        family_revision("arn:aws:ecs:us-east-1:123456789012:task-definition/shop-main-web:12"),
        "shop-main-web:12"
    );
    assert_eq!(family_revision("shop-main-web:12"), "shop-main-web:12");
    assert_eq!(one_line("\n  first line  \nsecond"), "first line");
}

#[test]
fn a_time_reads_as_a_utc_date_and_minute() {
    assert_eq!(when(0), "1970-01-01 00:00 UTC");
    assert_eq!(when(1_700_000_000), "2023-11-14 22:13 UTC");
}

#[test]
fn the_running_release_is_the_newest_whose_revisions_are_live() {
    let numbered = |number: u64, web: &str, outcome: Outcome| {
        let mut release = release(Kind::Deploy, outcome);
        release.task_definitions.insert("web".to_owned(), web.to_owned());
        Numbered { number, release }
    };
    let failed = Outcome::Failed { reason: "web did not roll out".to_owned() };
    // Release 2 failed and ECS rolled web back to release 1's revision.
    let releases = [
        numbered(2, "acme-shop-api-staging-web:8", failed),
        numbered(1, "acme-shop-api-staging-web:7", Outcome::Succeeded),
    ];
    let live = |web: &str| -> BTreeMap<String, String> {
        [("web", web), ("worker", "acme-shop-api-staging-worker:3")]
            .into_iter()
            .map(|(process, revision)| (process.to_owned(), revision.to_owned()))
            .collect()
    };
    assert_eq!(running(&releases, &live("acme-shop-api-staging-web:7")).map(|found| found.number), Some(1));
    assert_eq!(running(&releases, &live("acme-shop-api-staging-web:8")).map(|found| found.number), Some(2));
    assert_eq!(running(&releases, &live("acme-shop-api-staging-web:9")), None, "changed outside maestro");
    assert_eq!(running(&releases, &BTreeMap::new()), None, "nothing runs");
    assert_eq!(running(&[], &live("acme-shop-api-staging-web:7")), None);
}

#[test]
fn a_kind_reads_as_people_say_it() {
    assert_eq!(Kind::Deploy.label(), "deploy");
    assert_eq!(Kind::Rollback { to: 3 }.label(), "rollback to 3");
    assert_eq!(Kind::Restart.label(), "restart");
}

#[test]
fn a_restart_is_recorded_as_the_release_it_restarted() {
    let running = release(Kind::Deploy, Outcome::Succeeded);
    let restarted = [("web".to_owned(), "acme-shop-api-staging-web:7".to_owned())].into_iter().collect();
    let ran = Ran { who: Some("ops".to_owned()), run_url: None, time: 1_700_000_600 };
    let restart = restart(&running, &restarted, ran, Outcome::Succeeded);
    assert_eq!(restart.kind, Kind::Restart);
    assert_eq!((&restart.commit, &restart.image), (&running.commit, &running.image));
    assert_eq!(restart.task_definitions, running.task_definitions, "the same revisions, every process kept");
    assert_eq!((restart.who.as_deref(), restart.run_url, restart.time), (Some("ops"), None, 1_700_000_600));
}
