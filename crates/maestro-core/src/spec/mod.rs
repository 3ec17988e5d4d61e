//! Parsers for every input grammar. Each takes the input's name and its text and returns a typed
//! value or an [`InputError`](crate::input_error::InputError) that points into the text.

pub mod approval;
pub mod circuit_breaker;
pub mod deploy_strategy;
pub mod efs;
pub mod env_file;
pub mod fargate;
pub mod lifecycle_stage;
pub mod process_list;
pub mod procfile;
pub mod project_toml;
pub mod rollback_alarm;
pub(crate) mod scanner;
pub mod schedule;
pub mod schedule_expression;
pub mod tags;
pub mod task_size;

#[cfg(test)]
mod robustness_tests;
pub mod task_definition_file;

/// The process that serves HTTP behind the load balancer.
pub const WEB_PROCESS: &str = "web";
/// The process that runs once per release, before services roll (Heroku's release phase).
pub const RELEASE_PROCESS: &str = "release";
/// The pseudo-process whose Procfile command names the schedule file.
pub const SCHEDULED_TASKS_PROCESS: &str = "scheduledtasks";
/// The family for one-off commands (`aws ecs run-task --task-definition <slug>-<branch>-launcher
/// --overrides …`): the bare CNB launcher, which runs the command it is given, or the default
/// process without one. The bash maestro registered it on every run; teams kept using it.
pub const LAUNCHER_PROCESS: &str = "launcher";

/// Characters of a Procfile process type that also work inside ECS names.
pub fn is_process_name_char(character: char) -> bool {
    character.is_ascii_alphanumeric() || character == '-' || character == '_'
}
