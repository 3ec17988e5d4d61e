//! `maestro build`: the commit's image, built with pack unless the registry already has it; and
//! the build stage `deploy` runs first.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::prepare::{self, Checked};
use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{Clients, Session};
use crate::build::{self, Built, Stage};
use crate::cli::{AppArgs, Output};
use crate::core::build::BuiltImage;
use crate::core::plan::desired::DesiredState;
use crate::core::request::DeployRequest;
use crate::error::{Error, Failure};
use crate::workflow::{self, Masker};

#[derive(Serialize)]
struct Report<'a> {
    request: &'a DeployRequest,
    image: &'a BuiltImage,
    notes: &'a [String],
    warnings: &'a [String],
    aws_calls: CallCounts,
}

pub(super) fn run(args: &AppArgs, env: crate::core::env::Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let checked = prepare::check(args, env)?;
    let log = CallLog::default();
    let (desired, built) = tokio::runtime::Runtime::new()?.block_on(async {
        let pack = tools(&checked).await?;
        let (session, desired) = prepare::connect(&checked).await?;
        let clients = Clients::new(&session, &log);
        let built = stage(&checked, &args.app, &session, &clients, &desired, pack.as_deref()).await?;
        Ok::<_, Error>((desired, built))
    })?;
    report(args.output, stdout, &desired.request, &built, log.counts())
}

/// The build's tools, checked before anything else runs; `None` when the settings skip the build.
pub(super) async fn tools(checked: &Checked) -> Result<Option<PathBuf>, Failure> {
    if checked.settings.build.skip {
        return Ok(None);
    }
    build::tools::check(&checked.env).await.map(Some)
}

/// The build stage, stopped (pack killed, its private files removed) when the CI cancels the job.
pub(super) async fn stage(
    checked: &Checked,
    checkout: &Path,
    session: &Session,
    clients: &Clients,
    desired: &DesiredState,
    pack: Option<&Path>,
) -> Result<Built, Failure> {
    let stage = Stage {
        session,
        clients,
        desired,
        settings: &checked.settings,
        env: &checked.env,
        checkout,
        pack,
        masker: Masker::for_env(&checked.env),
    };
    let built = tokio::select! {
        built = build::run(&stage) => built?,
        () = super::shutdown() => {
            return Err(Failure::new("maestro was stopped during the build; nothing was deployed")
                .hint("run again: an image the build did publish is found and not rebuilt"));
        }
    };
    for warning in &built.warnings {
        tracing::warn!("{warning}");
    }
    workflow::set_outputs(&checked.env, &[("image-uri", &built.image.uri), ("image-digest", &built.image.digest)])?;
    Ok(built)
}

/// The human line for the image.
pub(super) fn image_line(image: &BuiltImage) -> String {
    let how = if image.source == "built" { "built by this run" } else { "already built: build skipped" };
    format!(
        "image {} ({how}; {})\n",
        image.uri,
        if image.digest.is_empty() { "no digest given" } else { &image.digest }
    )
}

pub(super) fn report(
    output: Output,
    stdout: &mut dyn Write,
    request: &DeployRequest,
    built: &Built,
    aws_calls: CallCounts,
) -> Result<(), Error> {
    match output {
        Output::Json => {
            let report =
                Report { request, image: &built.image, notes: &built.notes, warnings: &built.warnings, aws_calls };
            serde_json::to_writer_pretty(&mut *stdout, &report).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
        Output::Human => {
            let mut text = image_line(&built.image);
            for note in &built.notes {
                text.push_str(&format!("  {note}\n"));
            }
            stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}
