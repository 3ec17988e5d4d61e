//! `maestro deploy`: every resource of the app made to match the plan, changing only what differs.
//!
//! Inputs are checked completely before the first AWS call. The account comes from the
//! credentials (`GetCallerIdentity`); `AWS_ACCOUNT_ID`, when set, must agree with it, so a
//! misconfigured job cannot deploy into the wrong account. The image is expected to exist (as
//! with `MAESTRO_SKIP_BUILD=true`): building arrives with the build stage.

use std::io::Write;

use serde::Serialize;

use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{self, Clients};
use crate::cli::{DeployArgs, Output};
use crate::core::credentials;
use crate::core::env::Env;
use crate::core::input_error::InputErrors;
use crate::core::plan;
use crate::core::provision::action::Action;
use crate::core::provision::diff::Options;
use crate::core::request::{DeployRequest, Need, Target};
use crate::core::settings::Settings;
use crate::core::spec::RELEASE_PROCESS;
use crate::detection;
use crate::engine;
use crate::error::{Error, Failure};
use crate::workflow::Masker;
use crate::workspace;

/// Stands in for the account while the plan is checked before any AWS call.
const ACCOUNT_FOR_CHECKS: &str = "000000000000";

#[derive(Serialize)]
struct Deployed<'a> {
    request: &'a DeployRequest,
    actions: &'a [Action],
    warnings: &'a [String],
    aws_calls: CallCounts,
}

pub(super) fn run(args: &DeployArgs, env: Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let env = env.overlay(args.app.request.as_env());
    let settings = Settings::from_env(&env);
    let request = detection::request(&env, &args.app.app, Need::Facts);
    let (settings, mut request) = match (settings, request) {
        (Ok(settings), Ok(request)) => (settings, request),
        (settings, request) => {
            let mut errors = InputErrors::default();
            for problems in [settings.err(), request.err()].into_iter().flatten() {
                errors.0.extend(problems.0);
            }
            return Err(errors.into());
        }
    };
    let (Some(branch_slug), Some(region)) = (request.branch_slug.clone(), request.region.clone()) else {
        // The account is not needed: it comes from AWS.
        let mut probe = request.clone();
        probe.account_id.get_or_insert_with(|| ACCOUNT_FOR_CHECKS.to_owned());
        return Err(probe.target().err().unwrap_or_default().into());
    };
    let app = workspace::load(&args.app.app, settings.build.sub_folder.as_deref())?;
    // The whole plan is checked (unknown processes, colliding rules, base files) before AWS is called.
    let check =
        Target { branch_slug: branch_slug.clone(), account_id: ACCOUNT_FOR_CHECKS.to_owned(), region: region.clone() };
    plan::plan(&request, &check, &settings, &app)?;
    let credential_plan = credentials::plan(&env, request.ci, request.fork, request.run_id.as_deref(), &region)?;

    let runtime = tokio::runtime::Runtime::new()?;
    let log = CallLog::default();
    let (desired, reconciled) = runtime.block_on(async {
        let config = aws::connect(&credential_plan, &region, Masker::for_env(&env)).await?;
        let identity = aws::identity::caller(&config).await?;
        if let Some(expected) = request.account_id.as_deref().filter(|expected| *expected != identity.account_id) {
            return Err(Error::from(
                Failure::new(format!(
                    "AWS_ACCOUNT_ID is {expected}, but the credentials belong to account {}",
                    identity.account_id
                ))
                .hint(
                    "deploy with credentials for the intended account, or correct AWS_ACCOUNT_ID; nothing was changed",
                ),
            ));
        }
        request.account_id = Some(identity.account_id.clone());
        let target = Target { branch_slug, account_id: identity.account_id, region };
        let desired = plan::plan(&request, &target, &settings, &app)?;
        let reconciled =
            engine::reconcile(&Clients::new(&config, &log), &desired, Options { prune: args.prune }).await?;
        Ok::<_, Error>((desired, reconciled))
    })?;

    let mut warnings = reconciled.warnings;
    if app.procfile.get(RELEASE_PROCESS).is_some() {
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
    if actions.is_empty() {
        out.push_str("no changes: everything already matches the plan\n");
    } else {
        out.push_str(&format!("{} changes:\n", actions.len()));
        for action in actions {
            out.push_str(&format!("  {action}\n"));
        }
    }
    out.push_str(&format!("AWS calls: {} reads, {} writes\n", counts.reads, counts.writes));
    out
}
