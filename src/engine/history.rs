//! The release records in SSM (`maestro_core::history`): one new version of the environment's
//! parameter per release, and all the versions SSM keeps, read back.

use crate::aws::Session;
use crate::error::Failure;
use maestro_core::build::lifecycle::{self, EcrImage};
use maestro_core::history::{self, Numbered, Release, Skipped};
use maestro_core::request::DeployRequest;

/// Records `release` as the next version of `request`'s parameter and returns its number; a
/// record that cannot be stored is a warning, never a failed deploy (the deploy itself is done).
/// Through the session's own client, as the lease's: the run's call counts are its resources'.
pub(crate) async fn record(session: &Session, request: &DeployRequest, release: &Release) -> Option<u64> {
    let name = history::parameter(request);
    let Some(value) = history::encode(release) else {
        tracing::warn!(
            "the release was not recorded: its record is larger than SSM's {} characters ({} processes)",
            history::VALUE_LIMIT,
            release.task_definitions.len()
        );
        return None;
    };
    match session.ssm().put_version(&name, &value).await {
        Ok(number) => {
            tracing::info!("recorded release {number} in {name}");
            protect(session, release, number).await;
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
async fn protect(session: &Session, release: &Release, number: u64) {
    let Some(image) = release.image.as_deref().filter(|_| release.succeeded()).and_then(EcrImage::parse) else {
        return;
    };
    let tag = lifecycle::release_tag(number);
    match session.ecr_in(&image.region).tag_image(&image, &tag).await {
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
