//! Code hosts that are down or slow never change the deploy: a lost answer is looked up, not
//! repeated; rate limits are honoured; a create is not re-sent after a 5xx or a timeout.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::{HEAD, MERGE, ci_scratch, deploy, github_pull_request};
use maestro_test_support::TestAccount;

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
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn code_hosts_that_are_down_or_slow_never_change_the_deploy() {
    let account = TestAccount::new("code_hosts_that_are_down_or_slow").await;
    let scratch = ci_scratch();
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
    let mut ci = github_pull_request(&scratch, &server.uri(), 21, "feature-down");
    ci.extend([
        ("NEW_RELIC_API_KEY", "NRAK-canary".to_owned()),
        ("NEW_RELIC_ENTITY_GUID", "GUID".to_owned()),
        ("NEW_RELIC_API_URL", server.uri()),
    ]);
    let outcome = deploy(&account, &scratch, "acme-shop-api-pr-21", &MERGE[..8], &ci).await;
    // The deploy's result is unchanged.
    outcome.expect_code(0);
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
    let warnings: Vec<&str> = outcome.stderr.lines().filter(|line| line.starts_with("warning: ")).collect();
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
