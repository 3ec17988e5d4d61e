//! The release records in SSM (`maestro_core::history`): one new version of the environment's
//! parameter per release, and all the versions SSM keeps, read back.

use crate::aws::Session;
use crate::error::Failure;
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
            Some(number)
        }
        Err(failure) => {
            tracing::warn!("the release was not recorded: {failure}");
            None
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
