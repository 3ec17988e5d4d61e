//! What a deploy tells the outside world, decided as values: the deploy's events, and the
//! payloads each reporter sends for them. The shell (`crate::reporters`) only sends them.

pub mod annotation;
pub mod dotenv;
pub mod github;
pub mod gitlab;
pub mod new_relic;
pub mod notify;
pub mod preview_comment;
pub mod stream;
pub mod summary;
pub mod webhook;

use serde::Serialize;

use crate::build::BuiltImage;
pub use crate::queue::Supersession;
use crate::request::DeployRequest;
pub use crate::rollout::AwaitingApproval;
use crate::rollout::ServiceOutcome;

/// What happened, in order; reporters act on the ones they care about.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Inputs are checked and the deploy begins.
    Started,
    /// The test phase ended (`crate::test_phase`): passed, failed, or passed on an earlier run.
    Tested(crate::test_phase::outcome::Tested),
    /// The image is there: built by this run or found.
    Built(BuiltImage),
    /// The `release` process ran and passed.
    Released,
    /// The deploy ended, well or not.
    Finished(Finished),
    /// `maestro stop` paused the environment (services at zero tasks, schedules off).
    Stopped,
    /// `maestro destroy` deleted a preview: nothing of it is left.
    Destroyed,
    /// The deploy waited for the lease and a newer deploy of the branch queued behind it: it left
    /// without deploying (`crate::queue`). Not a failure: the newer commit deploys instead.
    Superseded(Supersession),
    /// ECS paused the deploy at its approval hook (`MAESTRO_APPROVAL`): the run ends here, exit
    /// code 0, and a later `maestro continue` or `maestro abort` ends the deploy, in a run that
    /// emits `Finished` alone (`crate::report` has no `Started` for it). Not a failure, and not
    /// done: the code hosts show it in progress, with the test URL.
    AwaitingApproval(AwaitingApproval),
}

/// How a deploy ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finished {
    pub succeeded: bool,
    /// Why it failed, in one line.
    pub failure: Option<String>,
    pub image: Option<BuiltImage>,
    pub services: Vec<ServiceOutcome>,
    /// Where the app answers.
    pub url: Option<String>,
    /// The task definition of each process this run deployed.
    pub task_definitions: Vec<DeployedTaskDefinition>,
    /// Changes made to AWS.
    pub changes: usize,
    pub seconds: u64,
}

/// The revision a process's service runs after the deploy (GitHub's `task-definition-arns` output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployedTaskDefinition {
    pub process: String,
    pub arn: String,
}

/// What a run that ended says besides its services: the reporters' `Finished` is built from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ending {
    pub failure: Option<String>,
    pub image: Option<BuiltImage>,
    pub url: Option<String>,
    pub changes: usize,
    pub seconds: u64,
}

impl Finished {
    /// The end of a run that left `services` so: it succeeded when nothing failed, and each
    /// service's revision is its process's task definition.
    pub fn of(services: Vec<ServiceOutcome>, ending: Ending) -> Self {
        let Ending { failure, image, url, changes, seconds } = ending;
        let task_definitions = services
            .iter()
            .map(|service| DeployedTaskDefinition {
                process: service.process.clone(),
                arn: service.task_definition.clone(),
            })
            .collect();
        Self { succeeded: failure.is_none(), failure, image, services, url, task_definitions, changes, seconds }
    }

    /// A service rolled out in this run (markers and webhooks mark deploys, not no-ops).
    pub fn deployed_something(&self) -> bool {
        self.services.iter().any(|service| service.state.rolled_out())
    }

    pub fn status(&self) -> &'static str {
        if self.succeeded { "success" } else { "failure" }
    }
}

/// What every reporter knows about the deploy.
#[derive(Debug, Clone, PartialEq)]
pub struct Context {
    pub request: DeployRequest,
    /// The environment the app is deployed to: `MAESTRO_ENVIRONMENT`, else the branch.
    pub environment: String,
    pub cluster: String,
    /// The pull request's preview this run deploys or destroys (`MAESTRO_PREVIEWS`).
    pub preview: Option<preview_comment::ReportedPreview>,
}

