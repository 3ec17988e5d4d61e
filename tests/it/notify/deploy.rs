//! A deploy against the emulator with Slack, Teams and a generic endpoint set (loopback servers):
//! one message each when it ends, one more at the start with `MAESTRO_NOTIFY_ON_START`, each
//! valid against its documented shape; a failed deploy's carries the reason; and no canary (an
//! app secret, the GitHub token, the webhooks' own secret paths) in any body or any output.

use serde_json::{Value, json};
use wiremock::matchers::{any, method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::shapes;
use crate::deploy_cli::maestro_in;
use maestro_test_support::{TestAccount, plan_task};

const APP_SECRET: &str = "CANARY-app-secret-7c1e";
const GITHUB_TOKEN: &str = "ghs_CANARY-notify-token-91d3";
const PATHS: [(&str, &str); 3] = [
    ("slack", "/services/T0000/B0000/CANARY-slack-path-4b7f"),
    ("teams", "/workflows/CANARY-teams-path-0e2a/triggers/manual/paths/invoke"),
    ("generic", "/maestro/CANARY-generic-path-5a90"),
];

/// The bodies each destination received, in order.
async fn received(server: &MockServer) -> Vec<(&'static str, Value)> {
    let requests = server.received_requests().await.unwrap();
    let mut bodies = Vec::new();
    for request in &requests {
        let Some((name, _)) = PATHS.iter().find(|(_, path)| request.url.path() == *path) else { continue };
        assert_eq!(request.method.as_str(), "POST");
        let content_type = request.headers.get("content-type").and_then(|value| value.to_str().ok());
        assert_eq!(content_type, Some("application/json"), "{name}");
        bodies.push((*name, serde_json::from_slice(&request.body).unwrap()));
    }
    bodies
}

fn of<'a>(bodies: &'a [(&str, Value)], name: &str) -> Vec<&'a Value> {
    bodies.iter().filter(|(destination, _)| *destination == name).map(|(_, body)| body).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn slack_teams_and_generic_get_one_valid_message_and_never_a_secret() {
    let account = TestAccount::new("notify_slack_teams_generic").await;
    for branch in ["notify", "notify-fails"] {
        aws_sdk_secretsmanager::Client::new(&account.config)
            .create_secret()
            .name(format!("{branch}/acme-shop-api"))
            .secret_string(json!({"API_KEY": APP_SECRET}).to_string())
            .send()
            .await
            .unwrap();
    }
    plan_task("acme-shop-api-notify-fails-release", json!({"exit_code": 4})).await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path_regex("CANARY-(slack|teams|generic)-path"))
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .with_priority(1)
        .mount(&server)
        .await;
    // GitHub: every call accepted.
    Mock::given(any()).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5}))).mount(&server).await;
    let urls: Vec<(&str, String)> =
        PATHS.iter().map(|(name, path)| (*name, format!("{}{path}", server.uri()))).collect();
    let url = |name: &str| urls.iter().find(|(destination, _)| *destination == name).unwrap().1.clone();
    let (slack, teams, generic) = (url("slack"), url("teams"), url("generic"));
    let api = server.uri();
    let common = |branch: &'static str| {
        vec![
            ("MAESTRO_BRANCH_OVERRIDE", branch),
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REPOSITORY", "acme/shop-api"),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_RUN_ID", "4242"),
            ("GITHUB_ACTOR", "octocat"),
            ("GITHUB_API_URL", api.as_str()),
            ("GITHUB_TOKEN", GITHUB_TOKEN),
            ("MAESTRO_REPORT_TIMEOUT", "2"),
            ("MAESTRO_SLACK_WEBHOOK_URL", slack.as_str()),
            ("MAESTRO_INPUT_MAESTRO_TEAMS_WEBHOOK_URL", teams.as_str()),
            ("MAESTRO_NOTIFY_URL", generic.as_str()),
        ]
    };
    let canaries = [APP_SECRET, GITHUB_TOKEN, PATHS[0].1, PATHS[1].1, PATHS[2].1, "CANARY"];

    // A deploy that succeeds, noticed at its start too.
    let mut extra = common("notify");
    extra.push(("MAESTRO_NOTIFY_ON_START", "true"));
    let deployed = maestro_in(&account, "deploy", "json", &extra).await;
    deployed.expect_code(0);
    let bodies = received(&server).await;
    for name in ["slack", "teams", "generic"] {
        assert_eq!(of(&bodies, name).len(), 2, "{name}: one at the start, one at the end");
    }
    let generic_bodies = of(&bodies, "generic");
    let moments: Vec<(&str, &str)> = generic_bodies
        .iter()
        .map(|body| (body["event"].as_str().unwrap(), body["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(moments, [("started", "in_progress"), ("ended", "success")]);
    let ended = generic_bodies[1];
    assert_eq!((ended["app"].as_str(), ended["environment"].as_str()), (Some("acme/shop-api"), Some("notify")));
    assert_eq!(ended["commit"]["short_sha"], "3f2a9c1d");
    assert_eq!(ended["commit"]["author"], "octocat");
    assert_eq!(ended["run_url"], "https://github.com/acme/shop-api/actions/runs/4242");
    assert!(ended["seconds"].is_u64() && ended["reason"].is_null(), "{ended:#}");
    assert!(ended["url"].as_str().is_some_and(|url| url.starts_with("http")), "the environment's URL: {ended:#}");
    let slack_ended = of(&bodies, "slack")[1];
    assert!(
        slack_ended["text"].as_str().unwrap().starts_with("✅ acme/shop-api deployed to notify"),
        "{slack_ended:#}"
    );
    check_shapes(&bodies);
    let everything = server.received_requests().await.unwrap();
    for request in &everything {
        let body = String::from_utf8_lossy(&request.body);
        for canary in [APP_SECRET, GITHUB_TOKEN, "CANARY"] {
            assert!(!body.contains(canary), "{canary} in a body sent to {}: {body}", request.url.path());
        }
    }
    assert_hidden(&deployed, &canaries);

    // A deploy whose release fails: one message each, at the end, with the reason.
    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).with_priority(1).mount(&server).await;
    Mock::given(any()).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5}))).mount(&server).await;
    let failed = maestro_in(&account, "deploy", "json", &common("notify-fails")).await;
    failed.expect_code(1);
    let bodies = received(&server).await;
    for name in ["slack", "teams", "generic"] {
        assert_eq!(of(&bodies, name).len(), 1, "{name}: one message, at the end");
    }
    let generic = of(&bodies, "generic")[0];
    assert_eq!((generic["event"].as_str(), generic["outcome"].as_str()), (Some("ended"), Some("failed")));
    let reason = generic["reason"].as_str().expect("a failure's reason");
    assert!(reason.contains("release"), "{reason}");
    let slack = of(&bodies, "slack")[0];
    assert!(slack["text"].as_str().unwrap().contains(reason), "{slack:#}");
    assert!(slack["blocks"].to_string().contains("*Reason*"), "{slack:#}");
    let teams = of(&bodies, "teams")[0];
    let card_text = teams["attachments"][0]["content"]["body"].to_string();
    let escaped = serde_json::to_string(reason).unwrap();
    assert!(card_text.contains(escaped.trim_matches('"')), "{teams:#}");
    check_shapes(&bodies);
    for request in &server.received_requests().await.unwrap() {
        let body = String::from_utf8_lossy(&request.body);
        for canary in [APP_SECRET, GITHUB_TOKEN, "CANARY"] {
            assert!(!body.contains(canary), "{canary} in a body sent to {}: {body}", request.url.path());
        }
    }
    assert_hidden(&failed, &canaries);
}

fn check_shapes(bodies: &[(&str, Value)]) {
    for (name, body) in bodies {
        match *name {
            "slack" => shapes::slack(body),
            "teams" => shapes::teams(body),
            _ => shapes::generic(body),
        }
    }
}

/// No canary in stdout, nor in stderr but in the runner's `::add-mask::` lines (each URL masked
/// whole before it is used).
fn assert_hidden(outcome: &maestro_test_support::Outcome, canaries: &[&str]) {
    assert!(outcome.stderr.contains("::add-mask::http://"), "the webhook URLs are masked");
    for canary in canaries {
        assert!(!outcome.stdout.contains(canary), "{canary} in stdout");
        for line in outcome.stderr.lines().filter(|line| line.contains(canary)) {
            assert!(line.starts_with("::add-mask::"), "{canary} in stderr: {line}");
        }
    }
}
