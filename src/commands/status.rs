//! `maestro status`: what the branch's environment runs, read-only and without the lease (a
//! status during a deploy shows the deploy in progress). Judged by `maestro_core::status`;
//! docs/status.md describes the JSON.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::AppArgs;
use crate::engine;
use crate::error::Error;
use crate::output::Report;
use maestro_core::env::Env;
use maestro_core::request::DeployRequest;
use maestro_core::status::{Status, render};

#[derive(Serialize)]
pub(super) struct StatusReport {
    request: DeployRequest,
    cluster: String,
    #[serde(flatten)]
    status: Status,
    aws_calls: CallCounts,
}

pub(super) async fn run(args: &AppArgs, env: Env) -> Result<StatusReport, Error> {
    let inputs = prepare::validate(args, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let status = engine::status::read(&to.session, &to.clients, &to.desired, &inputs.settings.waiting).await?;
    let (request, cluster) = (to.desired.request, to.desired.cluster.name);
    Ok(StatusReport { request, cluster, status, aws_calls: log.counts() })
}

impl Report for StatusReport {
    fn human(&self) -> String {
        let title = format!(
            "{} @ {} on cluster {}, account {}, {}",
            self.request.repository,
            self.request.branch.as_deref().unwrap_or_default(),
            self.cluster,
            self.request.account_id.as_deref().unwrap_or_default(),
            self.request.region.as_deref().unwrap_or_default()
        );
        render::human(&title, &self.status)
    }
}
