//! GitHub pull requests: a deploy shows on its pull request (deployment, commit status, check
//! run, job summary, step outputs), a failed one as a failure, and a closed one's environment
//! goes inactive.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use super::{HEAD, MERGE, TOKEN, assert_hidden, ci_scratch, deploy, github, github_calls, github_pull_request};
use crate::support::{EXAMPLE_APP, maestro, run};
use maestro_test_support::{TestAccount, plan_task};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_pull_request_deploy_shows_on_the_pull_request() {
    let account = TestAccount::new("a_pull_request_deploy_shows_on_the_pull_request").await;
    let scratch = ci_scratch();
    let server = github(201).await;
    let ci = github_pull_request(&scratch, &server.uri(), 18, "feature-cart");
    let outcome = deploy(&account, &scratch, "acme-shop-api-pr-18", &MERGE[..8], &ci).await;
    let report = outcome.expect_code(0).json();
    let web = report["services"].as_array().unwrap().iter().find(|service| service["process"] == "web").unwrap();
    let app_url = web["url"].as_str().expect("the web service has a URL").to_owned();
    let run_url = "https://github.com/acme/shop-api/actions/runs/9001";

    let calls = github_calls(&server).await;
    let routes: Vec<(&str, &str)> = calls.iter().map(|(method, path, _)| (method.as_str(), path.as_str())).collect();
    let statuses = format!("/repos/acme/shop-api/statuses/{HEAD}");
    assert_eq!(
        routes,
        [
            ("POST", "/repos/acme/shop-api/deployments"),
            ("POST", "/repos/acme/shop-api/deployments/77/statuses"),
            ("POST", statuses.as_str()),
            ("POST", "/repos/acme/shop-api/deployments/77/statuses"),
            ("POST", statuses.as_str()),
            ("POST", "/repos/acme/shop-api/check-runs"),
        ]
    );
    // The deployment is on the PR's head (not the merge commit), transient, never auto-merging.
    let mut deployment = calls[0].2.clone();
    let run_key = deployment["payload"]["maestro_run"].take();
    assert!(run_key.as_str().unwrap().starts_with("9001-"), "{run_key}");
    assert_eq!(
        deployment,
        json!({
            "ref": HEAD,
            "task": "deploy",
            "auto_merge": false,
            "required_contexts": [],
            "environment": "pr-18",
            "description": format!("maestro deploys {} to pr-18", &MERGE[..8]),
            "transient_environment": true,
            "production_environment": false,
            "payload": {"maestro_run": null},
        })
    );
    assert_eq!(
        calls[1].2,
        json!({"state": "in_progress", "description": format!("Deploying {} to pr-18", &MERGE[..8]), "log_url": run_url})
    );
    assert_eq!(
        calls[2].2,
        json!({"state": "pending", "context": "maestro/pr-18", "description": "Deploying to pr-18", "target_url": run_url})
    );
    assert_eq!(
        calls[3].2,
        json!({"state": "success", "description": format!("Deployed {} to pr-18", &MERGE[..8]), "log_url": run_url, "environment_url": app_url})
    );
    assert_eq!(
        calls[4].2,
        json!({"state": "success", "context": "maestro/pr-18", "description": format!("Deployed {} to pr-18", &MERGE[..8]), "target_url": app_url})
    );
    assert_eq!((calls[5].2["head_sha"].as_str(), calls[5].2["conclusion"].as_str()), (Some(HEAD), Some("success")));

    // The job summary and the step outputs.
    let summary = scratch.read("step-summary.md").expect("the job summary");
    assert!(summary.starts_with("## ✅ maestro deployed acme/shop-api to pr-18"), "{summary}");
    assert!(summary.contains("pull request #18") && summary.contains("| web | acme-shop-api-pr-18-web |"), "{summary}");
    super::assert_summary_snapshot("job_summary_of_a_pull_request", &summary.replace(&app_url, "[app url]"));
    let outputs = scratch.read("github-output").expect("the step outputs");
    assert!(
        outputs.contains("status=success\n") && outputs.contains(&format!("deployment-url={app_url}\n")),
        "{outputs}"
    );
    assert!(outputs.contains("task-definition-arns={\"web\":\"arn:aws:ecs:us-east-1:"), "{outputs}");
    // Each phase is a group, and the token shows only in its mask.
    outcome.expect_stderr(&["::group::Provision", "::group::Update the services", "::group::Wait for the services"]);
    outcome.expect_stderr(&[format!("::add-mask::{TOKEN}")]);
    assert_hidden(&outcome, &scratch, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_closed_pull_request_stops_its_environment_and_its_deployment_goes_inactive() {
    let account = TestAccount::new("a_closed_pull_request_stops_its_environment").await;
    let scratch = ci_scratch();
    let server = github(201).await;
    let ci = github_pull_request(&scratch, &server.uri(), 19, "feature-stop");
    let deployed = deploy(&account, &scratch, "acme-shop-api-pr-19", &MERGE[..8], &ci).await;
    deployed.expect_code(0);
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop-api/deployments"))
        .and(wiremock::matchers::query_param("environment", "pr-19"))
        .and(wiremock::matchers::query_param("per_page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 77, "environment": "pr-19"}])))
        .mount(&server)
        .await;
    let before = server.received_requests().await.unwrap().len();

    let mut command = maestro();
    command.args(["stop", "--app", EXAMPLE_APP, "--env-file", &scratch.file("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await).env("MAESTRO_REPORT_TIMEOUT", "2");
    command.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    let stopped = run(&mut command);
    let report = stopped.expect_code(0).json();
    assert!(report["actions"].as_array().unwrap().iter().any(|action| action["action"] == "scale_service"), "{report}");

    let calls = github_calls(&server).await.split_off(before);
    let routes: Vec<(&str, &str)> = calls.iter().map(|(method, path, _)| (method.as_str(), path.as_str())).collect();
    assert_eq!(
        routes,
        [("GET", "/repos/acme/shop-api/deployments"), ("POST", "/repos/acme/shop-api/deployments/77/statuses")]
    );
    assert_eq!(
        calls[1].2,
        json!({
            "state": "inactive",
            "description": "Stopped pr-19: its services run no tasks",
            "log_url": "https://github.com/acme/shop-api/actions/runs/9001",
        })
    );
    assert_hidden(&stopped, &scratch, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failed_release_is_reported_as_a_failure() {
    let account = TestAccount::new("a_failed_release_is_reported_as_a_failure").await;
    plan_task("acme-shop-api-pr-20-release", json!({"exit_code": 3})).await;
    let scratch = ci_scratch();
    // A personal access token: it cannot create check runs, and that is no warning.
    let server = github(403).await;
    let ci = github_pull_request(&scratch, &server.uri(), 20, "feature-fail");
    let outcome = deploy(&account, &scratch, "acme-shop-api-pr-20", &MERGE[..8], &ci).await;
    outcome.expect_code(1);
    let calls = github_calls(&server).await;
    assert_eq!(calls.len(), 6);
    assert_eq!(calls[3].2["state"], "failure");
    assert!(calls[3].2.get("environment_url").is_none());
    assert_eq!(calls[4].2["state"], "failure");
    assert_eq!(
        calls[4].2["description"],
        "Deploy to pr-20 failed: the release command exited with code 3 (Essential container in task exited)"
    );
    outcome.expect_stderr(&["no check run: this token cannot create one"]).expect_nowhere(&["warning: "]);
    assert!(scratch.read("github-output").unwrap().contains("status=failure\n"));
    let summary = scratch.read("step-summary.md").unwrap();
    assert!(summary.starts_with("## ❌ maestro could not deploy acme/shop-api to pr-20"), "{summary}");
    super::assert_summary_snapshot("job_summary_of_a_failed_release", &summary);
    assert_hidden(&outcome, &scratch, TOKEN);
}
