//! ECS: clusters and task definitions.

use aws_sdk_ecs::types::{CapacityProviderStrategyItem, ClusterField, Tag as EcsTag};
use serde_json::{Map, Value};

use super::failure::{CallError, SERVICE_LINKED_ROLE, classified, failure, is};
use super::passthrough::{CaptureBody, replace_body};
use crate::error::Failure;
use maestro_core::plan::aws_values::CapacityProvider;
use maestro_core::plan::desired::CapacityProviderWeight;
use maestro_core::provision::observed::{ObservedCluster, ObservedProviderWeight, ObservedTaskDefinition};
use maestro_core::spec::tags::Tag;

#[derive(Debug, Clone)]
pub(crate) struct Ecs(pub(crate) aws_sdk_ecs::Client);

fn tags(tags: &[Tag]) -> Vec<EcsTag> {
    tags.iter().map(|tag| EcsTag::builder().key(&tag.key).value(&tag.value).build()).collect()
}

/// ECS tags as the core's tags.
pub(crate) fn observed_tags(tags: &[EcsTag]) -> Vec<Tag> {
    tags.iter()
        .map(|tag| Tag {
            key: tag.key().unwrap_or_default().to_owned(),
            value: tag.value().unwrap_or_default().to_owned(),
        })
        .collect()
}

pub(super) fn strategy(items: &[CapacityProviderWeight]) -> Result<Vec<CapacityProviderStrategyItem>, Failure> {
    items
        .iter()
        .map(|item| {
            CapacityProviderStrategyItem::builder()
                .capacity_provider(item.capacity_provider.as_str())
                .weight(i32::try_from(item.weight).unwrap_or(1))
                .build()
                .map_err(|error| Failure::new(format!("invalid capacity provider strategy: {error}")))
        })
        .collect()
}

pub(super) fn observed_strategy(items: &[CapacityProviderStrategyItem]) -> Vec<ObservedProviderWeight> {
    items
        .iter()
        .map(|item| ObservedProviderWeight {
            capacity_provider: item.capacity_provider().to_owned(),
            weight: u32::try_from(item.weight()).unwrap_or(0),
        })
        .collect()
}

impl Ecs {
    /// The active cluster called `name`; a missing or inactive one is `None`.
    pub(crate) async fn cluster(&self, name: &str) -> Result<Option<ObservedCluster>, Failure> {
        let output = self
            .0
            .describe_clusters()
            .clusters(name)
            .include(ClusterField::Tags)
            .send()
            .await
            .map_err(|error| failure(&format!("describe cluster {name}"), &error))?;
        let Some(cluster) = output.clusters().iter().find(|cluster| cluster.status() == Some("ACTIVE")) else {
            return Ok(None);
        };
        Ok(Some(ObservedCluster {
            arn: cluster.cluster_arn().unwrap_or_default().to_owned(),
            capacity_providers: cluster.capacity_providers().to_vec(),
            default_strategy: observed_strategy(cluster.default_capacity_provider_strategy()),
            tags: observed_tags(cluster.tags()),
        }))
    }

    pub(crate) async fn create_cluster(
        &self,
        name: &str,
        providers: &[CapacityProvider],
        default_strategy: &[CapacityProviderWeight],
        cluster_tags: &[Tag],
    ) -> Result<(), CallError> {
        // Capacity providers are named by string in the API: maestro's Fargate ones by their AWS names.
        let providers = providers.iter().map(|provider| provider.as_str().to_owned()).collect();
        let strategy = strategy(default_strategy)?;
        self.0
            .create_cluster()
            .cluster_name(name)
            .set_capacity_providers(Some(providers))
            .set_default_capacity_provider_strategy(Some(strategy))
            .set_tags(Some(tags(cluster_tags)))
            .send()
            .await
            .map_err(|error| classified(&format!("create cluster {name}"), &error, &[SERVICE_LINKED_ROLE]))?;
        Ok(())
    }

