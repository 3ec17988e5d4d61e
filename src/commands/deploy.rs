//! `maestro deploy`: every resource of the app made to match the plan, changing only what differs.
//!
//! Inputs are checked completely before the first AWS call, and the account comes from the
//! credentials (see `prepare`). The image is expected to exist (as with `MAESTRO_SKIP_BUILD=true`):
//! building arrives with the build stage.

use std::io::Write;

use serde::Serialize;

use super::prepare;
use crate::aws::Clients;
use crate::aws::calls::{CallCounts, CallLog};
use crate::cli::{DeployArgs, Output};
use crate::core::env::Env;
use crate::core::provision::action::Action;
use crate::core::provision::diff::Options;
use crate::core::request::DeployRequest;
use crate::core::spec::RELEASE_PROCESS;
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
    let (desired, reconciled) = tokio::runtime::Runtime::new()?.block_on(async {
        let (config, desired) = prepare::connect(&checked).await?;
        let reconciled =
            engine::reconcile(&Clients::new(&config, &log), &desired, Options { prune: args.prune }).await?;
        Ok::<_, Error>((desired, reconciled))
    })?;

    let mut warnings = reconciled.warnings;
    if checked.app.procfile.get(RELEASE_PROCESS).is_some() {
        warnings.push("the `release` process is not run by this version of maestro yet: run it (your migrations) yourself before the services roll".to_owned());
    }
    for warning in &warnings {
        tracing::warn!("{warning}");
    }
    let counts = log.counts();
    match args.app.output {
        Output::Json => {
            let report = Deployed {
                request: &desired.request,
                actions: &reconciled.actions,
                warnings: &warnings,
                aws_calls: counts,
            };
            serde_json::to_writer_pretty(&mut *stdout, &report).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
        Output::Human => stdout.write_all(human(&desired.request, &reconciled.actions, &counts).as_bytes())?,
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
