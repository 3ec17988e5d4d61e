//! `maestro build`: the deploy's build phase alone (the commit's image, built with pack unless
//! the registry already has it), and `--check`, which only asks whether a build is needed.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::{CallCounts, CallLog};
use crate::build::{self, Built};
use crate::cli::AppArgs;
use crate::error::Error;
use crate::output::Report;
use crate::pipeline;
use crate::workflow::{self, Masker};
use maestro_core::build::source::Source;
use maestro_core::build::{BuiltImage, ImageSource};
use maestro_core::env::Env;
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

impl BuildReport {
    pub(super) fn new(request: DeployRequest, built: Built, aws_calls: CallCounts) -> Self {
        Self { request, image: built.image, notes: built.notes, warnings: built.warnings, aws_calls }
    }
}

/// What `maestro build --check` answers.
#[derive(Serialize)]
pub(super) struct Check {
    image: String,
    exists: bool,
    digest: Option<String>,
    /// A run would build: the image is missing and the settings do not skip the build (an image
    /// built elsewhere is never built).
    needed: bool,
    /// The program the build runs: `pack`, `docker` (a Dockerfile), or none (`MAESTRO_IMAGE`).
    tool: Option<&'static str>,
    /// A deploy runs the test phase, which builds with pack too (the action installs it then).
    tests: bool,
}

pub(super) async fn run(args: &AppArgs, env: Env) -> Result<BuildReport, Error> {
    let inputs = prepare::validate(args, env)?;
    let log = CallLog::default();
    let pack = pipeline::build::tools(&inputs).await?;
    let to = inputs.connect(&log).await?;
    let built = pipeline::build::image(&inputs, &args.app, &to, pack.as_deref(), None).await?;
    Ok(BuildReport::new(to.desired.request, built, log.counts()))
}

/// `--check`: reads only, and needs no build tool.
pub(super) async fn check(args: &AppArgs, env: Env) -> Result<Check, Error> {
    let inputs = prepare::validate(args, env)?;
    let to = inputs.connect(&CallLog::default()).await?;
    let masker = Masker::for_env(&inputs.env);
    let found = build::existing(&to.clients, &to.desired, &inputs.settings, &inputs.env, masker).await?;
    let tool = match inputs.image_source() {
        Source::Buildpacks => Some("pack"),
        Source::Dockerfile(_) => Some("docker"),
        Source::Prebuilt(_) => None,
    };
    let needed = found.is_none() && !inputs.settings.build.skip && tool.is_some();
    let tests = matches!(maestro_core::test_phase::plan(&inputs.settings.test, inputs.app(), false), Ok(Some(_)));
    workflow::set_outputs(&inputs.env, &[("build-needed", if needed { "true" } else { "false" })])?;
    Ok(Check {
        image: to.desired.image.uri,
        exists: found.is_some(),
        digest: found.map(|found| found.digest),
        needed,
        tool,
        tests,
    })
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

impl Report for BuildReport {
    fn human(&self) -> String {
        let mut text = image_line(&self.image);
        for note in &self.notes {
            text.push_str(&format!("  {note}\n"));
        }
        text
    }
}
