//! Secrets Manager secrets, by name or ARN.

use super::account_id::is_account_id;
use super::{Invalid, text_type};

/// A secret's name: at most 512 letters, digits and `/_+=.@-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretName(String);
text_type!(SecretName);

const MAX_LENGTH: usize = 512;

fn is_secret_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_LENGTH
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
}

impl SecretName {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if is_secret_name(text) {
            Ok(Self(text.to_owned()))
        } else {
            Err(Invalid::new(
                format!("`{text}` is not a Secrets Manager secret name"),
                "secret names use letters, digits and `/_+=.@-`, e.g. `shop/staging`",
            ))
        }
    }
}

/// A secret's ARN: `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`.
pub fn is_secret_arn(text: &str) -> bool {
    text.strip_prefix("arn:").is_some_and(|rest| {
        let parts: Vec<&str> = rest.splitn(5, ':').collect();
        matches!(parts.as_slice(), [partition, "secretsmanager", region, account, resource]
            if partition.starts_with("aws")
                && !region.is_empty()
                && is_account_id(account)
                && resource.strip_prefix("secret:").is_some_and(is_secret_name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_references() {
        assert!(SecretName::parse("shop/staging_1+x=y.z@w-v").is_ok());
        assert!(SecretName::parse("shop staging").is_err());
        assert!(SecretName::parse(&"a".repeat(513)).is_err());
        assert!(is_secret_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-AbCdEf"));
        assert!(is_secret_arn("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:shop/ghcr-AbCdEf"));
        // A name is a secret ECS would accept, but not what maestro can compare (see `TaskSettings`).
        assert!(!is_secret_arn("ghcr-pull"));
        assert!(!is_secret_arn("arn:aws:secretsmanager:us-east-1:42:secret:x"));
        assert!(!is_secret_arn("arn:aws:secretsmanager::123456789012:secret:x"));
        assert!(!is_secret_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:"));
        assert!(!is_secret_arn("arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr pull"));
        assert!(!is_secret_arn("arn:aws:ssm:us-east-1:123456789012:parameter/x"));
    }
}
