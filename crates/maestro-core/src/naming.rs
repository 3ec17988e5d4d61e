//! Resource names, compatible with the bash maestro so its users' resources are found again.
//!
//! | resource | name |
//! |---|---|
//! | cluster | `ECS_CLUSTER_ID` or `<slug>-<branch>` |
//! | task family, service | `<slug>-<branch>-<process>` |
//! | container | `<slug>` |
//! | log group | `/ecs/<family>` |
//! | log stream | `ecs/<container>/<task id>` (the awslogs driver's, from the stream prefix) |
//! | load balancer, target group | `ALB_NAME_OVERRIDE` or `<slug>-<branch>`, without a `-` at either end; over 32 characters, cut with a hash (see below) |
//! | Service Connect discovery name, named port | `<service>`, `<slug>-<process>`, without a leading `-`; over 64 characters, cut with a hash |
//! | Service Connect client alias (DNS name) | `<process>`; with `MAESTRO_APP`, `<app>-<process>` |
//! | scaling policy | `<service>-<cpu\|mem\|alb>-scaling-policy` |
//! | schedule rule | `md5(<cluster>)[0..6]-<name>`; in a shared cluster (`ECS_CLUSTER_ID`) `md5(<cluster>/<slug>-<branch>)[0..6]-<name>`; cut to 64 characters |
//! | ECR repository | `<slug>-<branch>` |
//! | image tag | the commit's first 8 characters |
//! | secret | `<branch>/<slug>` |
//! | deploy lease (SSM folder) | `/maestro/locks/<slug>-<branch>` |
//! | release records (SSM parameter) | `/maestro/releases/<slug>-<branch>` |
//!
//! With `MAESTRO_APP` (one app of a repository that holds several), `<slug>` above is
//! `<slug>-<app>` throughout: the cluster, families, services, container, log groups, load
//! balancer and target group, Service Connect names, schedule rules, the ECR repository (so the
//! image tags of two apps never meet) and the secret (`<branch>/<slug>-<app>`). Without it every
//! name is unchanged.
//!
//! A name longer than AWS allows is cut, and ends with `-` and the first 6 hex digits of the
//! MD5 of the whole name, so two names cut alike stay apart. The original cut load balancer and
//! target group names to 32 characters without one, so two long branches shared them: their
//! `former_*` names are still adopted when they exist and are not another app's (see
//! `provision::adoption`). The other cut names were refused by AWS, so nobody has them.
//!
//! Sanitising (docs/inputs.md, "Names"): the slug and the branch are lower-cased and every
//! character other than `a-z`, `0-9`, `-` and `_` becomes `-`. Every name the original could
//! actually create is unchanged by this: the characters it changes broke the original's cluster,
//! service or ECR names, so no working deployment used them.

use md5::{Digest, Md5};

use crate::spec::process_list::Metric;

const LOAD_BALANCER_NAME_LIMIT: usize = 32;
const RULE_NAME_LIMIT: usize = 64;
/// Service Connect's `discoveryName` and a port mapping's `name` ("up to 64 characters").
const SERVICE_CONNECT_NAME_LIMIT: usize = 64;
/// CreateLoadBalancer: the name "must not begin with internal-".
const INTERNAL_PREFIX: &str = "internal-";
/// ECS allows 255 characters in cluster, service and family names.
const ECS_NAME_LIMIT: usize = 255;
/// PutMetricAlarm's `AlarmName`: "Length Constraints: Minimum length of 1. Maximum length of 255."
const ALARM_NAME_LIMIT: usize = 255;

fn sanitise(text: &str) -> String {
    text.chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_' { c } else { '-' }
        })
        .collect()
}

/// The repository path inside a clone URL, or the text itself when it is already `owner/name`.
///
/// Handles `https://host/owner/name.git`, `git@host:owner/name.git`, `ssh://git@host:22/owner/name`,
/// nested GitLab groups, and CodeCommit's `.../v1/repos/name` and `codecommit::region://name`.
pub fn repository_path(repository: &str) -> String {
    let mut path = repository.trim();
    if let Some((_, rest)) = path.split_once("://") {
        // Scheme-style URLs: drop the host (and the `codecommit::region` prefix, which has no host).
        path = if repository.starts_with("codecommit::") {
            rest
        } else {
            rest.split_once('/').map_or("", |(_, after)| after)
        };
    } else if let Some((user_host, rest)) = path.split_once(':')
        && (user_host.contains('@') || user_host.contains('.'))
    {
        path = rest;
    }
    if let Some((_, name)) = path.split_once("v1/repos/") {
        path = name;
    }
    path.trim_matches('/').trim_end_matches(".git").trim_matches('/').to_owned()
}

