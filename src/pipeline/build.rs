//! The build phase, shared by `maestro build` and the deploy: the commit's image, built with pack
//! unless the registry already has it.

use std::path::{Path, PathBuf};

use super::{Destination, ValidatedInputs};
use crate::build::{self, Built, Stage};
use crate::error::Failure;
use crate::workflow::{self, Masker};

/// The build's tools, checked before anything else runs; `None` when the settings skip the build.
pub(crate) async fn tools(inputs: &ValidatedInputs) -> Result<Option<PathBuf>, Failure> {
    if inputs.settings.build.skip {
        return Ok(None);
    }
    build::tools::check(&inputs.env).await.map(Some)
}

/// The build stage of a run in `to` (the test phase's image is built from it too).
pub(crate) fn stage<'a>(
    inputs: &'a ValidatedInputs,
    checkout: &'a Path,
    to: &'a Destination,
    pack: Option<&'a Path>,
    looked: Option<build::Looked>,
) -> Stage<'a> {
    Stage {
        session: &to.session,
        clients: &to.clients,
        desired: &to.desired,
        settings: &inputs.settings,
        env: &inputs.env,
        checkout,
        pack,
        masker: Masker::for_env(&inputs.env),
        looked,
    }
}

/// The commit's image, stopped (pack killed, its private files removed) when the CI cancels the
/// job. `checkout` is the app's checkout; `pack` comes from [`tools`]; `looked`: the image and
/// its lifecycle policy if read already.
pub(crate) async fn image(
    inputs: &ValidatedInputs,
    checkout: &Path,
    to: &Destination,
    pack: Option<&Path>,
    looked: Option<build::Looked>,
) -> Result<Built, Failure> {
    let stage = stage(inputs, checkout, to, pack, looked);
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
