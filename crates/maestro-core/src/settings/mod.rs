//! The typed settings: every variable read once from an [`Env`] snapshot and validated.
//!
//! Each section reads its own variables from one [`Reader`], which collects every problem, so
//! one run reports all of them. The names come from [`crate::input::vars`]; everything after
//! this module works with the values.

mod build;
mod health_check;
mod image_source;
mod network;
mod notify;
pub mod previews;
mod reader;
mod reporting;
mod rollout;
pub mod secret_port;
pub mod secret_settings;
mod tasks;
mod test_phase;
mod waiting;

pub use build::BuildSettings;
pub use network::{LoadBalancerSettings, NetworkSettings};
pub use notify::NotifySettings;
pub use previews::PreviewSettings;
use reader::Reader;
pub use reporting::{NewRelicSettings, ReportSettings};
pub use rollout::RolloutSettings;
pub use tasks::{DEFAULT_PORT, TaskSettings};
pub use test_phase::TestSettings;
pub use waiting::WaitSettings;

use crate::env::Env;
use crate::input::unknown::unknown_variables;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::secret::Secret;
use crate::spec::circuit_breaker::{self, CircuitBreaker};

/// Faster than AWS's 300 s, long enough for most requests to finish during a deploy.
pub const DEFAULT_DEREGISTRATION_DELAY: u32 = network::DEFAULT_DEREGISTRATION_DELAY;

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub cluster_override: Option<String>,
    pub debug: bool,
    pub build: BuildSettings,
    pub tasks: TaskSettings,
    pub network: NetworkSettings,
    pub load_balancer: LoadBalancerSettings,
    pub circuit_breaker: CircuitBreaker,
    pub service_connect_namespace: Option<String>,
    /// The role EventBridge uses to start scheduled tasks; `ecsEventsRole` of the account when unset.
    pub events_role_arn: Option<String>,
    pub new_relic: NewRelicSettings,
    pub deploy_webhook_url: Option<Secret>,
    /// Chat notifications: Slack, Teams, a generic JSON POST.
    pub notify: NotifySettings,
    pub reporting: ReportSettings,
    pub waiting: WaitSettings,
    /// The web service's deployment strategy and approval pause.
    pub rollout: RolloutSettings,
    /// Preview environments of pull requests.
    pub previews: PreviewSettings,
    /// The test phase that gates the deploy.
    pub test: TestSettings,
    /// Things worth telling the user that do not stop the run (renamed variables).
    pub warnings: Vec<String>,
    /// Names under maestro's prefixes that it does not read (`input::unknown`), each with where
    /// it was written and the closest known name: warnings, which the binary shows (an annotation
    /// on GitHub). Empty under `MAESTRO_STRICT=true`, where they are errors instead.
    pub unknown_inputs: Vec<InputError>,
}

impl Settings {
    /// Every section in turn (the order of the problems reported), then every problem at once.
    pub fn from_env(env: &Env) -> Result<Settings, InputErrors> {
        let mut read = Reader::new(env);
        let mut unknown_inputs = unknown_variables(env);
        if read.boolean(var::MAESTRO_STRICT) {
            for unknown in unknown_inputs.drain(..) {
                read.push(unknown);
            }
        }
        let settings = Settings {
            cluster_override: read.checked(
                var::ECS_CLUSTER_ID,
                is_ecs_name,
                "a valid ECS cluster name",
                "cluster names use letters, digits, `-` and `_` (at most 255)",
            ),
            debug: read.boolean(var::MAESTRO_DEBUG),
            build: BuildSettings::read(&mut read),
            tasks: TaskSettings::read(&mut read),
            network: NetworkSettings::read(&mut read),
            load_balancer: LoadBalancerSettings::read(&mut read),
            circuit_breaker: read
                .parsed(var::DEPLOYMENT_CIRCUIT_BREAKER_RULE, circuit_breaker::parse)
                .unwrap_or_default(),
            service_connect_namespace: read.text(var::SERVICE_CONNECT_NAMESPACE),
            events_role_arn: read.role_arn(var::MAESTRO_EVENTS_ROLE_ARN),
            new_relic: NewRelicSettings::read(&mut read),
            deploy_webhook_url: read
                .checked(
                    var::DEPLOY_WEBHOOK_URL,
                    is_http_url,
                    "an http(s) URL",
                    "set the full URL, e.g. `https://hooks.example.com/deploy?cluster={{CLUSTER}}`",
                )
                .map(Secret::new),
            notify: NotifySettings::read(&mut read),
            reporting: ReportSettings::read(&mut read),
            waiting: WaitSettings::read(&mut read),
            rollout: RolloutSettings::read(&mut read),
            previews: PreviewSettings::read(&mut read),
            test: TestSettings::read(&mut read),
            warnings: renamed_variable_warnings(env),
            unknown_inputs,
        };
        read.into_errors().into_result().map(|()| settings)
    }
}

fn renamed_variable_warnings(env: &Env) -> Vec<String> {
    var::RENAMED
        .iter()
        .filter(|(old, _)| env.get(old).is_some())
        .map(|(old, new)| format!("{old} is no longer read (the original maestro renamed it); use {new}"))
        .collect()
}

pub(super) fn is_ecs_name(value: &str) -> bool {
    value.len() <= 255 && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_http_url(value: &str) -> bool {
    value.starts_with("https://") || value.starts_with("http://")
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
