//! `maestro run`: a one-off command in a task of the environment's `launcher` family (its latest
//! ACTIVE revision, which every deploy keeps on the commit just deployed), where the services
//! run, followed by `one_off` as the release is, its log streamed live with the app secret's
//! values hidden. It changes no infrastructure, so it takes no deploy lease.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::one_off::{self, Ended, Followed};
use crate::aws::Clients;
use crate::aws::ecs_tasks::{TaskLaunch, TaskOverrides};
use crate::cancel::Cancellation;
use crate::error::{Error, Failure};
use crate::workflow::Group;
use maestro_core::naming;
use maestro_core::one_off::{LogLocation, OneOff, ended as judged, log_location, placement};
use maestro_core::plan::desired::DesiredState;
use maestro_core::redact::Redactor;
use maestro_core::settings::WaitSettings;

/// The task `maestro run` started, and how it ended.
pub(crate) struct Ran {
    pub task_arn: String,
    /// The revision it ran.
    pub task_definition: String,
    pub ended: maestro_core::one_off::Ended,
}

const WHAT: &str = "the one-off task";

/// Runs `request` and follows it to its end. A task maestro stops waiting for (Ctrl-C, the CI
/// cancelling the job, MAESTRO_RELEASE_TIMEOUT) is stopped, and the run fails.
pub(crate) async fn run(
    clients: &Clients,
    desired: &DesiredState,
    request: &OneOff,
    waiting: &WaitSettings,
) -> Result<Ran, Error> {
    let Some(placement) = placement(desired) else {
        let mut failure = Failure::new("the plan has no launcher task definition, or no network for its tasks");
        for warning in &desired.warnings {
            failure = failure.detail(warning.clone());
        }
        return Err(failure
            .hint(
                "set ECS_SERVICE_SUBNETS and ECS_SERVICE_SECURITY_GROUPS, and an execution role when the app needs one",
            )
            .into());
    };
    let (cluster, family) = (placement.cluster.as_str(), placement.family.as_str());
    let Some(definition) = clients.ecs.latest_task_definition(family).await? else {
        return Err(Failure::new(format!("task definition {family} does not exist"))
            .hint("deploy the branch first: every deploy registers it with the commit's image")
            .into());
    };
    let location = if waiting.no_log_tail { None } else { log_location(&definition.definition, &placement.container) };
    let redactor = redactor(clients, desired, location.is_some()).await;
    // Listening from before RunTask: a job cancelled while the task starts still stops it.
    let mut cancellation = Cancellation::listen();
    // The launcher takes the words as they are; an image of its own runs one word as a shell line.
    let command = desired.image.source.launch().one_off_command(&request.command);
    let overrides = TaskOverrides { container: placement.container.clone(), command, size: request.size };
    let launch = TaskLaunch {
        cluster,
        task_definition: &definition.arn,
        network: &placement.network,
        strategy: &placement.capacity_provider_strategy,
        overrides: Some(&overrides),
        what: WHAT,
    };
    tracing::info!("run: running `{}` in {}", redactor.redact(&request.command.join(" ")), definition.arn);
    let task = clients.ecs.run_task(&launch).await?;
    let followed = Followed {
        cluster,
        task: &task,
        label: "run",
        what: WHAT,
        timeout: Duration::from_secs(u64::from(waiting.release_timeout)),
        why_stop: "so it does not go on unwatched",
        unless_stopped: "or it goes on unwatched",
        again: "before running the command again",
    };
    let stopped = AtomicBool::new(false);
    let group = Group::start(desired.request.ci, "maestro_run", &format!("Log of task {}", naming::task_id(&task)));
    let following = async {
        let ended = one_off::follow(clients, &followed, waiting).await;
        stopped.store(true, Ordering::SeqCst);
        ended
    };
    let streaming = stream(clients, location.as_ref(), &placement.container, &task, &redactor, &stopped, waiting);
    let outcome = tokio::select! {
        (outcome, ()) = async { tokio::join!(following, streaming) } => outcome?,
        () = cancellation.requested() => Ended::Cancelled,
    };
    drop(group);
    let failure = match outcome {
        Ended::Stopped(observed) => {
            let Some(ended) = judged(&observed, &placement.container) else {
                return Err(Failure::new("the one-off task was judged before it stopped").into());
            };
            return Ok(Ran { task_arn: task, task_definition: definition.arn, ended });
        }
        Ended::TimedOut { last_status, after } => {
            let failure = Failure::new(format!("the one-off task was still {last_status} after {}s", after.as_secs()))
                .hint("raise MAESTRO_RELEASE_TIMEOUT if the command is that slow");
            one_off::stop(clients, &followed, "it timed out (MAESTRO_RELEASE_TIMEOUT)", failure).await
        }
        Ended::Cancelled => {
            let failure = Failure::new("maestro was stopped while the one-off task ran");
            one_off::stop(clients, &followed, "maestro run was cancelled", failure).await
        }
    };
    Err(failure.detail(format!("task {task}")).into())
}

/// Hides the app secret's values in the log; when the secret cannot be read, nothing could be
/// hidden, so the lines are withheld (`Shown::Withheld`).
pub(super) async fn redactor(clients: &Clients, desired: &DesiredState, logs: bool) -> Shown {
    if !logs {
        return Shown::Withheld(
            "the task's log is not shown (it logs nowhere: MAESTRO_NO_LOG, or MAESTRO_NO_LOG_TAIL is set)",
        );
    }
    match clients.secrets.values(&desired.secret).await {
        Ok(values) => Shown::Redacted(Redactor::new(values.iter().map(String::as_str))),
        Err(_) => {
            Shown::Withheld("the task's log lines are withheld: the app secret could not be read to hide its values")
        }
    }
}

/// How the task's log reaches stderr.
pub(super) enum Shown {
    Redacted(Redactor),
    Withheld(&'static str),
}

impl Shown {
    fn redact(&self, text: &str) -> String {
        match self {
            Self::Redacted(redactor) => redactor.redact(text),
            Self::Withheld(_) => "(the command is not shown)".to_owned(),
        }
    }
}

/// Relays the task's log to stderr while it runs: every page GetLogEvents has, then again after
/// each poll interval; once the task stopped, one last read after a pause, as the awslogs driver
/// may deliver the last lines after the task stopped.
pub(super) async fn stream(
    clients: &Clients,
    location: Option<&LogLocation>,
    container: &str,
    task: &str,
    shown: &Shown,
    stopped: &AtomicBool,
    waiting: &WaitSettings,
) {
    let (Some(location), Shown::Redacted(redactor)) = (location, shown) else {
        if let Shown::Withheld(why) = shown {
            tracing::warn!("run: {why}");
        }
        return;
    };
    let stream = location.stream(container, task);
    let pause = Duration::from_secs_f64(waiting.poll_interval);
    let mut token = None;
    let mut reads_after_stop = 0;
    loop {
        let last = stopped.load(Ordering::SeqCst);
        match clients.logs.read_on(&location.group, &stream, token.clone()).await {
            Ok((lines, next)) => {
                let mut stderr = std::io::stderr().lock();
                for line in lines {
                    let _ = writeln!(stderr, "{}", redactor.relay(&line));
                }
                token = next;
            }
            Err(error) => {
                tracing::warn!("run: the task's log cannot be read ({}); it is in {}", error.message, location.group);
                return;
            }
        }
        if last {
            reads_after_stop += 1;
            if reads_after_stop == 2 {
                return;
            }
        }
        tokio::time::sleep(pause).await;
    }
}
