//! The test phase's ECS runner (`MAESTRO_TEST_RUNNER=ecs`): the test command as a one-off task in
//! the environment's network with the app secret, like the release process, followed by
//! `one_off`, its log streamed live as `maestro run` streams it, and judged by its container's
//! exit code.
//!
//! Its writes are the test's own, and no deploy's: one task definition revision of the family
//! `naming::test_phase_family` (the launcher's definition with the test image), one RunTask, and a
//! StopTask for a task maestro gives up on.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};

use super::one_off::{self, Ended, Followed};
use super::task_log;
use crate::aws::Clients;
use crate::aws::ecs_tasks::{TaskLaunch, TaskOverrides};
use crate::cancel::Cancellation;
use crate::error::Failure;
use crate::workflow::Group;
use maestro_core::naming;
use maestro_core::one_off::{Ended as Judged, ended as judged, log_location, placement};
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::diff::render_with_secrets;
use maestro_core::settings::WaitSettings;
use maestro_core::spec::LAUNCHER_PROCESS;
use maestro_core::test_phase::outcome::TAIL_LINES;

const WHAT: &str = "the test task";

/// How the test task ended: its container's exit code (`None`: it stopped without one) and the
/// last lines it logged, redacted.
pub(crate) struct TaskRan {
    pub exit_code: Option<i32>,
    pub tail: Vec<String>,
}

/// Registers the test task definition for `image` (`<repository>@<digest>`), runs `command` in it
/// and follows it to its end; a task maestro stops waiting for is stopped.
pub(crate) async fn run(
    clients: &Clients,
    desired: &DesiredState,
    image: &str,
    command: &str,
    waiting: &WaitSettings,
) -> Result<TaskRan, Failure> {
    let Some(placement) = placement(desired) else {
        return Err(Failure::new("MAESTRO_TEST_RUNNER=ecs needs the launcher task definition and a network for tasks")
            .hint("set ECS_SERVICE_SUBNETS and ECS_SERVICE_SECURITY_GROUPS (and an execution role for the app secret), or use MAESTRO_TEST_RUNNER=local"));
    };
    let Some(launcher) = desired.task_definitions.iter().find(|definition| definition.process == LAUNCHER_PROCESS)
    else {
        return Err(Failure::new("the plan has no launcher task definition for the test task"));
    };
    let family = naming::test_phase_family(&placement.family);
    let mut definition = render_with_secrets(launcher, clients.secrets.keys(&desired.secret).await?.as_ref());
    definition.insert("family".into(), json!(family));
    if let Some(containers) = definition.get_mut("containerDefinitions").and_then(Value::as_array_mut) {
        for container in containers.iter_mut().filter(|container| container["name"] == json!(placement.container)) {
            container["image"] = json!(image);
        }
    }
    let arn = clients.ecs.register_task_definition(&family, &definition).await?;
    tracing::info!("test: registered {arn}, the test phase's own task definition (no deploy write)");
    // Listening from before RunTask: a job cancelled while the task starts still stops it.
    let mut cancellation = Cancellation::listen();
    let overrides = TaskOverrides {
        container: placement.container.clone(),
        command: desired.image.source.launch().scheduled_command(command),
        size: None,
    };
    let launch = TaskLaunch {
        cluster: &placement.cluster,
        task_definition: &arn,
        network: &placement.network,
        strategy: &placement.capacity_provider_strategy,
        overrides: Some(&overrides),
        what: WHAT,
    };
    let task = clients.ecs.run_task(&launch).await.map_err(|failure| {
        failure.hint("the ECS runner runs in the environment's cluster: deploy once without the test phase (MAESTRO_TEST=false), or use MAESTRO_TEST_RUNNER=local")
    })?;
    tracing::info!("test: running task {task}");
    let followed = Followed {
        cluster: &placement.cluster,
        task: &task,
        label: "test",
        what: WHAT,
        timeout: Duration::from_secs(u64::from(waiting.release_timeout)),
        why_stop: "so it does not go on unwatched",
        unless_stopped: "or it goes on unwatched",
        again: "before deploying again",
    };
    // Its log streamed live, redacted, inside a CI group, as `maestro run` streams its task's.
    let location = if waiting.no_log_tail { None } else { log_location(&definition, &placement.container) };
    let shown = super::run::redactor(clients, desired, location.is_some()).await;
    let stopped = AtomicBool::new(false);
    let group =
        Group::start(desired.request.ci, "maestro_test", &format!("Log of the test task {}", naming::task_id(&task)));
    let following = async {
        let ended = one_off::follow(clients, &followed, waiting).await;
        stopped.store(true, Ordering::SeqCst);
        ended
    };
    let streaming =
        super::run::stream(clients, location.as_ref(), &placement.container, &task, &shown, &stopped, waiting);
    let ended = tokio::select! {
        (ended, ()) = async { tokio::join!(following, streaming) } => ended?,
        () = cancellation.requested() => Ended::Cancelled,
    };
    drop(group);
    let lines = i32::try_from(TAIL_LINES).unwrap_or(20);
    let failure = match ended {
        Ended::Stopped(observed) => {
            let exit_code = match judged(&observed, &placement.container) {
                Some(Judged::Exited { code, .. }) => Some(code),
                Some(Judged::NoExitCode { .. }) | None => None,
            };
            let tail = task_log::tail(clients, desired, waiting, &placement.family, &task, lines).await;
            return Ok(TaskRan { exit_code, tail });
        }
        Ended::TimedOut { last_status, after } => {
            let failure = Failure::new(format!("the test task was still {last_status} after {}s", after.as_secs()))
                .hint("raise MAESTRO_RELEASE_TIMEOUT if the tests are that slow; nothing was deployed");
            one_off::stop(clients, &followed, "the tests timed out (MAESTRO_RELEASE_TIMEOUT)", failure).await
        }
        Ended::Cancelled => {
            let failure = Failure::new("maestro was stopped while the test task ran; nothing was deployed");
            one_off::stop(clients, &followed, "the deploy was cancelled", failure).await
        }
    };
    Err(failure.detail(format!("task {task}")))
}
