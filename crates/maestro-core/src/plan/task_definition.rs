//! Renders one process's task definition, from maestro's template or from the app's own
//! `task-definition-<process>.json`.
//!
//! Only the app's container (named after the slug) and the fields maestro owns are edited; other
//! containers and fields of a base file are kept as they are. The original's jq edits replaced
//! every container with the app's, so sidecars disappeared.

use serde_json::{Map, Value, json};

use super::desired::TaskDefinition;
use crate::app::BaseTaskDefinition;
use crate::build::source::Launch;
use crate::input::Location;
use crate::input_error::InputError;
use crate::naming::{LOG_STREAM_PREFIX, Names};
use crate::settings::TaskSettings;
use crate::spec::fargate;
use crate::spec::process_list::TaskSize;
use crate::spec::{SCHEDULED_TASKS_PROCESS, WEB_PROCESS};
use crate::types::Region;

const DEFAULT_SIZE: TaskSize = TaskSize { cpu: 256, memory: 512 };
const DEFAULT_STOP_TIMEOUT: u32 = 30;

pub(super) struct RenderInput<'a> {
    pub(super) process: &'a str,
    pub(super) names: &'a Names,
    pub(super) settings: &'a TaskSettings,
    pub(super) region: &'a Region,
    /// The size from `ECS_SERVICE_TASK_PROCESSES`, if the process is listed with one.
    pub(super) size: Option<TaskSize>,
    pub(super) base: Option<&'a BaseTaskDefinition>,
    /// `runtimePlatform`, when the architecture was chosen (`platform::Architecture`).
    pub(super) runtime_platform: Option<&'a Value>,
    /// Who starts the process: the CNB launcher (the entry point names it) or the image's own
    /// entry point, given `command`.
    pub(super) launch: Launch,
    /// The container's command (the Procfile line in shell form), for an image of its own.
    pub(super) command: Option<Vec<String>>,
}

/// The CNB launcher runs a process type when it is the entry point; `scheduledtasks` gets the
/// bare launcher because EventBridge passes each schedule's command.
fn entry_point(process: &str) -> &str {
    if process == SCHEDULED_TASKS_PROCESS { "launcher" } else { process }
}

