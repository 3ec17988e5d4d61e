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
    let on_github = env.get("GITHUB_ACTIONS") == Some("true");
    let mut stdout = std::io::stdout().lock();
    match maestro::commands::run(cli, env, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = stdout.flush();
            let mut text = error.render();
            if on_github {
                text.push_str(&maestro::workflow::annotations(&error));
            }
            let _ = std::io::stderr().write_all(text.as_bytes());
            error.exit_code()
        }
    }
}
