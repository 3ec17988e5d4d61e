//! `maestro run`'s pure half: the command, where the task runs, its log, and how it ended.

use serde_json::json;

use super::*;
use crate::release::ObservedContainer;

fn stopped(exit_code: Option<i32>, stop_code: Option<&str>, reason: &str) -> ObservedTask {
    ObservedTask {
        last_status: "STOPPED".into(),
        stop_code: stop_code.map(str::to_owned),
        stopped_reason: Some(reason.into()),
        containers: vec![
            ObservedContainer { name: "sidecar".into(), exit_code: Some(0), reason: None },
            ObservedContainer { name: "app".into(), exit_code, reason: Some("OutOfMemoryError".into()) },
        ],
    }
}

#[test]
fn an_empty_command_is_bad_input() {
    let error = OneOff::new(Vec::new(), None).unwrap_err();
    assert_eq!(error.message, "no command to run");
    assert_eq!(error.location.to_string(), "the command after `--`");
    assert!(OneOff::new(vec![" ".into()], None).is_err());
    assert_eq!(OneOff::new(vec!["bin/migrate".into()], None).unwrap().command, ["bin/migrate"]);
}

#[test]
fn the_essential_containers_exit_code_is_the_runs() {
    let running = ObservedTask { last_status: "RUNNING".into(), ..ObservedTask::default() };
    assert_eq!(ended(&running, "app"), None);
    let exited =
        ended(&stopped(Some(3), Some("EssentialContainerExited"), "Essential container in task exited"), "app");
    assert_eq!(exited.as_ref().map(Ended::exit_code), Some(3));
    assert_eq!(exited.map(|ended| ended.stop_reason()).as_deref(), Some("Essential container in task exited"));
    // A shell's exit status is a byte: anything else is a failure, 1.
    assert_eq!(ended(&stopped(Some(-1), None, "x"), "app").map(|ended| ended.exit_code()), Some(1));
    assert_eq!(ended(&stopped(Some(0), None, "x"), "app").map(|ended| ended.exit_code()), Some(0));
}

#[test]
fn a_task_that_never_ran_the_command_exits_1_with_its_reason() {
    let task = stopped(None, Some("TaskFailedToStart"), "CannotPullContainerError: pull image manifest failed");
    let ended = ended(&task, "app").unwrap();
    assert_eq!(ended.exit_code(), 1);
    assert_eq!(
        ended.stop_reason(),
        "TaskFailedToStart: CannotPullContainerError: pull image manifest failed: OutOfMemoryError"
    );
}

#[test]
fn the_log_is_where_the_running_revision_sends_it() {
    let definition = json!({"containerDefinitions": [
        {"name": "sidecar"},
        {"name": "app", "logConfiguration": {"logDriver": "awslogs",
            "options": {"awslogs-group": "/ecs/app-launcher", "awslogs-stream-prefix": "ecs"}}},
    ]});
    let definition = definition.as_object().unwrap();
    let location = log_location(definition, "app").unwrap();
    assert_eq!(location.group, "/ecs/app-launcher");
    assert_eq!(location.stream("app", "arn:aws:ecs:us-east-1:1:task/c/abc123"), "ecs/app/abc123");
    assert_eq!(log_location(definition, "sidecar"), None);
    assert_eq!(log_location(definition, "missing"), None);
}

#[test]
fn the_task_runs_where_the_services_run() {
    use crate::fixtures::{self, PROCFILE, app_with};
    let settings = fixtures::deployable(&[]).unwrap();
    let state = fixtures::desired(&fixtures::staging(&[]), &settings, &app_with(PROCFILE, &[])).unwrap();
    let placed = placement(&state).unwrap();
    assert!(placed.family.ends_with("-launcher"), "{placed:?}");
    assert_eq!(placed.network, state.services[0].network);
    assert_eq!(placed.capacity_provider_strategy, state.services[0].capacity_provider_strategy);
    assert_eq!(placed.cluster, state.cluster.name);
    assert_eq!(placed.container, "acme-shop-api");
    // An app without services runs it in the release's network, on the cluster's default provider.
    let state =
        fixtures::desired(&fixtures::staging(&[]), &settings, &app_with("release: bin/migrate\n", &[])).unwrap();
    let placed = placement(&state).unwrap();
    assert_eq!(Some(&placed.network), state.release.as_ref().map(|release| &release.network));
    assert_eq!(placed.capacity_provider_strategy, state.cluster.default_capacity_provider_strategy);
}
