//! The typed settings: every variable read once from an [`Env`] snapshot and validated.
//!
//! This is the only place that knows the variables' names and defaults; everything after it
//! works with these values. Problems in several variables are all reported together.

mod reader;

use reader::Reader;

use crate::build::repository::{self, ImageRepository};
use crate::env::Env;
use crate::env_vars as var;
use crate::input_error::InputErrors;
use crate::plan::aws_values::{CapacityProvider, Scheme};
use crate::report::new_relic;
use crate::secret::Secret;
use crate::spec::circuit_breaker::{self, CircuitBreaker};
use crate::spec::efs::{self, EfsVolume};
use crate::spec::process_list::{self, ProcessList};
use crate::spec::tags::{self, Tag};

pub const DEFAULT_PORT: u16 = 3000;
/// The retention periods CloudWatch Logs accepts.
const RETENTION_DAYS: &[&str] = &[
    "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827",
    "2192", "2557", "2922", "3288", "3653",
];
/// Faster than AWS's 300 s, long enough for most requests to finish during a deploy.
pub const DEFAULT_DEREGISTRATION_DELAY: u32 = 30;

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
    pub reporting: ReportSettings,
    pub waiting: WaitSettings,
    /// Things worth telling the user that do not stop the run (renamed variables).
    pub warnings: Vec<String>,
}

