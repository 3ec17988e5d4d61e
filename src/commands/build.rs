//! `maestro build`: the commit's image, built with pack unless the registry already has it; and
//! the build stage `deploy` runs first.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::prepare::{self, Checked};
use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{Clients, Session};
use crate::build::{self, Built, Stage};
use crate::cli::{AppArgs, BuildArgs, Output};
use crate::error::{Error, Failure};
use crate::workflow::{self, Masker};
use maestro_core::build::{BuiltImage, ImageSource};
use maestro_core::plan::desired::DesiredState;
use maestro_core::request::DeployRequest;

#[derive(Serialize)]
struct Report<'a> {
    request: &'a DeployRequest,
    image: &'a BuiltImage,
    notes: &'a [String],
    warnings: &'a [String],
    aws_calls: CallCounts,
}

/// What `maestro build --check` answers.
#[derive(Serialize)]
struct Check<'a> {
    image: &'a str,
    exists: bool,
    digest: Option<&'a str>,
    /// A run would build: the image is missing and the settings do not skip the build.
    needed: bool,
}

pub(super) async fn run(args: &BuildArgs, env: maestro_core::env::Env, stdout: &mut dyn Write) -> Result<(), Error> {
    if args.check {
        return check(&args.app, env, stdout).await;
    }
    let args = &args.app;
    let checked = prepare::check(args, env)?;
    let log = CallLog::default();
    let pack = tools(&checked).await?;
    let (session, desired) = prepare::connect(&checked).await?;
    let clients = Clients::new(&session, &log);
    let built = stage(&checked, &args.app, &session, &clients, &desired, pack.as_deref()).await?;
    report(args.output, stdout, &desired.request, &built, log.counts())
}

/// `--check`: reads only, and needs no pack.
async fn check(args: &AppArgs, env: maestro_core::env::Env, stdout: &mut dyn Write) -> Result<(), Error> {
    let checked = prepare::check(args, env)?;
    let (session, desired) = prepare::connect(&checked).await?;
    let clients = Clients::new(&session, &CallLog::default());
    let masker = Masker::for_env(&checked.env);
    let found = build::existing(&clients, &desired, &checked.settings, &checked.env, masker).await?;
    let answer = Check {
        image: &desired.image.uri,
        exists: found.is_some(),
        digest: found.as_ref().map(|found| found.digest.as_str()),
        needed: found.is_none() && !checked.settings.build.skip,
    };
    workflow::set_outputs(&checked.env, &[("build-needed", if answer.needed { "true" } else { "false" })])?;
    match args.output {
        Output::Json => {
            serde_json::to_writer_pretty(&mut *stdout, &answer).map_err(std::io::Error::from)?;
            stdout.write_all(b"\n")?;
        }
        Output::Human => {
            let text = match (answer.digest, answer.needed) {
                (Some(digest), _) => format!("image {} exists ({digest}): no build needed\n", answer.image),
                (None, true) => format!("image {} is missing: a build is needed\n", answer.image),
                (None, false) => format!("image {} is missing, and the build is skipped\n", answer.image),
            };
            stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(())
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
        () = crate::cancel::requested() => {
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
    let how = match image.source {
        ImageSource::Built => "built by this run",
        ImageSource::Existing => "already built: build skipped",
    };
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
