//! An AWS account id.

use super::{Invalid, text_type};

/// Twelve digits, leading zeros kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountId(String);
text_type!(AccountId);

impl AccountId {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if is_account_id(text) {
            Ok(Self(text.to_owned()))
        } else {
            Err(Invalid::new(
                format!("`{text}` is not a 12-digit AWS account id"),
                "use the account's 12 digits, e.g. `123456789012`",
            ))
        }
    }
}

/// The account part of an ARN follows the same rule.
pub(super) fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_digits_only() {
        assert_eq!(AccountId::parse("000000000042").unwrap(), "000000000042");
        for bad in ["42", "1234567890123", "12345678901a", ""] {
            assert!(AccountId::parse(bad).is_err(), "{bad}");
        }
    }
}
