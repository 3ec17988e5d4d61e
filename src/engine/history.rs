//! The release records in SSM (`maestro_core::history`): one new version of the environment's
//! parameter per release, and all the versions SSM keeps, read back.

use crate::aws::Session;
use crate::aws::ecr::Manifest;
use crate::error::Failure;
use maestro_core::build::lifecycle::{self, EcrImage};
use maestro_core::history::{self, Numbered, Release, Skipped};
use maestro_core::request::DeployRequest;

/// Records `release` as the next version of `request`'s parameter and returns its number; a
/// record that cannot be stored is a warning, never a failed deploy (the deploy itself is done).
/// Through the session's own client, as the lease's: the run's call counts are its resources'.
/// `tag_image`: tag the release's image in ECR; never for an image built elsewhere, whose
/// repository is not maestro's to write to.
pub(crate) async fn record(
    session: &Session,
    request: &DeployRequest,
    release: &Release,
    tag_image: bool,
) -> Option<u64> {
    let name = history::parameter(request);
    let Some(value) = history::encode(release) else {
        tracing::warn!(
            "the release was not recorded: its record is larger than SSM's {} characters ({} processes)",
            history::VALUE_LIMIT,
            release.task_definitions.len()
        );
        return None;
    };
    // The image's manifest, which its release tag needs, is read beside the record's write.
    let image = release.image.as_deref().filter(|_| release.succeeded() && tag_image).and_then(EcrImage::parse);
    let manifest = async {
        match &image {
            Some(image) => Some(session.ecr_in(&image.region).manifest(image).await),
            None => None,
        }
    };
    let ssm = session.ssm();
    let (put, manifest) = tokio::join!(ssm.put_version(&name, &value), manifest);
    match put {
        Ok(number) => {
            tracing::info!("recorded release {number} in {name}");
            if let (Some(image), Some(manifest)) = (image, manifest) {
                protect(session, &image, number, manifest).await;
            }
            Some(number)
        }
        Err(failure) => {
            tracing::warn!("the release was not recorded: {failure}");
            None
        }
    }
}

/// Tags a succeeded release's image `release-<n>` in its ECR repository, so that the lifecycle
/// policy's `release-*` rule keeps it while it is among the last releases: a rollback target is
/// never expired (`maestro_core::build::lifecycle`). Only an image in ECR pinned by digest; a
/// failed release is no rollback target. Like the record's, a failure is a warning.
async fn protect(session: &Session, image: &EcrImage, number: u64, manifest: Result<Manifest, Failure>) {
    let tag = lifecycle::release_tag(number);
    let tagged = match manifest {
        Ok(manifest) => session.ecr_in(&image.region).tag_image(image, &tag, manifest).await,
        Err(failure) => Err(failure),
    };
    match tagged {
        Ok(()) => tracing::info!("tagged the release's image {tag} in ECR repository {}", image.repository),
        Err(failure) => {
            tracing::warn!("the release's image was not tagged {tag}, its lifecycle policy may expire it: {failure}")
        }
    }
}

/// Every release SSM keeps for `request`'s environment, newest first, and the versions skipped
/// (each warned about: a newer maestro's record, or a value that is none).
pub(crate) async fn releases(
    session: &Session,
    request: &DeployRequest,
) -> Result<(Vec<Numbered>, Vec<Skipped>), Failure> {
    let name = history::parameter(request);
    let versions = session.ssm().versions(&name).await?;
    let (releases, skipped) = history::list(&versions);
    for skip in &skipped {
        tracing::warn!("version {} of {name} skipped: {}", skip.number, skip.why);
    }
    Ok((releases, skipped))
}
