//! What an image that is not the buildpacks' changes in the plan: commands instead of the CNB
//! launcher's entry point, the prebuilt image's reference, and the plan's words for the source.

use serde_json::{Value, json};

use super::*;
use crate::build::source::{DockerfileBuild, Source, default_procfile, parse_prebuilt};
use crate::fixtures::{self, PROCFILE, app_with};
use crate::plan::desired::DesiredState;
use crate::provision::diff::schedule_input;

fn dockerfile() -> Source {
    Source::Dockerfile(DockerfileBuild { file: "Dockerfile".into(), target: Some("release".into()), detected: true })
}

fn desired_with(source: Source, procfile: Option<&str>) -> DesiredState {
    let mut app = app_with(procfile.unwrap_or("web: x\n"), &[]);
    if procfile.is_none() {
        app.procfile = default_procfile();
    }
    app.image_source = source;
    fixtures::desired(&fixtures::staging(&[]), &fixtures::deployable(&[]).unwrap(), &app).unwrap()
}

fn container(state: &DesiredState, process: &str) -> Value {
    let definition = state.task_definitions.iter().find(|definition| definition.process == process).unwrap();
    definition.definition["containerDefinitions"][0].clone()
}

#[test]
fn a_dockerfile_image_runs_the_procfile_lines_in_shell_form_under_its_own_entry_point() {
    let state = desired_with(dockerfile(), Some(PROCFILE));
    let web = container(&state, "web");
    assert_eq!(web["command"], json!(["/bin/sh", "-c", "bin/web"]));
    assert!(web.get("entryPoint").is_none(), "the image's own entry point is kept: {web}");
    assert_eq!(container(&state, "release")["command"], json!(["/bin/sh", "-c", "bin/migrate"]));
    // The families one-off commands run in get their command from the override, not the launcher.
    for family in ["launcher", "scheduledtasks"] {
        let one_off = container(&state, family);
        assert!(one_off.get("entryPoint").is_none() && one_off.get("command").is_none(), "{family}: {one_off}");
    }
    let schedule = &state.schedules[0];
    assert_eq!(
        schedule_input(&schedule.container, &schedule.launch.scheduled_command(&schedule.command)),
        r#"{"containerOverrides":[{"name":"acme-shop-api","command":["/bin/sh","-c","bundle exec rake feed:update"]}]}"#
    );
    assert!(state.task_definitions.iter().all(|definition| definition.entry_point.is_empty()));
    // The commit's image in the app's repository, as for the buildpacks.
    assert!(state.image.uri.ends_with("/acme-shop-api-staging:3f2a9c1d"), "{}", state.image.uri);
    let json = serde_json::to_value(&state).unwrap();
    assert_eq!(
        json["image"]["source"],
        json!({"kind": "dockerfile", "file": "Dockerfile", "target": "release", "detected": true})
    );
    assert_eq!(json["task_definitions"][0]["command"], json!(["/bin/sh", "-c", "bin/web"]));
    assert_eq!(json["task_definitions"][0]["entry_point"], json!([]));
}

#[test]
fn without_a_procfile_one_web_service_runs_the_images_own_command() {
    let state = desired_with(dockerfile(), None);
    assert_eq!(state.services.iter().map(|service| service.process.as_str()).collect::<Vec<_>>(), ["web"]);
    let web = container(&state, "web");
    assert!(web.get("command").is_none() && web.get("entryPoint").is_none(), "{web}");
    assert_eq!(web["portMappings"][0]["containerPort"], json!(3000));
    assert!(state.load_balancer.is_some());
    let tree = render::body(&state);
    assert!(
        tree.contains("acme-shop-api-staging-web (256 cpu, 512 MiB, the image's own command, port 3000)"),
        "{tree}"
    );
    assert!(
        tree.contains("built from `.` with docker buildx, Dockerfile target `release` (detected: a Dockerfile and no project.toml)"),
        "{tree}"
    );
}

#[test]
fn a_prebuilt_image_is_deployed_as_named_with_no_build() {
    let image = parse_prebuilt("MAESTRO_IMAGE", "ghcr.io/acme/shop:1.4.2").unwrap();
    let state = desired_with(Source::Prebuilt(image), Some("web: bin/web\n"));
    assert_eq!(state.image.uri, "ghcr.io/acme/shop:1.4.2");
    assert_eq!((state.image.registry.as_str(), state.image.repository.as_str()), ("ghcr.io", "acme/shop"));
    assert_eq!(state.image.tag, "1.4.2");
    assert_eq!(container(&state, "web")["image"], json!("ghcr.io/acme/shop:1.4.2"));
    let mut pinned = state.clone();
    let digest = format!("sha256:{}", "b2".repeat(32));
    pinned.pin_image(&digest);
    assert_eq!(container(&pinned, "web")["image"], json!(format!("ghcr.io/acme/shop@{digest}")));
    assert!(render::body(&state).contains("built elsewhere (MAESTRO_IMAGE): no build; its digest is pinned"));
    assert_eq!(
        serde_json::to_value(&state).unwrap()["image"]["source"],
        json!({"kind": "image", "image": "ghcr.io/acme/shop:1.4.2"})
    );
}

#[test]
fn a_buildpacks_plan_has_no_source_key_and_the_launcher_as_before() {
    let state = desired_with(Source::Buildpacks, Some(PROCFILE));
    let json = serde_json::to_value(&state).unwrap();
    assert!(json["image"].get("source").is_none());
    assert!(json["task_definitions"][0].get("command").is_none());
    assert_eq!(container(&state, "web")["entryPoint"], json!(["web"]));
    assert!(container(&state, "web").get("command").is_none());
}
