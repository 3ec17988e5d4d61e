//! Chat notifications: what a deploy's start and end say, as one value (`Notification`), and its
//! three renderings: Slack's incoming webhook (`slack`), a Teams workflow's Adaptive Card
//! (`teams`), and the value itself as JSON for any endpoint (`MAESTRO_NOTIFY_URL`, whose shape
//! docs/notify.schema.json documents; a test keeps the two in step). Only text maestro already
//! shows goes in: the failure's line and ECS's reasons (relayed redacted), never a secret.

pub mod slack;
pub mod teams;

use serde::Serialize;

use super::{Context, Event, Finished};
use crate::rollout::ServiceState;

/// The generic payload's version: a field added keeps it, a field changed or removed bumps it.
pub const SCHEMA: &str = "maestro.notification/1";

/// What one notification says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub schema: &'static str,
    pub event: Moment,
    pub outcome: Outcome,
    /// `MAESTRO_APP`, else the repository.
    pub app: String,
    pub repository: String,
    pub environment: String,
    pub commit: Commit,
    /// How long the deploy took; none when it starts.
    pub seconds: Option<u64>,
    /// Where the app answers (the test URL while it awaits approval).
    pub url: Option<String>,
    /// The CI run's page.
    pub run_url: Option<String>,
    /// Why it failed, was superseded or waits: one line.
    pub reason: Option<String>,
    pub services: Vec<Service>,
}

/// When the notification is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    Started,
    Ended,
}

/// How the deploy stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    InProgress,
    Success,
    Failed,
    /// A newer deploy of the branch queued while this one waited, and deploys instead.
    Superseded,
    /// ECS holds the deploy at its approval pause until `maestro continue` or `maestro abort`.
    AwaitingApproval,
    /// The deploy's deployments were rolled back (`maestro abort`, or a cancel that aborts).
    RolledBack,
}

impl Outcome {
    /// The words a person reads.
    pub fn words(self) -> &'static str {
        match self {
            Self::InProgress => "in progress",
            Self::Success => "success",
            Self::Failed => "failed",
            Self::Superseded => "superseded",
            Self::AwaitingApproval => "awaiting approval",
            Self::RolledBack => "rolled back",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit {
    pub sha: String,
    pub short_sha: String,
    pub branch: Option<String>,
    /// The commit's author, else who started the run.
    pub author: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub process: String,
    pub service: String,
    pub state: ServiceState,
    pub reason: Option<String>,
}

impl Notification {
    /// The notification `event` makes, if any: the start, and each way a deploy run ends.
    pub fn of(context: &Context, event: &Event) -> Option<Self> {
        let request = &context.request;
        let mut notification = Self {
            schema: SCHEMA,
            event: Moment::Ended,
            outcome: Outcome::InProgress,
            app: request.app.clone().unwrap_or_else(|| request.repository.clone()),
            repository: request.repository.clone(),
            environment: context.environment.clone(),
            commit: Commit {
                sha: request.sha.to_string(),
                short_sha: request.short_sha.clone(),
                // A pull request's commit is on its head branch; `branch` is its environment.
                branch: request.head_branch.clone().or_else(|| request.branch.clone()),
                author: request.commit_author.clone().or_else(|| request.actor.clone()),
            },
            seconds: None,
            url: None,
            run_url: request.run_url.clone(),
            reason: None,
            services: Vec::new(),
        };
        match event {
            Event::Started => notification.event = Moment::Started,
            Event::Finished(finished) => notification.ended(finished),
            Event::Superseded(by) => {
                notification.outcome = Outcome::Superseded;
                notification.reason = Some(by.line());
            }
            Event::AwaitingApproval(awaiting) => {
                notification.outcome = Outcome::AwaitingApproval;
                notification.url = awaiting.test_url.clone();
                notification.reason = Some(awaiting.line());
                notification.services = awaiting
                    .services
                    .iter()
                    .map(|paused| Service {
                        process: paused.process.clone(),
                        service: paused.service.clone(),
                        state: ServiceState::AwaitingApproval,
                        reason: None,
                    })
                    .collect();
            }
            Event::Built(_) | Event::Released | Event::Stopped | Event::Destroyed | Event::Tested(_) => return None,
        }
        Some(notification)
    }

    fn ended(&mut self, finished: &Finished) {
        let states = || finished.services.iter().map(|service| service.state);
        self.outcome = if finished.succeeded {
            Outcome::Success
        } else if states().any(|state| state == ServiceState::RolledBack)
            && !states().any(|state| state == ServiceState::Failed)
        {
            Outcome::RolledBack
        } else {
            Outcome::Failed
        };
        self.seconds = Some(finished.seconds);
        self.url = finished.url.clone();
        self.reason = finished.failure.clone();
        self.services = finished
            .services
            .iter()
            .map(|service| Service {
                process: service.process.clone(),
                service: service.service.clone(),
                state: service.state,
                reason: service.reason.clone(),
            })
            .collect();
    }

    /// The headline, e.g. "acme/shop-api deployed to staging": the notification's own words.
    pub fn headline(&self) -> String {
        let (app, environment) = (&self.app, &self.environment);
        match (self.event, self.outcome) {
            (Moment::Started, _) | (_, Outcome::InProgress) => format!("Deploying {app} to {environment}"),
            (_, Outcome::Success) => format!("{app} deployed to {environment}"),
            (_, Outcome::Failed) => format!("{app} failed to deploy to {environment}"),
            (_, Outcome::Superseded) => format!("{app} not deployed to {environment}: a newer deploy goes instead"),
            (_, Outcome::AwaitingApproval) => format!("{app} awaits approval on {environment}"),
            (_, Outcome::RolledBack) => format!("{app} rolled back on {environment}"),
        }
    }

    /// The outcome's sign, for the chats' headline.
    pub fn emoji(&self) -> &'static str {
        match (self.event, self.outcome) {
            (Moment::Started, _) | (_, Outcome::InProgress) => "🚀",
            (_, Outcome::Success) => "✅",
            (_, Outcome::Failed) => "❌",
            (_, Outcome::Superseded) => "⏭️",
            (_, Outcome::AwaitingApproval) => "⏸️",
            (_, Outcome::RolledBack) => "↩️",
        }
    }

    /// "1 min 35 s", for people; none when it starts.
    pub fn duration(&self) -> Option<String> {
        self.seconds.map(|seconds| match seconds {
            0..60 => format!("{seconds} s"),
            _ => format!("{} min {} s", seconds / 60, seconds % 60),
        })
    }

    /// The services that failed with their reason, as "`service`: reason" parts.
    pub fn service_reasons(&self) -> Vec<(&str, &str)> {
        self.services
            .iter()
            .filter_map(|service| service.reason.as_deref().map(|reason| (service.service.as_str(), reason)))
            .collect()
    }
}

#[cfg(test)]
#[path = "notify_tests.rs"]
mod tests;
