//! The tasks' architecture and the builder in the plan: `runtimePlatform` in every task
//! definition only when chosen, the arm64 image's own tag, base files' platforms, and a builder
//! that cannot build for the architecture.

use serde_json::{Value, json};

use super::*;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::plan::desired::DesiredState;

fn planned(pairs: &[(&str, &str)], bases: &[(&str, &str)]) -> Result<DesiredState, InputErrors> {
    let settings = fixtures::deployable(pairs).unwrap();
    fixtures::desired(&fixtures::staging(&[]), &settings, &app_with(PROCFILE, bases))
}

fn platforms(state: &DesiredState) -> Vec<Option<&Value>> {
    state.task_definitions.iter().map(|definition| definition.definition.get("runtimePlatform")).collect()
}

const BASE: &str = r#"{"containerDefinitions": [{"name": "acme-shop-api"}]}"#;

#[test]
fn unchosen_the_task_definitions_the_tag_and_the_json_are_as_before() {
    let state = planned(&[], &[]).unwrap();
    assert!(platforms(&state).iter().all(Option::is_none));
    assert_eq!(state.image.tag, state.request.short_sha);
    assert!(serde_json::to_value(&state).unwrap()["image"].get("architecture").is_none());
}

#[test]
fn arm64_sets_every_task_definition_and_tags_the_image_apart() {
    let state = planned(&[("MAESTRO_CPU_ARCHITECTURE", "arm64")], &[("worker", BASE)]).unwrap();
    let arm = json!({"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"});
    assert!(state.task_definitions.len() > 2);
    assert!(platforms(&state).iter().all(|platform| *platform == Some(&arm)), "{:?}", platforms(&state));
    assert_eq!(state.image.tag, format!("{}-arm64", state.request.short_sha));
    assert!(state.image.uri.ends_with("-arm64"), "{}", state.image.uri);
    let json = serde_json::to_value(&state).unwrap();
    assert_eq!(json["image"]["architecture"], json!({"cpu": "arm64", "chosen": true}));
}

#[test]
fn x86_64_set_explicitly_writes_its_runtime_platform_and_keeps_the_tag() {
    let state = planned(&[("MAESTRO_CPU_ARCHITECTURE", "X86_64")], &[]).unwrap();
    let x86 = json!({"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"});
    assert!(platforms(&state).iter().all(|platform| *platform == Some(&x86)));
    assert_eq!(state.image.tag, state.request.short_sha);
}

#[test]
fn a_base_files_platform_is_kept_as_written_and_chooses_for_the_others() {
    let base =
        r#"{"runtimePlatform": {"cpuArchitecture": "ARM64"}, "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let state = planned(&[], &[("worker", base)]).unwrap();
    let worker = state.task_definitions.iter().find(|definition| definition.process == "worker").unwrap();
    assert_eq!(worker.definition["runtimePlatform"], json!({"cpuArchitecture": "ARM64"}));
    let web = state.task_definitions.iter().find(|definition| definition.process == "web").unwrap();
    assert_eq!(
        web.definition["runtimePlatform"],
        json!({"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"})
    );
    assert!(state.image.tag.ends_with("-arm64"));
}

#[test]
fn a_base_file_against_the_variable_is_bad_input_naming_the_file() {
    let base =
        r#"{"runtimePlatform": {"cpuArchitecture": "X86_64"}, "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let errors = planned(&[("MAESTRO_CPU_ARCHITECTURE", "arm64")], &[("worker", base)]).unwrap_err();
    let error = errors.0.iter().find(|error| error.message.contains("runtimePlatform")).unwrap();
    assert_eq!(error.location.to_string(), "task-definition-worker.json");
    assert!(error.message.contains("MAESTRO_CPU_ARCHITECTURE asks for `ARM64`"), "{}", error.message);
}

#[test]
fn an_unknown_architecture_is_bad_input_with_the_choices() {
    let errors = fixtures::deployable(&[("MAESTRO_CPU_ARCHITECTURE", "amd64")]).unwrap_err();
    let error = &errors.0[0];
    assert_eq!(error.location.to_string(), "MAESTRO_CPU_ARCHITECTURE");
    assert!(error.hint.contains("`arm64` or `x86_64`"), "{}", error.hint);
}

#[test]
fn a_new_environment_plans_packs_suggested_builder() {
    let state = planned(&[], &[]).unwrap();
    assert_eq!((state.image.builder.as_str(), state.image.builder_source.as_str()), ("heroku/builder:26", "default"));
}

#[test]
fn a_pinned_amd64_only_builder_for_arm64_is_bad_input() {
    let errors =
        planned(&[("MAESTRO_CPU_ARCHITECTURE", "arm64"), ("MAESTRO_BUILDER", "heroku/builder:22")], &[]).unwrap_err();
    let error = errors.0.iter().find(|error| error.message.contains("amd64 images only")).unwrap();
    assert_eq!(error.location.to_string(), "MAESTRO_BUILDER");
    assert!(planned(&[("MAESTRO_CPU_ARCHITECTURE", "arm64"), ("MAESTRO_BUILDER", "heroku/builder:24")], &[]).is_ok());
}

#[test]
fn an_amd64_only_builder_in_project_toml_names_the_file() {
    let settings = fixtures::deployable(&[("MAESTRO_CPU_ARCHITECTURE", "arm64")]).unwrap();
    let mut app = app_with(PROCFILE, &[]);
    app.project_builder = Some("heroku/builder:20".into());
    let errors = fixtures::desired(&fixtures::staging(&[]), &settings, &app).unwrap_err();
    assert_eq!(errors.0[0].location.to_string(), "project.toml");
    app.source_dir = "services/api".into();
    let errors = fixtures::desired(&fixtures::staging(&[]), &settings, &app).unwrap_err();
    assert_eq!(errors.0[0].location.to_string(), "services/api/project.toml");
}
