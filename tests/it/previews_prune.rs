//! `maestro previews list` and `maestro previews prune` against the emulator and a loopback
//! GitHub: two previews deployed beside the base branch's environment; the list shows both; a
//! prune with one pull request closed removes that preview entirely and keeps the open one; a
//! prune once the open one's last deploy is older than the TTL removes it too.

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::deploy_cli::command_in;
use crate::destroy::leftovers;
use crate::pull_request_event::{PREVIEW_DOMAIN as DOMAIN, PullRequestEvent};
use crate::reporting::ci_scratch;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, Scratch, active_services, maestro, run};
use maestro_test_support::TestAccount;
use maestro_test_support::emulator::issue_certificate;

/// The cluster the app's previews share, and the base branch's own.
const CLUSTER: &str = "acme-shop-api-previews";
const BASE_CLUSTER: &str = "acme-shop-api-main";
const TOKEN: &str = "fake-github-token-prune-canary-4142";

/// Deploys pull request `number`'s preview as its `pull_request` run does, commit `sha`.
async fn deploy_preview(account: &TestAccount, scratch: &Scratch, certificate: &str, number: u64, sha: &str) {
    let event = PullRequestEvent::new(number, &format!("feature/prune-{number}"), sha);
    account.seed_image(&event.environment(), &sha[..8]).await;
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", &scratch.file("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await);
    command.envs(event.env(scratch));
    command.env("MAESTRO_PREVIEW_CERTIFICATE_ARN", certificate);
    run(&mut command).expect_code(0);
}

/// `maestro previews <action>` as a scheduled workflow on `main` runs it, asking `github`.
async fn previews(account: &TestAccount, certificate: &str, github: &MockServer, action: &[&str]) -> Outcome {
    previews_as(account, certificate, github, action, "json").await
}

async fn previews_as(
    account: &TestAccount,
    certificate: &str,
    github: &MockServer,
    action: &[&str],
    output: &str,
) -> Outcome {
    let mut command = maestro();
    command.arg("previews").args(action);
    command.args(["--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", output]);
    command.envs(account.deploy_env().await);
    command.envs([
        ("MAESTRO_BRANCH_OVERRIDE", "main"),
        ("MAESTRO_PREVIEWS", "true"),
        ("MAESTRO_PREVIEW_DOMAIN", DOMAIN),
        ("MAESTRO_PREVIEW_CERTIFICATE_ARN", certificate),
        ("GITHUB_TOKEN", TOKEN),
    ]);
    command.env("GITHUB_API_URL", github.uri());
    let outcome = run(&mut command);
    assert!(!outcome.stdout.contains(TOKEN) && !outcome.stderr.contains(TOKEN), "the token leaked");
    outcome
}

/// A loopback GitHub answering each pull request's state, only with the reporters' headers; a
/// removed preview's deployments and comments are none, as for a pull request nobody reported on.
async fn github(states: &[(u64, &str)]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex(r"^/repos/acme/shop-api/(deployments|issues/[0-9]+/comments)$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    for (number, state) in states {
        Mock::given(method("GET"))
            .and(path(format!("/repos/acme/shop-api/pulls/{number}")))
            .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
            .and(header("x-github-api-version", "2022-11-28"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"number": number, "state": state})))
            .mount(&server)
            .await;
    }
    server
}

fn numbers(report: &Value) -> Vec<u64> {
    report["previews"].as_array().unwrap().iter().map(|preview| preview["number"].as_u64().unwrap()).collect()
}

fn outcome_of(report: &Value, number: u64) -> (String, String) {
    let preview = report["previews"].as_array().unwrap().iter().find(|preview| preview["number"] == number);
    let preview = preview.unwrap_or_else(|| panic!("#{number} in {report}"));
    (preview["result"].as_str().unwrap().to_owned(), preview["why"].as_str().unwrap().to_owned())
}

