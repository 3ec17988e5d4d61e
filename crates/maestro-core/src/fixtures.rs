//! What the core's tests start from: requests, settings, credential plans and desired states
//! made from literal environments, one copy for every test.

use std::collections::BTreeMap;

use crate::app::{App, BaseTaskDefinition, ScheduleFile};
use crate::ci::{self, Ci, CiInput};
use crate::credentials::{self, CredentialPlan};
use crate::env::Env;
use crate::input_error::{InputError, InputErrors};
use crate::plan::{self, desired::DesiredState};
use crate::provision::observed::ObservedService;
use crate::request::{DeployRequest, Need};
use crate::settings::Settings;
use crate::spec::{procfile, schedule, task_definition_file};

/// The deploy the planner's tests make: `Acme/Shop-API` at `staging`, in account
/// `123456789012`, `us-east-1`, outside any CI.
pub(crate) const STAGING: &[(&str, &str)] = &[
    ("MAESTRO_REPO_OVERRIDE", "Acme/Shop-API"),
    ("MAESTRO_BRANCH_OVERRIDE", "staging"),
    ("MAESTRO_COMMIT_OVERRIDE", "3f2a9c1d7e4b5a6c"),
    ("AWS_ACCOUNT_ID", "123456789012"),
    ("AWS_REGION", "us-east-1"),
];

/// `pairs` as the process environment.
pub(crate) fn env(pairs: &[(&str, &str)]) -> Env {
    Env::from_process(pairs.iter().copied())
}

/// The request for the CI `pairs` describe (no event payload, no checkout).
pub(crate) fn request_in(env: &Env, need: Need) -> Result<DeployRequest, InputErrors> {
    let ci = Ci::detect(env);
    let facts = ci::facts(ci, &CiInput { env, event: None, git: None }).map_err(InputErrors::from)?;
    DeployRequest::resolve(env, ci, facts, need)
}

/// The request for the CI `pairs` describe, with only its facts needed (`maestro detect`).
pub(crate) fn request(pairs: &[(&str, &str)]) -> Result<DeployRequest, InputErrors> {
    request_in(&env(pairs), Need::Facts)
}

/// The [`STAGING`] request, with `extra` set too.
pub(crate) fn staging(extra: &[(&str, &str)]) -> DeployRequest {
    let pairs: Vec<(&str, &str)> = STAGING.iter().chain(extra).copied().collect();
    request_in(&env(&pairs), Need::Offline).unwrap()
}

pub(crate) fn settings(pairs: &[(&str, &str)]) -> Result<Settings, InputErrors> {
    Settings::from_env(&env(pairs))
}

/// What every deploy needs and the planner checks (network, execution role), so that a plan
/// test sets only what it is about; `pairs` override these.
pub(crate) const DEPLOYABLE: &[(&str, &str)] = &[
    ("ECS_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/shop-execution"),
    ("ECS_SERVICE_SUBNETS", "subnet-0aaa1111,subnet-0bbb2222"),
    ("WORKLOAD_VPC_ID", "vpc-0a1b2c3d"),
    ("ALB_SUBNETS", "subnet-0ccc3333,subnet-0ddd4444"),
];

/// The settings of `pairs` on top of [`DEPLOYABLE`].
pub(crate) fn deployable(pairs: &[(&str, &str)]) -> Result<Settings, InputErrors> {
    let defaults = DEPLOYABLE.iter().filter(|(name, _)| !pairs.iter().any(|(given, _)| given == name));
    let merged: Vec<(&str, &str)> = defaults.chain(pairs).copied().collect();
    settings(&merged)
}

/// How the CI `pairs` describe would sign in to a `us-east-1` deploy.
pub(crate) fn credentials(pairs: &[(&str, &str)]) -> Result<CredentialPlan, InputError> {
    let env = env(pairs);
    let ci = Ci::detect(&env);
    let facts = ci::facts(ci, &CiInput { env: &env, event: None, git: None }).unwrap();
    credentials::plan(&env, ci, facts.fork, facts.run_id.as_ref().map(|fact| fact.value.as_str()), "us-east-1")
}

/// `request`'s plan of `app` with `settings`, bound to the request's own account.
pub(crate) fn desired(request: &DeployRequest, settings: &Settings, app: &App) -> Result<DesiredState, InputErrors> {
    let checked = plan::plan(request, &request.target()?, settings, app)?;
    Ok(checked.bind(&request.account()?))
}

/// An app with every kind of process: services, the one-off `release`, and scheduled tasks.
pub(crate) const PROCFILE: &str =
    "web: bin/web\nworker: bin/worker\nclock: bin/clock\nrelease: bin/migrate\nscheduledtasks: tasks/run_tasks.conf\n";
/// The schedule file of [`PROCFILE`]'s `scheduledtasks`.
pub(crate) const SCHEDULES: &str =
    "update-feed rate(3 hours) bundle exec rake feed:update\nnightly cron(0 3 * * ? *) bin/nightly \"all\"\n";

/// The app of `procfile_text`, with [`SCHEDULES`] if it has `scheduledtasks`, and `bases` as
/// `(process, task-definition-<process>.json)`.
pub(crate) fn app_with(procfile_text: &str, bases: &[(&str, &str)]) -> App {
    let procfile = procfile::parse("Procfile", procfile_text).unwrap();
    let schedule_file = procfile.get("scheduledtasks").map(|_| ScheduleFile {
        path: "tasks/run_tasks.conf".into(),
        schedules: schedule::parse("tasks/run_tasks.conf", SCHEDULES).unwrap(),
    });
    let base_task_definitions: BTreeMap<String, BaseTaskDefinition> = bases
        .iter()
        .map(|(process, text)| {
            let path = format!("task-definition-{process}.json");
            let document = task_definition_file::parse(&path, text).unwrap();
            ((*process).to_owned(), BaseTaskDefinition { path, document })
        })
        .collect();
    App {
        procfile,
        procfile_path: "Procfile".into(),
        schedule_file,
        project_builder: None,
        base_task_definitions,
        source_dir: ".".into(),
        image_source: Default::default(),
        image_source_note: None,
    }
}

/// A live service running `task_definition` with `desired_count` tasks, every other field empty.
pub(crate) fn live_service(task_definition: &str, desired_count: u32) -> ObservedService {
    ObservedService {
        arn: String::new(),
        task_definition: task_definition.into(),
        desired_count,
        subnets: Vec::new(),
        security_groups: Vec::new(),
        assign_public_ip: false,
        circuit_breaker: None,
        execute_command: false,
        propagate_tags: None,
        load_balancers: Vec::new(),
        tags: Vec::new(),
        capacity_provider_strategy: Vec::new(),
        health_check_grace_period: None,
        service_connect: None,
        rollout: Some(crate::provision::observed::LiveRollout::default()),
    }
}
