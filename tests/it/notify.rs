//! Chat notifications (docs/notifications.md): the generic payload against its published schema
//! for every event that notifies, the validator itself, and (`deploy`) a real deploy posting to
//! loopback Slack, Teams and generic endpoints.

mod deploy;
pub(crate) mod shapes;

use serde_json::{Value, json};

use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::input::vars as var;
use maestro_core::report::notify::Notification;
use maestro_core::report::{Context, Ending, Event, Finished, Supersession};
use maestro_core::request::{DeployRequest, Need};
use maestro_core::rollout::{AwaitingApproval, Paused, ServiceOutcome, ServiceState, TimeoutAction};

fn context() -> Context {
    let mut env = Env::default();
    env.set(var::MAESTRO_REPO_OVERRIDE, "acme/shop-api", Origin::Process);
    env.set(var::MAESTRO_BRANCH_OVERRIDE, "staging", Origin::Process);
    env.set(var::MAESTRO_COMMIT_OVERRIDE, "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", Origin::Process);
    env.set(var::AWS_REGION, "us-east-1", Origin::Process);
    env.set(var::AWS_ACCOUNT_ID, "123456789012", Origin::Process);
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    Context { request, environment: "staging".into(), cluster: "acme-shop-api-staging".into(), preview: None }
}

/// Every service state; a new one fails to compile here until the schema's list is looked at.
fn every_state() -> Vec<ServiceState> {
    let all = [
        ServiceState::Deployed,
        ServiceState::ScaledFromZero,
        ServiceState::Failed,
        ServiceState::TimedOut,
        ServiceState::Cancelled,
        ServiceState::NotWaited,
        ServiceState::Unchanged,
        ServiceState::RolledBack,
        ServiceState::AwaitingApproval,
        ServiceState::StageReached,
    ];
    for state in all {
        match state {
            ServiceState::Deployed
            | ServiceState::ScaledFromZero
            | ServiceState::Failed
            | ServiceState::TimedOut
            | ServiceState::Cancelled
            | ServiceState::NotWaited
            | ServiceState::Unchanged
            | ServiceState::RolledBack
            | ServiceState::AwaitingApproval
            | ServiceState::StageReached => {}
        }
    }
    all.to_vec()
}

fn events() -> Vec<Event> {
    let outcome = |state: ServiceState| ServiceOutcome {
        process: "web".into(),
        service: "acme-shop-api-staging-web".into(),
        task_definition: "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-web:8".into(),
        image: String::new(),
        state,
        reason: (state == ServiceState::Failed).then(|| "tasks failed to start".to_owned()),
        seconds: 30,
        url: None,
    };
    let failure = Some("the release failed".to_owned());
    let paused = Paused {
        process: "web".into(),
        service: "acme-shop-api-staging-web".into(),
        stage: "PRE_PRODUCTION_TRAFFIC_SHIFT".into(),
        service_deployment_arn: "arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/X".into(),
        expires_at: None,
        timeout_action: TimeoutAction::Rollback,
    };
    vec![
        Event::Started,
        Event::Finished(Finished::of(every_state().into_iter().map(outcome).collect(), Ending::default())),
        Event::Finished(Finished::of(vec![outcome(ServiceState::Failed)], Ending { failure, ..Ending::default() })),
        Event::Superseded(Supersession { sha: "0123456789abcdef0123456789abcdef01234567".into(), run_url: None }),
        Event::AwaitingApproval(AwaitingApproval { services: vec![paused], test_url: Some("https://t:8443".into()) }),
    ]
}

#[test]
fn every_notification_is_valid_against_the_published_schema() {
    let context = context();
    let mut outcomes = Vec::new();
    for event in events() {
        let body = serde_json::to_value(Notification::of(&context, &event).unwrap()).unwrap();
        shapes::generic(&body);
        outcomes.push(body["outcome"].as_str().unwrap().to_owned());
    }
    assert_eq!(outcomes, ["in_progress", "success", "failed", "superseded", "awaiting_approval"]);
    // The schema lists exactly the states maestro writes.
    let states: Vec<Value> = every_state().iter().map(|state| json!(state.as_str())).collect();
    assert_eq!(shapes::schema()["properties"]["services"]["items"]["properties"]["state"]["enum"], json!(states));
}

#[test]
fn the_validator_finds_what_breaks_the_schema() {
    let body = serde_json::to_value(Notification::of(&context(), &Event::Started).unwrap()).unwrap();
    let mut broken = body.clone();
    broken.as_object_mut().unwrap().remove("environment");
    broken["seconds"] = json!("95");
    broken["outcome"] = json!("ok");
    broken["commit"]["short_sha"] = json!("a1b2");
    broken["extra"] = json!(1);
    let mut found = shapes::violations(&shapes::schema(), &broken);
    found.sort();
    assert_eq!(
        found,
        [
            "$.commit.short_sha: \"a1b2\": minLength 8",
            "$.outcome: \"ok\" is not one of [\"in_progress\",\"success\",\"failed\",\"superseded\",\"awaiting_approval\",\"rolled_back\"]",
            "$.seconds: \"95\" is not [\"integer\", \"null\"]",
            "$: `environment` is missing",
            "$: `extra` is not in the schema",
        ]
    );
}