/// Moves preview `number`'s newest release record `days` back, as if it were deployed then.
async fn age_records(account: &TestAccount, number: u64, days: u64) {
    let ssm = aws_sdk_ssm::Client::new(&account.config);
    let name = format!("/maestro/releases/acme-shop-api-pr-{number}");
    let current = ssm.get_parameter().name(&name).send().await.unwrap();
    let mut record: Value = serde_json::from_str(current.parameter().unwrap().value().unwrap()).unwrap();
    let time = record["time"].as_u64().expect("a record's time");
    record["time"] = json!(time - days * 86_400);
    ssm.put_parameter().name(&name).value(record.to_string()).overwrite(true).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn prune_removes_a_closed_pull_requests_preview_and_then_a_stale_one() {
    let account = TestAccount::new("previews_list_and_prune").await;
    let scratch = ci_scratch();
    let certificate = account.certificate(&format!("*.{DOMAIN}")).await;
    issue_certificate(&account.id, &certificate).await;
    run(&mut command_in(&account, "deploy", "json", &[("MAESTRO_BRANCH_OVERRIDE", "main")]).await).expect_code(0);
    let (sha_41, sha_42) = ("41".repeat(20), "42".repeat(20));
    deploy_preview(&account, &scratch, &certificate, 41, &sha_41).await;
    deploy_preview(&account, &scratch, &certificate, 42, &sha_42).await;

    // The list: both previews, each with its URL, commit, age and tasks; reads only.
    let nobody = github(&[]).await;
    let listed = previews(&account, &certificate, &nobody, &["list"]).await;
    let report = listed.expect_code(0).json();
    assert_eq!(numbers(&report), [41, 42], "{report}");
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", report["aws_calls"]);
    for (preview, sha) in report["previews"].as_array().unwrap().iter().zip([&sha_41, &sha_42]) {
        let number = &preview["number"];
        assert_eq!(preview["url"], format!("https://pr-{number}.{DOMAIN}"), "{preview}");
        assert_eq!(preview["commit"], sha.as_str(), "{preview}");
        assert_eq!(preview["services"].as_array().unwrap().len(), 3, "{preview}");
        assert_eq!(preview["desired"], 3, "{preview}");
        assert_eq!(preview["routed"], true, "{preview}");
        assert!(preview["age_seconds"].as_u64().unwrap() < 3_600, "{preview}");
    }
    let human = previews_as(&account, &certificate, &nobody, &["list"], "human").await;
    let text = &human.expect_code(0).stdout;
    assert!(text.contains(&format!("#41     {}", &sha_41[..8])), "{text}");
    assert!(text.contains(&format!("https://pr-42.{DOMAIN}")), "{text}");

    // #41 is closed, #42 open: only #41 goes, and nothing of it is left.
    let host = github(&[(41, "closed"), (42, "open")]).await;
    let pruned = previews(&account, &certificate, &host, &["prune"]).await;
    let report = pruned.expect_code(0).json();
    assert_eq!(outcome_of(&report, 41), ("removed".to_owned(), "pull request #41 is closed".to_owned()));
    let (result, why) = outcome_of(&report, 42);
    assert_eq!(result, "kept", "{why}");
    assert!(why.starts_with("pull request #42 is open; last deployed"), "{why}");
    assert_eq!(leftovers(&account, "acme-shop-api-pr-41").await, Vec::<String>::new());
    let services = active_services(&account, CLUSTER).await;
    assert!(services.iter().all(|name| !name.starts_with("acme-shop-api-pr-41-")), "{services:?}");
    assert_eq!(services.iter().filter(|name| name.starts_with("acme-shop-api-pr-42-")).count(), 3, "{services:?}");
    assert_eq!(active_services(&account, BASE_CLUSTER).await.len(), 3, "the base branch's are untouched");
    let listed = previews(&account, &certificate, &nobody, &["list"]).await;
    assert_eq!(numbers(&listed.expect_code(0).json()), [42]);

    // #42 still open, but its last deploy is 8 days old: older than the 7-day TTL, it goes.
    age_records(&account, 42, 8).await;
    // Within a longer TTL it stays; GitHub not answering (404 here) leaves its state unknown, said.
    let kept = previews(&account, &certificate, &nobody, &["prune", "--older-than", "9d"]).await;
    let (result, why) = outcome_of(&kept.expect_code(0).json(), 42);
    assert_eq!(result, "kept", "{why}");
    assert!(why.starts_with("pull request #42's state is unknown (GitHub answered 404"), "{why}");
    assert!(why.ends_with("; last deployed 8d ago, within 9d"), "{why}");
    let stale = previews(&account, &certificate, &host, &["prune"]).await;
    let (result, why) = outcome_of(&stale.expect_code(0).json(), 42);
    assert_eq!((result.as_str(), why.as_str()), ("removed", "last deployed 8d ago, longer than the TTL of 7d"));
    assert_eq!(leftovers(&account, "acme-shop-api-pr-42").await, Vec::<String>::new());
    assert_eq!(active_services(&account, CLUSTER).await.len(), 0, "no preview is left");
    assert_eq!(active_services(&account, BASE_CLUSTER).await.len(), 3, "the base branch's are untouched");
}

#[test]
fn prune_checks_its_inputs_before_any_aws_call() {
    let prune = |extra: &[(&str, &str)], args: &[&str]| {
        let mut command = maestro();
        command.args(["previews", "prune", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]).args(args);
        command.envs(extra.iter().copied());
        // No credentials and no endpoint: an AWS call would fail with exit code 1.
        run(&mut command)
    };
    let domain = [("MAESTRO_PREVIEW_DOMAIN", DOMAIN)];
    prune(&domain, &["--older-than", "7w"])
        .expect_code(2)
        .expect_stderr(&["--older-than", "`w` is not a unit of `7w`"]);
    prune(&domain, &["--older-than", "0d"]).expect_code(2).expect_stderr(&["would prune every preview at once"]);
    prune(&[], &[]).expect_code(2).expect_stderr(&["MAESTRO_PREVIEW_DOMAIN", "prune plans each preview"]);
}
