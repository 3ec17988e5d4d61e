//! Which builder an unpinned buildpacks build uses: the environment's own, read from its release
//! records and its repository (`maestro_core::build::builder` decides).

use super::{Lookup, Place, Stage};
use crate::error::Failure;
use maestro_core::build::builder::{Chosen, Previous};
use maestro_core::build::pack::LATEST_TAG;
use maestro_core::build::{self as decide};
use maestro_core::history;
use maestro_core::input::vars as var;

/// The builder of this build: the plan's when something pins it, else the environment's own
/// (`builder::choose`) from its release records and, without one, from its repository's `latest`
/// image (an environment deployed before builders were recorded), unless the default builder's
/// marker tag is on it too.
pub(super) async fn choose(stage: &Stage<'_>, place: &Place, lookup: &Lookup) -> Result<Chosen, Failure> {
    let image = &stage.desired.image;
    if image.builder_source != decide::builder::DEFAULT_SOURCE {
        return Ok(Chosen { builder: image.builder.clone(), warning: None });
    }
    let (releases, _) = crate::engine::history::releases(stage.session, &stage.desired.request).await.map_err(|failure| {
        failure.detail(format!(
            "the release records say which builder built the environment (docs/builders.md); a builder pinned with {} needs no read",
            var::MAESTRO_BUILDER
        ))
    })?;
    let repository = image.repository_ref();
    let (latest, marker) = match lookup {
        Lookup::NoRepository => (Lookup::NoRepository, Lookup::NoRepository),
        _ => tokio::try_join!(
            place.lookup(stage.clients, &repository, LATEST_TAG),
            place.lookup(stage.clients, &repository, decide::builder::DEFAULT_MARKER_TAG),
        )?,
    };
    let marked = matches!((&latest, &marker), (Lookup::Found(latest), Lookup::Found(marker)) if latest == marker);
    let deployed = !releases.is_empty() || matches!(latest, Lookup::Found(_));
    Ok(decide::builder::choose(&Previous { recorded: history::last_build(&releases), deployed, marked }))
}
