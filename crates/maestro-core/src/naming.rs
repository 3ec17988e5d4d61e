//! Resource names, compatible with the bash maestro so its users' resources are found again.
//!
//! | resource | name |
//! |---|---|
//! | cluster | `ECS_CLUSTER_ID` or `<slug>-<branch>` |
//! | task family, service | `<slug>-<branch>-<process>` |
//! | container | `<slug>` |
//! | log group | `/ecs/<family>` |
//! | log stream | `ecs/<container>/<task id>` (the awslogs driver's, from the stream prefix) |
//! | load balancer, target group | `ALB_NAME_OVERRIDE` or `<slug>-<branch>`, cut to 32 characters, no trailing `-` |
//! | scaling policy | `<service>-<cpu\|mem\|alb>-scaling-policy` |
//! | schedule rule | `md5(<cluster>)[0..6]-<name>`, cut to 64 characters |
//! | ECR repository | `<slug>-<branch>` |
//! | image tag | the commit's first 8 characters |
//! | secret | `<branch>/<slug>` |
//!
//! Sanitising (docs/inputs.md, "Names"): the slug and the branch are lower-cased and every
//! character other than `a-z`, `0-9`, `-` and `_` becomes `-`. Every name the original could
//! actually create is unchanged by this: the characters it changes broke the original's cluster,
//! service or ECR names, so no working deployment used them.

use md5::{Digest, Md5};

use crate::spec::process_list::Metric;

const LOAD_BALANCER_NAME_LIMIT: usize = 32;
const RULE_NAME_LIMIT: usize = 64;
/// ECS allows 255 characters in cluster, service and family names.
const ECS_NAME_LIMIT: usize = 255;

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

/// The first 8 characters of a commit SHA: the image tag.
pub fn short_sha(sha: &str) -> String {
    sha.chars().take(8).collect()
}

/// Cuts `name` to `limit` characters without leaving a `-` at the end (an invalid last character).
fn cut(name: &str, limit: usize) -> String {
    let cut: String = name.chars().take(limit).collect();
    cut.trim_end_matches('-').to_owned()
}

/// `md5(cluster)[0..6]-`: what every schedule rule of `cluster` starts with.
pub fn schedule_rule_prefix(cluster: &str) -> String {
    let digest = Md5::digest(cluster.as_bytes());
    let hash: String = digest.iter().take(3).map(|byte| format!("{byte:02x}")).collect();
    format!("{hash}-")
}

/// Every name of one app on one branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    slug: String,
    branch: String,
    cluster: String,
    load_balancer: String,
}

impl Names {
    /// `slug` and `branch` are already sanitised (see [`slug`] and [`branch`]).
    pub fn new(slug: &str, branch: &str, cluster_override: Option<&str>, load_balancer_override: Option<&str>) -> Self {
        let base = format!("{slug}-{branch}");
        Self {
            slug: slug.to_owned(),
            branch: branch.to_owned(),
            cluster: cluster_override.map_or_else(|| base.clone(), str::to_owned),
            load_balancer: load_balancer_override.map_or_else(|| Self::load_balancer_name(&base), str::to_owned),
        }
    }

    fn base(&self) -> String {
        format!("{}-{}", self.slug, self.branch)
    }

    /// Load balancer names allow only letters, digits and `-`.
    fn load_balancer_name(base: &str) -> String {
        cut(&base.replace('_', "-"), LOAD_BALANCER_NAME_LIMIT)
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
        format!("{}-{process}", self.slug)
    }

    pub fn load_balancer(&self) -> &str {
        &self.load_balancer
    }

    /// The target group keeps `<slug>-<branch>` even with a shared load balancer, as the original.
    pub fn target_group(&self) -> String {
        Self::load_balancer_name(&self.base())
    }

    pub fn scaling_policy(&self, process: &str, metric: Metric) -> String {
        scaling_policy_of(&self.service(process), metric)
    }

    pub fn scalable_target(&self, process: &str) -> String {
        scalable_target_of(&self.cluster, &self.service(process))
    }

    /// The EventBridge rule of a scheduled task; the hash keeps two clusters' rules apart.
    pub fn schedule_rule(&self, schedule: &str) -> String {
        cut(&format!("{}{schedule}", schedule_rule_prefix(&self.cluster)), RULE_NAME_LIMIT)
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
