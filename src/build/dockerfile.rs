//! A Dockerfile build: `docker buildx build --push` (`maestro_core::build::docker`) on maestro's
//! own `docker-container` builder, made when it is missing; the build's secrets reach BuildKit
//! from docker's environment under their own keys, never through the argv or a build argument.

use std::process::Stdio;

use tokio::process::Command;

use super::publish::BuildContext;
use super::tool_process::{self, ToolRun};
use crate::error::Failure;
use maestro_core::build::docker::{
    DockerBuild, DockerInputs, create_builder, docker_environment, docker_secrets, inspect_builder,
};
use maestro_core::build::source::DockerfileBuild;

/// Builds and pushes the image; the warnings to report (secret keys that were not passed).
pub(super) async fn build(
    context: &BuildContext<'_>,
    dockerfile: &DockerfileBuild,
    make: &(dyn Fn(&DockerInputs<'_>) -> DockerBuild + Sync),
) -> Result<Vec<String>, Failure> {
    let stage = context.stage;
    let secrets = docker_secrets(&stage.desired.secret, &context.secret, stage.settings.build.secret_keys.as_deref());
    let redactor = context.redactor(secrets.env.iter().map(|(_, value)| value));
    let env = context.with_docker_config(docker_environment(stage.env));
    ensure_builder(context, &env).await?;
    let source = context.source_dir();
    let keys = secrets.keys();
    let platform = stage.desired.image.architecture.cpu.platform();
    let build = make(&DockerInputs {
        repository: context.repository,
        tag: &stage.desired.image.tag,
        file: &source.join(&dockerfile.file).display().to_string(),
        context: &source.display().to_string(),
        target: dockerfile.target.as_deref(),
        // Always the tasks' platform (x86_64 unless MAESTRO_CPU_ARCHITECTURE says otherwise), never
        // the runner's own: an arm64 runner must not build an image x86_64 tasks cannot start.
        platform: Some(&platform),
        no_cache: stage.settings.build.no_cache,
        secrets: &keys,
    });
    tool_process::run(ToolRun {
        program: context.tool,
        tool: "docker",
        what: "docker buildx build",
        argv: build.argv(),
        tags: &build.tags,
        env,
        secret_env: &secrets.env,
        redactor: &redactor,
        ci: stage.desired.request.ci,
        hint: "docker's output is above: the failing Dockerfile step is named there",
    })
    .await?;
    Ok(secrets.warnings)
}

/// maestro's builder: Docker's default `docker` driver cannot export a registry cache.
async fn ensure_builder(context: &BuildContext<'_>, env: &[(String, String)]) -> Result<(), Failure> {
    let run = |argv: Vec<String>| {
        let mut command = Command::new(context.tool);
        command
            .args(argv)
            .env_clear()
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    };
    let inspected = run(inspect_builder()).stdout(Stdio::null()).stderr(Stdio::null()).status().await;
    if inspected.is_ok_and(|status| status.success()) {
        return Ok(());
    }
    let created = run(create_builder())
        .output()
        .await
        .map_err(|error| Failure::new(format!("start {}: {error}", context.tool.display())))?;
    if created.status.success() {
        tracing::info!("created buildx builder `{}`", maestro_core::build::docker::BUILDER);
        return Ok(());
    }
    let said = String::from_utf8_lossy(&created.stderr);
    Err(Failure::new(format!("docker {} failed", create_builder().join(" ")))
        .detail(maestro_core::text::workflow_command::inert(said.trim()))
        .hint(
            "check that docker has the buildx plugin (`docker buildx version`) and that its daemon can run containers",
        ))
}
