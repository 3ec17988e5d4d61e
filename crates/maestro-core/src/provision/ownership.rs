//! Which resources are this environment's. Names prove nothing: in a shared cluster
//! (`ECS_CLUSTER_ID`) app `acme` on branch `main` names its services `acme-main-…`, and so do its
//! branch `main-next` (`acme-main-next-web`) and an app whose slug is `acme-main`; and names fold
//! (lower case, `/` and `.` as `-`), so branches `MAIN` and `main`, or `feature/x` and
//! `feature-x`, get the very same names. Two tags, on everything maestro creates, do:
//!
//! - the marker, `maestro:app` = `<slug>-<branch>` (the names' base, `<slug>-<app>-<branch>` with
//!   `MAESTRO_APP`), which maestro has always set;
//! - the identity, `maestro:environment` = the repository, the branch (or `pr-<n>`) as given, before
//!   folding, the account and the region: what tells `MAIN` from `main`.
//!
//! A resource whose identity or marker names another environment is never adopted, updated or
//! deleted (`preflight` stops the run, naming both). One with neither tag (the bash maestro's, or
//! made by hand) is adopted and tagged; one with this marker and no identity (maestro before the
//! identity existed) too. Only what carries this environment's marker, and no other identity, is
//! ever deleted.

use std::collections::BTreeMap;

use super::diff::MARKER_TAG_KEY;
use super::observed::ObservedService;
use crate::naming;
use crate::plan::desired::DesiredState;
use crate::spec::tags::Tag;

/// The tag recording an environment's identity.
pub const ENVIRONMENT_TAG_KEY: &str = "maestro:environment";

/// AWS's limit on a tag value, in characters.
const TAG_VALUE_LIMIT: usize = 256;

/// The marker of `desired`'s environment.
pub fn marker(desired: &DesiredState) -> Tag {
    let value =
        format!("{}-{}", desired.request.app_slug(), desired.request.branch_slug.as_deref().unwrap_or_default());
    Tag { key: MARKER_TAG_KEY.to_owned(), value }
}

/// The identity of `desired`'s environment: `repository=<owner/name> branch=<branch> account=<id>
/// region=<region>`, and ` app=<app>` with `MAESTRO_APP`. The repository is lower-cased (GitHub
/// and GitLab paths ignore case, and the same repository must not look like two); the branch is
/// kept as given (git branches do not).
pub fn environment(desired: &DesiredState) -> Tag {
    let request = &desired.request;
    let app = request.app.as_ref().map(|app| format!(" app={app}")).unwrap_or_default();
    let value = format!(
        "repository={} branch={} account={} region={}{app}",
        request.repository.to_ascii_lowercase(),
        request.branch.as_deref().unwrap_or_default(),
        request.account_id.as_ref().map(ToString::to_string).unwrap_or_default(),
        request.region.as_ref().map(ToString::to_string).unwrap_or_default(),
    );
    Tag { key: ENVIRONMENT_TAG_KEY.to_owned(), value: naming::fit(&tag_safe(&value), TAG_VALUE_LIMIT) }
}

/// `text` in the characters every AWS tag value accepts (letters, digits, spaces and `_.:/=+-@`):
/// any other character, and `+` itself, as `+` and its code point in hex, so two branches that
/// differ only there stay two identities.
fn tag_safe(text: &str) -> String {
    text.chars()
        .map(|character| {
            if character.is_alphanumeric() || " _.:/=-@".contains(character) {
                character.to_string()
            } else {
                format!("+{:x}", u32::from(character))
            }
        })
        .collect()
}

/// Another environment's claim on a resource: the tag that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// `maestro:environment` or `maestro:app`.
    pub key: String,
    /// The other environment, as that tag names it.
    pub theirs: String,
    /// This environment, as that tag names it.
    pub ours: String,
    /// Both environments get the same names (same marker, another identity): their branches (or
    /// repositories) differ only in what naming folds.
    pub folded: bool,
}

/// This environment's two tags, to judge the tags of what AWS holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub marker: Tag,
    pub environment: Tag,
}

impl Owner {
    pub fn of(desired: &DesiredState) -> Self {
        Self { marker: marker(desired), environment: environment(desired) }
    }

    /// The other environment `tags` name, if any: their identity first (it tells apart what
    /// folds alike), else their marker.
    pub fn claim(&self, tags: &[Tag]) -> Option<Claim> {
        let value = |key: &str| tags.iter().find(|tag| tag.key == key).map(|tag| tag.value.as_str());
        if let Some(theirs) = value(ENVIRONMENT_TAG_KEY).filter(|theirs| *theirs != self.environment.value) {
            return Some(Claim {
                key: ENVIRONMENT_TAG_KEY.to_owned(),
                theirs: theirs.to_owned(),
                ours: self.environment.value.clone(),
                folded: value(MARKER_TAG_KEY).is_none_or(|marker| marker == self.marker.value),
            });
        }
        let theirs = value(MARKER_TAG_KEY).filter(|theirs| *theirs != self.marker.value)?;
        Some(Claim {
            key: MARKER_TAG_KEY.to_owned(),
            theirs: theirs.to_owned(),
            ours: self.marker.value.clone(),
            folded: false,
        })
    }

    /// `tags` prove the resource is this environment's: its marker, and no other identity. Only
    /// such a resource may be deleted.
    pub fn owns(&self, tags: &[Tag]) -> bool {
        tags.contains(&self.marker) && self.claim(tags).is_none()
    }
}

/// The start of every service name of `desired`'s environment: a first filter, never a proof.
pub fn service_prefix(desired: &DesiredState) -> String {
    format!("{}-", marker(desired).value)
}

/// The services of the cluster, among `named_like` (named with the environment's prefix and not
/// planned, as described), that are the environment's ([`Owner::owns`]): those `--prune` may
/// delete. Untagged ones (the bash maestro created services without tags) and other environments'
/// (another branch's, or one whose name folds alike) are left.
pub fn orphans(desired: &DesiredState, named_like: &BTreeMap<String, Option<ObservedService>>) -> Vec<String> {
    let owner = Owner::of(desired);
    named_like
        .iter()
        .filter(|(_, live)| live.as_ref().is_some_and(|live| owner.owns(&live.tags)))
        .map(|(name, _)| name.clone())
        .collect()
}
