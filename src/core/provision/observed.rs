//! What exists in AWS now, as plain values filled by the AWS adapters. "Not found" is `None`;
//! any other failure to read never reaches here, so absence always means absence.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::core::spec::tags::Tag;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Observed {
    pub cluster: Option<ObservedCluster>,
    /// Every planned log group, by name: `None` when it does not exist.
    pub log_groups: BTreeMap<String, Option<ObservedLogGroup>>,
    /// The latest active revision of every planned family: `None` when there is none.
    pub task_definitions: BTreeMap<String, Option<ObservedTaskDefinition>>,
    pub secret: Option<ObservedSecret>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedCluster {
    pub arn: String,
    pub capacity_providers: Vec<String>,
    pub default_strategy: Vec<(String, u32)>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedLogGroup {
    pub arn: String,
    pub retention_days: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObservedTaskDefinition {
    pub arn: String,
    /// As `DescribeTaskDefinition` returns it, JSON for JSON.
    pub definition: Map<String, Value>,
}

/// The app's Secrets Manager secret: its ARN and the names of its keys. Never the values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedSecret {
    pub arn: String,
    pub keys: Vec<String>,
}
