//! The build phase, shared by `maestro build` and the deploy: the commit's image, built with pack
//! or docker unless the registry already has it (or, for an image built elsewhere, found).

use std::path::{Path, PathBuf};

use super::{Destination, ValidatedInputs};
use crate::build::{self, Built, Stage};
use crate::error::Failure;
use crate::workflow::{self, Masker};
use maestro_core::build::source::Source;

/// The build's tool (pack, or docker for a Dockerfile), checked before anything else runs;
/// `None` when the settings skip the build or the image is built elsewhere.
pub(crate) async fn tools(inputs: &ValidatedInputs) -> Result<Option<PathBuf>, Failure> {
    if inputs.settings.build.skip {
        return Ok(None);
    }
    match inputs.image_source() {
        Source::Buildpacks => build::tools::check(&inputs.env).await.map(Some),
        Source::Dockerfile(_) => build::tools::check_docker(&inputs.env).await.map(Some),
        Source::Prebuilt(_) => Ok(None),
    }
}

/// The build stage of a run in `to` (the test phase's image is built from it too).
pub(crate) fn stage<'a>(
    inputs: &'a ValidatedInputs,
    checkout: &'a Path,
    to: &'a Destination,
    tool: Option<&'a Path>,
    looked: Option<build::Looked>,
) -> Stage<'a> {
    Stage {
        session: &to.session,
        clients: &to.clients,
        desired: &to.desired,
        settings: &inputs.settings,
        env: &inputs.env,
        checkout,
        tool,
        masker: Masker::for_env(&inputs.env),
        looked,
    }
}

/// The commit's image, stopped (pack killed, its private files removed) when the CI cancels the
/// job. `checkout` is the app's checkout; `tool` comes from [`tools`]; `looked`: the image and
/// its lifecycle policy if read already.
pub(crate) async fn image(
    inputs: &ValidatedInputs,
    checkout: &Path,
    to: &Destination,
    tool: Option<&Path>,
    looked: Option<build::Looked>,
) -> Result<Built, Failure> {
    let stage = stage(inputs, checkout, to, tool, looked);
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
    workflow::set_outputs(&inputs.env, &[("image-uri", &built.image.uri), ("image-digest", &built.image.digest)])?;
    Ok(built)
}
