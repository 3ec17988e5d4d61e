//! `maestro deploy`: every resource of the app made to match the plan, changing only what differs.
//!
//! Inputs are checked completely before the first AWS call, and the account comes from the
//! credentials (see `prepare`). The image is expected to exist (as with `MAESTRO_SKIP_BUILD=true`):
//! building arrives with the build stage. The `release` process runs between the task definitions
//! and the services, and a failed release leaves every service as it was.

use std::io::Write;

use serde::Serialize;

use super::prepare;
use crate::aws::Clients;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::{DeployArgs, Output};
use crate::core::env::Env;
use crate::core::provision::action::Action;
use crate::core::provision::diff::Options;
use crate::core::release;
use crate::core::request::DeployRequest;
use crate::engine;
use crate::error::Error;

#[derive(Serialize)]
struct Deployed<'a> {
    request: &'a DeployRequest,
    actions: &'a [Action],
    warnings: &'a [String],
    aws_calls: CallCounts,
}

pub(super) fn run(args: &DeployArgs, env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let checked = prepare::check(&args.app, env)?;
    let log = CallLog::default();
    let (desired, prepared) = tokio::runtime::Runtime::new()?.block_on(async {
        let (session, desired) = prepare::connect(&checked).await?;
        let clients = Clients::new(&session, &log);
        let prepared = engine::prepare(&clients, &desired, Options { prune: args.prune }).await?;
        // Infrastructure and task definitions first; then the release; only then the services.
        prepared.apply(&clients, 0..=1).await?;
        if let Some(release) = &desired.release
            && release::needed(&prepared.actions, args.force)
        {
            let arn = prepared.task_definition_arn(&release.family)?;
            engine::release::run(&clients, &desired, release, &arn, &checked.waiting()).await?;
        }
        prepared.apply(&clients, 2..=u8::MAX).await?;
        Ok::<_, Error>((desired, prepared))
    })?;

    for warning in &prepared.warnings {
        tracing::warn!("{warning}");
    }
    let counts = log.counts();
    match args.app.output {
        Output::Json => {
            let report = Deployed {
                request: &desired.request,
                actions: &prepared.actions,
                warnings: &prepared.warnings,
                aws_calls: counts,
            };
            serde_json::to_writer_pretty(&mut *stdout, &report).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
        Output::Human => stdout.write_all(human(&desired.request, &prepared.actions, &counts).as_bytes())?,
    }
    Ok(())
}

fn human(request: &DeployRequest, actions: &[Action], counts: &CallCounts) -> String {
    let mut out = format!(
        "{} @ {} ({}) in account {}, {}\n",
        request.repository,
        request.branch.as_deref().unwrap_or_default(),
        request.short_sha,
        request.account_id.as_deref().unwrap_or_default(),
        request.region.as_deref().unwrap_or_default()
    );
    out.push_str(&super::plan::changes(actions));
    out.push_str(&format!("AWS calls: {} reads, {} writes\n", counts.reads, counts.writes));
    out
}