/// `owner/name` (or a URL) → `owner-name`, lower case, dots and slashes as dashes.
pub fn slug(repository: &str) -> String {
    sanitise(&repository_path(repository))
}

/// A branch name as AWS can take it: `feature/Login.v2` → `feature-login-v2`.
pub fn branch(branch: &str) -> String {
    let branch = branch.trim();
    let branch = branch.strip_prefix("refs/heads/").unwrap_or(branch);
    sanitise(branch)
}

/// An app's name (`MAESTRO_APP`) as it appears in resource names, sanitised like the slug
/// (`Billing API` → `billing-api`); `None` when nothing of it would be left but `-` and `_`.
pub fn app(app: &str) -> Option<String> {
    let app = sanitise(app.trim());
    app.chars().any(|c| c.is_ascii_alphanumeric()).then(|| app.trim_matches('-').to_owned())
}

/// What resource names start with: the slug, and the app when the repository holds several
/// (`<slug>-<app>`), so two apps of one repository share no name.
pub fn app_slug(slug: &str, app: Option<&str>) -> String {
    match app {
        None => slug.to_owned(),
        Some(app) => format!("{slug}-{app}"),
    }
}

/// An environment's key in maestro's SSM names (the deploy lease's folder, the release records):
/// `<slug>-<branch>`, `default` for no branch.
pub fn environment_key(app_slug: &str, branch_slug: Option<&str>) -> String {
    format!("{app_slug}-{}", branch_slug.unwrap_or("default"))
}

/// The first 8 characters of a commit SHA: the image tag.
pub fn short_sha(sha: &str) -> String {
    sha.chars().take(8).collect()
}

/// Cuts `name` to `limit` characters without leaving a `-` at the end (an invalid last character).
fn cut(name: &str, limit: usize) -> String {
    let cut: String = name.chars().take(limit).collect();
    cut.trim_end_matches('-').to_owned()
}

/// `name` without the `-`s it starts with (a slug from `MAESTRO_REPO_OVERRIDE`, which is free
/// text, may sanitise to one): load balancer and target group names may not start with `-`, and
/// of a Service Connect discovery name or named port ECS says "The name can't start with a
/// hyphen". A name that does not start with `-` is unchanged, so no existing deploy is renamed;
/// one that does was refused, so nobody has it.
fn lead_trimmed(name: &str) -> String {
    name.trim_start_matches('-').to_owned()
}

/// The first 6 hex digits of the MD5 of `text`.
fn short_hash(text: &str) -> String {
    Md5::digest(text.as_bytes()).iter().take(3).map(|byte| format!("{byte:02x}")).collect()
}

/// `name` when it has at most `limit` characters; else its start, `-` and a hash of all of it.
pub(crate) fn fit(name: &str, limit: usize) -> String {
    if name.chars().count() <= limit { name.to_owned() } else { hashed(name, name, limit) }
}

/// The start of `text` and a hash of `whole`, in `limit` characters.
fn hashed(text: &str, whole: &str, limit: usize) -> String {
    format!("{}-{}", cut(text, limit - 7), short_hash(whole))
}

/// What every schedule rule of an environment starts with. A cluster of its own holds one
/// environment, so the cluster's hash is enough (the original's names, so its rules are adopted).
/// A shared cluster (`ECS_CLUSTER_ID`, `shared_by` the environment `<slug>-<branch>`) holds
/// several, and two branches' `feed` schedules would share one rule, each deploy pointing it at
/// its own task definition: the environment is hashed in too.
pub fn schedule_rule_prefix(cluster: &str, shared_by: Option<&str>) -> String {
    match shared_by {
        None => format!("{}-", short_hash(cluster)),
        Some(environment) => format!("{}-", short_hash(&format!("{cluster}/{environment}"))),
    }
}

/// The family the test phase's ECS runner registers (`MAESTRO_TEST_RUNNER=ecs`), from the
/// environment's launcher family (`<slug>-<branch>-launcher`): `<slug>-<branch>-maestro-test`,
/// apart from every Procfile process's, a Procfile `test` process's included (the deploy keeps
/// that one on the shipped image).
pub fn test_phase_family(launcher_family: &str) -> String {
    let base = launcher_family.strip_suffix(&format!("-{}", crate::spec::LAUNCHER_PROCESS)).unwrap_or(launcher_family);
    format!("{base}-maestro-test")
}

