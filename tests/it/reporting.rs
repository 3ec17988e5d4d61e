//! Reporting as a user sees it: a real deploy against the emulator, with loopback servers
//! playing GitHub, GitLab, New Relic and a webhook, each call's method, path, headers and body
//! checked.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::deploy_cli::plan_task;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, maestro, repository_root, run};
use maestro_test_support::TestAccount;

const TOKEN: &str = "fake-github-token-canary-0123";
const HEAD: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const MERGE: &str = "ffeeddccbbaa00998877665544332211ffeeddcc";

/// A scratch folder with the example's settings minus the repo/branch/commit overrides (the CI
/// gives those here), and the CI's files.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("maestro-report-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let settings = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap();
        let kept: Vec<&str> = settings
            .lines()
            .filter(|line| {
                !["MAESTRO_REPO_OVERRIDE", "MAESTRO_BRANCH_OVERRIDE", "MAESTRO_COMMIT_OVERRIDE"]
                    .iter()
                    .any(|name| line.starts_with(name))
            })
            .collect();
        std::fs::write(dir.join("settings.env"), kept.join("\n")).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.join(name).display().to_string()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.join(name)).unwrap_or_default()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
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
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", &scratch.path("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await).env("MAESTRO_REPORT_TIMEOUT", "2");
    command.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    run(&mut command)
}

/// GitHub Actions on a pull request's `pull_request` event.
fn github_pull_request(scratch: &Scratch, api: &str, branch: &str) -> Vec<(&'static str, String)> {
    let event = json!({
        "number": 18,
        "pull_request": {
            "number": 18,
            "title": "Add the cart page",
            "user": {"login": "octocat"},
            "head": {"sha": HEAD, "ref": branch, "repo": {"full_name": "acme/shop-api"}},
            "base": {"ref": "main", "repo": {"full_name": "acme/shop-api"}},
        },
        "repository": {"full_name": "acme/shop-api"},
    });
    std::fs::write(scratch.dir.join("event.json"), event.to_string()).unwrap();
    vec![
        ("GITHUB_ACTIONS", "true".into()),
        ("GITHUB_EVENT_NAME", "pull_request".into()),
        ("GITHUB_EVENT_PATH", scratch.path("event.json")),
        ("GITHUB_REPOSITORY", "acme/shop-api".into()),
        ("GITHUB_SHA", MERGE.into()),
        ("GITHUB_REF", "refs/pull/18/merge".into()),
        ("GITHUB_HEAD_REF", branch.into()),
        ("GITHUB_BASE_REF", "main".into()),
        ("GITHUB_RUN_ID", "9001".into()),
        ("GITHUB_RUN_ATTEMPT", "1".into()),
        ("GITHUB_ACTOR", "octocat".into()),
        ("GITHUB_SERVER_URL", "https://github.com".into()),
        ("GITHUB_API_URL", api.into()),
        ("GITHUB_TOKEN", TOKEN.into()),
        ("GITHUB_OUTPUT", scratch.path("github-output")),
        ("GITHUB_STEP_SUMMARY", scratch.path("step-summary.md")),
    ]
}

