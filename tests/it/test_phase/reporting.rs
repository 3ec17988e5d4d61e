//! The test phase's outcome on the code hosts, on loopback servers: GitHub's check run
//! `maestro/test` (a commit status where the token may not create check runs) and the job
//! summary; GitLab's commit status `maestro/test`. The output's tail is there, redacted.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{SECRET_VALUE, command, command_at, create_secret};
use crate::stand_ins::BuildTools;
use crate::support::{Scratch, run};
use maestro_test_support::TestAccount;
use maestro_test_support::runner::Runner;

const SHA: &str = "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c";
const TOKEN: &str = "fake-github-token-canary-0456";

async fn posted(server: &MockServer) -> Vec<(String, Value)> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|request| request.method.as_str() == "POST")
        .map(|request| (request.url.path().to_owned(), serde_json::from_slice(&request.body).unwrap_or(Value::Null)))
        .collect()
}

fn github_env(scratch: &Scratch, api: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        ("GITHUB_EVENT_NAME", "push".into()),
        ("GITHUB_REPOSITORY", "acme/shop-api".into()),
        ("GITHUB_SHA", SHA.into()),
        ("GITHUB_REF", "refs/heads/staging".into()),
        ("GITHUB_RUN_ID", "9002".into()),
        ("GITHUB_SERVER_URL", "https://github.com".into()),
        ("GITHUB_API_URL", api.into()),
        ("GITHUB_TOKEN", TOKEN.into()),
        ("GITHUB_OUTPUT", scratch.file("github-output")),
        ("GITHUB_STEP_SUMMARY", scratch.file("step-summary.md")),
        ("MAESTRO_REPORT_TIMEOUT", "2".into()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failed_test_is_a_failed_check_run_and_a_summary_with_the_redacted_tail() {
    let account = TestAccount::new("a_failed_test_is_a_failed_check_run").await;
    create_secret(&account, "staging/acme-shop-api").await;
    let server = crate::reporting::github(201).await;
    let tools = BuildTools::new();
    let scratch = Scratch::new();
    // The tests print the secret and try workflow commands, as a careless test may.
    let output = format!(
        "1 example, 3 failures\\nconnecting with {SECRET_VALUE}\\n::error::spoof\\n::set-output name=status::success"
    );
    let mut deploy = command(&account, &tools, "deploy", 3, &[("DOCKER_RUN_STAND_IN_OUTPUT", &output)]).await;
    deploy.envs(github_env(&scratch, &server.uri()));
    let outcome = run(&mut deploy);
    outcome.expect_code(1).expect_stderr(&["::group::Run the tests: npm test"]);
    // The log as the runner shows it: no secret, and only maestro's own commands ran.
    let runner = Runner::read(&format!("{}\n{}", outcome.stderr, outcome.stdout));
    for executed in &runner.executed {
        let own = match executed.command.as_str() {
            "add-mask" | "group" | "endgroup" => true,
            "stop-commands" => executed.data.starts_with("maestro-"),
            resume => resume.starts_with("maestro-"),
        };
        assert!(own, "the test output ran a command: {executed:?}");
    }
    assert!(!runner.visible().contains(SECRET_VALUE), "{}", runner.visible());
    let posts = posted(&server).await;
    let check = posts
        .iter()
        .find(|(path, body)| path.ends_with("/check-runs") && body["name"] == "maestro/test")
        .map(|(_, body)| body.clone())
        .expect("the maestro/test check run");
    assert_eq!(check["conclusion"], "failure");
    assert_eq!(check["head_sha"], SHA);
    assert_eq!(check["output"]["title"], "Tests failed (exit code 3)");
    let text = check["output"]["summary"].as_str().unwrap();
    assert!(text.contains("1 example, 3 failures") && text.contains("connecting with ***"), "{text}");
    assert!(text.contains("spoof"), "the tail is the output's last lines: {text}");
    let summary = scratch.read("step-summary.md").unwrap();
    // The runner's masks name the secret, as they must; nothing else does.
    let stderr: Vec<&str> = outcome.stderr.lines().filter(|line| !line.starts_with("::add-mask::")).collect();
    for shown in [&outcome.stdout, &stderr.join("\n"), &summary, &check.to_string()] {
        assert!(!shown.contains(SECRET_VALUE), "the secret is visible: {shown}");
    }
    // What users read: the test phase's section of the job summary, and the error.
    let section = summary.find("### Tests failed").map(|start| &summary[start..]).unwrap_or_default();
    let section = section.split("\n## ").next().unwrap_or_default();
    insta::assert_snapshot!("test_phase_failed_summary", section);
    let error = outcome.stderr.find("error: ").map(|start| &outcome.stderr[start..]).unwrap_or_default();
    insta::assert_snapshot!("test_phase_failed_error", error);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_check_run_refused_falls_back_to_a_commit_status() {
    let account = TestAccount::new("a_test_check_run_refused").await;
    // Check runs refused, as for a personal access token.
    let server = crate::reporting::github(403).await;
    let tools = BuildTools::new();
    let scratch = Scratch::new();
    let mut test = command(&account, &tools, "test", 0, &[]).await;
    test.envs(github_env(&scratch, &server.uri()));
    run(&mut test).expect_code(0);
    let posts = posted(&server).await;
    let status = posts.iter().find(|(path, _)| path.contains("/statuses/")).map(|(_, body)| body).expect("a status");
    assert_eq!((status["context"].as_str(), status["state"].as_str()), (Some("maestro/test"), Some("success")));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn gitlab_gets_a_maestro_test_status_and_the_junit_report() {
    let account = TestAccount::new("gitlab_gets_a_maestro_test_status").await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v4/projects/42/statuses/{SHA}")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    let tools = BuildTools::new();
    let app = Scratch::copy_of_example();
    let report = "tmp/junit.xml";
    let ci = [
        ("GITLAB_CI", "true".to_owned()),
        ("CI_PROJECT_PATH", "acme/shop-api".into()),
        ("CI_PROJECT_ID", "42".into()),
        ("CI_API_V4_URL", format!("{}/api/v4", server.uri())),
        ("CI_COMMIT_SHA", SHA.into()),
        ("CI_COMMIT_BRANCH", "staging".into()),
        ("CI_COMMIT_REF_NAME", "staging".into()),
        ("CI_PIPELINE_ID", "991".into()),
        ("CI_JOB_URL", "https://gitlab.com/acme/shop-api/-/jobs/555".into()),
        ("MAESTRO_GITLAB_TOKEN", "fake-gitlab-token-canary-0456".into()),
        ("MAESTRO_TEST_REPORT", report.to_owned()),
        ("MAESTRO_REPORT_TIMEOUT", "2".into()),
    ];
    let extra = [("MAESTRO_TEST", "true"), ("MAESTRO_TEST_COMMAND", "npm test"), ("DOCKER_RUN_STAND_IN_EXIT", "3")];
    let mut test = command_at(&account, &tools, app.path(), "test", &extra).await;
    test.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    run(&mut test).expect_code(1).expect_stderr(&["error: the tests failed (exit code 3)"]);
    let posts = posted(&server).await;
    let status = posts.iter().find(|(_, body)| body["name"] == "maestro/test").map(|(_, body)| body).expect("a status");
    assert_eq!((status["state"].as_str(), status["pipeline_id"].as_u64()), (Some("failed"), Some(991)));
    // Where the component's `artifacts: reports: junit` finds it: the app's folder.
    let junit = std::fs::read_to_string(app.join(report)).expect("the JUnit report was copied to the app's folder");
    assert!(junit.starts_with("<testsuite"), "{junit}");
}
