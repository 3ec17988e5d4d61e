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
    let (number, tag) = write(session, request, release, tag_image).await;
    if let Some(tag) = tag {
        tag.put().await;
    }
    number
}

/// [`record`], its image's release tag left to the caller: the tag needs the record's number but
/// not the lease, so a deploy puts it beside the lease's release.
pub(crate) async fn write(
    session: &Session,
    request: &DeployRequest,
    release: &Release,
    tag_image: bool,
) -> (Option<u64>, Option<ReleaseTag>) {
    let name = history::parameter(request);
    let Some(value) = history::encode(release) else {
        tracing::warn!(
            "the release was not recorded: its record is larger than SSM's {} characters ({} processes)",
            history::VALUE_LIMIT,
            release.task_definitions.len()
        );
        return (None, None);
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
            let tag = image.zip(manifest).map(|(image, manifest)| ReleaseTag {
                session: session.clone(),
                image,
                number,
                manifest,
            });
            (Some(number), tag)
        }
        Err(failure) => {
            tracing::warn!("the release was not recorded: {failure}");
            (None, None)
        }
    }
}

/// A succeeded release's image, to be tagged `release-<n>` in its ECR repository, so that the
/// lifecycle policy's `release-*` rule keeps it while it is among the last releases: a rollback
/// target is never expired (`maestro_core::build::lifecycle`). Only an image in ECR pinned by
/// digest; a failed release is no rollback target.
pub(crate) struct ReleaseTag {
    session: Session,
    image: EcrImage,
    number: u64,
    /// Read beside the record's write.
    manifest: Result<Manifest, Failure>,
}

impl ReleaseTag {
    /// Puts the tag; like the record's, a failure is a warning.
    pub(crate) async fn put(self) {
        let Self { session, image, number, manifest } = self;
        let tag = lifecycle::release_tag(number);
        let tagged = match manifest {
            Ok(manifest) => session.ecr_in(&image.region).tag_image(&image, &tag, manifest).await,
            Err(failure) => Err(failure),
        };
        match tagged {
            Ok(()) => tracing::info!("tagged the release's image {tag} in ECR repository {}", image.repository),
            Err(failure) => {
                tracing::warn!(
                    "the release's image was not tagged {tag}, its lifecycle policy may expire it: {failure}"
                )
            }
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
