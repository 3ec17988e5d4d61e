//! The deploy queue (`maestro_core::queue`): three deploys of one branch started together; the
//! first deploys, the second, overtaken while it waits by the third, ends as superseded (exit 0,
//! no failure reported to GitHub), and the third deploys. Real processes against the emulator's
//! SSM and ECS, with a loopback GitHub.

use std::thread::JoinHandle;

use serde_json::{Value, json};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, Scratch, maestro};
use maestro_test_support::{TestAccount, Watched};

const FIRST: &str = "1111111111111111111111111111111111111111";
const SECOND: &str = "2222222222222222222222222222222222222222";
const THIRD: &str = "3333333333333333333333333333333333333333";

/// A deploy of `commit` started in the background, its stderr read up to a line holding `until`.
struct Started {
    /// The run's step outputs and job summary.
    scratch: Scratch,
    run: Watched,
}

async fn start(
    account: &TestAccount,
    env: &[(String, String)],
    commit: &str,
    extra: &[(&str, &str)],
    until: &str,
) -> Started {
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.deploy_env().await).envs(env.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    command.env("MAESTRO_COMMIT_OVERRIDE", commit).envs(extra.iter().copied());
    // A push to staging on GitHub Actions, run `<digit>00<digit>` (3003 for the third commit).
    let scratch = Scratch::new();
    let run_id = format!("{0}00{0}", &commit[..1]);
    command.envs([
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_EVENT_NAME", "push"),
        ("GITHUB_REPOSITORY", "acme/shop-api"),
        ("GITHUB_REF", "refs/heads/staging"),
        ("GITHUB_SHA", commit),
        ("GITHUB_RUN_ID", &run_id),
        ("GITHUB_RUN_ATTEMPT", "1"),
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_OUTPUT", &scratch.file("github-output")),
        ("GITHUB_STEP_SUMMARY", &scratch.file("step-summary.md")),
    ]);
    let run = Watched::until(&mut command, |line| line.contains(until));
    Started { scratch, run }
}

