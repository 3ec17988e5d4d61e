//! `maestro run -- <command …>`: a one-off command in the environment's launcher task definition
//! (`engine::run`), exiting with the command's exit code. The size and the command are checked
//! before any AWS call. No deploy lease: it changes no infrastructure (docs/run.md).

use serde::Serialize;

use super::prepare;
use crate::aws::calls::CallLog;
use crate::cli::RunArgs;
use crate::engine;
use crate::error::{Error, Failure};
use crate::output::Report;
use maestro_core::env::Env;
use maestro_core::input::Location;
use maestro_core::input::vars as var;
use maestro_core::input_error::InputErrors;
use maestro_core::one_off::{Ended, OneOff};
use maestro_core::spec::task_size;

/// How the one-off task ended.
#[derive(Serialize)]
pub(super) struct RunReport {
    task_arn: String,
    /// The launcher revision the task ran.
    task_definition: String,
    command: Vec<String>,
    /// The command's exit code; `null` when the task stopped without one (it never started).
    exit_code: Option<i32>,
    stop_reason: String,
    /// Set unless the command exited 0; the run exits with `exit_code`, or 1 without one.
    #[serde(skip)]
    failure: Option<Failure>,
}

pub(super) async fn run(args: &RunArgs, env: Env) -> Result<RunReport, Error> {
    // Every problem of the command line at once: the size, the command, then the other inputs.
    let mut errors = InputErrors::default();
    // The flag and the words after `--`, else the variables (the action's `run-size` and
    // `run-command` inputs). A command from the variable is one line, handed to the launcher as
    // one word, which it runs with bash.
    let size = match args.size.as_deref() {
        Some(text) => Some(task_size::parse(Location::Flag("--size"), text)),
        None => env.get(var::MAESTRO_RUN_SIZE).map(|text| task_size::parse(env.location(var::MAESTRO_RUN_SIZE), text)),
    };
    let size = errors.take(size.transpose()).flatten();
    let words = match (args.command.is_empty(), env.get(var::MAESTRO_RUN_COMMAND)) {
        (true, Some(line)) => vec![line.to_owned()],
        _ => args.command.clone(),
    };
    let command = errors.take(OneOff::new(words, None));
    let inputs = match prepare::validate(&args.app, env) {
        Ok(inputs) => Some(inputs),
        Err(Error::Input(more)) => {
            errors.0.extend(more.0);
            None
        }
        Err(error) => return Err(error),
    };
    let (Some(command), Some(inputs)) = (command, inputs) else { return Err(errors.into()) };
    errors.into_result()?;
    let one_off = OneOff { size, ..command };
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let ran = Box::pin(engine::run::run(&to.clients, &to.desired, &one_off, &inputs.settings.waiting)).await?;
    let (exit_code, failure) = match &ran.ended {
        Ended::Exited { code: 0, .. } => (Some(0), None),
        Ended::Exited { code, .. } => {
            let failure = Failure::new(format!("the command exited with code {code}"))
                .detail(format!("task {}", ran.task_arn))
                .exit_code(ran.ended.exit_code());
            (Some(*code), Some(failure))
        }
        Ended::NoExitCode { .. } => {
            let failure = Failure::new(format!("the one-off task stopped without running the command to its end ({})", ran.ended.stop_reason()))
                .detail(format!("task {}", ran.task_arn))
                .hint("the reason is ECS's: an image that cannot be pulled, a secret the execution role cannot read, a size the account cannot place");
            (None, Some(failure))
        }
    };
    Ok(RunReport {
        task_arn: ran.task_arn,
        task_definition: ran.task_definition,
        command: one_off.command,
        exit_code,
        stop_reason: ran.ended.stop_reason(),
        failure,
    })
}

impl Report for RunReport {
    fn human(&self) -> String {
        match self.exit_code {
            Some(code) => format!("task {} exited with code {code} ({})\n", self.task_arn, self.stop_reason),
            None => format!("task {} stopped without an exit code ({})\n", self.task_arn, self.stop_reason),
        }
    }

    fn failure(&self) -> Option<&Failure> {
        self.failure.as_ref()
    }
}
