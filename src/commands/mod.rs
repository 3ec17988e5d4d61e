//! One function per subcommand: resolve the inputs, call the core, write the result.

mod build;
mod deploy;
mod detect;
mod plan;
mod prepare;
mod roll;
mod stop;
mod whoami;

use std::io::Write;
use std::path::Path;

use crate::cli::{Cli, Command};
use crate::error::Error;
use maestro_core::env::{Env, Origin};
use maestro_core::input::Location;
use maestro_core::input_error::InputError;
use maestro_core::spec::env_file;

pub(crate) async fn run(cli: Cli, process_env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    // The env file is one more layer; `Env` decides which layer's value counts.
    let env = match &cli.env_file {
        Some(path) => process_env.merge(load_env_file(path)?),
        None => process_env,
    };
    match cli.command {
        Command::Plan(args) => plan::run(&args, env, stdout).await,
        Command::Detect(args) => detect::run(&args, env, stdout).await,
        Command::Build(args) => build::run(&args, env, stdout).await,
        Command::Deploy(args) => deploy::run(&args, env, stdout).await,
        Command::Stop(args) => stop::run(&args, env, stdout).await,
        Command::Whoami(args) => whoami::run(&args, env, stdout).await,
    }
}

fn load_env_file(path: &Path) -> Result<Env, Error> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|error| {
        InputError::new(
            Location::Flag("--env-file"),
            format!("cannot read `{label}`: {error}"),
            "pass the path of a readable `NAME=value` file",
        )
    })?;
    let mut env = Env::default();
    for assignment in env_file::parse(&label, &text)? {
        env.set(assignment.name, assignment.value, Origin::EnvFile { file: label.clone(), line: assignment.line });
    }
    Ok(env)
}

impl From<InputError> for Error {
    fn from(error: InputError) -> Self {
        Self::Input(error.into())
    }
}