impl Started {
    /// Reads the rest in the background (so the pipe never fills) and waits for the process.
    fn finish(self) -> JoinHandle<(Outcome, Scratch)> {
        let Self { scratch, run } = self;
        std::thread::spawn(move || (run.outcome(), scratch))
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn three_deploys_of_a_branch_the_second_is_superseded_by_the_third() {
    let account = TestAccount::new("three_deploys_of_a_branch_the_second_is_superseded").await;
    let github = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 77})))
        .mount(&github)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&github).await;
    let tools = BuildTools::new();
    let mut env = tools.env();
    env.extend(
        [
            ("MAESTRO_SKIP_BUILD", "false"),
            ("MAESTRO_LOCK_TIMEOUT", "300"),
            ("GITHUB_TOKEN", "fake-github-token"),
            ("GITHUB_API_URL", github.uri().as_str()),
            ("MAESTRO_REPORT_TIMEOUT", "2"),
        ]
        .map(|(name, value)| (name.to_owned(), value.to_owned())),
    );
    // The first builds slowly, holding the lease while the others queue: the second first, then
    // the third (each once the one before waits in the queue).
    // What each registers differs (the stand-in builds the same image for every commit): the
    // third's revisions are new only if it deployed after the first.
    let slow = [("PACK_STAND_IN_SLEEP", "15"), ("ECS_CONTAINER_STOP_TIMEOUT", "61")];
    let first = start(&account, &env, FIRST, &slow, "BUILDING").await.finish();
    let waiting = "waiting for the deploy of";
    let second = start(&account, &env, SECOND, &[("ECS_CONTAINER_STOP_TIMEOUT", "62")], waiting).await.finish();
    let third = start(&account, &env, THIRD, &[("ECS_CONTAINER_STOP_TIMEOUT", "63")], waiting).await.finish();
    let ((first, _), (second, second_files), (third, _)) =
        (first.join().unwrap(), second.join().unwrap(), third.join().unwrap());

    let deployed = |outcome: &Outcome, commit: &str| {
        outcome.expect_code(0);
        let report = outcome.json();
        assert_eq!(report["request"]["sha"], commit, "{report}");
        let states: Vec<&str> =
            report["services"].as_array().unwrap().iter().map(|service| service["state"].as_str().unwrap()).collect();
        assert!(!states.is_empty() && states.iter().all(|state| *state == "deployed"), "{report}");
    };
    deployed(&first, FIRST);
    deployed(&third, THIRD);
    let revision = |outcome: &Outcome| outcome.json()["services"][0]["task_definition"].as_str().unwrap().to_owned();
    assert!(revision(&first).ends_with(":1") && revision(&third).ends_with(":2"), "the third deployed after the first");
    let by_third = "superseded by 33333333 (run https://github.com/acme/shop-api/actions/runs/3003)";
    second.expect_code(0).expect_stderr(&[format!("this run was {by_third}")]);
    // The workflow's later steps and the job summary say so.
    assert!(second_files.read("github-output").unwrap_or_default().contains("superseded"), "the status output");
    let summary = second_files.read("step-summary.md").unwrap_or_default();
    assert!(
        summary.starts_with("## ⏭️ maestro did not deploy acme/shop-api to staging") && summary.contains(by_third),
        "{summary}"
    );
    let report: Value = second.json();
    assert_eq!(
        (&report["request"]["sha"], &report["superseded_by"]["sha"]),
        (&json!(SECOND), &json!(THIRD)),
        "{report}"
    );
    assert!(report.get("services").is_none(), "the second deployed nothing: {report}");
    assert!(third.stderr.contains("took the deploy lease after waiting"), "{}", third.stderr);

    // GitHub: no failure anywhere; the second's commit status ends `success`, described as
    // superseded; its deployment goes inactive and its check run is skipped.
    let requests = github.received_requests().await.unwrap();
    let posted: Vec<(String, Value)> = requests
        .iter()
        .filter(|request| request.method.as_str() == "POST")
        .map(|request| (request.url.path().to_owned(), serde_json::from_slice(&request.body).unwrap_or_default()))
        .collect();
    for (path, body) in &posted {
        let state = body["state"].as_str().or(body["conclusion"].as_str()).unwrap_or_default();
        assert!(!["failure", "error"].contains(&state), "a failure was posted: {path} {body}");
    }
    let statuses = |commit: &str| -> Vec<(String, String)> {
        posted
            .iter()
            .filter(|(path, _)| path.ends_with(&format!("/statuses/{commit}")))
            .map(|(_, body)| {
                (body["state"].as_str().unwrap().to_owned(), body["description"].as_str().unwrap().to_owned())
            })
            .collect()
    };
    let second_statuses = statuses(SECOND);
    assert_eq!(second_statuses.len(), 2, "{posted:?}");
    assert_eq!(second_statuses[0].0, "pending");
    assert_eq!(second_statuses[1], ("success".to_owned(), format!("Not deployed to staging: {by_third}")));
    assert_eq!(statuses(THIRD).last().map(|(state, _)| state.as_str()), Some("success"));
    assert_eq!(statuses(FIRST).last().map(|(state, _)| state.as_str()), Some("success"));
    let inactive: Vec<&Value> = posted
        .iter()
        .filter(|(path, body)| path.ends_with("/deployments/77/statuses") && body["state"] == "inactive")
        .map(|(_, body)| body)
        .collect();
    assert_eq!(inactive.len(), 1, "only the second's deployment goes inactive: {posted:?}");
    let skipped = posted.iter().find(|(path, body)| path.ends_with("/check-runs") && body["head_sha"] == SECOND);
    assert_eq!(skipped.map(|(_, body)| &body["conclusion"]), Some(&json!("skipped")), "{posted:?}");
}