/// Every name of one app on one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    slug: String,
    branch: String,
    cluster: String,
    /// Named by `ECS_CLUSTER_ID`: other environments may run in it.
    shared_cluster: bool,
    load_balancer: String,
    /// `MAESTRO_APP`, already part of `slug` (see [`app_slug`]); kept for the client alias.
    app: Option<String>,
}

impl Names {
    /// `slug` and `branch` are already sanitised (see [`slug`] and [`branch`]).
    pub fn new(slug: &str, branch: &str, cluster_override: Option<&str>, load_balancer_override: Option<&str>) -> Self {
        let base = format!("{slug}-{branch}");
        Self {
            slug: slug.to_owned(),
            branch: branch.to_owned(),
            cluster: cluster_override.map_or_else(|| base.clone(), str::to_owned),
            shared_cluster: cluster_override.is_some(),
            load_balancer: load_balancer_override.map_or_else(|| Self::load_balancer_name(&base), str::to_owned),
            app: None,
        }
    }

    /// These names for the app `app` of the repository, whose slug (given to [`Names::new`]) is
    /// already [`app_slug`].
    pub fn for_app(mut self, app: Option<&str>) -> Self {
        self.app = app.map(str::to_owned);
        self
    }

    fn base(&self) -> String {
        format!("{}-{}", self.slug, self.branch)
    }

    /// Load balancer names allow only letters, digits and `-`, 32 of them, not at either end.
    fn load_balancer_name(base: &str) -> String {
        let name = lead_trimmed(&base.replace('_', "-"));
        match name.strip_prefix(INTERNAL_PREFIX) {
            // AWS refuses the name, so nobody has it: `int-…` with the hash of the whole.
            Some(rest) => hashed(&format!("int-{rest}"), &name, LOAD_BALANCER_NAME_LIMIT),
            None => Self::target_group_name(base),
        }
    }

    /// As a load balancer's, but a target group may start with `internal-`.
    fn target_group_name(base: &str) -> String {
        let name = base.replace('_', "-");
        fit(lead_trimmed(&name).trim_end_matches('-'), LOAD_BALANCER_NAME_LIMIT)
    }

    /// The name the original (and maestro before the hash) cut `base` to, when it differs. One
    /// that starts with `-` was refused by AWS, so nobody has it (and a describe by that name
    /// would be refused too).
    fn former_name(base: &str) -> Option<String> {
        let former = cut(&base.replace('_', "-"), LOAD_BALANCER_NAME_LIMIT);
        (former != Self::target_group_name(base) && !former.starts_with('-')).then_some(former)
    }

    pub fn slug(&self) -> &str {
        &self.slug
    }

    pub fn branch(&self) -> &str {
        &self.branch
    }

    pub fn cluster(&self) -> &str {
        &self.cluster
    }

    /// Task-definition family and service name of `process`.
    pub fn family(&self, process: &str) -> String {
        format!("{}-{process}", self.base())
    }

    pub fn service(&self, process: &str) -> String {
        self.family(process)
    }

    pub fn container(&self) -> &str {
        &self.slug
    }

    pub fn log_group(&self, process: &str) -> String {
        format!("/ecs/{}", self.family(process))
    }

    /// The named port of `process`, which Service Connect refers to.
    pub fn port_name(&self, process: &str) -> String {
        fit(&lead_trimmed(&format!("{}-{process}", self.slug)), SERVICE_CONNECT_NAME_LIMIT)
    }

    /// The name `process`'s service is known by through Service Connect.
    pub fn discovery_name(&self, process: &str) -> String {
        fit(&lead_trimmed(&self.service(process)), SERVICE_CONNECT_NAME_LIMIT)
    }

    /// The DNS name other services of the namespace call `process` by: the process (`web`), and
    /// `<app>-<process>` with `MAESTRO_APP`, so two apps' `web` in one namespace stay two.
    pub fn client_alias(&self, process: &str) -> String {
        match &self.app {
            None => process.to_owned(),
            Some(app) => fit(&format!("{app}-{process}"), SERVICE_CONNECT_NAME_LIMIT),
        }
    }

    pub fn load_balancer(&self) -> &str {
        &self.load_balancer
    }

    /// The target group keeps `<slug>-<branch>` even with a shared load balancer, as the original.
    pub fn target_group(&self) -> String {
        Self::target_group_name(&self.base())
    }

