//! The release records and `maestro releases`: each deploy that changed something is one version
//! of the environment's SSM parameter, numbered by SSM; a deploy with no change records nothing.

use aws_sdk_ssm::types::ParameterType;
use serde_json::{Value, json};

use crate::deploy_cli::maestro_in;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, run};
use maestro_test_support::{TestAccount, plan_task};

const PARAMETER: &str = "/maestro/releases/acme-shop-api-staging";
/// The branch the two-deploy test deploys: its own families, since the emulator's task plans
/// (a release that exits 5) hold for a family in every account, and other tests deploy `staging`.
const BRANCH: (&str, &str) = ("MAESTRO_BRANCH_OVERRIDE", "releases-ab");
const BRANCH_PARAMETER: &str = "/maestro/releases/acme-shop-api-releases-ab";
const BRANCH_REPOSITORY: &str = "acme-shop-api-releases-ab";
/// The example app's commit (examples/shop/maestro.env), then the next one.
const COMMIT_A: &str = "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c";
const COMMIT_B: &str = "9e8d7c6b5a4f3e2d1c0b9e8d7c6b5a4f3e2d1c0b";
/// A commit whose release process fails.
const COMMIT_C: &str = "77c0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192";

async fn digest(account: &TestAccount, tag: &str) -> String {
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    let images = ecr.describe_images().repository_name(BRANCH_REPOSITORY).send().await.unwrap();
    let image = images.image_details().iter().find(|image| image.image_tags().iter().any(|t| t == tag)).unwrap();
    image.image_digest().unwrap().to_owned()
}

