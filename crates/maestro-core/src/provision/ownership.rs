//! Which resources are this environment's (this app on this branch). A name proves nothing in a
//! shared cluster (`ECS_CLUSTER_ID`): app `acme` on branch `main` names its services
//! `acme-main-…`, and so do its branch `main-next` (`acme-main-next-web`) and an app whose slug is
//! `acme-main`. maestro's marker tag (`maestro:app` = `<slug>-<branch>`, on everything it creates)
//! does: only what carries this environment's marker is its to delete.

use std::collections::BTreeMap;

use super::diff::MARKER_TAG_KEY;
use super::observed::ObservedService;
use crate::plan::desired::DesiredState;
use crate::spec::tags::Tag;

/// The marker of `desired`'s environment.
pub fn marker(desired: &DesiredState) -> Tag {
    let value = format!("{}-{}", desired.request.slug, desired.request.branch_slug.as_deref().unwrap_or_default());
    Tag { key: MARKER_TAG_KEY.to_owned(), value }
}

/// Whose `tags` say the resource is, when maestro's marker names another app or branch.
pub fn other_owner<'a>(tags: &'a [Tag], ours: &Tag) -> Option<&'a str> {
    tags.iter().find(|tag| tag.key == ours.key && tag.value != ours.value).map(|tag| tag.value.as_str())
}

/// The start of every service name of `desired`'s environment: a first filter, never a proof.
pub fn service_prefix(desired: &DesiredState) -> String {
    format!("{}-", marker(desired).value)
}

/// The services of the cluster, among `named_like` (named with the environment's prefix and not
/// planned, as described), that carry the environment's marker: those `--prune` may delete.
/// Untagged ones (the bash maestro created services without tags) and other environments' are left.
pub fn orphans(desired: &DesiredState, named_like: &BTreeMap<String, Option<ObservedService>>) -> Vec<String> {
    let marker = marker(desired);
    named_like
        .iter()
        .filter(|(_, live)| live.as_ref().is_some_and(|live| live.tags.contains(&marker)))
        .map(|(name, _)| name.clone())
        .collect()
}
