//! ECS services: read in batches of 10 (the API's limit), created and updated from a spec.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ecs::types::{AssignPublicIp, ServiceField};

use super::ecs::{Ecs, observed_strategy, observed_tags};
use super::ecs_service_request::{
    Traffic, create_request, observed_propagate_tags, observed_service_connect, started, update_request,
};
use super::failure::{CallError, NotYet, SERVICE_LINKED_ROLE, classified, code, failure};
use crate::error::Failure;
use maestro_core::provision::action::ServiceSpec;
use maestro_core::provision::observed::{LoadBalancerAttachment, ObservedService, TrafficAttachment};
use maestro_core::rollout::service_deployment::Started;
use maestro_core::rollout::{ObservedDeployment, ObservedRollout, ServiceEvent};
use maestro_core::spec::circuit_breaker::{CircuitBreaker, Threshold};

const BATCH: usize = 10;

/// Services read by name: the live ones (`None` when missing or inactive), and the names whose
/// deleted service is still `DRAINING`.
#[derive(Debug, Clone, Default)]
pub(crate) struct FoundServices {
    pub live: BTreeMap<String, Option<ObservedService>>,
    pub draining: BTreeSet<String>,
}

/// CreateService of a name whose deleted service is still DRAINING: "Unable to Start a service
/// that is still Draining." (ewilde/faas-fargate#13). DeleteService's reference: "If you attempt
/// to create a new service with the same name as an existing service in either ACTIVE or DRAINING
/// status, you receive an error."
const DRAINING: NotYet = NotYet {
    code: "InvalidParameterException",
    text: "still Draining",
    window: maestro_core::eventual::SERVICE_DRAINED,
};

impl Ecs {
    /// `names` of `cluster` as DescribeServices answers them, 10 a call (the API's limit), with
    /// their tags when `tags`, whatever their status; `None` when the cluster does not exist.
    pub(crate) async fn described(
        &self,
        cluster: &str,
        names: &[String],
        tags: bool,
    ) -> Result<Option<Vec<aws_sdk_ecs::types::Service>>, Failure> {
        let answers = self.describe_batches(cluster, names, tags).await?;
        let mut described = Vec::new();
        for answer in answers {
            match answer {
                Ok(output) => described.extend(output.services().iter().cloned()),
                Err(error) if code(&*error) == Some("ClusterNotFoundException") => return Ok(None),
                Err(error) => return Err(failure(&format!("describe the services of cluster {cluster}"), &*error)),
            }
        }
        Ok(Some(described))
    }

    /// DescribeServices' answers for `names`, 10 a call, every call at once (none needs another's
    /// answer), in the order of `names`.
    async fn describe_batches(&self, cluster: &str, names: &[String], tags: bool) -> Result<Vec<Described>, Failure> {
        let mut reads = tokio::task::JoinSet::new();
        for (index, batch) in names.chunks(BATCH).enumerate() {
            let request = self.0.describe_services().cluster(cluster).set_services(Some(batch.to_vec()));
            let request = if tags { request.include(ServiceField::Tags) } else { request };
            reads.spawn(async move { (index, request.send().await) });
        }
        let mut answers = Vec::new();
        while let Some(joined) = reads.join_next().await {
            answers.push(joined.map_err(|error| Failure::new(format!("describing services stopped: {error}")))?);
        }
        answers.sort_by_key(|(index, _)| *index);
        Ok(answers.into_iter().map(|(_, answer)| answer.map_err(Box::new)).collect())
    }
}

/// One DescribeServices call's answer (its error boxed: the SDK's is large).
type Described = Result<
    aws_sdk_ecs::operation::describe_services::DescribeServicesOutput,
    Box<aws_sdk_ecs::error::SdkError<aws_sdk_ecs::operation::describe_services::DescribeServicesError>>,
>;

