//! `maestro stop`: the branch's environment paused (see `core::provision::stop`), under the same
//! deploy lease as `deploy`, so a stop never interleaves with a deploy of the same branch. On
//! GitHub its latest deployment is then marked inactive.

use serde::Serialize;

use super::prepare;
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

/// What `maestro stop` paused.
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
    let inputs = prepare::validate(args, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let pause = async || engine::pause(&to.clients, &to.desired, &inputs.settings.waiting).await;
    let actions = with_lease(&to.session, &to.desired.request, &inputs.settings.waiting, pause).await?;
    let masker = Masker::for_env(&inputs.env);
    let mut reporters = Reporters::for_run(&inputs.report_context(), &inputs.settings, &inputs.env, masker);
    reporters.emit(&Event::Stopped).await;
    let (request, cluster) = (to.desired.request, to.desired.cluster.name);
    Ok(StopReport { request, actions, aws_calls: log.counts(), cluster })
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
