//! A preview's comment on its pull request, against the emulator and a loopback GitHub that keeps
//! the pull request's comments: created once, edited by every later deploy (found again past a
//! full page of other comments, never posted a second time), and saying the preview is removed
//! when the closed pull request's `destroy` deletes it; its deployment then goes inactive. A
//! stranger's comment carrying the marker is never taken for maestro's.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{TOKEN, assert_hidden, ci_scratch, github, github_calls};
use crate::pull_request_event::{PREVIEW_DOMAIN as DOMAIN, PullRequestEvent};
use crate::support::{EXAMPLE_APP, Outcome, Scratch, maestro, run};
use maestro_test_support::TestAccount;
use maestro_test_support::emulator::issue_certificate;

const NUMBER: u64 = 31;
const RUN: &str = "https://github.com/acme/shop-api/actions/runs/9031";

/// The pull request's comments as GitHub keeps them: listed a page at a time, created with a new
/// id, edited in place.
#[derive(Clone, Default)]
struct Comments {
    kept: Arc<Mutex<Vec<Value>>>,
}

impl Respond for Comments {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut kept = self.kept.lock().unwrap();
        let query = |name: &str| {
            request.url.query_pairs().find(|(key, _)| key == name).and_then(|(_, value)| value.parse::<usize>().ok())
        };
        match request.method.as_str() {
            "GET" => {
                let (per_page, page) = (query("per_page").unwrap_or(30), query("page").unwrap_or(1));
                let listed: Vec<Value> = kept.iter().skip((page - 1) * per_page).take(per_page).cloned().collect();
                ResponseTemplate::new(200).set_body_json(listed)
            }
            "POST" => {
                let body: Value = serde_json::from_slice(&request.body).unwrap();
                let comment = json!({"id": 5000 + kept.len(), "body": body["body"], "user": {"login": "github-actions[bot]", "type": "Bot"}});
                kept.push(comment.clone());
                ResponseTemplate::new(201).set_body_json(comment)
            }
            "PATCH" => {
                let id: u64 = request.url.path().rsplit('/').next().unwrap().parse().unwrap();
                let body: Value = serde_json::from_slice(&request.body).unwrap();
                match kept.iter_mut().find(|comment| comment["id"] == id) {
                    Some(comment) => {
                        comment["body"] = body["body"].clone();
                        ResponseTemplate::new(200).set_body_json(comment.clone())
                    }
                    None => ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})),
                }
            }
            _ => ResponseTemplate::new(405),
        }
    }
}

/// GitHub Actions on the `pull_request` event `action` of pull request 31 whose head is `head`,
/// reporting to `api`.
fn pull_request(scratch: &Scratch, api: &str, head: &str, action: &'static str) -> Vec<(&'static str, String)> {
    let mut env = PullRequestEvent::new(NUMBER, "feature/comment", head).on(action).env(scratch);
    env.extend([
        ("GITHUB_API_URL", api.into()),
        ("GITHUB_TOKEN", TOKEN.into()),
        ("GITHUB_OUTPUT", scratch.file("github-output")),
        ("GITHUB_STEP_SUMMARY", scratch.file("step-summary.md")),
        ("MAESTRO_REPORT_TIMEOUT", "2".into()),
    ]);
    env
}