    pub(crate) async fn put_capacity_providers(
        &self,
        name: &str,
        providers: &[String],
        default_strategy: &[CapacityProviderWeight],
    ) -> Result<(), Failure> {
        self.0
            .put_cluster_capacity_providers()
            .cluster(name)
            .set_capacity_providers(Some(providers.to_vec()))
            .set_default_capacity_provider_strategy(Some(strategy(default_strategy)?))
            .send()
            .await
            .map_err(|error| failure(&format!("set the capacity providers of cluster {name}"), &error))?;
        Ok(())
    }

    pub(crate) async fn tag(&self, arn: &str, resource_tags: &[Tag]) -> Result<(), Failure> {
        self.0
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await
            .map_err(|error| failure(&format!("tag {arn}"), &error))?;
        Ok(())
    }

    /// The families with an active revision whose names start with `prefix`: one listing tells
    /// which families need describing (none, on a first deploy).
    pub(crate) async fn task_definition_families(
        &self,
        prefix: &str,
    ) -> Result<std::collections::BTreeSet<String>, Failure> {
        let mut families = std::collections::BTreeSet::new();
        let mut pages = self
            .0
            .list_task_definition_families()
            .family_prefix(prefix)
            .status(aws_sdk_ecs::types::TaskDefinitionFamilyStatus::Active)
            // ListTaskDefinitionFamilies' most a page: one call for most apps.
            .max_results(100)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure(&format!("list task definition families {prefix}*"), &error))?;
            families.extend(page.families().iter().cloned());
        }
        Ok(families)
    }

    /// One revision (`family:revision` or its ARN), as ECS describes it; `None` when it is gone.
    pub(crate) async fn task_definition(&self, revision: &str) -> Result<Option<ObservedTaskDefinition>, Failure> {
        // DescribeTaskDefinition takes a family (its latest revision) or one revision alike.
        self.latest_task_definition(revision).await
    }

    /// The latest active revision of `family`, as ECS describes it; `None` when there is none.
    pub(crate) async fn latest_task_definition(&self, family: &str) -> Result<Option<ObservedTaskDefinition>, Failure> {
        let capture = CaptureBody::default();
        let result = self
            .0
            .describe_task_definition()
            .task_definition(family)
            .customize()
            .interceptor(capture.clone())
            .send()
            .await;
        match result {
            Ok(output) => {
                let arn = output
                    .task_definition()
                    .and_then(|definition| definition.task_definition_arn())
                    .unwrap_or_default()
                    .to_owned();
                let body = capture.take().ok_or_else(|| {
                    Failure::new(format!("describe task definition {family}: the response had no body"))
                })?;
                let mut response: Map<String, Value> = serde_json::from_slice(&body).map_err(|error| {
                    Failure::new(format!("describe task definition {family}: the response is not JSON: {error}"))
                })?;
                let definition = match response.remove("taskDefinition") {
                    Some(Value::Object(definition)) => definition,
                    _ => Map::new(),
                };
                Ok(Some(ObservedTaskDefinition { arn, definition }))
            }
            // ECS's only "not found" for a family; anything else is a real error.
            Err(error) if is(&error, "ClientException", "Unable to describe task definition") => Ok(None),
            Err(error) => Err(failure(&format!("describe task definition {family}"), &error)),
        }
    }

    /// Registers `definition` exactly as rendered; returns the new revision's ARN.
    pub(crate) async fn register_task_definition(
        &self,
        family: &str,
        definition: &Map<String, Value>,
    ) -> Result<String, Failure> {
        let body = serde_json::to_vec(definition)
            .map_err(|error| Failure::new(format!("register task definition {family}: {error}")))?;
        // The typed input is only a placeholder that the serializer accepts; the JSON replaces it.
        let placeholder = aws_sdk_ecs::types::ContainerDefinition::builder().name("placeholder").build();
        let output = self
            .0
            .register_task_definition()
            .family(family)
            .container_definitions(placeholder)
            .customize()
            .mutate_request(replace_body(body))
            .send()
            .await
            .map_err(|error| failure(&format!("register task definition {family}"), &error))?;
        Ok(output
            .task_definition()
            .and_then(|definition| definition.task_definition_arn())
            .unwrap_or_default()
            .to_owned())
    }
}
