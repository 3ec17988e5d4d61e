//! The command line's inputs, checked: the flags layered over the environment, the settings and
//! the request, then (for the commands that reach AWS) the plan and the credentials.

use crate::cli::AppArgs;
use crate::detection;
use crate::error::Error;
use crate::pipeline::ValidatedInputs;
use maestro_core::env::Env;
use maestro_core::input_error::InputErrors;
use maestro_core::request::{DeployRequest, Need};
use maestro_core::settings::Settings;

/// The flags layered over the environment, the settings and the request, checked together so
/// one run lists every problem.
pub(super) fn settings_and_request(
    args: &AppArgs,
    env: Env,
    need: Need,
) -> Result<(Env, Settings, DeployRequest), Error> {
    let env = env.merge(args.request.as_env());
    let settings = Settings::from_env(&env);
    let request = detection::request(&env, &args.app, need);
    match (settings, request) {
        (Ok(settings), Ok(request)) => {
            crate::workflow::warn_inputs(&env, &settings.unknown_inputs);
            Ok((env, settings, request))
        }
        (settings, request) => {
            let mut errors = InputErrors::default();
            for problems in [settings.err(), request.err()].into_iter().flatten() {
                errors.0.extend(problems.0);
            }
            Err(errors.into())
        }
    }
}

/// Every input, the whole plan and the credentials, checked before AWS is called.
pub(super) fn validate(args: &AppArgs, env: Env) -> Result<ValidatedInputs, Error> {
    let (env, settings, request) = settings_and_request(args, env, Need::Facts)?;
    ValidatedInputs::new(env, settings, request, &args.app)
}
