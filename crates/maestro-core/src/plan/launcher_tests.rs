//! The `launcher` family for one-off commands, kept current as the bash maestro kept it.

use serde_json::Value;

use crate::fixtures::{self, PROCFILE, app_with};
use crate::input_error::InputErrors;
use crate::plan::desired::{DesiredState, TaskDefinition};

const FAMILY: &str = "acme-shop-api-staging-launcher";

fn planned(pairs: &[(&str, &str)], procfile: &str, bases: &[(&str, &str)]) -> Result<DesiredState, InputErrors> {
    let settings = fixtures::deployable(pairs).unwrap();
    fixtures::desired(&fixtures::staging(&[]), &settings, &app_with(procfile, bases))
}

fn launchers(state: &DesiredState) -> Vec<&TaskDefinition> {
    state.task_definitions.iter().filter(|definition| definition.family == FAMILY).collect()
}

fn app_container(definition: &TaskDefinition) -> &Value {
    &definition.definition["containerDefinitions"][0]
}

#[test]
fn every_plan_has_the_launcher_family_running_the_commits_image() {
    let state = planned(&[], PROCFILE, &[]).unwrap();
    let [launcher] = launchers(&state)[..] else { panic!("one launcher family: {:?}", state.task_definitions) };
    assert_eq!(launcher.entry_point, ["launcher"], "the bare CNB launcher runs the command it is given");
    assert_eq!(launcher.port, None, "no service, so no port (the original dropped the mappings too)");
    assert_eq!(launcher.log_group.as_deref(), Some("/ecs/acme-shop-api-staging-launcher"), "the original's group");
    assert_eq!((launcher.cpu, launcher.memory), (256, 512));
    let web = state.task_definitions.iter().find(|definition| definition.process == "web").unwrap();
    assert_eq!(app_container(launcher)["image"], app_container(web)["image"], "the image web runs");
    assert!(state.services.iter().all(|service| service.process != "launcher"), "no service runs it");
    assert!(state.log_groups.contains(&"/ecs/acme-shop-api-staging-launcher".to_owned()));

    let mut pinned = state.clone();
    pinned.pin_image(&format!("sha256:{}", "ab".repeat(32)));
    let pinned_launcher = launchers(&pinned)[0];
    assert!(
        app_container(pinned_launcher)["image"].as_str().unwrap().ends_with(&format!("@sha256:{}", "ab".repeat(32))),
        "a new image is a new launcher definition: {}",
        app_container(pinned_launcher)["image"]
    );
}

#[test]
fn the_list_may_size_the_launcher_without_a_procfile_line() {
    let state = planned(&[("ECS_SERVICE_TASK_PROCESSES", "web,launcher{1024;2048}")], PROCFILE, &[]).unwrap();
    assert_eq!((launchers(&state)[0].cpu, launchers(&state)[0].memory), (1024, 2048));
    assert!(state.warnings.is_empty(), "sizing it is not a listed process missing: {:?}", state.warnings);
    // A count asks for a service, which nothing runs: that is still a listed process skipped.
    let state = planned(&[("ECS_SERVICE_TASK_PROCESSES", "web,launcher:2")], PROCFILE, &[]).unwrap();
    assert!(state.warnings.iter().any(|warning| warning.contains("process `launcher` is not in Procfile")));
}

#[test]
fn a_procfile_launcher_or_a_base_file_is_used_once() {
    let state = planned(&[], "web: bin/web\nlauncher: bin/console\n", &[]).unwrap();
    assert_eq!(launchers(&state).len(), 1, "the Procfile's own launcher is the family");
    let base =
        r#"{"containerDefinitions": [{"name": "acme-shop-api", "environment": [{"name": "ONE_OFF", "value": "1"}]}]}"#;
    let state = planned(&[], "web: bin/web\n", &[("launcher", base)]).unwrap();
    let launcher = launchers(&state)[0];
    assert_eq!(launcher.base_file.as_deref(), Some("task-definition-launcher.json"));
    assert_eq!(app_container(launcher)["environment"][0]["name"], "ONE_OFF");
}

#[test]
fn a_launcher_without_the_execution_role_it_needs_is_left_out_with_a_warning() {
    // The app's processes name their own role in base files; the launcher's template cannot.
    let own_role = r#"{"executionRoleArn": "arn:aws:iam::123456789012:role/own", "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let state = planned(&[("ECS_EXECUTION_ROLE_ARN", "")], "web: bin/web\n", &[("web", own_role)]).unwrap();
    assert!(launchers(&state).is_empty());
    assert_eq!(
        state.warnings,
        [
            "task definition acme-shop-api-staging-launcher (for one-off commands) is not registered: it has no execution role, which ECS uses to pull the image from ECR, send the logs to CloudWatch (awslogs); set ECS_EXECUTION_ROLE_ARN or ship task-definition-launcher.json with one"
        ]
    );
}