    /// The second target group of a blue-green, canary or linear deploy (none in the original).
    pub fn alternate_target_group(&self) -> String {
        Self::target_group_name(&format!("{}-alt", self.base()))
    }

    /// The original's cut of a load balancer name that is now cut with a hash (none with
    /// ALB_NAME_OVERRIDE, whose name is not cut).
    pub fn former_load_balancer(&self) -> Option<String> {
        let overridden = self.load_balancer != Self::load_balancer_name(&self.base());
        if overridden || self.base().replace('_', "-").starts_with(INTERNAL_PREFIX) {
            return None;
        }
        Self::former_name(&self.base())
    }

    /// The original's cut of the target group's name, when it is now cut with a hash.
    pub fn former_target_group(&self) -> Option<String> {
        Self::former_name(&self.base())
    }

    /// The CloudWatch alarm ECS rolls `process`'s deployments back on: the service's name and
    /// what it watches, within the 255 characters of an alarm name.
    pub fn rollback_alarm(&self, process: &str) -> String {
        fit(&format!("{}-5xx", self.service(process)), ALARM_NAME_LIMIT)
    }

    pub fn scaling_policy(&self, process: &str, metric: Metric) -> String {
        scaling_policy_of(&self.service(process), metric)
    }

    pub fn scalable_target(&self, process: &str) -> String {
        scalable_target_of(&self.cluster, &self.service(process))
    }

    /// The EventBridge rule of a scheduled task; the hash keeps two clusters' (and, in a shared
    /// cluster, two environments') rules apart.
    pub fn schedule_rule(&self, schedule: &str) -> String {
        cut(&format!("{}{schedule}", self.schedule_rule_prefix()), RULE_NAME_LIMIT)
    }

    /// See [`schedule_rule_prefix`].
    pub fn schedule_rule_prefix(&self) -> String {
        schedule_rule_prefix(&self.cluster, self.shared_cluster.then(|| self.base()).as_deref())
    }

    /// The prefixes the environment's schedule rules are listed under: its own and, in a shared
    /// cluster, the cluster's alone, which every environment in it used before: those the
    /// environment's marker is on are then found and deleted, the others are left.
    pub fn schedule_rule_prefixes(&self) -> Vec<String> {
        let own = self.schedule_rule_prefix();
        let former = schedule_rule_prefix(&self.cluster, None);
        if own == former { vec![own] } else { vec![own, former] }
    }

    pub fn ecr_repository(&self) -> String {
        self.base()
    }

    pub fn secret(&self) -> String {
        format!("{}/{}", self.branch, self.slug)
    }

    /// Names longer than ECS accepts, for an early error: `(what, name)`.
    pub fn too_long<'a>(&self, processes: impl IntoIterator<Item = &'a str>) -> Option<(String, String)> {
        std::iter::once(("cluster".to_owned(), self.cluster.clone()))
            .chain(processes.into_iter().map(|process| (format!("service of `{process}`"), self.service(process))))
            .find(|(_, name)| name.len() > ECS_NAME_LIMIT)
    }
}

/// The Application Auto Scaling resource id of `service` in `cluster`, whether or not the plan
/// autoscales it (observation and `maestro stop` look for it either way).
pub fn scalable_target_of(cluster: &str, service: &str) -> String {
    format!("service/{cluster}/{service}")
}

/// The name of `service`'s scaling policy for `metric`.
pub fn scaling_policy_of(service: &str, metric: Metric) -> String {
    format!("{service}-{}-scaling-policy", metric.as_str())
}

/// Every policy name maestro could have given `service`: how removed metrics are found.
pub fn scaling_policies_of(service: &str) -> [String; 3] {
    [Metric::Cpu, Metric::Mem, Metric::Alb].map(|metric| scaling_policy_of(service, metric))
}

/// The `awslogs-stream-prefix` of every container maestro defines: its log streams are
/// `ecs/<container>/<task id>`.
pub const LOG_STREAM_PREFIX: &str = "ecs";

/// The id at the end of a task's ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`).
pub fn task_id(task_arn: &str) -> &str {
    task_arn.rsplit('/').next().unwrap_or(task_arn)
}

/// The log stream the awslogs driver writes `container`'s output of the task `task_arn` to.
pub fn log_stream(container: &str, task_arn: &str) -> String {
    format!("{LOG_STREAM_PREFIX}/{container}/{}", task_id(task_arn))
}

#[cfg(test)]
#[path = "naming_tests.rs"]
mod tests;