impl Context {
    /// The commit status context and check name: stable, so branch protection can require it.
    /// With `MAESTRO_APP`, `maestro/<app>/<environment>`: two apps of one repository deploy the
    /// same commit to the same environment, and one context would show only the last of them.
    pub fn status_name(&self) -> String {
        match &self.request.app {
            None => format!("maestro/{}", self.environment),
            Some(app) => format!("maestro/{app}/{}", self.environment),
        }
    }

    pub fn is_pull_request(&self) -> bool {
        self.request.pull_request.is_some()
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;
    use crate::ci::Ci;
    use crate::rollout::ServiceState;
    use crate::types::{AccountId, CommitSha, Region};

    pub(crate) fn context(pull_request: Option<u64>) -> Context {
        let request = DeployRequest {
            ci: Ci::Github,
            repository: "acme/shop-api".into(),
            slug: "acme-shop-api".into(),
            app: None,
            sha: CommitSha::parse("ffeeddccbbaa00998877665544332211ffeeddcc").unwrap(),
            report_sha: CommitSha::parse("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678").unwrap(),
            short_sha: "ffeeddcc".into(),
            branch: Some("staging".into()),
            branch_slug: Some("staging".into()),
            head_branch: None,
            base_branch: None,
            pull_request,
            event: Some("push".into()),
            tag: None,
            run_id: Some("4242".into()),
            run_url: Some("https://github.com/acme/shop-api/actions/runs/4242".into()),
            actor: Some("octocat".into()),
            commit_message: Some("Add the \"cart\" page\n\nWith tests.".into()),
            commit_author: Some("Mona Lisa".into()),
            workspace: None,
            region: Some(Region::parse("us-east-1").unwrap()),
            account_id: Some(AccountId::parse("123456789012").unwrap()),
            fork: false,
            pull_request_closed: false,
            sources: Default::default(),
            branch_unknown: None,
        };
        Context { request, environment: "staging".into(), cluster: "acme-shop-api-staging".into(), preview: None }
    }

    pub(crate) fn finished(succeeded: bool) -> Finished {
        let service = |process: &str, state: ServiceState| ServiceOutcome {
            process: process.into(),
            service: format!("acme-shop-api-staging-{process}"),
            task_definition: format!(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-{process}:7"
            ),
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:ffeeddcc".into(),
            state,
            reason: (state == ServiceState::Failed).then(|| "rolled back by the circuit breaker".to_owned()),
            seconds: 42,
            url: (process == "web").then(|| "https://staging.shop.example.com".to_owned()),
        };
        Finished {
            succeeded,
            failure: (!succeeded).then(|| "1 of 2 services did not roll out".to_owned()),
            image: Some(BuiltImage {
                uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:ffeeddcc".into(),
                digest: "sha256:0123".into(),
                source: crate::build::ImageSource::Built,
            }),
            services: vec![
                service("web", ServiceState::Deployed),
                service("worker", if succeeded { ServiceState::Deployed } else { ServiceState::Failed }),
            ],
            url: Some("https://staging.shop.example.com".into()),
            task_definitions: vec![DeployedTaskDefinition {
                process: "web".into(),
                arn: "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-shop-api-staging-web:7".into(),
            }],
            changes: 4,
            seconds: 95,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rollout::ServiceState;

    fn with_states(states: &[ServiceState]) -> Finished {
        let mut finished = fixtures::finished(true);
        let template = finished.services[0].clone();
        finished.services = states.iter().map(|&state| ServiceOutcome { state, ..template.clone() }).collect();
        finished
    }

    #[test]
    fn an_unfollowed_deploy_deployed_something() {
        // `MAESTRO_NO_WAIT=true`: the services were rolled, so New Relic still gets its marker.
        assert!(with_states(&[ServiceState::NotWaited, ServiceState::Unchanged]).deployed_something());
        assert!(with_states(&[ServiceState::Unchanged, ServiceState::Deployed]).deployed_something());
    }

    #[test]
    fn a_run_that_rolled_nothing_deployed_nothing() {
        assert!(!with_states(&[ServiceState::Unchanged, ServiceState::Unchanged]).deployed_something());
        assert!(
            !with_states(&[ServiceState::Failed, ServiceState::TimedOut, ServiceState::Cancelled]).deployed_something()
        );
        assert!(!with_states(&[]).deployed_something());
    }
}
