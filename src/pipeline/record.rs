//! The deploy's release record (`maestro_core::history`): written once at the end of a deploy
//! that changed something, whatever its outcome, while the lease is still held; a deploy with no
//! change writes nothing. A record that cannot be written is a warning: the deploy is done.

use std::collections::BTreeMap;

use super::{Deploy, Destination, Rollout, ending};
use crate::engine::{ChangeSet, history};
use crate::error::Error;
use maestro_core::history::{Kind, Outcome, Release, SCHEMA_VERSION, family_revision, one_line};
use maestro_core::plan::desired::DesiredState;

impl Deploy<'_> {
    /// Records the release when the run changed something (`self.changed`); a succeeded one's
    /// image tag is sent at once, and awaited once the lease is released (`release_tag`).
    pub(super) async fn record(
        &mut self,
        to: &Destination,
        result: &Result<(crate::build::Built, Option<Rollout>), Error>,
    ) {
        if !self.changed {
            return;
        }
        let services = result.as_ref().map(|(_, rollout)| rollout.as_ref().map_or(&[][..], |r| r.outcomes.as_slice()));
        let outcome = match ending::failure(services) {
            None => Outcome::Succeeded,
            Some(reason) => Outcome::Failed { reason: one_line(&reason) },
        };
        let request = &to.desired.request;
        let image = self.image.as_ref().map(|image| match image.digest.starts_with("sha256:") {
            true => to.desired.image.repository_ref().pinned(&image.digest),
            false => image.uri.clone(),
        });
        let release = Release {
            schema_version: SCHEMA_VERSION,
            kind: Kind::Deploy,
            commit: request.sha.to_string(),
            image,
            task_definitions: self.task_definitions.clone(),
            who: request.actor.clone(),
            run_url: request.run_url.clone(),
            time: crate::clock::unix_seconds(),
            outcome,
            built_with: self.built_with.clone(),
        };
        let (_, tag) = history::write(&to.session, request, &release, !to.desired.image.source.is_prebuilt()).await;
        // Beside the lease's release, which the tag does not need (its number is the record's).
        self.release_tag = tag.map(|tag| tokio::spawn(tag.put()));
    }
}

/// Each process's task definition (`family:revision`) once the run's provision stage ran: the
/// revision it registered, else the latest one read.
pub(super) fn task_definitions(desired: &DesiredState, changes: &ChangeSet) -> BTreeMap<String, String> {
    desired
        .task_definitions
        .iter()
        .filter_map(|definition| {
            let arn = changes.task_definition_arn(&definition.family).ok()?;
            Some((definition.process.clone(), family_revision(&arn)))
        })
        .collect()
}
