//! What the engine reads for a destroy beyond what a deploy observes: every active revision of
//! each family, the tags of what `observe` does not tag-read, the repository, the records.

use std::collections::BTreeMap;

use crate::provision::observed::Observed;
use crate::spec::tags::Tag;

/// What exists of the environment, read with every list to its last page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Found {
    pub observed: Observed,
    /// The planned families that have active revisions, by family.
    pub families: BTreeMap<String, FoundFamily>,
    /// The tags of the planned log groups that exist, by name.
    pub log_groups: BTreeMap<String, Vec<Tag>>,
    /// The ECR repository of the image, when the registry is ECR and the repository exists.
    pub repository: Option<FoundRepository>,
    /// The release records parameter exists.
    pub records: bool,
    /// Every service of the cluster ECS lists (active or draining), whoever's.
    pub cluster_services: Vec<String>,
}

/// A task-definition family's active revisions (ARNs) and the tags of its latest one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FoundFamily {
    pub revisions: Vec<String>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRepository {
    pub registry_id: String,
    pub name: String,
    pub tags: Vec<Tag>,
}
