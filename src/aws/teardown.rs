//! The deletes `maestro destroy` makes, and the reads only it needs (every active revision of a
//! family, the tags of a revision, a log group and a repository). A resource already gone is not
//! an error: a destroy resumes after an interrupted one.

use aws_sdk_ecs::types::{TaskDefinitionField, TaskDefinitionStatus};

use super::ecr::Ecr;
use super::ecs::{Ecs, observed_tags};
use super::elb::Elb;
use super::failure::{CallError, NotYet, classified, code, failure};
use super::logs::Logs;
use super::ssm::Ssm;
use crate::error::Failure;
use maestro_core::destroy::FoundRepository;
use maestro_core::spec::tags::Tag;

/// DeleteTargetGroup while a listener or rule being deleted still forwards to it.
const TARGET_GROUP_IN_USE: NotYet =
    NotYet { code: "ResourceInUse", text: "", window: maestro_core::eventual::TARGET_GROUP_RELEASED };

impl Ecs {
    /// The ARNs of `family`'s active revisions, every page read. ListTaskDefinitions takes a
    /// prefix: revisions of a longer family (`…-web` and `…-webhooks`) are left out.
    pub(crate) async fn active_revisions(&self, family: &str) -> Result<Vec<String>, Failure> {
        let mut revisions = Vec::new();
        let mut pages = self
            .0
            .list_task_definitions()
            .family_prefix(family)
            .status(TaskDefinitionStatus::Active)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure(&format!("list the revisions of {family}"), &error))?;
            let own = page.task_definition_arns().iter().filter(|arn| family_of(arn) == Some(family));
            revisions.extend(own.cloned());
        }
        Ok(revisions)
    }

    /// The tags of one revision (DescribeTaskDefinition returns them only when asked).
    pub(crate) async fn revision_tags(&self, arn: &str) -> Result<Vec<Tag>, Failure> {
        let output = self
            .0
            .describe_task_definition()
            .task_definition(arn)
            .include(TaskDefinitionField::Tags)
            .send()
            .await
            .map_err(|error| failure(&format!("describe task definition {arn}"), &error))?;
        Ok(observed_tags(output.tags()))
    }

    pub(crate) async fn deregister_revision(&self, arn: &str) -> Result<(), Failure> {
        self.0
            .deregister_task_definition()
            .task_definition(arn)
            .send()
            .await
            .map_err(|error| failure(&format!("deregister task definition {arn}"), &error))?;
        Ok(())
    }

    pub(crate) async fn delete_cluster(&self, name: &str) -> Result<(), Failure> {
        match self.0.delete_cluster().cluster(name).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("ClusterNotFoundException") => Ok(()),
            Err(error) => Err(failure(&format!("delete cluster {name}"), &error)),
        }
    }
}

/// The family of a revision's ARN (`arn:…:task-definition/<family>:<revision>`).
fn family_of(arn: &str) -> Option<&str> {
    arn.rsplit_once('/').and_then(|(_, revision)| revision.rsplit_once(':')).map(|(family, _)| family)
}

impl Elb {
    pub(crate) async fn delete_rule(&self, arn: &str) -> Result<(), Failure> {
        match self.0.delete_rule().rule_arn(arn).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("RuleNotFound") => Ok(()),
            Err(error) => Err(failure(&format!("delete listener rule {arn}"), &error)),
        }
    }

    /// Its listeners go with it; deleting one already gone succeeds (DeleteLoadBalancer's reference).
    pub(crate) async fn delete_load_balancer(&self, arn: &str) -> Result<(), Failure> {
        match self.0.delete_load_balancer().load_balancer_arn(arn).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("LoadBalancerNotFound") => Ok(()),
            Err(error) => Err(failure(&format!("delete load balancer {arn}"), &error)),
        }
    }

    /// `NotYet` while a listener or rule being deleted still uses it.
    pub(crate) async fn delete_target_group(&self, arn: &str) -> Result<(), CallError> {
        match self.0.delete_target_group().target_group_arn(arn).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("TargetGroupNotFound") => Ok(()),
            Err(error) => Err(classified(&format!("delete target group {arn}"), &error, &[TARGET_GROUP_IN_USE])),
        }
    }
}

impl Logs {
    /// The tags of the log group `arn` (as DescribeLogGroups gives it, `:*` ending and all).
    pub(crate) async fn group_tags(&self, arn: &str) -> Result<Vec<Tag>, Failure> {
        // ListTagsForResource takes the group's ARN without the `:*` DescribeLogGroups appends.
        let arn = arn.strip_suffix(":*").unwrap_or(arn);
        let output = self
            .0
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|error| failure(&format!("list the tags of log group {arn}"), &error))?;
        let tags = output.tags().into_iter().flatten();
        Ok(tags.map(|(key, value)| Tag { key: key.clone(), value: value.clone() }).collect())
    }

    pub(crate) async fn delete_group(&self, name: &str) -> Result<(), Failure> {
        match self.0.delete_log_group().log_group_name(name).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("ResourceNotFoundException") => Ok(()),
            Err(error) => Err(failure(&format!("delete log group {name}"), &error)),
        }
    }
}

impl Ecr {
    /// The repository `name` with its tags; `None` when it does not exist.
    pub(crate) async fn repository(&self, registry_id: &str, name: &str) -> Result<Option<FoundRepository>, Failure> {
        let result = self.0.describe_repositories().registry_id(registry_id).repository_names(name).send().await;
        let output = match result {
            Ok(output) => output,
            Err(error) if code(&error) == Some("RepositoryNotFoundException") => return Ok(None),
            Err(error) => return Err(failure(&format!("describe ECR repository {name}"), &error)),
        };
        let Some(arn) = output.repositories().first().and_then(|repository| repository.repository_arn()) else {
            return Ok(None);
        };
        let listed = self
            .0
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|error| failure(&format!("list the tags of ECR repository {name}"), &error))?;
        let tags = listed.tags().iter().map(|tag| Tag { key: tag.key().to_owned(), value: tag.value().to_owned() });
        Ok(Some(FoundRepository { registry_id: registry_id.to_owned(), name: name.to_owned(), tags: tags.collect() }))
    }

    /// With every image in it (`force`).
    pub(crate) async fn delete_repository(&self, registry_id: &str, name: &str) -> Result<(), Failure> {
        match self.0.delete_repository().registry_id(registry_id).repository_name(name).force(true).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("RepositoryNotFoundException") => Ok(()),
            Err(error) => Err(failure(&format!("delete ECR repository {name}"), &error)),
        }
    }
}

impl Ssm {
    /// The release records parameter exists (read as `releases` reads it).
    pub(crate) async fn exists(&self, name: &str) -> Result<bool, Failure> {
        Ok(!self.versions(name).await?.is_empty())
    }

    pub(crate) async fn delete_records(&self, name: &str) -> Result<(), Failure> {
        match self.0.delete_parameter().name(name).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("ParameterNotFound") => Ok(()),
            Err(error) => Err(failure(&format!("delete the release records {name}"), &error)),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_revisions_family_is_read_from_its_arn() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/acme-main-web:12";
        assert_eq!(super::family_of(arn), Some("acme-main-web"));
        assert_eq!(super::family_of("nonsense"), None);
    }
}