impl Ecs {
    /// The services `names` of `cluster`; missing or inactive ones are `None`, and those still
    /// draining after a delete are named apart (ECS refuses to create their names meanwhile).
    pub(crate) async fn services(&self, cluster: &str, names: &[String]) -> Result<FoundServices, Failure> {
        let mut found: BTreeMap<String, Option<ObservedService>> =
            names.iter().map(|name| (name.clone(), None)).collect();
        let mut draining = BTreeSet::new();
        let Some(described) = self.described(cluster, names, true).await? else {
            return Ok(FoundServices { live: found, draining });
        };
        let drained = described.iter().filter(|service| service.status() == Some("DRAINING"));
        draining.extend(drained.filter_map(|service| service.service_name().map(str::to_owned)));
        for service in described.iter().filter(|service| service.status() == Some("ACTIVE")) {
            let Some(name) = service.service_name() else { continue };
            let vpc = service.network_configuration().and_then(|network| network.awsvpc_configuration());
            let breaker =
                service.deployment_configuration().and_then(|deployment| deployment.deployment_circuit_breaker());
            found.insert(
                name.to_owned(),
                Some(ObservedService {
                    arn: service.service_arn().unwrap_or_default().to_owned(),
                    task_definition: service.task_definition().unwrap_or_default().to_owned(),
                    desired_count: u32::try_from(service.desired_count()).unwrap_or_default(),
                    subnets: vpc.map(|vpc| vpc.subnets().to_vec()).unwrap_or_default(),
                    security_groups: vpc.map(|vpc| vpc.security_groups().to_vec()).unwrap_or_default(),
                    assign_public_ip: vpc.and_then(|vpc| vpc.assign_public_ip()) == Some(&AssignPublicIp::Enabled),
                    circuit_breaker: breaker.map(|breaker| CircuitBreaker {
                        enable: breaker.enable(),
                        rollback: breaker.rollback(),
                        threshold: breaker.threshold_configuration().and_then(|threshold| {
                            Threshold::of(threshold.r#type().as_str(), u32::try_from(threshold.value()).ok()?)
                        }),
                        reset_on_healthy: breaker.reset_on_healthy_task(),
                    }),
                    execute_command: service.enable_execute_command(),
                    propagate_tags: service.propagate_tags().and_then(observed_propagate_tags),
                    load_balancers: service
                        .load_balancers()
                        .iter()
                        .map(|balancer| LoadBalancerAttachment {
                            target_group_arn: balancer.target_group_arn().unwrap_or_default().to_owned(),
                            container: balancer.container_name().unwrap_or_default().to_owned(),
                            port: balancer
                                .container_port()
                                .and_then(|port| u16::try_from(port).ok())
                                .unwrap_or_default(),
                            traffic: balancer.advanced_configuration().map(|advanced| TrafficAttachment {
                                alternate_target_group_arn: advanced
                                    .alternate_target_group_arn()
                                    .unwrap_or_default()
                                    .to_owned(),
                                production_rule: advanced.production_listener_rule().unwrap_or_default().to_owned(),
                                test_rule: advanced.test_listener_rule().map(str::to_owned),
                                role_arn: advanced.role_arn().unwrap_or_default().to_owned(),
                            }),
                        })
                        .collect(),
                    tags: observed_tags(service.tags()),
                    capacity_provider_strategy: observed_strategy(service.capacity_provider_strategy()),
                    health_check_grace_period: service
                        .health_check_grace_period_seconds()
                        .and_then(|seconds| u32::try_from(seconds).ok()),
                    service_connect: observed_service_connect(service),
                    rollout: super::ecs_deployment_configuration::observed(service.deployment_configuration()),
                }),
            );
        }
        Ok(FoundServices { live: found, draining })
    }

    /// The deployments and newest events of `names`, one DescribeServices call per 10 services.
    pub(crate) async fn rollouts(&self, cluster: &str, names: &[String]) -> Result<Vec<ObservedRollout>, Failure> {
        let mut rollouts = Vec::new();
        for answer in self.describe_batches(cluster, names, false).await? {
            let output =
                answer.map_err(|error| failure(&format!("describe the services of cluster {cluster}"), &*error))?;
            for service in output.services() {
                rollouts.push(ObservedRollout {
                    service: service.service_name().unwrap_or_default().to_owned(),
                    deployments: service
                        .deployments()
                        .iter()
                        .map(|deployment| ObservedDeployment {
                            id: deployment.id().unwrap_or_default().to_owned(),
                            status: deployment.status().unwrap_or_default().to_owned(),
                            rollout_state: deployment
                                .rollout_state()
                                .map(|state| state.as_str().to_owned())
                                .unwrap_or_default(),
                            reason: deployment.rollout_state_reason().map(str::to_owned),
                            desired: u32::try_from(deployment.desired_count()).unwrap_or_default(),
                            running: u32::try_from(deployment.running_count()).unwrap_or_default(),
                            pending: u32::try_from(deployment.pending_count()).unwrap_or_default(),
                            failed_tasks: u32::try_from(deployment.failed_tasks()).unwrap_or_default(),
                        })
                        .collect(),
                    events: service
                        .events()
                        .iter()
                        .take(10)
                        .map(|event| ServiceEvent {
                            id: event.id().unwrap_or_default().to_owned(),
                            message: event.message().unwrap_or_default().to_owned(),
                            created_at: event.created_at().and_then(|created| created.to_millis().ok()),
                        })
                        .collect(),
                });
            }
        }
        Ok(rollouts)
    }

    /// The names of every service in `cluster` (none when the cluster does not exist).
    pub(crate) async fn service_names(&self, cluster: &str) -> Result<Vec<String>, Failure> {
        let mut names = Vec::new();
        // 100 a page, ListServices' most (its default is 10): one call for most clusters.
        let mut pages = self.0.list_services().cluster(cluster).max_results(100).into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => {
                    names.extend(page.service_arns().iter().filter_map(|arn| arn.rsplit('/').next().map(str::to_owned)))
                }
                Err(error) if code(&error) == Some("ClusterNotFoundException") => return Ok(Vec::new()),
                Err(error) => return Err(failure(&format!("list the services of cluster {cluster}"), &error)),
            }
        }
        Ok(names)
    }

    /// Creates the service; `NotYet` while ECS's service-linked role propagates, or while a
    /// deleted service of that name is still draining.
    pub(crate) async fn create_service(
        &self,
        spec: &ServiceSpec,
        task_definition: &str,
        target_group_arn: Option<&str>,
        traffic: Option<&Traffic<'_>>,
    ) -> Result<Started, CallError> {
        let output = create_request(self.0.create_service(), spec, task_definition, target_group_arn, traffic)?
            .send()
            .await
            .map_err(|error| {
                classified(&format!("create service {}", spec.name), &error, &[SERVICE_LINKED_ROLE, DRAINING])
            })?;
        Ok(started(output.service()))
    }

    /// Deletes a service without scaling it down first (`force`): its process is gone.
    pub(crate) async fn delete_service(&self, cluster: &str, name: &str) -> Result<(), Failure> {
        self.0
            .delete_service()
            .cluster(cluster)
            .service(name)
            .force(true)
            .send()
            .await
            .map_err(|error| failure(&format!("delete service {name}"), &error))?;
        Ok(())
    }

    /// Only the task count: what `maestro stop` changes, leaving the rest of the service as deployed.
    pub(crate) async fn scale_service(&self, cluster: &str, name: &str, count: u32) -> Result<(), Failure> {
        self.0
            .update_service()
            .cluster(cluster)
            .service(name)
            .desired_count(i32::try_from(count).unwrap_or(i32::MAX))
            .send()
            .await
            .map_err(|error| failure(&format!("scale service {name}"), &error))?;
        Ok(())
    }

    /// A new deployment of the revision the service runs (`maestro restart`): UpdateService with
    /// `forceNewDeployment` and the same task definition, so new tasks start with the current
    /// secret values and image pull. Returns the new deployment's id and service deployment.
    pub(crate) async fn restart_service(
        &self,
        cluster: &str,
        name: &str,
        task_definition: &str,
    ) -> Result<Started, Failure> {
        let output = self
            .0
            .update_service()
            .cluster(cluster)
            .service(name)
            .task_definition(task_definition)
            .force_new_deployment(true)
            .send()
            .await
            .map_err(|error| failure(&format!("restart service {name}"), &error))?;
        Ok(started(output.service()))
    }

    /// Sends only what changed: network, load balancers and Service Connect each start a new
    /// deployment, which replaces every task (UpdateService's reference).
    pub(crate) async fn update_service(
        &self,
        spec: &ServiceSpec,
        task_definition: &str,
        target_group_arn: Option<&str>,
        traffic: Option<&Traffic<'_>>,
    ) -> Result<Started, Failure> {
        let output = update_request(self.0.update_service(), spec, task_definition, target_group_arn, traffic)?
            .send()
            .await
            .map_err(|error| failure(&format!("update service {}", spec.name), &error))?;
        Ok(started(output.service()))
    }
}
