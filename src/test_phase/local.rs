//! The local test runner (`MAESTRO_TEST_RUNNER=local`): `docker run --rm` of the test image in the
//! CI's Docker daemon, with an allow-listed environment, its output relayed redacted inside a CI
//! group as pack's is, and the command's JUnit report copied out to the app's folder.

use std::collections::VecDeque;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

use tokio::process::Command;

use crate::build::private_dir::PrivateDir;
use crate::build::tool_process::relay;
use crate::build::{Stage, test_image};
use crate::error::Failure;
use crate::workflow::Group;
use maestro_core::build::registry_login::docker_config;
use maestro_core::input::vars as var;
use maestro_core::redact::Redactor;
use maestro_core::test_phase::TestPlan;
use maestro_core::test_phase::docker_run::{DockerRun, container_variables, docker_environment, report_folder};
use maestro_core::test_phase::outcome::TAIL_LINES;

/// Runs the test command in `image` (`<repository>@<digest>`): its exit code (`None`: killed by a
/// signal) and its output's last lines, redacted.
pub(super) async fn run(
    docker: &Path,
    stage: &Stage<'_>,
    image: &str,
    plan: &TestPlan,
    app_dir: &Path,
) -> Result<(Option<i32>, Vec<String>), Failure> {
    let login = test_image::login(stage).await?;
    // The app secret's values are hidden too: the tests may print what they read.
    let mut hidden = stage.clients.secrets.values(&stage.desired.secret).await?;
    // Masked on GitHub too (the runner's masks are the last line of defence behind the Redactor),
    // also when the test image existed and no build masked them.
    for value in &hidden {
        stage.masker.mask(value);
    }
    hidden.extend(login.as_ref().map(|login| login.password.expose().to_owned()));
    let redactor = Redactor::new(hidden.iter().map(String::as_str));
    let parent = stage.env.first_of(&[var::RUNNER_TEMP, var::TMPDIR]).map_or("/tmp", |(_, dir)| dir);
    let private = PrivateDir::create(Path::new(parent))?;
    let mut env = docker_environment(stage.env);
    if let Some(login) = &login {
        let host = &stage.desired.image.registry;
        let config = private.write("config.json", docker_config(host, login).expose())?;
        env.retain(|(name, _)| name != var::DOCKER_CONFIG);
        env.push((var::DOCKER_CONFIG.to_owned(), config.parent().unwrap_or(private.path()).display().to_string()));
    }
    let report_mount = match plan.report.as_deref().and_then(report_folder) {
        Some(folder) => Some((report_dir(&private)?.display().to_string(), folder)),
        None => None,
    };
    let variables = container_variables();
    let docker_run = DockerRun {
        image: image.to_owned(),
        command: plan.command.clone(),
        launch: stage.desired.image.source.launch(),
        container_env: variables.iter().map(|(name, _)| name.clone()).collect(),
        report_mount,
    };
    let mut command = Command::new(docker);
    command
        .args(docker_run.argv())
        .env_clear()
        .envs(env)
        .envs(variables)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    tracing::info!("test: running `{}` ({}) in {image}", redactor.redact(&plan.command), plan.source);
    let group = Group::start(stage.desired.request.ci, "maestro_test", &format!("Run the tests: {}", plan.command));
    let mut child = command.spawn().map_err(|error| {
        Failure::new(format!("start {}: {error}", docker.display()))
            .hint("check that Docker's CLI is installed, or set MAESTRO_TEST_RUNNER=ecs")
    })?;
    let tail = Arc::new(Mutex::new(VecDeque::new()));
    let stdout = child.stdout.take().map(|out| relay(out, redactor.clone(), tail.clone(), TAIL_LINES));
    let stderr = child.stderr.take().map(|err| relay(err, redactor.clone(), tail.clone(), TAIL_LINES));
    let status = child.wait().await;
    for relay in [stdout, stderr].into_iter().flatten() {
        let _ = relay.await;
    }
    drop(group);
    let status = status.map_err(|error| Failure::new(format!("wait for docker run: {error}")))?;
    if let (Some(report), Some((host, _))) = (plan.report.as_deref(), docker_run.report_mount.as_ref()) {
        copy_report(Path::new(host), report, app_dir);
    }
    drop(private);
    let tail = tail.lock().map(|tail| tail.iter().cloned().collect()).unwrap_or_default();
    Ok((status.code(), tail))
}

/// A folder inside the private one that the container's user (not the runner's) may write.
fn report_dir(private: &PrivateDir) -> Result<std::path::PathBuf, Failure> {
    use std::os::unix::fs::PermissionsExt;
    let dir = private.path().join("report");
    std::fs::create_dir(&dir)
        .and_then(|()| std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)))
        .map_err(|error| Failure::new(format!("create {}: {error}", dir.display())))?;
    Ok(dir)
}

/// The JUnit report, where the CI looks for it (`<app>/<MAESTRO_TEST_REPORT>`); a missing one is
/// said, not a failure (a command that failed early may write none).
fn copy_report(host: &Path, report: &str, app_dir: &Path) {
    let name = report.rsplit('/').next().unwrap_or(report);
    let to = app_dir.join(report);
    let copied = to.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::copy(host.join(name), &to));
    match copied {
        Ok(_) => tracing::info!("test: the JUnit report is at {}", to.display()),
        Err(error) => tracing::warn!("test: no JUnit report at {report} ({error})"),
    }
}
