//! `maestro run`: a one-off command in the environment's `launcher` task definition family, as the
//! bash maestro's users ran `aws ecs run-task --task-definition <slug>-<branch>-launcher`. What
//! the command is, where its task runs, where its log is, and what its stopped task means.

use serde_json::{Map, Value};

use crate::input::Location;
use crate::input_error::InputError;
use crate::plan::desired::{CapacityProviderWeight, DesiredState, Network};
use crate::release::ObservedTask;
use crate::spec::LAUNCHER_PROCESS;
use crate::spec::process_list::TaskSize;

/// What the user asked to run: the command after `--` (the container's command, which the
/// launcher family's entry point, the CNB `launcher`, runs) and the task's size, if not the family's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneOff {
    pub command: Vec<String>,
    pub size: Option<TaskSize>,
}

impl OneOff {
    /// An empty command is refused: the launcher would start the app's default process, a
    /// server that never ends, which is not what anyone types `run` for.
    pub fn new(command: Vec<String>, size: Option<TaskSize>) -> Result<Self, InputError> {
        if command.iter().all(|word| word.trim().is_empty()) {
            return Err(InputError::new(
                Location::Described("the command after `--`".into()),
                "no command to run",
                "give the command after `--`, e.g. `maestro run -- bin/migrate`",
            ));
        }
        Ok(Self { command, size })
    }
}

/// Where the one-off task runs: the services' network and capacity provider strategy (the
/// release's network and the cluster's default strategy for an app without services).
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub cluster: String,
    pub family: String,
    pub container: String,
    pub network: Network,
    pub capacity_provider_strategy: Vec<CapacityProviderWeight>,
}

/// The launcher family's placement; `None` when the plan names no network for tasks at all.
pub fn placement(desired: &DesiredState) -> Option<Placement> {
    let (network, strategy) = match desired.services.first() {
        Some(service) => (service.network.clone(), service.capacity_provider_strategy.clone()),
        None => {
            let network = desired.release.as_ref().map(|release| release.network.clone());
            let network = network.or_else(|| desired.schedules.first().map(|schedule| schedule.network.clone()))?;
            (network, desired.cluster.default_capacity_provider_strategy.clone())
        }
    };
    let family = desired
        .task_definitions
        .iter()
        .find(|definition| definition.process == LAUNCHER_PROCESS)
        .map(|definition| (definition.family.clone(), definition.container.clone()));
    let (family, container) = family?;
    Some(Placement {
        cluster: desired.cluster.name.clone(),
        family,
        container,
        network,
        capacity_provider_strategy: strategy,
    })
}

/// Where the awslogs driver writes a container's output: its group and stream prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLocation {
    pub group: String,
    pub stream_prefix: String,
}

impl LogLocation {
    /// The stream of the task `task_arn`'s container `container`: "prefix-name/container-name/ecs-task-id"
    /// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html).
    pub fn stream(&self, container: &str, task_arn: &str) -> String {
        format!("{}/{container}/{}", self.stream_prefix, crate::naming::task_id(task_arn))
    }
}

/// The log of `container` in a task definition as ECS describes it (the revision that runs, not
/// the plan: a base file may log elsewhere); `None` without an awslogs configuration with a stream prefix.
pub fn log_location(definition: &Map<String, Value>, container: &str) -> Option<LogLocation> {
    let containers = definition.get("containerDefinitions")?.as_array()?;
    let app = containers.iter().find(|candidate| candidate.get("name").and_then(Value::as_str) == Some(container))?;
    let config = app.get("logConfiguration")?;
    if config.get("logDriver").and_then(Value::as_str) != Some("awslogs") {
        return None;
    }
    let options = config.get("options")?;
    let text = |key: &str| options.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(LogLocation { group: text("awslogs-group")?, stream_prefix: text("awslogs-stream-prefix")? })
}

/// How a one-off task ended, judged by its essential container `container`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The command ran and exited with `code`; `reason` is the task's stopped reason.
    Exited { code: i32, reason: String },
    /// The task stopped with no exit code for the container: it never ran the command, or was
    /// stopped before it finished (`stop_code`: TaskFailedToStart, UserInitiated, …).
    NoExitCode { stop_code: Option<String>, reason: String, detail: Option<String> },
}

/// `None` while the task has not stopped.
pub fn ended(task: &ObservedTask, container: &str) -> Option<Ended> {
    if task.last_status != "STOPPED" {
        return None;
    }
    let app = task.containers.iter().find(|candidate| candidate.name == container);
    let reason = task.stopped_reason.clone().unwrap_or_else(|| "no reason given".to_owned());
    Some(match app.and_then(|app| app.exit_code) {
        Some(code) => Ended::Exited { code, reason },
        None => Ended::NoExitCode {
            stop_code: task.stop_code.clone(),
            reason,
            detail: app.and_then(|app| app.reason.clone()),
        },
    })
}

impl Ended {
    /// The process's exit code for this end: the container's (0 to 255, as a shell sees it),
    /// or 1 when there is none.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Exited { code, .. } => u8::try_from(*code).unwrap_or(1),
            Self::NoExitCode { .. } => 1,
        }
    }

    /// Why the task stopped, as one line: `TaskFailedToStart: CannotPullContainerError: …`.
    pub fn stop_reason(&self) -> String {
        match self {
            Self::Exited { reason, .. } => reason.clone(),
            Self::NoExitCode { stop_code, reason, detail } => {
                let detail = detail.as_deref().map_or(String::new(), |detail| format!(": {detail}"));
                match stop_code {
                    Some(code) => format!("{code}: {reason}{detail}"),
                    None => format!("{reason}{detail}"),
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "one_off_tests.rs"]
mod tests;
