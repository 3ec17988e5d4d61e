//! `maestro stop`: the branch's environment paused (see `core::provision::stop`), under the same
//! deploy lease as `deploy`, so a stop never interleaves with a deploy of the same branch. On
//! GitHub its latest deployment is then marked inactive.

use std::io::Write;

use serde::Serialize;

use super::{deploy, prepare};
use crate::aws::Clients;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::{AppArgs, Output};
use crate::engine;
use crate::error::Error;
use crate::reporters::Reporters;
use crate::workflow::Masker;
use maestro_core::env::Env;
use maestro_core::provision::action::Action;
use maestro_core::report::Event;
use maestro_core::request::DeployRequest;

#[derive(Serialize)]
struct Stopped<'a> {
    request: &'a DeployRequest,
    actions: &'a [Action],
    aws_calls: CallCounts,
}

pub(super) async fn run(args: &AppArgs, env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let checked = prepare::check(args, env)?;
    let log = CallLog::default();
    let (desired, actions) = {
        let (session, desired) = prepare::connect(&checked).await?;
        let held = match checked.settings.waiting.lock {
            true => Some(deploy::take_lease(&session, &desired, &checked).await?),
            false => None,
        };
        let result = engine::pause(&Clients::new(&session, &log), &desired).await;
        if let Some(held) = held {
            held.release().await;
        }
        let actions = result?;
        let masker = Masker::for_env(&checked.env);
        let mut reporters = Reporters::for_run(&checked.report_context(), &checked.settings, &checked.env, masker);
        reporters.emit(&Event::Stopped).await;
        (desired, actions)
    };
    match args.output {
        Output::Json => {
            let report = Stopped { request: &desired.request, actions: &actions, aws_calls: log.counts() };
            serde_json::to_writer_pretty(&mut *stdout, &report).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
        Output::Human => {
            let mut text = match actions.is_empty() {
                true => "nothing to stop: every service is at zero tasks and every schedule paused\n".to_owned(),
                false => format!("stopped {} @ {}:\n", desired.request.repository, desired.cluster.name),
            };
            for action in &actions {
                text.push_str(&format!("  {action}\n"));
            }
            text.push_str("the next deploy of this branch brings it back\n");
            stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}
