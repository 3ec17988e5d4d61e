//! ECS one-off tasks: the release phase.

use aws_sdk_ecs::types::{AssignPublicIp, AwsVpcConfiguration, LaunchType, NetworkConfiguration, PropagateTags};

use super::ecs::Ecs;
use super::failure::failure;
use crate::error::Failure;
use maestro_core::release::{ObservedContainer, ObservedTask};

impl Ecs {
    /// Starts one task of `task_definition` on Fargate in the services' network; returns its ARN.
    pub(crate) async fn run_task(
        &self,
        cluster: &str,
        task_definition: &str,
        subnets: &[String],
        security_groups: &[String],
    ) -> Result<String, Failure> {
        let vpc = AwsVpcConfiguration::builder()
            .set_subnets(Some(subnets.to_vec()))
            .set_security_groups(Some(security_groups.to_vec()))
            .assign_public_ip(AssignPublicIp::Disabled)
            .build()
            .map_err(|error| Failure::new(format!("invalid task network: {error}")))?;
        let output = self
            .0
            .run_task()
            .cluster(cluster)
            .task_definition(task_definition)
            .launch_type(LaunchType::Fargate)
            .network_configuration(NetworkConfiguration::builder().awsvpc_configuration(vpc).build())
            .started_by("maestro")
            .propagate_tags(PropagateTags::TaskDefinition)
            .send()
            .await
            .map_err(|error| failure(&format!("start the release task {task_definition}"), &error))?;
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
        Err(Failure::new(format!("ECS did not start the release task: {}", reasons.join("; ")))
            .hint("check the cluster's capacity providers and the services' subnets and security groups"))
    }

    /// Up to `limit` stopped tasks started by `started_by` (a service deployment's id), with ARNs.
    pub(crate) async fn stopped_tasks(
        &self,
        cluster: &str,
        started_by: &str,
        limit: usize,
    ) -> Result<Vec<(String, ObservedTask)>, Failure> {
        let listed = self
            .0
            .list_tasks()
            .cluster(cluster)
            .started_by(started_by)
            .desired_status(aws_sdk_ecs::types::DesiredStatus::Stopped)
            .send()
            .await
            .map_err(|error| failure(&format!("list the stopped tasks of {started_by}"), &error))?;
        let mut tasks = Vec::new();
        for arn in listed.task_arns().iter().take(limit) {
            tasks.push((arn.clone(), self.task(cluster, arn).await?));
        }
        Ok(tasks)
    }

    pub(crate) async fn task(&self, cluster: &str, task_arn: &str) -> Result<ObservedTask, Failure> {
        let output = self
            .0
            .describe_tasks()
            .cluster(cluster)
            .tasks(task_arn)
            .send()
            .await
            .map_err(|error| failure(&format!("describe task {task_arn}"), &error))?;
        let Some(task) = output.tasks().first() else {
            return Err(Failure::new(format!("ECS no longer knows task {task_arn}")));
        };
        Ok(ObservedTask {
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
        })
    }
}