async fn maestro_on(account: &TestAccount, scratch: &Scratch, subcommand: &str, ci: &[(&str, String)]) -> Outcome {
    let mut command = maestro();
    command.args([subcommand, "--app", EXAMPLE_APP, "--env-file", &scratch.file("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await);
    command.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    run(&mut command)
}

/// The calls about comments since call `from`: method and path with its query.
async fn comment_calls(server: &MockServer, from: usize) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests[from..]
        .iter()
        .filter(|request| request.url.path().contains("/issues/"))
        .map(|request| {
            let query = request.url.query().map(|query| format!("?{query}")).unwrap_or_default();
            format!("{} {}{query}", request.method, request.url.path())
        })
        .collect()
}

/// The comment as the pull request's readers see it, beside the other snapshots (`tests/it/snapshots/`).
#[track_caller]
fn assert_comment_snapshot(name: &str, body: &str) {
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_snapshot!(name, body);
    });
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_new_commit_on_a_pull_request_edits_its_preview_comment_never_a_second_one() {
    let account = TestAccount::new("a_new_commit_edits_the_preview_comment").await;
    let scratch = ci_scratch();
    // The previews' wildcard certificate, issued.
    let certificate = account.certificate(&format!("*.{DOMAIN}")).await;
    issue_certificate(&account.id, &certificate).await;
    let settings = scratch.read("settings.env").unwrap();
    scratch.write("settings.env", &format!("{settings}\nMAESTRO_PREVIEW_CERTIFICATE_ARN={certificate}\n"));
    let server = github(201).await;
    let comments = Comments::default();
    // A busy pull request: a full page of other comments before maestro's, one of them a
    // stranger's copy of the marker, which maestro must never take for its own.
    comments.kept.lock().unwrap().extend((0..100).map(|n| {
        let body = if n == 7 {
            format!("<!-- maestro:preview acme-shop-api-pr-{NUMBER} -->\nPreview: https://phish.example.com")
        } else {
            format!("review comment {n}")
        };
        json!({"id": 100 + n, "body": body, "user": {"login": "mallory", "type": "User"}, "author_association": "NONE"})
    }));
    Mock::given(path_regex(format!(r"^/repos/acme/shop-api/issues/({NUMBER}/comments|comments/\d+)$")))
        .respond_with(comments.clone())
        .mount(&server)
        .await;
    let list = |page: u32| format!("GET /repos/acme/shop-api/issues/{NUMBER}/comments?per_page=100&page={page}");
    let url = format!("https://pr-{NUMBER}.{DOMAIN}");

    // The first deploy creates the comment (one full page and a short one read), then edits it.
    let first = "a1".repeat(20);
    account.seed_image(&format!("acme-shop-api-pr-{NUMBER}"), &first[..8]).await;
    let ci = pull_request(&scratch, &server.uri(), &first, "opened");
    let deployed = maestro_on(&account, &scratch, "deploy", &ci).await;
    deployed.expect_code(0);
    assert_eq!(
        comment_calls(&server, 0).await,
        [
            list(1),
            list(2),
            format!("POST /repos/acme/shop-api/issues/{NUMBER}/comments"),
            "PATCH /repos/acme/shop-api/issues/comments/5100".to_owned(),
        ]
    );
    let calls = github_calls(&server).await;
    let mut finished =
        calls.iter().filter(|(verb, route, _)| verb == "POST" && route.ends_with("/deployments/77/statuses"));
    let finished = finished.next_back().unwrap().2.clone();
    assert_eq!(
        (finished["state"].as_str(), finished["environment_url"].as_str()),
        (Some("success"), Some(url.as_str()))
    );
    let live = comments.kept.lock().unwrap()[100]["body"].as_str().unwrap().to_owned();
    assert_comment_snapshot("preview_comment_live", &live);
    assert_hidden(&deployed, &scratch, TOKEN);

    // A new commit: the comment is found past the page of others and edited, never created again.
    let before = server.received_requests().await.unwrap().len();
    let second = "b2".repeat(20);
    account.seed_image(&format!("acme-shop-api-pr-{NUMBER}"), &second[..8]).await;
    let ci = pull_request(&scratch, &server.uri(), &second, "synchronize");
    maestro_on(&account, &scratch, "deploy", &ci).await.expect_code(0);
    let patch = "PATCH /repos/acme/shop-api/issues/comments/5100".to_owned();
    assert_eq!(comment_calls(&server, before).await, [list(1), list(2), patch.clone(), patch.clone()]);
    let kept = comments.kept.lock().unwrap().clone();
    assert_eq!(kept.len(), 101, "one comment of maestro's, whatever the number of deploys");
    let edited = kept[100]["body"].as_str().unwrap();
    assert!(
        edited.contains(&format!("is live at {url}")) && edited.contains(&format!("`{}`", &second[..8])),
        "{edited}"
    );

    // The pull request closes: destroy deletes the preview, its deployment goes inactive, and the
    // comment says it is removed.
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop-api/deployments"))
        .and(query_param("environment", format!("pr-{NUMBER}")))
        .and(query_param("per_page", "1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": 77, "environment": format!("pr-{NUMBER}")}])),
        )
        .mount(&server)
        .await;
    let before = server.received_requests().await.unwrap().len();
    let ci = pull_request(&scratch, &server.uri(), &second, "closed");
    let destroyed = maestro_on(&account, &scratch, "destroy", &ci).await;
    assert_eq!(destroyed.expect_code(0).json()["confirmed"], true);
    assert_eq!(comment_calls(&server, before).await, [list(1), list(2), patch]);
    let calls = github_calls(&server).await.split_off(before);
    let inactive: Vec<&Value> = calls
        .iter()
        .filter(|(verb, route, _)| verb == "POST" && route == "/repos/acme/shop-api/deployments/77/statuses")
        .map(|(_, _, body)| body)
        .collect();
    assert_eq!(
        inactive,
        [
            &json!({"state": "inactive", "description": format!("Removed pr-{NUMBER}: its AWS resources are deleted"), "log_url": RUN})
        ]
    );
    let removed = comments.kept.lock().unwrap()[100]["body"].as_str().unwrap().to_owned();
    assert_comment_snapshot("preview_comment_removed", &removed);
    let stranger = comments.kept.lock().unwrap()[7]["body"].as_str().unwrap().to_owned();
    assert!(stranger.ends_with("https://phish.example.com"), "the stranger's comment was edited: {stranger}");
    assert_hidden(&destroyed, &scratch, TOKEN);
}
