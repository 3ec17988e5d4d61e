//! A GitLab branch deploy: its commit status, one New Relic marker, the webhook once per
//! service, the dotenv report and collapsible sections; no secret anywhere. A merge request's
//! preview: the review app's URL in the dotenv report, and the stop job's destroy.

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{MERGE, ci_scratch, deploy};
use crate::support::{EXAMPLE_APP, maestro, run};
use maestro_test_support::TestAccount;
use maestro_test_support::emulator::issue_certificate;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_gitlab_branch_deploy_sets_its_status_marks_new_relic_and_calls_the_webhook() {
    let account = TestAccount::new("a_gitlab_branch_deploy_reports").await;
    let scratch = ci_scratch();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v4/projects/42/statuses/{MERGE}")))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": {"changeTrackingCreateDeployment": {"deploymentId": "d-1", "entityGuid": "GUID"}}}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path_regex("^/hook/")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let api = format!("{}/api/v4", server.uri());
    let gitlab_token = "fake-gitlab-token-canary-0123";
    let new_relic_key = "NRAK-canary0123456789";
    let ci: Vec<(&str, String)> = vec![
        ("GITLAB_CI", "true".into()),
        ("CI", "true".into()),
        ("CI_PROJECT_PATH", "acme/shop-api".into()),
        ("CI_PROJECT_ID", "42".into()),
        ("CI_PROJECT_URL", "https://gitlab.com/acme/shop-api".into()),
        ("CI_API_V4_URL", api),
        ("CI_COMMIT_SHA", MERGE.into()),
        ("CI_COMMIT_BRANCH", "main".into()),
        ("CI_COMMIT_REF_NAME", "main".into()),
        ("CI_COMMIT_MESSAGE", "Add the cart page\n\nWith tests.".into()),
        ("CI_COMMIT_AUTHOR", "Mona Lisa <mona@example.com>".into()),
        ("CI_PIPELINE_SOURCE", "push".into()),
        ("CI_PIPELINE_ID", "991".into()),
        ("CI_JOB_ID", "555".into()),
        ("CI_JOB_URL", "https://gitlab.com/acme/shop-api/-/jobs/555".into()),
        ("GITLAB_USER_LOGIN", "mona".into()),
        ("MAESTRO_GITLAB_TOKEN", gitlab_token.into()),
        ("MAESTRO_DOTENV_FILE", scratch.file("maestro-deploy.env")),
        ("NEW_RELIC_API_KEY", new_relic_key.into()),
        ("NEW_RELIC_ENTITY_GUID", "MXxBUE18QVBQTElDQVRJT058MQ".into()),
        ("NEW_RELIC_API_URL", server.uri()),
        ("NEW_RELIC_DESCRIPTION", "%h by %an: %s".into()),
        (
            "DEPLOY_WEBHOOK_URL",
            format!("{}/hook/{{{{SERVICE}}}}?cluster={{{{CLUSTER}}}}&status={{{{STATUS}}}}", server.uri()),
        ),
    ];
    let outcome = deploy(&account, &scratch, "acme-shop-api-main", &MERGE[..8], &ci).await;
    outcome.expect_code(0);
    let requests = server.received_requests().await.unwrap();
    let status_calls: Vec<&Request> =
        requests.iter().filter(|request| request.url.path().contains("/statuses/")).collect();
    assert_eq!(status_calls.len(), 2);
    for call in &status_calls {
        assert_eq!(call.headers.get("private-token").unwrap(), gitlab_token);
    }
    let bodies: Vec<Value> = status_calls.iter().map(|call| serde_json::from_slice(&call.body).unwrap()).collect();
    assert_eq!(
        bodies[0],
        json!({"state": "running", "name": "maestro/main", "description": "Deploying to main", "ref": "main", "target_url": "https://gitlab.com/acme/shop-api/-/jobs/555", "pipeline_id": 991})
    );
    assert_eq!((bodies[1]["state"].as_str(), bodies[1]["name"].as_str()), (Some("success"), Some("maestro/main")));
    let app_url = bodies[1]["target_url"].as_str().unwrap().to_owned();
    assert!(app_url.starts_with("http://"), "the app's URL: {app_url}");

    // One New Relic marker for the deploy, not one per process.
    let markers: Vec<&Request> = requests.iter().filter(|request| request.url.path() == "/graphql").collect();
    assert_eq!(markers.len(), 1);
    assert_eq!(markers[0].headers.get("api-key").unwrap(), new_relic_key);
    let marker: Value = serde_json::from_slice(&markers[0].body).unwrap();
    let deployment = &marker["variables"]["deployment"];
    assert_eq!(deployment["entityGuid"], "MXxBUE18QVBQTElDQVRJT058MQ");
    assert_eq!(deployment["version"], &MERGE[..8]);
    assert_eq!(deployment["commit"], MERGE);
    assert_eq!(deployment["changelog"], "Add the cart page\n\nWith tests.");
    assert_eq!(
        deployment["description"],
        format!("{} by Mona Lisa <mona@example.com>: Add the cart page", &MERGE[..8])
    );
    assert_eq!(deployment["deepLink"], "https://gitlab.com/acme/shop-api/-/jobs/555");

    // The webhook, once per deployed service, with every placeholder filled.
    let mut hooks: Vec<String> = requests
        .iter()
        .filter(|request| request.url.path().starts_with("/hook/"))
        .map(|request| format!("{}?{}", request.url.path(), request.url.query().unwrap_or_default()))
        .collect();
    hooks.sort();
    assert_eq!(
        hooks,
        ["clock", "web", "worker"]
            .map(|process| format!("/hook/acme-shop-api-main-{process}?cluster=acme-shop-api-main&status=success"))
    );

    // The dotenv report for `environment:url`.
    let dotenv = scratch.read("maestro-deploy.env").expect("the dotenv report");
    assert!(
        dotenv.contains("MAESTRO_STATUS=success\n") && dotenv.contains(&format!("MAESTRO_ENVIRONMENT_URL={app_url}\n")),
        "{dotenv}"
    );
    // GitLab sections, and no secret anywhere.
    outcome.expect_stderr(&["section_start:", "maestro_rollout"]).expect_nowhere(&[gitlab_token, new_relic_key]);
    assert!(!dotenv.contains(gitlab_token) && !dotenv.contains(new_relic_key), "{dotenv}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_merge_requests_preview_gives_the_review_app_its_url_and_the_stop_job_removes_it() {
    let account = TestAccount::new("a_merge_requests_preview_review_app").await;
    let scratch = ci_scratch();
    let domain = "preview.shop.example.com";
    let certificate = account.certificate(&format!("*.{domain}")).await;
    issue_certificate(&account.id, &certificate).await;
    // The template's `maestro-preview` job on a merge-request pipeline, without a GitLab token.
    let ci: Vec<(&str, String)> = vec![
        ("GITLAB_CI", "true".into()),
        ("CI", "true".into()),
        ("CI_PROJECT_PATH", "acme/shop-api".into()),
        ("CI_PROJECT_ID", "42".into()),
        ("CI_COMMIT_SHA", MERGE.into()),
        ("CI_COMMIT_REF_NAME", "feature/cart".into()),
        ("CI_PIPELINE_SOURCE", "merge_request_event".into()),
        ("CI_MERGE_REQUEST_EVENT_TYPE", "detached".into()),
        ("CI_MERGE_REQUEST_IID", "33".into()),
        ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/cart".into()),
        ("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main".into()),
        ("CI_MERGE_REQUEST_SOURCE_PROJECT_ID", "42".into()),
        ("CI_MERGE_REQUEST_PROJECT_ID", "42".into()),
        ("CI_PIPELINE_ID", "992".into()),
        ("MAESTRO_ENVIRONMENT", "pr-33".into()),
        ("MAESTRO_DOTENV_FILE", scratch.file("maestro-deploy.env")),
        ("MAESTRO_PREVIEWS", "true".into()),
        ("MAESTRO_PREVIEW_DOMAIN", domain.into()),
        ("MAESTRO_PREVIEW_CERTIFICATE_ARN", certificate),
    ];
    deploy(&account, &scratch, "acme-shop-api-pr-33", &MERGE[..8], &ci).await.expect_code(0);
    let dotenv = scratch.read("maestro-deploy.env").expect("the dotenv report");
    assert!(dotenv.contains(&format!("MAESTRO_ENVIRONMENT_URL=https://pr-33.{domain}\n")), "{dotenv}");

    // `maestro-preview-stop`: destroy, without a confirmation.
    let mut command = maestro();
    command.args(["destroy", "--app", EXAMPLE_APP, "--env-file", &scratch.file("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await);
    command.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    let destroyed = run(&mut command).expect_code(0).json();
    assert_eq!(destroyed["confirmed"], true, "{destroyed}");
    assert_eq!(destroyed["environment"], "acme-shop-api-pr-33", "{destroyed}");
}
