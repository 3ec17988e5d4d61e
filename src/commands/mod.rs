//! One function per subcommand: resolve the inputs, run, and return the report that `run`
//! writes to stdout.

mod abort;
mod build;
mod completions;
mod deploy;
mod destroy;
mod detect;
mod init;
mod logs;
mod plan;
mod prepare;
mod previews;
mod releases;
mod restart;
mod resume;
mod rollback;
mod run;
mod status;
mod stop;
mod test;
mod verify;
pub(crate) mod version;
mod whoami;
mod whoami_explain;

use std::io::Write;
use std::path::Path;

use crate::cli::{Cli, Command, PreviewsCommand};
use crate::error::Error;
use crate::output::Stdout;
use maestro_core::env::{Env, Origin};
use maestro_core::input::Location;
use maestro_core::input_error::InputError;
use maestro_core::spec::env_file;

pub(crate) async fn run(cli: Cli, process_env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let mut stdout = Stdout::new(cli.command.output(), stdout);
    if stdout.output() == crate::output::Output::Ndjson {
        crate::event_stream::start();
    }
    // The env file is one more layer; `Env` decides which layer's value counts.
    let env = match cli.env_file.as_deref().map(load_env_file).transpose() {
        Ok(Some(env_file)) => process_env.merge(env_file),
        Ok(None) => process_env,
        Err(error) => return Err(stdout.failed(error)),
    };
    // Each command's future is boxed: the SDK's make them large, and the main thread's stack
    // then holds only the box.
    match cli.command {
        Command::Plan(args) => stdout.emit(Box::pin(plan::run(&args, env)).await),
        Command::Detect(args) => stdout.emit(detect::run(&args, env)),
        Command::Build(args) if args.check => stdout.emit(Box::pin(build::check(&args.app, env)).await),
        Command::Build(args) => stdout.emit(Box::pin(build::run(&args.app, env)).await),
        Command::Test(args) => stdout.emit(Box::pin(test::run(&args, env)).await),
        Command::Deploy(args) => stdout.emit(Box::pin(deploy::run(&args, env)).await),
        Command::Stop(args) => stdout.emit(Box::pin(stop::run(&args, env)).await),
        Command::Run(args) => stdout.emit(Box::pin(run::run(&args, env)).await),
        Command::Status(args) => stdout.emit(Box::pin(status::run(&args, env)).await),
        Command::Restart(args) => stdout.emit(Box::pin(restart::run(&args, env)).await),
        Command::Rollback(args) => stdout.emit(Box::pin(rollback::run(&args, env)).await),
        Command::Abort(app) => stdout.emit(Box::pin(abort::run(&app, env)).await),
        Command::Continue(app) => stdout.emit(Box::pin(resume::run(&app, env)).await),
        Command::Releases(args) => stdout.emit(Box::pin(releases::run(&args, env)).await),
        Command::Destroy(args) => stdout.emit(Box::pin(destroy::run(&args, env)).await),
        Command::Previews(args) => match &args.command {
            PreviewsCommand::List(app) => stdout.emit(Box::pin(previews::list(app, env)).await),
            PreviewsCommand::Prune(prune) => stdout.emit(Box::pin(previews::prune(prune, env)).await),
        },
        Command::Verify(args) => stdout.emit(Box::pin(verify::run(&args, env)).await),
        Command::Whoami(args) => stdout.emit(Box::pin(whoami::run(&args, env)).await),
        Command::Logs(args) => Box::pin(logs::run(&args, env, &mut stdout)).await,
        Command::Init(args) => stdout.emit(init::run(&args, env)),
        Command::Version(_) => stdout.emit(Ok(version::run())),
        Command::Completions(args) => completions::run(args.shell, stdout.raw()),
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
