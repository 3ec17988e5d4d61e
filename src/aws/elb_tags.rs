//! The tags of load balancers and target groups: whose maestro's marker says they are.

use super::elb::Elb;
use super::failure::failure;
use crate::error::Failure;
use maestro_core::spec::tags::Tag;

impl Elb {
    /// Adds `tags` to the load balancer or target group `arn` (AddTags overwrites a key's value).
    pub(crate) async fn add_tags(&self, arn: &str, tags: &[Tag]) -> Result<(), Failure> {
        self.0
            .add_tags()
            .resource_arns(arn)
            .set_tags(Some(super::elb::tags(tags)))
            .send()
            .await
            .map_err(|error| failure(&format!("tag {arn}"), &error))?;
        Ok(())
    }

    /// The tags of the load balancer or target group `arn` (DescribeTags).
    pub(crate) async fn tags(&self, arn: &str) -> Result<Vec<Tag>, Failure> {
        let output = self
            .0
            .describe_tags()
            .resource_arns(arn)
            .send()
            .await
            .map_err(|error| failure(&format!("read the tags of {arn}"), &error))?;
        Ok(output
            .tag_descriptions()
            .iter()
            .filter(|description| description.resource_arn() == Some(arn))
            .flat_map(|description| description.tags())
            .map(|tag| Tag {
                key: tag.key().unwrap_or_default().to_owned(),
                value: tag.value().unwrap_or_default().to_owned(),
            })
            .collect())
    }
}
