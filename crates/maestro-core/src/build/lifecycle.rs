//! What the ECR repository maestro creates keeps: every image a deploy may still need, and not
//! every commit's forever (each image is billed, and a repository holds a quota of them).
//!
//! The build skips `pack` when the commit's image exists; an expired one is simply built again,
//! so the skip keeps working. A rollback cannot rebuild: the image of each of the last releases
//! carries a `release-<n>` tag (`release_tag`), and a rule keeps the last `MAESTRO_IMAGE_RETENTION`
//! of those. The policy is set on a repository maestro creates, and follows the setting on later
//! runs (`follow`); a repository whose policy is its owner's keeps it.

use serde_json::{Value, json};

use super::pack::{CACHE_TAG, LATEST_TAG};

/// The images kept when `MAESTRO_IMAGE_RETENTION` is unset: the last commits' images, and as
/// many releases' images.
pub const DEFAULT_RETENTION: u32 = 30;

/// `MAESTRO_IMAGE_RETENTION`'s bounds. A rule's `countNumber` is a positive integer ("0 is not an
/// accepted value", Amazon ECR User Guide, Lifecycle policy properties); more than a repository's
/// default quota of images ("Images per repository: 100,000", Amazon ECR service quotas) would
/// keep everything.
pub const RETENTION_RANGE: std::ops::RangeInclusive<u32> = 1..=100_000;

/// Days an untagged image is kept: pack's previous cache image, once `cache` moves on.
pub const UNTAGGED_DAYS: u32 = 14;

/// The tag a release's image gets: `release-<n>`, `n` the release number.
pub const RELEASE_TAG_PREFIX: &str = "release-";

/// Every rule's description starts with this: how a policy is recognised as maestro's.
const DESCRIPTION_PREFIX: &str = "maestro:";

/// The tag that protects release `number`'s image.
pub fn release_tag(number: u64) -> String {
    format!("{RELEASE_TAG_PREFIX}{number}")
}

/// How many images the repository keeps (`MAESTRO_IMAGE_RETENTION`), within `RETENTION_RANGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention(u32);

impl Retention {
    /// `None` outside `RETENTION_RANGE` (the settings say so, positioned).
    pub fn new(images: u32) -> Option<Self> {
        RETENTION_RANGE.contains(&images).then_some(Self(images))
    }

    pub fn images(self) -> u32 {
        self.0
    }
}

impl Default for Retention {
    fn default() -> Self {
        Self(DEFAULT_RETENTION)
    }
}

/// The lifecycle policy's text, for PutLifecyclePolicy. Rules apply in `rulePriority` order, and
/// "an image that matches the tagging requirements of a rule cannot be expired by a rule with a
/// lower priority" (Amazon ECR User Guide, Lifecycle policies,
/// https://docs.aws.amazon.com/AmazonECR/latest/userguide/LifecyclePolicies.html): the rules for
/// `latest` and `cache` each keep their one image, the `release-*` rule the last releases' images,
/// so the last rule, which counts every image ("A rule with a tagStatus value of any must have the
/// highest value for rulePriority"), never expires them. Each tag has its own rule because a
/// pattern list selects only images with all its tags; `release-*` has one wildcard (at most four
/// per pattern).
pub fn policy(retention: Retention) -> String {
    let kept = retention.images();
    let keep = |priority: u32, pattern: &str, count: u32, what: String| {
        json!({
            "rulePriority": priority,
            "description": format!("{DESCRIPTION_PREFIX} {what}"),
            "selection": {"tagStatus": "tagged", "tagPatternList": [pattern], "countType": "imageCountMoreThan", "countNumber": count},
            "action": {"type": "expire"}
        })
    };
    let rules: Vec<Value> = vec![
        json!({
            "rulePriority": 1,
            "description": format!("{DESCRIPTION_PREFIX} untagged images (replaced build caches) after {UNTAGGED_DAYS} days"),
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": UNTAGGED_DAYS},
            "action": {"type": "expire"}
        }),
        keep(2, LATEST_TAG, 1, format!("keep the image tagged {LATEST_TAG}")),
        keep(3, CACHE_TAG, 1, format!("keep the image tagged {CACHE_TAG}")),
        keep(
            4,
            &format!("{RELEASE_TAG_PREFIX}*"),
            kept,
            format!("the last {kept} releases' images (rollback targets)"),
        ),
        json!({
            "rulePriority": 5,
            "description": format!("{DESCRIPTION_PREFIX} the last {kept} images"),
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": kept},
            "action": {"type": "expire"}
        }),
    ];
    json!({ "rules": rules }).to_string()
}

/// What to do about a repository's live policy, on a repository that exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Follow {
    /// The live policy is the one the settings give.
    Same,
    /// maestro's policy with other values (another retention, an older maestro's rules): put it.
    Update,
    /// No policy, or one whose rules are not all maestro's: the owner's choice, kept.
    Owners,
}

/// Compares the live policy (`None`: the repository has none) with `wanted`. Both are compared
/// as JSON values with the rules in priority order, since ECR may answer the text reformatted.
pub fn follow(live: Option<&str>, wanted: &str) -> Follow {
    let Some(live) = live.and_then(|text| serde_json::from_str::<Value>(text).ok()) else {
        return Follow::Owners;
    };
    let wanted: Value = serde_json::from_str(wanted).unwrap_or(Value::Null);
    if sorted_rules(&live) == sorted_rules(&wanted) {
        return Follow::Same;
    }
    let rules = live["rules"].as_array().map(Vec::as_slice).unwrap_or_default();
    let ours = !rules.is_empty()
        && rules
            .iter()
            .all(|rule| rule["description"].as_str().is_some_and(|text| text.starts_with(DESCRIPTION_PREFIX)));
    if ours { Follow::Update } else { Follow::Owners }
}

fn sorted_rules(policy: &Value) -> Vec<Value> {
    let mut rules = policy["rules"].as_array().cloned().unwrap_or_default();
    rules.sort_by_key(|rule| rule["rulePriority"].as_u64());
    rules
}

/// Where a release's image is in ECR, to tag it: the registry (account), its region, the
/// repository and the digest, read from the record's pinned reference
/// (`<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:…`). `None` for another
/// registry, or an image not pinned by digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcrImage {
    pub registry_id: String,
    pub region: String,
    pub repository: String,
    pub digest: String,
}

impl EcrImage {
    pub fn parse(image: &str) -> Option<Self> {
        let (name, digest) = image.split_once('@')?;
        if !digest.starts_with("sha256:") {
            return None;
        }
        let (host, path) = name.split_once('/')?;
        let repository = super::repository::ImageRepository { host: host.to_owned(), path: path.to_owned() };
        match repository.kind() {
            super::repository::RegistryKind::Ecr { account, region } => {
                Some(Self { registry_id: account, region, repository: path.to_owned(), digest: digest.to_owned() })
            }
            super::repository::RegistryKind::Oci => None,
        }
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