/// How maestro waits for ECS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WaitSettings {
    /// The first poll interval, in seconds; it backs off from there.
    pub poll_interval: f64,
    /// Seconds the release task may run.
    pub release_timeout: u32,
    /// Seconds the services' rollouts may take, together.
    pub deploy_timeout: u32,
    /// Do not wait for rollouts (the original's fire-and-forget).
    pub no_wait: bool,
    /// Take the deploy lease (one deploy of an app and branch at a time).
    pub lock: bool,
    /// Seconds to wait for another deploy's lease before giving up.
    pub lock_timeout: u32,
    /// Seconds a lease lives without renewal (a killed run's lease is taken over after it).
    pub lock_ttl: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildSettings {
    pub skip: bool,
    pub only: bool,
    pub no_cache: bool,
    pub run_image: Option<String>,
    pub builder: Option<String>,
    /// The app's folder inside the repository (`REPO_SUB_FOLDER`), relative.
    pub sub_folder: Option<String>,
    /// Another registry's repository for the image (`MAESTRO_IMAGE_REPOSITORY`), instead of ECR's `<slug>-<branch>`.
    pub repository: Option<ImageRepository>,
    /// The registry credentials maestro's variables give, for a registry other than ECR.
    pub registry_login: Option<(String, Secret)>,
    /// Hand the deploy's AWS credentials to the buildpacks (`MAESTRO_BUILD_AWS_CREDENTIALS`); off by default.
    pub aws_credentials: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskSettings {
    pub processes: ProcessList,
    pub efs_volumes: Vec<EfsVolume>,
    pub stop_timeout: Option<u32>,
    pub task_role_arn: Option<String>,
    pub execution_role_arn: Option<String>,
    /// The Secrets Manager secret (ARN or name) with the login ECS pulls a private image outside
    /// ECR with (`MAESTRO_IMAGE_PULL_SECRET`): the containers' `repositoryCredentials`.
    pub image_pull_secret: Option<String>,
    pub no_log: bool,
    /// The Secrets Manager secret with the app's variables, instead of `<branch>/<slug>`.
    pub secret_name: Option<String>,
    /// Days CloudWatch keeps the logs; forever when unset (as the original).
    pub log_retention_days: Option<u32>,
    /// Where services' tasks run by default: `FARGATE_SPOT` (the original's) or `FARGATE`.
    pub capacity_provider: CapacityProvider,
    pub tags: Vec<Tag>,
    pub port: u16,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkSettings {
    pub vpc_id: Option<String>,
    pub service_subnets: Vec<String>,
    pub service_security_groups: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadBalancerSettings {
    pub name_override: Option<String>,
    /// The target group's health check path.
    pub health_check_path: String,
    /// Seconds a stopping task keeps its connections (AWS's default is 300).
    pub deregistration_delay: u32,
    pub scheme: Scheme,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// An ACM (or IAM) certificate: HTTPS on 443, and HTTP redirected to it.
    pub certificate_arn: Option<String>,
    /// The app's host name, routed to it by a rule on a shared load balancer.
    pub host: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRelicSettings {
    pub api_key: Option<Secret>,
    pub app_id: Option<String>,
    /// The entity to mark through NerdGraph; it beats `app_id` (REST v2).
    pub entity_guid: Option<String>,
    /// The API's base URL: US, EU, or `NEW_RELIC_API_URL`.
    pub api_url: String,
    pub description: Option<String>,
}

/// Where and how the deploy is reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportSettings {
    /// The environment's name on GitHub and GitLab (`MAESTRO_ENVIRONMENT`); the branch when unset.
    pub environment: Option<String>,
    pub github_token: Option<Secret>,
    pub gitlab_token: Option<Secret>,
    /// GitLab's dotenv report.
    pub dotenv_file: String,
    /// Seconds one call to a code host or New Relic may take.
    pub timeout: u32,
}

impl Settings {
    pub fn from_env(env: &Env) -> Result<Settings, InputErrors> {
        let mut read = Reader::new(env);
        let settings = Settings {
            cluster_override: read.checked(var::ECS_CLUSTER_ID, is_ecs_name, "a valid ECS cluster name", "cluster names use letters, digits, `-` and `_` (at most 255)"),
            debug: read.boolean(var::MAESTRO_DEBUG),
            build: BuildSettings {
                skip: read.boolean(var::MAESTRO_SKIP_BUILD),
                only: read.boolean(var::MAESTRO_ONLY_BUILD),
                no_cache: read.boolean(var::MAESTRO_NO_CACHE),
                run_image: read.checked(var::MAESTRO_RUN_IMAGE, is_image_reference, "an image reference", "name an image such as `heroku/heroku:24`"),
                builder: read.checked(var::MAESTRO_BUILDER, is_image_reference, "an image reference", "name a builder image such as `heroku/builder:24`"),
                sub_folder: read.checked(var::REPO_SUB_FOLDER, is_relative_path, "a relative path inside the repository", "name the app's folder relative to the repository root, e.g. `services/api`")
                    .map(|folder| folder.trim_end_matches('/').to_owned()),
                repository: read.parsed(var::MAESTRO_IMAGE_REPOSITORY, repository::parse),
                registry_login: registry_login(&mut read),
                aws_credentials: read.boolean(var::MAESTRO_BUILD_AWS_CREDENTIALS),
            },
            tasks: TaskSettings {
                processes: read.parsed(var::ECS_SERVICE_TASK_PROCESSES, process_list::parse).unwrap_or_default(),
                efs_volumes: read.parsed(var::ECS_EFS_VOLUMES, efs::parse).unwrap_or_default(),
                stop_timeout: read.integer(var::ECS_CONTAINER_STOP_TIMEOUT, 0..=120, "seconds"),
                task_role_arn: read.role_arn(var::ECS_TASK_ROLE_ARN),
                execution_role_arn: read.role_arn(var::ECS_EXECUTION_ROLE_ARN),
                image_pull_secret: read.checked(var::MAESTRO_IMAGE_PULL_SECRET, is_secret_reference, "a Secrets Manager secret's ARN or name", "give the ARN (`arn:aws:secretsmanager:<region>:<account>:secret:<name>`) or the name of a secret holding {\"username\": …, \"password\": …}"),
                no_log: read.boolean(var::MAESTRO_NO_LOG),
                secret_name: read.checked(
                    var::MAESTRO_SECRET_NAME,
                    |name| name.len() <= 512 && name.chars().all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c)),
                    "a Secrets Manager secret name",
                    "secret names use letters, digits and `/_+=.@-`, e.g. `shop/staging`",
                ),
                log_retention_days: read.choice(var::MAESTRO_LOG_RETENTION_DAYS, RETENTION_DAYS).and_then(|days| days.parse().ok()),
                capacity_provider: read.choice(var::MAESTRO_CAPACITY_PROVIDER, &["FARGATE_SPOT", "FARGATE"]).and_then(CapacityProvider::from_name).unwrap_or(CapacityProvider::FargateSpot),
                tags: read.parsed(var::WORKLOAD_RESOURCE_TAGS, tags::parse).unwrap_or_default(),
                port: read.integer(var::PORT, 1..=65535, "a port number").and_then(|port| u16::try_from(port).ok()).unwrap_or(DEFAULT_PORT),
            },
            network: NetworkSettings {
                vpc_id: read.checked(var::WORKLOAD_VPC_ID, |id| is_id(id, "vpc-"), "a VPC id", "use the VPC's id, e.g. `vpc-0a1b2c3d`"),
                service_subnets: read.ids(var::ECS_SERVICE_SUBNETS, "subnet-"),
                service_security_groups: read.ids(var::ECS_SERVICE_SECURITY_GROUPS, "sg-"),
            },
            load_balancer: LoadBalancerSettings {
                name_override: read.checked(var::ALB_NAME_OVERRIDE, is_load_balancer_name, "a valid load balancer name", "load balancer names have 1 to 32 letters, digits and `-`, and do not start or end with `-` or start with `internal-`"),
                health_check_path: read
                    .checked(var::MAESTRO_HEALTH_CHECK_PATH, |path| path.starts_with('/') && path.len() <= 1024 && !path.contains(char::is_whitespace), "an absolute URL path", "give the path the load balancer probes, e.g. `/health`")
                    .unwrap_or_else(|| "/".to_owned()),
                deregistration_delay: read.integer(var::MAESTRO_DEREGISTRATION_DELAY, 0..=3600, "seconds").unwrap_or(DEFAULT_DEREGISTRATION_DELAY),
                scheme: read.choice(var::ALB_SCHEME, &["internet-facing", "internal"]).and_then(Scheme::from_name).unwrap_or(Scheme::InternetFacing),
                subnets: read.ids(var::ALB_SUBNETS, "subnet-"),
                security_groups: read.ids(var::ALB_SECURITY_GROUPS, "sg-"),
                host: read.checked(
                    var::MAESTRO_HOST,
                    |host| host.len() <= 128 && !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.*?".contains(c)),
                    "a host name",
                    "give the name clients use, e.g. `staging.shop.example.com` (`*` and `?` wildcards allowed)",
                ),
                certificate_arn: read.checked(
                    var::ALB_CERTIFICATE_ARN,
                    |arn| arn.starts_with("arn:aws") && (arn.contains(":acm:") || arn.contains(":server-certificate/")),
                    "a certificate ARN",
                    "use the ACM certificate's ARN, e.g. `arn:aws:acm:us-east-1:123456789012:certificate/0a1b…`",
                ),
            },
            circuit_breaker: read.parsed(var::DEPLOYMENT_CIRCUIT_BREAKER_RULE, circuit_breaker::parse).unwrap_or_default(),
            service_connect_namespace: read.text(var::SERVICE_CONNECT_NAMESPACE),
            events_role_arn: read.role_arn(var::MAESTRO_EVENTS_ROLE_ARN),
            new_relic: NewRelicSettings {
                api_key: read.text(var::NEW_RELIC_API_KEY).map(Secret::new),
                app_id: read.checked(var::NEW_RELIC_APP_ID, |id| id.chars().all(|c| c.is_ascii_digit()), "a New Relic application id", "use the numeric id from the APM application's URL, e.g. `123456789`"),
                entity_guid: read.checked(var::NEW_RELIC_ENTITY_GUID, |guid| guid.len() <= 255 && guid.chars().all(|c| c.is_ascii_alphanumeric() || c == '=' || c == '-' || c == '_'), "a New Relic entity GUID", "copy the GUID from the entity's metadata in New Relic, e.g. `MXxBUE18QVBQTElDQVRJT058MTIz`"),
                api_url: match (read.checked(var::NEW_RELIC_API_URL, |url| url.starts_with("https://") || url.starts_with("http://"), "an http(s) URL", "give the API's base URL, e.g. `https://api.newrelic.com`"), read.choice(var::NEW_RELIC_REGION, &["US", "EU"])) {
                    (Some(url), _) => url,
                    (None, Some("EU")) => new_relic::EU.to_owned(),
                    (None, _) => new_relic::US.to_owned(),
                },
                description: env.get(var::NEW_RELIC_DESCRIPTION).map(str::to_owned),
            },
            deploy_webhook_url: read
                .checked(var::DEPLOY_WEBHOOK_URL, |url| url.starts_with("https://") || url.starts_with("http://"), "an http(s) URL", "set the full URL, e.g. `https://hooks.example.com/deploy?cluster={{CLUSTER}}`")
                .map(Secret::new),
            reporting: ReportSettings {
                environment: read.checked(var::MAESTRO_ENVIRONMENT, |name| name.len() <= 255 && !name.chars().any(char::is_control), "an environment name", "name the environment as GitHub and GitLab should show it, e.g. `staging`"),
                github_token: read.text(var::MAESTRO_GITHUB_TOKEN).map(Secret::new),
                gitlab_token: read.text(var::MAESTRO_GITLAB_TOKEN).map(Secret::new),
                dotenv_file: read.text(var::MAESTRO_DOTENV_FILE).unwrap_or_else(|| "maestro-deploy.env".to_owned()),
                timeout: read.integer(var::MAESTRO_REPORT_TIMEOUT, 1..=300, "seconds").unwrap_or(10),
            },
            waiting: WaitSettings {
                poll_interval: read
                    .checked(var::MAESTRO_POLL_INTERVAL, |text| text.parse::<f64>().is_ok_and(|seconds| seconds > 0.0 && seconds <= 300.0), "a number of seconds from above 0 to 300", "give seconds, fractions allowed, e.g. `5` or `0.5`")
                    .and_then(|text| text.parse().ok())
                    .unwrap_or(2.0),
                release_timeout: read.integer(var::MAESTRO_RELEASE_TIMEOUT, 1..=86_400, "seconds").unwrap_or(3600),
                deploy_timeout: read.integer(var::MAESTRO_DEPLOY_TIMEOUT, 1..=86_400, "seconds").unwrap_or(1800),
                no_wait: read.boolean(var::MAESTRO_NO_WAIT),
                lock: !read.boolean(var::MAESTRO_NO_LOCK),
                lock_timeout: read.integer(var::MAESTRO_LOCK_TIMEOUT, 0..=86_400, "seconds").unwrap_or(1800),
                lock_ttl: read.integer(var::MAESTRO_LOCK_TTL, 2..=3600, "seconds").unwrap_or(120),
            },
            warnings: renamed_variable_warnings(env),
        };
        read.errors.into_result().map(|()| settings)
    }
}

/// Both or neither: a user name without its password is a mistake worth stopping for.
/// A Secrets Manager secret ARN, or a name (letters, digits and `/_+=.@-`, at most 512).
fn is_secret_reference(value: &str) -> bool {
    match value.strip_prefix("arn:") {
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            matches!(parts.as_slice(), [partition, "secretsmanager", region, account, resource]
                if partition.starts_with("aws")
                    && !region.is_empty()
                    && account.len() == 12
                    && account.chars().all(|c| c.is_ascii_digit())
                    && resource.strip_prefix("secret:").is_some_and(|name| !name.is_empty()))
        }
        None => {
            !value.is_empty()
                && value.len() <= 512
                && value.chars().all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
        }
    }
}

