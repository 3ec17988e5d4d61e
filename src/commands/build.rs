//! `maestro build`: the commit's image, built with pack unless the registry already has it; and
//! the build stage `deploy` runs first.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::prepare::{self, Checked};
use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{Clients, Session};
use crate::build::{self, Built, Stage};
use crate::cli::AppArgs;
use crate::error::{Error, Failure};
use crate::output::Report;
use crate::workflow::{self, Masker};
use maestro_core::build::{BuiltImage, ImageSource};
use maestro_core::plan::desired::DesiredState;
use maestro_core::request::DeployRequest;

/// What `maestro build` did (and a deploy that stops after the build, MAESTRO_ONLY_BUILD).
#[derive(Serialize)]
pub(super) struct BuildReport {
    request: DeployRequest,
    image: BuiltImage,
    notes: Vec<String>,
    warnings: Vec<String>,
    aws_calls: CallCounts,
}

/// What `maestro build --check` answers.
#[derive(Serialize)]
pub(super) struct Check {
    image: String,
    exists: bool,
    digest: Option<String>,
    /// A run would build: the image is missing and the settings do not skip the build.
    needed: bool,
}

pub(super) async fn run(args: &AppArgs, env: maestro_core::env::Env) -> Result<BuildReport, Error> {
    let checked = prepare::check(args, env)?;
    let log = CallLog::default();
    let pack = tools(&checked).await?;
    let (session, desired) = prepare::connect(&checked).await?;
    let clients = Clients::new(&session, &log);
    let built = stage(&checked, &args.app, &session, &clients, &desired, pack.as_deref()).await?;
    Ok(BuildReport::new(desired.request, built, log.counts()))
}

/// `--check`: reads only, and needs no pack.
pub(super) async fn check(args: &AppArgs, env: maestro_core::env::Env) -> Result<Check, Error> {
    let checked = prepare::check(args, env)?;
    let (session, desired) = prepare::connect(&checked).await?;
    let clients = Clients::new(&session, &CallLog::default());
    let masker = Masker::for_env(&checked.env);
    let found = build::existing(&clients, &desired, &checked.settings, &checked.env, masker).await?;
    let needed = found.is_none() && !checked.settings.build.skip;
    workflow::set_outputs(&checked.env, &[("build-needed", if needed { "true" } else { "false" })])?;
    Ok(Check { image: desired.image.uri, exists: found.is_some(), digest: found.map(|found| found.digest), needed })
}

impl Report for Check {
    fn human(&self) -> String {
        match (&self.digest, self.needed) {
            (Some(digest), _) => format!("image {} exists ({digest}): no build needed\n", self.image),
            (None, true) => format!("image {} is missing: a build is needed\n", self.image),
            (None, false) => format!("image {} is missing, and the build is skipped\n", self.image),
        }
    }
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

impl BuildReport {
    pub(super) fn new(request: DeployRequest, built: Built, aws_calls: CallCounts) -> Self {
        Self { request, image: built.image, notes: built.notes, warnings: built.warnings, aws_calls }
    }
}

impl Report for BuildReport {
    fn human(&self) -> String {
        let mut text = image_line(&self.image);
        for note in &self.notes {
            text.push_str(&format!("  {note}\n"));
        }
        text
    }
}
