//! ECS one-off tasks: the release phase and `maestro run`.

use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, ContainerOverride, DesiredStatus, LaunchType, NetworkConfiguration,
    PropagateTags, Task, TaskOverride,
};

use super::ecs::{Ecs, strategy};
use super::failure::failure;
use crate::error::Failure;
use maestro_core::plan::desired::{CapacityProviderWeight, Network};
use maestro_core::release::{ObservedContainer, ObservedTask};
use maestro_core::spec::process_list::TaskSize;

/// One task to start: its task definition (a family runs its latest ACTIVE revision), the
/// services' network, and where it lands.
pub(crate) struct TaskLaunch<'a> {
    pub cluster: &'a str,
    pub task_definition: &'a str,
    pub network: &'a Network,
    /// The capacity provider strategy; empty runs it with the FARGATE launch type (the release).
    pub strategy: &'a [CapacityProviderWeight],
    pub overrides: Option<&'a TaskOverrides>,
    /// What the task is, for messages: `the release task`.
    pub what: &'a str,
}

/// RunTask's `overrides`: the app container's command, and the task's size.
pub(crate) struct TaskOverrides {
    pub container: String,
    pub command: Vec<String>,
    pub size: Option<TaskSize>,
}

impl Ecs {
    /// Starts one task as `launch` says; returns its ARN.
    pub(crate) async fn run_task(&self, launch: &TaskLaunch<'_>) -> Result<String, Failure> {
        let (network, what) = (launch.network, launch.what);
        let public_ip = if network.assign_public_ip { AssignPublicIp::Enabled } else { AssignPublicIp::Disabled };
        let vpc = AwsVpcConfiguration::builder()
            .set_subnets(Some(network.subnets.clone()))
            .set_security_groups(Some(network.security_groups.clone()))
            .assign_public_ip(public_ip)
            .build()
            .map_err(|error| Failure::new(format!("invalid task network: {error}")))?;
        let mut request = self
            .0
            .run_task()
            .cluster(launch.cluster)
            .task_definition(launch.task_definition)
            .network_configuration(NetworkConfiguration::builder().awsvpc_configuration(vpc).build())
            .started_by("maestro")
            .propagate_tags(PropagateTags::TaskDefinition);
        request = match launch.strategy {
            [] => request.launch_type(LaunchType::Fargate),
            items => request.set_capacity_provider_strategy(Some(strategy(items)?)),
        };
        if let Some(overrides) = launch.overrides {
            request = request.overrides(task_override(overrides));
        }
        let output = request.send().await.map_err(|error| failure(&format!("start {what}"), &error))?;
        if let Some(task) = output.tasks().first().and_then(|task| task.task_arn()) {
            return Ok(task.to_owned());
        }
        let reasons: Vec<String> = output
            .failures()
            .iter()
            .map(|failure| {
                format!("{}: {}", failure.reason().unwrap_or_default(), failure.detail().unwrap_or_default())
            })
            .collect();
        Err(Failure::new(format!("ECS did not start {what}: {}", reasons.join("; ")))
            .hint("check the cluster's capacity providers and the services' subnets and security groups"))
    }

    /// Up to `limit` stopped tasks of `service` started by `started_by` (a deployment's id), with
    /// their ARNs. ListTasks's `startedBy` "must be the only filter that you use" (aws-sdk-ecs
    /// 1.157.0), and alone it lists only tasks whose desired status is RUNNING, the default filter:
    /// so the service's stopped tasks are listed, and the deployment's are picked from their
    /// description. Stopped tasks stay listed "for at least one hour" (DescribeTasks).
    pub(crate) async fn stopped_tasks(
        &self,
        cluster: &str,
        service: &str,
        started_by: &str,
        limit: usize,
    ) -> Result<Vec<(String, ObservedTask)>, Failure> {
        let mut arns = Vec::new();
        let mut pages = self
            .0
            .list_tasks()
            .cluster(cluster)
            .service_name(service)
            .desired_status(DesiredStatus::Stopped)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure(&format!("list the stopped tasks of {service}"), &error))?;
            arns.extend(page.task_arns().iter().cloned());
        }
        let mut found = Vec::new();
        for batch in arns.chunks(DESCRIBE_BATCH) {
            let output = self
                .0
                .describe_tasks()
                .cluster(cluster)
                .set_tasks(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|error| failure(&format!("describe the stopped tasks of {service}"), &error))?;
            let ours = output.tasks().iter().filter(|task| task.started_by() == Some(started_by));
            found.extend(ours.map(|task| (task.task_arn().unwrap_or_default().to_owned(), observed(task))));
            if found.len() >= limit {
                break;
            }
        }
        found.truncate(limit);
        Ok(found)
    }

    /// The task as ECS describes it; `None` while it is `MISSING`, as a task RunTask has just
    /// started can be (the API is eventually consistent: `maestro_core::eventual::TASK_VISIBLE`).
    pub(crate) async fn task(&self, cluster: &str, task_arn: &str) -> Result<Option<ObservedTask>, Failure> {
        let output = self
            .0
            .describe_tasks()
            .cluster(cluster)
            .tasks(task_arn)
            .send()
            .await
            .map_err(|error| failure(&format!("describe task {task_arn}"), &error))?;
        Ok(output.tasks().first().map(observed))
    }

    /// Stops a task maestro started and gave up on (a release that timed out or was cancelled),
    /// so the next deploy does not run a second release beside it.
    pub(crate) async fn stop_task(&self, cluster: &str, task_arn: &str, reason: &str) -> Result<(), Failure> {
        self.0
            .stop_task()
            .cluster(cluster)
            .task(task_arn)
            .reason(reason)
            .send()
            .await
            .map_err(|error| failure(&format!("stop task {task_arn}"), &error))?;
        Ok(())
    }
}

/// DescribeTasks takes up to 100 tasks per call.
const DESCRIBE_BATCH: usize = 100;

fn observed(task: &Task) -> ObservedTask {
    ObservedTask {
        last_status: task.last_status().unwrap_or_default().to_owned(),
        stop_code: task.stop_code().map(|code| code.as_str().to_owned()),
        stopped_reason: task.stopped_reason().map(str::to_owned),
        containers: task
            .containers()
            .iter()
            .map(|container| ObservedContainer {
                name: container.name().unwrap_or_default().to_owned(),
                exit_code: container.exit_code(),
                reason: container.reason().map(str::to_owned),
            })
            .collect(),
    }
}

/// The command replaces the container's (the launcher family's entry point, the CNB launcher,
/// runs it); the size, given as task-level cpu and memory, replaces the task definition's.
fn task_override(overrides: &TaskOverrides) -> TaskOverride {
    let container =
        ContainerOverride::builder().name(&overrides.container).set_command(Some(overrides.command.clone())).build();
    let task = TaskOverride::builder().container_overrides(container);
    match overrides.size {
        Some(size) => task.cpu(size.cpu.to_string()).memory(size.memory.to_string()).build(),
        None => task.build(),
    }
}