async fn github(check_runs_status: u16) -> MockServer {
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
        assert!(!scratch.read(file).contains(secret), "{file} holds the token");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pull_request_deploy_shows_on_the_pull_request() {
    let Some(account) = TestAccount::new("a_pull_request_deploy_shows_on_the_pull_request").await else { return };
    let scratch = Scratch::new("pr");
    let server = github(201).await;
    let ci = github_pull_request(&scratch, &server.uri(), "feature-cart");
    let outcome = deploy(&account, &scratch, "acme-shop-api-feature-cart", &MERGE[..8], &ci).await;
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
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
            "environment": "feature-cart",
            "description": format!("maestro deploys {} to feature-cart", &MERGE[..8]),
            "transient_environment": true,
            "production_environment": false,
            "payload": {"maestro_run": null},
        })
    );
    assert_eq!(
        calls[1].2,
        json!({"state": "in_progress", "description": format!("Deploying {} to feature-cart", &MERGE[..8]), "log_url": run_url})
    );
    assert_eq!(
        calls[2].2,
        json!({"state": "pending", "context": "maestro/feature-cart", "description": "Deploying to feature-cart", "target_url": run_url})
    );
    assert_eq!(
        calls[3].2,
        json!({"state": "success", "description": format!("Deployed {} to feature-cart", &MERGE[..8]), "log_url": run_url, "environment_url": app_url})
    );
    assert_eq!(
        calls[4].2,
        json!({"state": "success", "context": "maestro/feature-cart", "description": format!("Deployed {} to feature-cart", &MERGE[..8]), "target_url": app_url})
    );
    assert_eq!((calls[5].2["head_sha"].as_str(), calls[5].2["conclusion"].as_str()), (Some(HEAD), Some("success")));

    // The job summary and the step outputs.
    let summary = scratch.read("step-summary.md");
    assert!(summary.starts_with("## ✅ maestro deployed acme/shop-api to feature-cart"), "{summary}");
    assert!(
        summary.contains("pull request #18") && summary.contains("| web | acme-shop-api-feature-cart-web |"),
        "{summary}"
    );
    let outputs = scratch.read("github-output");
    assert!(
        outputs.contains("status=success\n") && outputs.contains(&format!("deployment-url={app_url}\n")),
        "{outputs}"
    );
    assert!(outputs.contains("task-definition-arns={\"web\":\"arn:aws:ecs:us-east-1:"), "{outputs}");
    // Each phase is a group, and the token shows only in its mask.
    for group in ["::group::Provision", "::group::Update the services", "::group::Wait for the services"] {
        assert!(outcome.stderr.contains(group), "{group} in {}", outcome.stderr);
    }
    assert!(outcome.stderr.contains(&format!("::add-mask::{TOKEN}")));
    assert_hidden(&outcome, &scratch, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pull_request_stops_its_environment_and_its_deployment_goes_inactive() {
    let Some(account) = TestAccount::new("a_closed_pull_request_stops_its_environment").await else { return };
    let scratch = Scratch::new("stop");
    let server = github(201).await;
    let ci = github_pull_request(&scratch, &server.uri(), "feature-stop");
    let deployed = deploy(&account, &scratch, "acme-shop-api-feature-stop", &MERGE[..8], &ci).await;
    assert_eq!(deployed.code, Some(0), "{}", deployed.stderr);
    Mock::given(method("GET"))
        .and(path("/repos/acme/shop-api/deployments"))
        .and(wiremock::matchers::query_param("environment", "feature-stop"))
        .and(wiremock::matchers::query_param("per_page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": 77, "environment": "feature-stop"}])))
        .mount(&server)
        .await;
    let before = server.received_requests().await.unwrap().len();

    let mut command = maestro();
    command.args(["stop", "--app", EXAMPLE_APP, "--env-file", &scratch.path("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await).env("MAESTRO_REPORT_TIMEOUT", "2");
    command.envs(ci.iter().map(|(name, value)| (*name, value.as_str())));
    let stopped = run(&mut command);
    assert_eq!(stopped.code, Some(0), "{}", stopped.stderr);
    let report: Value = serde_json::from_str(&stopped.stdout).unwrap();
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
            "description": "Stopped feature-stop: its services run no tasks",
            "log_url": "https://github.com/acme/shop-api/actions/runs/9001",
        })
    );
    assert_hidden(&stopped, &scratch, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_release_is_reported_as_a_failure() {
    let Some(account) = TestAccount::new("a_failed_release_is_reported_as_a_failure").await else { return };
    plan_task("acme-shop-api-feature-fail-release", json!({"exit_code": 3})).await;
    let scratch = Scratch::new("failed");
    // A personal access token: it cannot create check runs, and that is no warning.
    let server = github(403).await;
    let ci = github_pull_request(&scratch, &server.uri(), "feature-fail");
    let outcome = deploy(&account, &scratch, "acme-shop-api-feature-fail", &MERGE[..8], &ci).await;
    assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
    let calls = github_calls(&server).await;
    assert_eq!(calls.len(), 6);
    assert_eq!(calls[3].2["state"], "failure");
    assert!(calls[3].2.get("environment_url").is_none());
    assert_eq!(calls[4].2["state"], "failure");
    assert_eq!(
        calls[4].2["description"],
        "Deploy to feature-fail failed: the release command exited with code 3 (Essential container in task exited)"
    );
    assert!(outcome.stderr.contains("no check run: this token cannot create one"), "{}", outcome.stderr);
    assert!(!outcome.stderr.contains(" WARN "), "{}", outcome.stderr);
    assert!(scratch.read("github-output").contains("status=failure\n"));
    assert!(
        scratch.read("step-summary.md").starts_with("## ❌ maestro could not deploy acme/shop-api to feature-fail")
    );
    assert_hidden(&outcome, &scratch, TOKEN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gitlab_branch_deploy_sets_its_status_marks_new_relic_and_calls_the_webhook() {
    let Some(account) = TestAccount::new("a_gitlab_branch_deploy_reports").await else { return };
    let scratch = Scratch::new("gitlab");
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
        ("MAESTRO_DOTENV_FILE", scratch.path("maestro-deploy.env")),
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
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
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
    let dotenv = scratch.read("maestro-deploy.env");
    assert!(
        dotenv.contains("MAESTRO_STATUS=success\n") && dotenv.contains(&format!("MAESTRO_ENVIRONMENT_URL={app_url}\n")),
        "{dotenv}"
    );
    // GitLab sections, and no secret anywhere.
    assert!(outcome.stderr.contains("section_start:") && outcome.stderr.contains("maestro_rollout"));
    for secret in [gitlab_token, new_relic_key] {
        assert!(!outcome.stdout.contains(secret) && !outcome.stderr.contains(secret), "{secret} printed");
        assert!(!dotenv.contains(secret));
    }
}

/// A scripted GitHub deployments endpoint that creates the deployment but answers 502, and lists
/// what was created: the run must find its deployment instead of creating a second one.
struct LostAnswer {
    created: Arc<Mutex<Option<Value>>>,
}

impl Respond for LostAnswer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut created = self.created.lock().unwrap();
        if request.method.as_str() == "POST" {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            *created = Some(json!({"id": 78, "payload": body["payload"]}));
            return ResponseTemplate::new(502);
        }
        ResponseTemplate::new(200).set_body_json(json!(created.iter().cloned().collect::<Vec<_>>()))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn code_hosts_that_are_down_or_slow_never_change_the_deploy() {
    let Some(account) = TestAccount::new("code_hosts_that_are_down_or_slow").await else { return };
    let scratch = Scratch::new("down");
    let server = MockServer::start().await;
    Mock::given(path("/repos/acme/shop-api/deployments"))
        .respond_with(LostAnswer { created: Arc::new(Mutex::new(None)) })
        .mount(&server)
        .await;
    // Rate-limited once (honouring Retry-After), then accepted.
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop-api/deployments/78/statuses"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    // GitHub's secondary rate limit: a 403 with Retry-After, once.
    Mock::given(method("POST"))
        .and(path(format!("/repos/acme/shop-api/statuses/{HEAD}")))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("retry-after", "1")
                .set_body_json(json!({"message": "You have exceeded a secondary rate limit"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path_regex("statuses"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    // The check run service is down for good.
    Mock::given(method("POST"))
        .and(path("/repos/acme/shop-api/check-runs"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // New Relic answers too late.
    Mock::given(method("POST"))
        .and(path("/graphql"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(5)))
        .mount(&server)
        .await;
    let mut ci = github_pull_request(&scratch, &server.uri(), "feature-down");
    ci.extend([
        ("NEW_RELIC_API_KEY", "NRAK-canary".to_owned()),
        ("NEW_RELIC_ENTITY_GUID", "GUID".to_owned()),
        ("NEW_RELIC_API_URL", server.uri()),
    ]);
    let outcome = deploy(&account, &scratch, "acme-shop-api-feature-down", &MERGE[..8], &ci).await;
    assert_eq!(outcome.code, Some(0), "the deploy's result is unchanged: {}", outcome.stderr);
    let requests = server.received_requests().await.unwrap();
    let count = |method: &str, path: &str| {
        requests.iter().filter(|request| request.method.as_str() == method && request.url.path() == path).count()
    };
    assert_eq!(count("POST", "/repos/acme/shop-api/deployments"), 1, "no duplicate deployment");
    assert_eq!(count("GET", "/repos/acme/shop-api/deployments"), 1, "the lost deployment was looked up");
    assert_eq!(
        count("POST", "/repos/acme/shop-api/deployments/78/statuses"),
        3,
        "in_progress (retried once), then success"
    );
    assert_eq!(
        count("POST", &format!("/repos/acme/shop-api/statuses/{HEAD}")),
        3,
        "pending (retried once), then success"
    );
    assert_eq!(count("POST", "/repos/acme/shop-api/check-runs"), 1, "a create is not re-sent after a 5xx");
    assert_eq!(count("POST", "/graphql"), 1, "a marker is not re-sent after a timeout");
    let warnings: Vec<&str> = outcome.stderr.lines().filter(|line| line.contains(" WARN ")).collect();
    let about = |what: &str| warnings.iter().filter(|line| line.contains(what)).count();
    assert_eq!(
        (about("GitHub: create the check run"), about("New Relic: record the deployment marker")),
        (1, 1),
        "{warnings:#?}"
    );
    assert!(
        warnings.iter().all(|line| line.contains("the deploy goes on without it") || !line.contains("GitHub")),
        "{warnings:#?}"
    );
}
