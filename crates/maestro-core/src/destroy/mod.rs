//! `maestro destroy`, pure: which resources the environment owns (the judgement), and the steps
//! that delete them, in dependency order, as values. The engine reads what exists ([`Found`]),
//! this module decides, the engine deletes. Ownership is `provision::ownership`'s: only a
//! resource carrying this environment's marker (`maestro:app`) and no other identity
//! (`maestro:environment`) is deleted; names prove nothing (they fold alike across branches).
//! Every other resource the environment's names lead to is listed as kept, with why.
//!
//! Idempotent by construction: the list is recomputed from what exists on every run, so a second
//! run finds nothing to delete, and a run interrupted half-way resumes with what is left.

pub mod confirm;
mod found;
mod judge;
mod step;

use serde::Serialize;

pub use found::{Found, FoundFamily, FoundRepository};
pub use judge::inventory;
pub use step::Step;

/// What a destroy may leave on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// `--keep-logs`: the log groups stay.
    pub keep_logs: bool,
    /// `--keep-images`: the ECR repository and its images stay.
    pub keep_images: bool,
}

/// A kind of resource, in the order the steps delete them: each kind's resources can only go
/// once those before it that use them are gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Service,
    ScalableTarget,
    /// The web service's rollback alarm (`MAESTRO_ROLLBACK_ALARM`), once the service is gone.
    Alarm,
    ScheduleRule,
    ListenerRule,
    LoadBalancer,
    TargetGroup,
    TaskDefinitionFamily,
    LogGroup,
    Repository,
    Cluster,
    ReleaseRecords,
    Secret,
}

impl Kind {
    /// The kind as the human list names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::ScalableTarget => "scalable target",
            Self::Alarm => "CloudWatch alarm",
            Self::ScheduleRule => "schedule rule",
            Self::ListenerRule => "listener rule",
            Self::LoadBalancer => "load balancer",
            Self::TargetGroup => "target group",
            Self::TaskDefinitionFamily => "task definition family",
            Self::LogGroup => "log group",
            Self::Repository => "ECR repository",
            Self::Cluster => "cluster",
            Self::ReleaseRecords => "release records",
            Self::Secret => "secret",
        }
    }
}

/// Whether a resource goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Delete,
    Keep,
}

/// One resource the environment's names lead to, and the verdict on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resource {
    pub kind: Kind,
    pub name: String,
    pub fate: Fate,
    /// Why it is this environment's (its tag), or why it stays.
    pub why: String,
}

/// Everything of one environment: the verdicts, and the steps that carry them out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// The environment's name, the marker's value (`<slug>-<branch>`): what `--confirm` takes.
    pub environment: String,
    pub resources: Vec<Resource>,
    pub steps: Vec<Step>,
}

impl Inventory {
    /// The resources that go, in step order.
    pub fn deleted(&self) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(|resource| resource.fate == Fate::Delete)
    }

    /// The resources that stay.
    pub fn kept(&self) -> impl Iterator<Item = &Resource> {
        self.resources.iter().filter(|resource| resource.fate == Fate::Keep)
    }
}
