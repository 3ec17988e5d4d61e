//! The platforms an image built elsewhere (`MAESTRO_IMAGE`) offers, read from its registry: what
//! the task's CPU architecture is checked against.

use super::{Place, place};
use crate::error::Failure;
use crate::workflow::Masker;
use maestro_core::build::platforms::ImagePlatforms;
use maestro_core::env::Env;
use maestro_core::plan::desired::DesiredState;
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
