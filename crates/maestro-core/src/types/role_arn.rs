//! An IAM role's ARN: the role maestro assumes, and the roles it hands to ECS and EventBridge.

use super::account_id::is_account_id;
use super::{Invalid, text_type};

/// `arn:<partition>:iam::<account>:role/<path/name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleArn(String);
text_type!(RoleArn);

impl RoleArn {
    /// The hint names a task role; a caller about another role gives its own example with
    /// [`Invalid::with_hint`].
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let parts: Vec<&str> = text.splitn(6, ':').collect();
        let valid = matches!(parts.as_slice(), ["arn", partition, "iam", "", account, resource]
            if partition.starts_with("aws")
                && is_account_id(account)
                && resource.strip_prefix("role/").is_some_and(|role| !role.is_empty()));
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(Invalid::new(
                format!("`{text}` is not an IAM role ARN"),
                "use the role's full ARN, e.g. `arn:aws:iam::123456789012:role/my-app-task`",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_arns_of_every_partition_and_not_other_arns() {
        for good in ["arn:aws:iam::123456789012:role/deploy", "arn:aws-cn:iam::123456789012:role/path/to/x"] {
            assert!(RoleArn::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "deploy",
            "arn:aws:iam::123456789012:user/deploy",
            "arn:aws:iam::123456789012:role/",
            "arn:aws:iam::42:role/deploy",
            "arn:aws:s3:::123456789012:role/deploy",
        ] {
            assert!(RoleArn::parse(bad).is_err(), "{bad}");
        }
    }
}
