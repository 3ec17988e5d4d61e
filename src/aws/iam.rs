//! IAM: the roles the inputs hand to ECS and EventBridge, read for `maestro verify` (GetRole:
//! the role's ARN and its trust policy, never its permissions).

use aws_sdk_iam::Client;

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::verify::roles::{ObservedRole, ObservedRoles};

#[derive(Debug, Clone)]
pub(crate) struct Iam(pub(crate) Client);

impl Iam {
    /// Those of the roles `names` that exist, by name. The few roles of a run (three at most)
    /// are read one after the other.
    pub(crate) async fn roles(&self, names: &[String]) -> Result<ObservedRoles, Failure> {
        let mut found = ObservedRoles::new();
        for name in names {
            if let Some(role) = self.role(name).await? {
                found.insert(name.clone(), role);
            }
        }
        Ok(found)
    }

    /// The role, `None` on IAM's "NoSuchEntity"
    /// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html).
    async fn role(&self, name: &str) -> Result<Option<ObservedRole>, Failure> {
        match self.0.get_role().role_name(name).send().await {
            Ok(output) => Ok(output.role().map(|role| ObservedRole {
                arn: role.arn().to_owned(),
                trust_policy: role.assume_role_policy_document().unwrap_or_default().to_owned(),
            })),
            Err(error) if code(&error) == Some("NoSuchEntity") => Ok(None),
            Err(error) => Err(failure(&format!("read role {name}"), &error)),
        }
    }
}
