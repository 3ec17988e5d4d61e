//! The platforms an image built elsewhere (`MAESTRO_IMAGE`) offers, read from its registry: what
//! the task's CPU architecture is checked against.

use super::{Place, place};
use crate::error::Failure;
use crate::workflow::Masker;
use maestro_core::build::platforms::ImagePlatforms;
use maestro_core::env::Env;
use maestro_core::plan::desired::DesiredState;
use maestro_core::platform::{ImageFit, image_fit};
use maestro_core::settings::Settings;

/// The image's platforms, by its digest once pinned. An ECR image's manifest is not read yet
/// (that is ECR's `BatchGetImage`, a call maestro does not make): unknown.
pub(crate) async fn of_image(
    desired: &DesiredState,
    settings: &Settings,
    env: &Env,
    digest: &str,
) -> Result<ImagePlatforms, Failure> {
    Ok(match place(desired, settings, env, Masker::for_env(env))? {
        Place::Ecr { .. } => ImagePlatforms::Unknown,
        Place::Oci { registry, login } => {
            let reference = if digest.starts_with("sha256:") { digest } else { desired.image.tag.as_str() };
            registry.platforms(&desired.image.repository_ref(), reference, login.as_ref()).await
        }
    })
}

/// Whether an image built elsewhere runs on the tasks' architecture (`platform::image_fit`): a
/// mismatch stops the run before any write; platforms the registry does not say are a warning.
pub(crate) fn check_fit(desired: &DesiredState, platforms: &ImagePlatforms) -> Result<(), Failure> {
    let offered: Vec<String> = match platforms {
        ImagePlatforms::Known(platforms) => platforms
            .iter()
            .filter(|platform| platform.os == "linux")
            .map(|platform| platform.architecture.clone())
            .collect(),
        ImagePlatforms::Unknown => Vec::new(),
    };
    let image = &desired.image;
    match image_fit(image.architecture.cpu, &image.uri, &offered) {
        ImageFit::Fits => {
            tracing::info!("image {} offers {platforms}", image.uri);
            Ok(())
        }
        ImageFit::Unknown { warning } => {
            tracing::warn!("{warning}");
            Ok(())
        }
        ImageFit::Mismatch { message, hint } => Err(Failure::new(message).hint(hint)),
    }
}
