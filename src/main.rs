use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use maestro::cli::Cli;
use maestro::core::env::Env;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // The one read of the process environment; everything below gets this snapshot.
    let env = Env::from_process(
        std::env::vars_os()
            .map(|(name, value)| (name.to_string_lossy().into_owned(), value.to_string_lossy().into_owned())),
    );
    maestro::logging::init(cli.verbose, &env);
    let mut stdout = std::io::stdout().lock();
    match maestro::commands::run(cli, env, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = stdout.flush();
            let _ = std::io::stderr().write_all(error.render().as_bytes());
            error.exit_code()
        }
    }
}
