//! Reporting as a user sees it: a real deploy against the emulator, with loopback servers
//! playing GitHub, GitLab, New Relic and a webhook, each call's method, path, headers and body
//! checked.

mod gitlab;
mod outages;
mod preview_comment;
mod pull_request;

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, Scratch, maestro, repository_root, run};
use maestro_test_support::TestAccount;

const TOKEN: &str = "fake-github-token-canary-0123";
const HEAD: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const MERGE: &str = "ffeeddccbbaa00998877665544332211ffeeddcc";

/// A scratch folder with the example's settings minus the repo/branch/commit overrides (the CI
/// gives those here), and the CI's files.
pub(crate) fn ci_scratch() -> Scratch {
    let settings = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap();
    let kept: Vec<&str> = settings
        .lines()
        .filter(|line| {
            !["MAESTRO_REPO_OVERRIDE", "MAESTRO_BRANCH_OVERRIDE", "MAESTRO_COMMIT_OVERRIDE"]
                .iter()
                .any(|name| line.starts_with(name))
        })
        .collect();
    let scratch = Scratch::new();
    scratch.write("settings.env", &kept.join("\n"));
    scratch
}

/// `maestro deploy` of the example app in `account`, with the CI's variables `ci`.
async fn deploy(
    account: &TestAccount,
    scratch: &Scratch,
    repository: &str,
    tag: &str,
    ci: &[(&str, String)],
) -> Outcome {
    account.seed_image(repository, tag).await;
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", &scratch.file("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await).env("MAESTRO_REPORT_TIMEOUT", "2");
    command.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    run(&mut command)
}

/// GitHub Actions on pull request `number`'s `pull_request` event, from head branch `branch`: it
/// deploys as `pr-<number>`, whatever the head branch. Each test takes its own number: the
/// emulator's planned task outcomes are keyed by task family, across accounts.
fn github_pull_request(scratch: &Scratch, api: &str, number: u64, branch: &str) -> Vec<(&'static str, String)> {
    let event = json!({
        "number": number,
        "pull_request": {
            "number": number,
            "title": "Add the cart page",
            "user": {"login": "octocat"},
            "head": {"sha": HEAD, "ref": branch, "repo": {"full_name": "acme/shop-api"}},
            "base": {"ref": "main", "repo": {"full_name": "acme/shop-api"}},
        },
        "repository": {"full_name": "acme/shop-api"},
    });
    scratch.write("event.json", &event.to_string());
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        ("GITHUB_EVENT_NAME", "pull_request".into()),
        ("GITHUB_EVENT_PATH", scratch.file("event.json")),
        ("GITHUB_REPOSITORY", "acme/shop-api".into()),
        ("GITHUB_SHA", MERGE.into()),
        ("GITHUB_REF", format!("refs/pull/{number}/merge")),
        ("GITHUB_HEAD_REF", branch.into()),
        ("GITHUB_BASE_REF", "main".into()),
        ("GITHUB_RUN_ID", "9001".into()),
        ("GITHUB_RUN_ATTEMPT", "1".into()),
        ("GITHUB_ACTOR", "octocat".into()),
        ("GITHUB_SERVER_URL", "https://github.com".into()),
        ("GITHUB_API_URL", api.into()),
        ("GITHUB_TOKEN", TOKEN.into()),
        ("GITHUB_OUTPUT", scratch.file("github-output")),
        ("GITHUB_STEP_SUMMARY", scratch.file("step-summary.md")),
    ]
}

pub(crate) async fn github(check_runs_status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop-api/deployments"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 77})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(r"^/repos/acme/shop-api/(deployments/77/statuses|statuses/[0-9a-f]{40})$"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop-api/check-runs"))
        .respond_with(
            ResponseTemplate::new(check_runs_status)
                .set_body_json(json!({"message": "Resource not accessible by personal access token"})),
        )
        .mount(&server)
        .await;
    server
}

/// Every request the server received: method, path and JSON body; and the GitHub headers checked.
async fn github_calls(server: &MockServer) -> Vec<(String, String, Value)> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .map(|request| {
            let header = |name: &str| {
                request.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned()
            };
            assert_eq!(header("authorization"), format!("Bearer {TOKEN}"), "{}", request.url);
            assert_eq!(header("accept"), "application/vnd.github+json");
            assert_eq!(header("x-github-api-version"), "2022-11-28");
            assert!(header("user-agent").starts_with("maestro/"));
            let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            (request.method.to_string(), request.url.path().to_owned(), body)
        })
        .collect()
}

/// No canary may be printed or written anywhere but in `::add-mask::`.
fn assert_hidden(outcome: &Outcome, scratch: &Scratch, secret: &str) {
    assert!(!outcome.stdout.contains(secret), "stdout shows the token");
    for line in outcome.stderr.lines().filter(|line| line.contains(secret)) {
        assert_eq!(line, format!("::add-mask::{secret}"), "stderr shows the token");
    }
    for file in ["github-output", "step-summary.md", "maestro-deploy.env"] {
        assert!(!scratch.read(file).unwrap_or_default().contains(secret), "{file} holds the token");
    }
}

/// The job summary as the pull request's readers see it, exactly (`tests/it/snapshots/`); only
/// what differs between runs is redacted: seconds, and the app's URL (the caller's).
#[track_caller]
fn assert_summary_snapshot(name: &str, summary: &str) {
    insta::with_settings!({filters => vec![(r"\| \d+ s \|", "| [n] s |")]}, {
        insta::assert_snapshot!(name, summary);
    });
}