async fn versions(account: &TestAccount, parameter: &str) -> usize {
    let ssm = aws_sdk_ssm::Client::new(&account.config);
    let (mut count, mut token) = (0, None);
    loop {
        let page = ssm.get_parameter_history().name(parameter).set_next_token(token).send().await.unwrap();
        count += page.parameters().len();
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return count;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn two_deploys_are_two_releases_newest_first_and_a_redeploy_records_none() {
    let account = TestAccount::new("two_deploys_are_two_releases").await;
    let before = maestro_in(&account, "releases", "human", &[BRANCH]).await;
    before.expect_code(0).expect_stdout(&["no releases of", BRANCH_PARAMETER]);

    maestro_in(&account, "deploy", "json", &[BRANCH]).await.expect_code(0).expect_stderr(&["recorded release 1"]);
    let next = [BRANCH, ("MAESTRO_COMMIT_OVERRIDE", COMMIT_B)];
    maestro_in(&account, "deploy", "json", &next).await.expect_code(0).expect_stderr(&["recorded release 2"]);

    let listed = maestro_in(&account, "releases", "json", &next).await.expect_code(0).json();
    assert_eq!(listed["parameter"], BRANCH_PARAMETER);
    assert_eq!(listed["current"], 2);
    let releases = listed["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 2, "{listed}");
    let (b, a) = (&releases[0], &releases[1]);
    assert_eq!((&a["number"], &b["number"]), (&json!(1), &json!(2)), "newest first");
    assert_eq!((&a["current"], &b["current"]), (&json!(false), &json!(true)));
    assert_eq!((&a["commit"], &b["commit"]), (&json!(COMMIT_A), &json!(COMMIT_B)));
    for (release, tag) in [(a, &COMMIT_A[..8]), (b, &COMMIT_B[..8])] {
        assert_eq!(release["kind"], "deploy");
        assert_eq!(release["outcome"], "succeeded");
        assert_eq!(release["schema_version"], 1);
        let image = release["image"].as_str().unwrap();
        assert!(image.ends_with(&format!("/{BRANCH_REPOSITORY}@{}", digest(&account, tag).await)), "{image}");
    }
    assert_ne!(a["image"], b["image"]);
    // Each process's revision: B registered the second of each family.
    for process in ["web", "worker", "clock", "release"] {
        let family = format!("acme-shop-api-releases-ab-{process}");
        assert_eq!(a["task_definitions"][process], format!("{family}:1"), "{a}");
        assert_eq!(b["task_definitions"][process], format!("{family}:2"), "{b}");
    }
    let time = b["time"].as_u64().unwrap();
    assert!(time >= a["time"].as_u64().unwrap() && time > 1_700_000_000, "{b}");

    // B again: nothing changed, nothing recorded (and the deploy still writes nothing).
    let again = maestro_in(&account, "deploy", "json", &next).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{}", again["aws_calls"]);
    assert_eq!(versions(&account, BRANCH_PARAMETER).await, 2, "a redeploy with no change records no release");

    // C's release process fails: recorded as failed, and B stays current.
    plan_task("acme-shop-api-releases-ab-release", json!({"exit_code": 5})).await;
    let failing = [BRANCH, ("MAESTRO_COMMIT_OVERRIDE", COMMIT_C)];
    maestro_in(&account, "deploy", "json", &failing).await.expect_code(1).expect_stderr(&["recorded release 3"]);
    let listed = maestro_in(&account, "releases", "json", &next).await.expect_code(0).json();
    assert_eq!(listed["current"], 2);
    let c = &listed["releases"][0];
    assert_eq!((&c["number"], &c["outcome"], &c["current"]), (&json!(3), &json!("failed"), &json!(false)), "{c}");
    assert!(c["reason"].as_str().unwrap().contains("exited with code 5"), "{c}");

    let human = maestro_in(&account, "releases", "human", &next).await;
    human.expect_code(0);
    let limited = run(maestro()
        .args(["releases", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--limit", "1"])
        .envs(account.deploy_env().await)
        .envs(next));
    limited.expect_code(0);
    assert!(limited.stdout.contains(&COMMIT_C[..8]) && !limited.stdout.contains(&COMMIT_B[..8]), "{}", limited.stdout);
    insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "[time]              ")]}, {
        insta::assert_snapshot!("releases_human", human.stdout);
    });
}

/// A release record as a deploy writes it, numbered by its commit's last digits.
fn record(n: u32, failed: bool) -> Value {
    let mut record = json!({
        "schema_version": 1, "kind": "deploy", "commit": format!("{n:040}"),
        "image": format!("r/acme-shop-api-staging@sha256:{n:064}"),
        "task_definitions": {"web": format!("acme-shop-api-staging-web:{n}")},
        "who": "octocat", "run_url": null, "time": 1_700_000_000 + u64::from(n), "outcome": "succeeded",
    });
    if failed {
        record["outcome"] = json!("failed");
        record["reason"] = json!("1 of 3 services did not roll out");
    }
    record
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn every_kept_version_is_read_across_pages_and_what_is_no_record_is_skipped() {
    let account = TestAccount::new("every_kept_version_is_read_across_pages").await;
    let ssm = aws_sdk_ssm::Client::new(&account.config);
    // 102 releases that succeeded, a value that is none, then a release that failed: SSM keeps
    // the newest 100 versions (5 to 104).
    for n in 1..=104 {
        let value = match n {
            103 => "not a release".to_owned(),
            104 => record(n, true).to_string(),
            _ => record(n, false).to_string(),
        };
        let put = ssm.put_parameter().name(PARAMETER).value(value).r#type(ParameterType::String).overwrite(true);
        put.send().await.unwrap();
    }
    let outcome = maestro_in(&account, "releases", "json", &[]).await;
    outcome.expect_code(0).expect_stderr(&["version 103 of /maestro/releases/acme-shop-api-staging skipped"]);
    let listed = outcome.json();
    assert_eq!(listed["current"], 102, "the newest that succeeded");
    assert_eq!(listed["skipped"][0]["number"], 103);
    let numbers: Vec<u64> =
        listed["releases"].as_array().unwrap().iter().map(|r| r["number"].as_u64().unwrap()).collect();
    assert_eq!(
        numbers,
        [104, 102, 101, 100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84],
        "20 by default"
    );
    assert_eq!(listed["releases"][0]["reason"], "1 of 3 services did not roll out");

    let mut all = maestro();
    all.args(["releases", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--limit", "500", "--output", "json"]);
    let all = run(all.envs(account.deploy_env().await)).expect_code(0).json();
    let numbers: Vec<u64> = all["releases"].as_array().unwrap().iter().map(|r| r["number"].as_u64().unwrap()).collect();
    let expected: Vec<u64> = [104].into_iter().chain((5..=102).rev()).collect();
    assert_eq!(numbers, expected, "every page read; the oldest versions SSM dropped are gone");
}

#[test]
fn a_limit_below_one_is_bad_input() {
    let outcome = run(maestro().args(["releases", "--limit", "0"]));
    outcome.expect_code(2).expect_stderr(&["--limit"]);
}
