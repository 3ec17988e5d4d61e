//! A plan checked for no account in particular, and the account that makes it a desired state.
//!
//! Everything a plan can get wrong is checked before an account is known (`maestro plan` and
//! `deploy` check before any AWS call, and learn the account from AWS only then). What the
//! account decides is only named here: the ECR registry of the image, and the ARNs of the cluster
//! and role the scheduled tasks run with.

use super::desired::{
    Cluster, DesiredState, Image, LoadBalancer, Network, Release, SCHEMA_VERSION, ScheduledTask, Service,
    TaskDefinition,
};
use super::task_definition;
use crate::build::repository::ImageRepository;
use crate::build::source::Source;
use crate::request::DeployRequest;
use crate::spec::efs::EfsVolume;
use crate::spec::tags::Tag;
use crate::types::{AccountId, Region};

/// Every resource the app needs, checked, for whichever account [`Plan::bind`] is given.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub(super) request: DeployRequest,
    pub(super) region: Region,
    pub(super) cluster: Cluster,
    pub(super) image: PlannedImage,
    pub(super) secret: String,
    pub(super) log_retention_days: Option<u32>,
    pub(super) log_groups: Vec<String>,
    /// The app container's image is set by [`Plan::bind`].
    pub(super) task_definitions: Vec<TaskDefinition>,
    pub(super) services: Vec<Service>,
    pub(super) load_balancer: Option<LoadBalancer>,
    pub(super) schedules: Vec<Schedule>,
    /// `MAESTRO_EVENTS_ROLE_ARN`; else the account's `ecsEventsRole`.
    pub(super) events_role_arn: Option<String>,
    /// The app's container, which scheduled tasks run their command in.
    pub(super) container: String,
    /// Where one-off and scheduled tasks run.
    pub(super) network: Network,
    pub(super) release: Option<Release>,
    pub(super) efs_volumes: Vec<EfsVolume>,
    pub(super) tags: Vec<Tag>,
    pub(super) warnings: Vec<String>,
    pub(super) preview: Option<crate::preview::Preview>,
}

/// The image, but for its registry when that is the account's ECR.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PlannedImage {
    /// `MAESTRO_IMAGE_REPOSITORY`, when it names one; else the account's ECR repository.
    pub(super) repository: Option<ImageRepository>,
    /// The ECR repository's name, `<slug>-<branch>`.
    pub(super) ecr_repository: String,
    pub(super) tag: String,
    pub(super) architecture: crate::platform::Architecture,
    pub(super) builder: String,
    pub(super) builder_source: String,
    pub(super) source_dir: String,
    pub(super) source: Source,
}

/// A scheduled task, but for the ARNs of the cluster and role it runs with.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Schedule {
    pub(super) name: String,
    pub(super) rule: String,
    pub(super) expression: String,
    pub(super) command: String,
    pub(super) task_definition: String,
    /// Off for a preview's schedules, unless MAESTRO_PREVIEW_SCHEDULES=true.
    pub(super) enabled: bool,
}

impl Plan {
    /// The pull request's preview this plan deploys, if it is one.
    pub fn preview(&self) -> Option<&crate::preview::Preview> {
        self.preview.as_ref()
    }

    /// The cluster's name, known before any AWS call.
    pub fn cluster_name(&self) -> &str {
        &self.cluster.name
    }

    /// Each process that logs and its log group, in the plan's order (`maestro logs`; none under
    /// `MAESTRO_NO_LOG`), known before any AWS call.
    pub fn log_sources(&self) -> Vec<crate::logs::sources::Source> {
        let logged = self.task_definitions.iter().filter_map(|definition| {
            let group = definition.log_group.clone()?;
            Some(crate::logs::sources::Source { process: definition.process.clone(), group })
        });
        logged.collect()
    }

    /// The processes that run as services, known before any AWS call (`maestro restart`'s names).
    pub fn service_processes(&self) -> Vec<&str> {
        self.services.iter().map(|service| service.process.as_str()).collect()
    }

    /// The plan's other processes: those with a task definition (the release, the schedules',
    /// the launcher) and each schedule's name.
    pub fn other_processes(&self) -> Vec<&str> {
        let services = self.service_processes();
        let defined = self.task_definitions.iter().map(|definition| definition.process.as_str());
        let scheduled = self.schedules.iter().map(|schedule| schedule.name.as_str());
        defined.chain(scheduled).filter(|name| !services.contains(name)).collect()
    }

    /// The desired state of the app's resources in `account`.
    pub fn bind(self, account: &AccountId) -> DesiredState {
        let region = &self.region;
        let partition = region.partition();
        let (repository, uri) = match &self.image.source {
            Source::Prebuilt(image) => (image.repository.clone(), image.uri()),
            Source::Buildpacks | Source::Dockerfile(_) => {
                let repository = self.image.repository.unwrap_or_else(|| {
                    let domain = if region.is_china() { "amazonaws.com.cn" } else { "amazonaws.com" };
                    ImageRepository {
                        host: format!("{account}.dkr.ecr.{region}.{domain}"),
                        path: self.image.ecr_repository,
                    }
                });
                let uri = repository.reference(&self.image.tag);
                (repository, uri)
            }
        };
        let mut task_definitions = self.task_definitions;
        for definition in &mut task_definitions {
            task_definition::set_image(definition, &uri);
        }
        let cluster_arn = format!("arn:{partition}:ecs:{region}:{account}:cluster/{}", self.cluster.name);
        let mut services = self.services;
        for rollout in services.iter_mut().filter_map(|service| service.rollout.as_mut()) {
            rollout.infrastructure_role_arn.get_or_insert_with(|| {
                format!("arn:{partition}:iam::{account}:role/ecsInfrastructureRoleForLoadBalancers")
            });
        }
        let role_arn =
            self.events_role_arn.unwrap_or_else(|| format!("arn:{partition}:iam::{account}:role/ecsEventsRole"));
        let schedules = self
            .schedules
            .into_iter()
            .map(|schedule| ScheduledTask {
                name: schedule.name,
                rule: schedule.rule,
                expression: schedule.expression,
                command: schedule.command,
                launch: self.image.source.launch(),
                task_definition: schedule.task_definition,
                enabled: schedule.enabled,
                cluster_arn: cluster_arn.clone(),
                role_arn: role_arn.clone(),
                container: self.container.clone(),
                network: self.network.clone(),
            })
            .collect();
        let mut request = self.request;
        request.account_id = Some(account.clone());
        DesiredState {
            schema_version: SCHEMA_VERSION,
            request,
            cluster: self.cluster,
            image: Image {
                registry_kind: repository.kind(),
                uri,
                repository: repository.path,
                registry: repository.host,
                tag: self.image.tag,
                architecture: self.image.architecture,
                builder: self.image.builder,
                builder_source: self.image.builder_source,
                source_dir: self.image.source_dir,
                source: self.image.source,
            },
            secret: self.secret,
            log_retention_days: self.log_retention_days,
            log_groups: self.log_groups,
            task_definitions,
            services,
            load_balancer: self.load_balancer,
            schedules,
            release: self.release,
            efs_volumes: self.efs_volumes,
            tags: self.tags,
            warnings: self.warnings,
            preview: self.preview,
        }
    }
}

#[cfg(test)]
#[path = "bind_tests.rs"]
mod tests;