fn registry_login(read: &mut Reader<'_>) -> Option<(String, Secret)> {
    let username = read.text(var::MAESTRO_REGISTRY_USERNAME);
    let password = read.env.get(var::MAESTRO_REGISTRY_PASSWORD).map(Secret::new);
    match (username, password) {
        (Some(username), Some(password)) => Some((username, password)),
        (None, None) => None,
        (username, _) => {
            let (set, missing) = if username.is_some() {
                (var::MAESTRO_REGISTRY_USERNAME, var::MAESTRO_REGISTRY_PASSWORD)
            } else {
                (var::MAESTRO_REGISTRY_PASSWORD, var::MAESTRO_REGISTRY_USERNAME)
            };
            read.errors.push(crate::input_error::InputError::new(
                read.env.label(set),
                format!("{set} is set but {missing} is not"),
                "set both to log in to the image registry, or neither",
            ));
            None
        }
    }
}

fn renamed_variable_warnings(env: &Env) -> Vec<String> {
    var::RENAMED
        .iter()
        .filter(|(old, _)| env.get(old).is_some())
        .map(|(old, new)| format!("{old} is no longer read (the original maestro renamed it); use {new}"))
        .collect()
}

fn is_id(value: &str, prefix: &str) -> bool {
    value.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_ecs_name(value: &str) -> bool {
    value.len() <= 255 && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_load_balancer_name(value: &str) -> bool {
    value.len() <= 32
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.starts_with("internal-")
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fn is_image_reference(value: &str) -> bool {
    !value.chars().any(char::is_whitespace)
}

fn is_relative_path(value: &str) -> bool {
    !value.starts_with('/') && value.split('/').all(|part| part != "..")
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