fn template(container: &str) -> Map<String, Value> {
    let value = json!({
        "family": "",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": DEFAULT_SIZE.cpu.to_string(),
        "memory": DEFAULT_SIZE.memory.to_string(),
        "containerDefinitions": [{
            "name": container,
            "image": "",
            "essential": true,
            "environment": [],
            "secrets": [],
            "stopTimeout": DEFAULT_STOP_TIMEOUT,
        }],
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

pub(super) fn render(input: &RenderInput<'_>) -> Result<TaskDefinition, InputError> {
    let names = input.names;
    let settings = input.settings;
    let container_name = names.container();
    let family = names.family(input.process);
    let (mut document, label) = match input.base {
        Some(base) => (base.document.clone(), base.path.clone()),
        None => (template(container_name), String::new()),
    };

    let size = match input.size {
        Some(size) => size,
        None => base_size(&document, &label)?.unwrap_or(DEFAULT_SIZE),
    };
    document.insert("family".into(), json!(family));
    document.insert("cpu".into(), json!(size.cpu.to_string()));
    document.insert("memory".into(), json!(size.memory.to_string()));
    if let Some(arn) = &settings.task_role_arn {
        document.insert("taskRoleArn".into(), json!(arn));
    }
    if let Some(arn) = &settings.execution_role_arn {
        document.insert("executionRoleArn".into(), json!(arn));
    }
    // Fargate needs both; a base file that says otherwise was refused when it was read.
    document.entry("networkMode").or_insert_with(|| json!("awsvpc"));
    document.entry("requiresCompatibilities").or_insert_with(|| json!(["FARGATE"]));
    // A base file's own `runtimePlatform` agrees with it (`platform::resolve`) and is kept as written.
    if let Some(platform) = input.runtime_platform {
        document.entry("runtimePlatform").or_insert_with(|| platform.clone());
    }
    for volume in &settings.efs_volumes {
        let encryption = if volume.transit_encryption { "ENABLED" } else { "DISABLED" };
        upsert(
            &mut document,
            "volumes",
            "name",
            &volume.name,
            json!({
                "name": volume.name,
                "efsVolumeConfiguration": {
                    "fileSystemId": volume.file_system_id,
                    "rootDirectory": volume.root_directory,
                    "transitEncryption": encryption,
                },
            }),
        );
    }
    if !settings.tags.is_empty() {
        let tags: Vec<Value> = settings.tags.iter().map(|tag| json!({"key": tag.key, "value": tag.value})).collect();
        document.insert("tags".into(), Value::Array(tags));
    }

    let port = (input.process == WEB_PROCESS).then_some(settings.port);
    let log_group = (!settings.no_log).then(|| names.log_group(input.process));
    let from_template = input.base.is_none();
    let container = app_container(&mut document, container_name, &label)?;
    if from_template {
        // The one container may use the whole task (the original set the memory the same way).
        container.insert("cpu".into(), json!(size.cpu));
        container.insert("memory".into(), json!(size.memory));
    }
    // Its place in the container, filled when the plan is bound to an account (see `set_image`).
    container.insert("image".into(), Value::Null);
    if let Some(secret) = &settings.image_pull_secret {
        container.insert("repositoryCredentials".into(), json!({"credentialsParameter": secret}));
    }
    let entry_point = match input.launch {
        Launch::CnbLauncher => vec![entry_point(input.process).to_owned()],
        // The image's own entry point is kept: a base file's, if it names one, is the user's.
        Launch::ImageEntryPoint => Vec::new(),
    };
    if !entry_point.is_empty() {
        container.insert("entryPoint".into(), json!(entry_point));
    }
    if let Some(command) = &input.command {
        container.insert("command".into(), json!(command));
    }
    if let Some(timeout) = settings.stop_timeout {
        container.insert("stopTimeout".into(), json!(timeout));
    }
    match &log_group {
        Some(group) => {
            container.insert(
                "logConfiguration".into(),
                json!({
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": group,
                        "awslogs-region": input.region.as_str(),
                        "awslogs-stream-prefix": LOG_STREAM_PREFIX,
                    },
                }),
            );
        }
        None => {
            container.remove("logConfiguration");
        }
    }
    if let Some(port) = port {
        ensure_port_mapping(container, port, &names.port_name(input.process));
    }
    for volume in &settings.efs_volumes {
        upsert(
            container,
            "mountPoints",
            "sourceVolume",
            &volume.name,
            json!({
                "sourceVolume": volume.name,
                "containerPath": volume.container_path,
                "readOnly": volume.read_only,
            }),
        );
    }

    Ok(TaskDefinition {
        process: input.process.to_owned(),
        family,
        cpu: size.cpu,
        memory: size.memory,
        entry_point,
        command: input.command.clone(),
        port,
        container: container_name.to_owned(),
        log_group,
        base_file: input.base.map(|base| base.path.clone()),
        definition: document,
    })
}

/// Sets the image of the app's container: the account's ECR registry is known only once the plan
/// is bound to the account.
pub(super) fn set_image(definition: &mut TaskDefinition, uri: &str) {
    let containers = definition.definition.get_mut("containerDefinitions").and_then(Value::as_array_mut);
    let app = containers
        .into_iter()
        .flatten()
        .filter_map(Value::as_object_mut)
        .find(|container| container.get("name").and_then(Value::as_str) == Some(definition.container.as_str()));
    if let Some(container) = app {
        container.insert("image".into(), json!(uri));
    }
}

/// The container named after the app; a base file without one is an error naming the others.
fn app_container<'a>(
    document: &'a mut Map<String, Value>,
    name: &str,
    label: &str,
) -> Result<&'a mut Map<String, Value>, InputError> {
    let containers = document.get_mut("containerDefinitions").and_then(Value::as_array_mut);
    let found: Vec<String> = containers
        .as_ref()
        .map(|list| list.iter().filter_map(|container| container.get("name")?.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    containers
        .and_then(|list| {
            list.iter_mut()
                .filter_map(Value::as_object_mut)
                .find(|container| container.get("name").and_then(Value::as_str) == Some(name))
        })
        .ok_or_else(|| {
            let listed = if found.is_empty() {
                "none".to_owned()
            } else {
                found.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            };
            InputError::new(
                Location::file(label),
                format!("no container is named `{name}` (containers: {listed})"),
                format!(
                    "name the app's container `{name}`, the repository's slug; maestro sets its image and entry point"
                ),
            )
        })
}

fn ensure_port_mapping(container: &mut Map<String, Value>, port: u16, name: &str) {
    let mappings = container.entry("portMappings").or_insert_with(|| json!([]));
    if !mappings.is_array() {
        *mappings = json!([]);
    }
    let Some(list) = mappings.as_array_mut() else { return };
    let existing = list
        .iter_mut()
        .filter_map(Value::as_object_mut)
        .find(|mapping| mapping.get("containerPort").and_then(Value::as_u64) == Some(u64::from(port)));
    match existing {
        Some(mapping) => {
            mapping.entry("name").or_insert_with(|| json!(name));
        }
        None => list.push(json!({"containerPort": port, "hostPort": port, "protocol": "tcp", "name": name})),
    }
}

/// Replaces the element of array `key` whose `id_field` equals `id`, or appends `value`.
fn upsert(object: &mut Map<String, Value>, key: &str, id_field: &str, id: &str, value: Value) {
    let entry = object.entry(key).or_insert_with(|| json!([]));
    if !entry.is_array() {
        *entry = json!([]);
    }
    if let Some(list) = entry.as_array_mut() {
        match list.iter_mut().find(|item| item.get(id_field).and_then(Value::as_str) == Some(id)) {
            Some(item) => *item = value,
            None => list.push(value),
        }
    }
}

/// The size a base file sets, in cpu units and MiB (`"1024"`, `1024`, `"1 vCPU"`, `"2 GB"`).
fn base_size(document: &Map<String, Value>, label: &str) -> Result<Option<TaskSize>, InputError> {
    let read = |key: &str, unit: &str| -> Result<Option<u32>, InputError> {
        let Some(value) = document.get(key) else { return Ok(None) };
        let parsed = match value {
            Value::Number(number) => number.as_u64().and_then(|n| u32::try_from(n).ok()),
            Value::String(text) => {
                let text = text.trim();
                match text.split_once(' ') {
                    Some((amount, written_unit)) if written_unit.eq_ignore_ascii_case(unit) => {
                        amount.parse::<f64>().ok().map(|n| (n * 1024.0).round() as u32)
                    }
                    Some(_) => None,
                    None => text.parse().ok(),
                }
            }
            _ => None,
        };
        parsed.map(Some).ok_or_else(|| {
            InputError::new(
                Location::file(label),
                format!("`{key}` is {value}, not a size"),
                format!("write `{key}` as a number such as \"1024\""),
            )
        })
    };
    match (read("cpu", "vCPU")?, read("memory", "GB")?) {
        (Some(cpu), Some(memory)) => {
            fargate::check(cpu, memory).map_err(|_| {
                InputError::new(Location::file(label), format!("Fargate does not run {cpu} cpu units with {memory} MiB of memory"), "use a valid Fargate size (docs/inputs.md lists them), or size the process in ECS_SERVICE_TASK_PROCESSES")
            })?;
            Ok(Some(TaskSize { cpu, memory }))
        }
        (None, None) => Ok(None),
        _ => Err(InputError::new(
            Location::file(label),
            "sets only one of `cpu` and `memory`",
            "set both, or neither and size the process in ECS_SERVICE_TASK_PROCESSES",
        )),
    }
}

#[cfg(test)]
#[path = "task_definition_tests.rs"]
mod tests;
