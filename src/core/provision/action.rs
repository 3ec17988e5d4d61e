//! One change to AWS. The list of actions is the plan's diff: shown to the user, then applied.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::plan::desired::CapacityProviderWeight;
use crate::core::spec::tags::Tag;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    CreateCluster {
        name: String,
        capacity_providers: Vec<String>,
        default_strategy: Vec<CapacityProviderWeight>,
        tags: Vec<Tag>,
    },
    /// An existing cluster lacks a capacity provider or runs tasks on another default.
    PutClusterCapacityProviders {
        name: String,
        capacity_providers: Vec<String>,
        default_strategy: Vec<CapacityProviderWeight>,
    },
    /// Tags maestro sets are missing on an existing resource (others' tags are left alone).
    TagResource {
        arn: String,
        tags: Vec<Tag>,
    },
    CreateLogGroup {
        name: String,
        tags: Vec<Tag>,
    },
    /// A new revision, because none exists or the latest differs from the plan.
    RegisterTaskDefinition {
        process: String,
        family: String,
        definition: Map<String, Value>,
    },
}

impl Action {
    /// Actions in the same stage do not depend on each other.
    pub fn stage(&self) -> u8 {
        match self {
            Self::CreateCluster { .. } | Self::PutClusterCapacityProviders { .. } | Self::CreateLogGroup { .. } => 0,
            Self::TagResource { .. } | Self::RegisterTaskDefinition { .. } => 1,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CreateCluster { name, .. } => write!(f, "create cluster {name}"),
            Self::PutClusterCapacityProviders { name, capacity_providers, .. } => {
                write!(f, "set the capacity providers of cluster {name} to {}", capacity_providers.join(", "))
            }
            Self::TagResource { arn, tags } => {
                let keys = tags.iter().map(|tag| tag.key.as_str()).collect::<Vec<_>>().join(", ");
                write!(f, "tag {arn} ({keys})")
            }
            Self::CreateLogGroup { name, .. } => write!(f, "create log group {name}"),
            Self::RegisterTaskDefinition { family, .. } => {
                write!(f, "register a new revision of task definition {family}")
            }
        }
    }
}
