//! `--output ndjson`: a deploy, a failed release and a rollback as a stream of events, one JSON
//! object a line, each valid against its definition in docs/ndjson.schema.json (checked by the
//! notifications' validator of the schema keywords), the last line the report `--output json`
//! gives, on one line.

use serde_json::Value;

use crate::deploy_cli::maestro_in;
use crate::notify::shapes::violations;
use crate::support::{Outcome, repository_root};
use maestro_test_support::{TestAccount, plan_task};

/// Each line of `outcome`'s stdout, checked against the schema's definition of its event; the
/// events, and the report (the last line).
fn stream(outcome: &Outcome) -> (Vec<Value>, Value) {
    let text = std::fs::read_to_string(repository_root().join("docs/ndjson.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let mut lines: Vec<Value> = outcome
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("not one JSON object: {line}: {error}")))
        .collect();
    let report = lines.pop().expect("at least the report");
    assert!(report.get("event").is_none(), "the last line is the report: {report}");
    for event in &lines {
        let name = event["event"].as_str().unwrap_or_else(|| panic!("no `event`: {event}"));
        let definition = &schema["$defs"][name];
        assert!(definition.is_object(), "docs/ndjson.schema.json has no `{name}`");
        let broken = violations(definition, event);
        assert!(broken.is_empty(), "{event} breaks its schema: {broken:?}");
    }
    (lines, report)
}

fn position(events: &[Value], wanted: &Value) -> usize {
    events.iter().position(|event| event == wanted).unwrap_or_else(|| panic!("no {wanted} in {events:#?}"))
}

fn named<'a>(events: &'a [Value], name: &str) -> Vec<&'a Value> {
    events.iter().filter(|event| event["event"] == name).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_streams_its_phases_changes_and_verdicts_then_its_report() {
    let account = TestAccount::new("ndjson_a_deploy_streams").await;
    let branch = [("MAESTRO_BRANCH_OVERRIDE", "ndjson-deploy")];
    let outcome = maestro_in(&account, "deploy", "ndjson", &branch).await;
    let (events, report) = stream(outcome.expect_code(0));
    let phase = |event: &str, phase: &str| serde_json::json!({"event": event, "phase": phase});
    let started = position(&events, &serde_json::json!({"event": "started"}));
    let provision = position(&events, &phase("phase_started", "provision"));
    let rollout = position(&events, &phase("phase_started", "rollout"));
    assert!(started < provision && provision < rollout, "{events:#?}");
    let changes = named(&events, "change");
    assert!(
        changes.iter().any(|change| change["change"] == "create cluster acme-shop-api-ndjson-deploy"),
        "{changes:#?}"
    );
    // Every change is one the report lists, and the report lists no other.
    assert_eq!(changes.len(), report["actions"].as_array().unwrap().len(), "{changes:#?}\n{report}");
    let finished = named(&events, "phase_finished");
    assert!(finished.iter().any(|event| event["phase"] == "rollout"), "{finished:#?}");
    let mut verdicts: Vec<(&str, &str)> = named(&events, "verdict")
        .iter()
        .map(|verdict| (verdict["service"].as_str().unwrap(), verdict["state"].as_str().unwrap()))
        .collect();
    verdicts.sort_unstable();
    let mut reported: Vec<(&str, &str)> = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|service| service["state"] != "unchanged")
        .map(|service| (service["service"].as_str().unwrap(), service["state"].as_str().unwrap()))
        .collect();
    reported.sort_unstable();
    assert_eq!(verdicts, reported, "a verdict for each service the deploy waited for");
    assert_eq!(named(&events, "image")[0]["source"], "existing");

    // The last line is the report `--output json` gives: the same members.
    let json = maestro_in(&account, "deploy", "json", &branch).await.expect_code(0).json();
    let keys = |value: &Value| value.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&report), keys(&json));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failed_release_streams_its_release_phase_and_ends_with_the_error() {
    let account = TestAccount::new("ndjson_a_failed_release").await;
    plan_task("acme-shop-api-ndjson-release-release", serde_json::json!({"exit_code": 3})).await;
    let outcome = maestro_in(&account, "deploy", "ndjson", &[("MAESTRO_BRANCH_OVERRIDE", "ndjson-release")]).await;
    let (events, report) = stream(outcome.expect_code(1));
    position(&events, &serde_json::json!({"event": "phase_started", "phase": "release"}));
    assert!(named(&events, "phase_finished").iter().any(|event| event["phase"] == "release"));
    assert!(named(&events, "released").is_empty() && named(&events, "verdict").is_empty(), "{events:#?}");
    let message = report["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("the release command exited with code 3"), "{report}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_rollback_streams_its_phases_and_verdicts_then_its_report() {
    let account = TestAccount::new("ndjson_a_rollback").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "ndjson-rollback");
    let next = [branch, ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b9e8d7c6b5a4f3e2d1c0b")];
    maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0);
    maestro_in(&account, "deploy", "json", &next).await.expect_code(0);
    let outcome = maestro_in(&account, "rollback", "ndjson", &next).await;
    let (events, report) = stream(outcome.expect_code(0));
    assert!(!named(&events, "phase_started").is_empty() && !named(&events, "phase_finished").is_empty());
    let verdicts = named(&events, "verdict");
    assert_eq!(verdicts.len(), 3, "{events:#?}");
    assert!(verdicts.iter().all(|verdict| verdict["state"] == "deployed"), "{verdicts:#?}");
    assert_eq!(report["target"]["number"], 1, "{report}");
}
