//! `maestro stop`: the branch's environment paused (see `core::provision::stop`), under the same
//! deploy lease as `deploy`, so a stop never interleaves with a deploy of the same branch. On
//! GitHub its latest deployment is then marked inactive.

use serde::Serialize;

use super::prepare;
use crate::aws::Clients;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::AppArgs;
use crate::engine;
use crate::engine::lease::with_lease;
use crate::error::Error;
use crate::output::Report;
use crate::reporters::Reporters;
use crate::workflow::Masker;
use maestro_core::env::Env;
use maestro_core::provision::action::Action;
use maestro_core::report::Event;
use maestro_core::request::DeployRequest;

#[derive(Serialize)]
pub(super) struct StopReport {
    request: DeployRequest,
    actions: Vec<Action>,
    aws_calls: CallCounts,
    /// The paused cluster, for people.
    #[serde(skip)]
    cluster: String,
}

pub(super) async fn run(args: &AppArgs, env: Env) -> Result<StopReport, Error> {
    let checked = prepare::check(args, env)?;
    let log = CallLog::default();
    let (session, desired) = prepare::connect(&checked).await?;
    let clients = Clients::new(&session, &log);
    let pause = async || engine::pause(&clients, &desired).await;
    let actions = with_lease(&session, &desired.request, &checked.settings.waiting, pause).await?;
    let masker = Masker::for_env(&checked.env);
    let mut reporters = Reporters::for_run(&checked.report_context(), &checked.settings, &checked.env, masker);
    reporters.emit(&Event::Stopped).await;
    Ok(StopReport { request: desired.request, actions, aws_calls: log.counts(), cluster: desired.cluster.name })
}

impl Report for StopReport {
    fn human(&self) -> String {
        let mut text = match self.actions.is_empty() {
            true => "nothing to stop: every service is at zero tasks and every schedule paused\n".to_owned(),
            false => format!("stopped {} @ {}:\n", self.request.repository, self.cluster),
        };
        for action in &self.actions {
            text.push_str(&format!("  {action}\n"));
        }
        text.push_str("the next deploy of this branch brings it back\n");
        text
    }
}
