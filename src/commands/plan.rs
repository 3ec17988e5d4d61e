//! `maestro plan`: the desired state of every resource, with no AWS call.

use std::io::Write;

use crate::cli::{AppArgs, Output};
use crate::core::env::Env;
use crate::core::input_error::InputErrors;
use crate::core::plan::{self, render};
use crate::core::request::Need;
use crate::core::settings::Settings;
use crate::detection;
use crate::error::Error;
use crate::workspace;

pub(super) fn run(args: &AppArgs, env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let env = env.overlay(args.request.as_env());
    // Settings, request and target are checked together, so one run lists every problem.
    let settings = Settings::from_env(&env);
    let request = detection::request(&env, &args.app, Need::Target);
    let (settings, request) = match (settings, request) {
        (Ok(settings), Ok(request)) => (settings, request),
        (settings, request) => {
            let mut errors = InputErrors::default();
            for problems in [settings.err(), request.err()].into_iter().flatten() {
                errors.0.extend(problems.0);
            }
            return Err(errors.into());
        }
    };
    let target = request.target()?;
    let app = workspace::load(&args.app, settings.build.sub_folder.as_deref())?;
    let state = plan::plan(&request, &target, &settings, &app)?;
    for warning in &state.warnings {
        tracing::warn!("{warning}");
    }
    match args.output {
        Output::Human => stdout.write_all(render::human(&state).as_bytes())?,
        Output::Json => {
            serde_json::to_writer_pretty(&mut *stdout, &state).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
    }
    Ok(())
}
