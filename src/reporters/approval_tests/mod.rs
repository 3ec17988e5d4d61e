//! A deploy paused for approval, and the later run that ends it, against loopback code hosts:
//! each request's method, path, query and body checked. The paused deploy's GitHub deployment
//! stays in progress with the test URL, its commit status pending and its check run asking for
//! action; a finish-only run (`maestro continue`, `maestro abort`) finds deployment 77 through
//! the lookup and finishes it, creating one only when the commit has none and never after a
//! failed lookup; GitLab's companion approval status; no New Relic marker; the webhook, the step
//! outputs, the dotenv report and the job summary; and no workflow command from a service name or
//! URL in the line the log prints.

mod elsewhere;
mod github;

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;
use maestro_core::report::{Context, Ending, Finished};
use maestro_core::request::{DeployRequest, Need};
use maestro_core::rollout::{AwaitingApproval, Paused, ServiceOutcome, ServiceState, TimeoutAction};

const SHA: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const RUN: &str = "https://github.com/acme/shop-api/actions/runs/4242";
const TEST_URL: &str = "https://staging.shop.example.com:8443";
const TOKEN: &str = "canary-token-0123";

fn context(ci: Ci) -> Context {
    let mut env = Env::default();
    env.set(var::MAESTRO_REPO_OVERRIDE, "acme/shop-api", Origin::Process);
    env.set(var::MAESTRO_BRANCH_OVERRIDE, "staging", Origin::Process);
    env.set(var::MAESTRO_COMMIT_OVERRIDE, SHA, Origin::Process);
    env.set(var::AWS_REGION, "us-east-1", Origin::Process);
    env.set(var::AWS_ACCOUNT_ID, "123456789012", Origin::Process);
    let mut request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    (request.ci, request.run_url) = (ci, Some(RUN.to_owned()));
    Context { request, environment: "staging".into(), cluster: "acme-shop-api-staging".into(), preview: None }
}

fn paused(process: &str) -> Paused {
    Paused {
        process: process.into(),
        service: format!("acme-shop-api-staging-{process}"),
        stage: "PRE_PRODUCTION_TRAFFIC_SHIFT".into(),
        service_deployment_arn: format!(
            "arn:aws:ecs:us-east-1:123456789012:service-deployment/acme-shop-api-staging/acme-shop-api-staging-{process}/Xy1"
        ),
        expires_at: Some("2026-12-03T05:00:00Z".into()),
        timeout_action: TimeoutAction::Rollback,
    }
}

fn awaiting() -> AwaitingApproval {
    AwaitingApproval { services: vec![paused("web")], test_url: Some(TEST_URL.into()) }
}

/// `maestro continue`'s end (succeeded) or `maestro abort`'s (failed, rolled back).
fn finished(succeeded: bool) -> Finished {
    let service = ServiceOutcome {
        process: "web".into(),
        service: "acme-shop-api-staging-web".into(),
        task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-web:8".into(),
        image: String::new(),
        state: if succeeded { ServiceState::Deployed } else { ServiceState::RolledBack },
        reason: None,
        seconds: 30,
        url: None,
    };
    if !succeeded {
        return maestro_core::abort::finished(vec![service], 31);
    }
    let url = Some("https://staging.shop.example.com".to_owned());
    Finished::of(vec![service], Ending { url, seconds: 31, ..Ending::default() })
}

fn routes(calls: &[(String, String, Value)]) -> Vec<String> {
    calls.iter().map(|(verb, route, _)| format!("{verb} {route}")).collect()
}

async fn answer(server: &MockServer, verb: &str, route: &str, status: u16, body: Value) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}
