//! An AWS region code, and what it decides: the partition of ARNs and the registry's domain.

use super::{Invalid, text_type};

/// `us-east-1`, `eu-west-2`, `cn-north-1`, `us-gov-west-1`: a two-letter area, words, a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region(String);
text_type!(Region);

impl Region {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let parts: Vec<&str> = text.split('-').collect();
        let valid = match parts.split_last() {
            Some((number, rest)) => {
                parts.len() >= 3
                    && parts[0].len() == 2
                    && rest.iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase()))
                    && !number.is_empty()
                    && number.chars().all(|c| c.is_ascii_digit())
            }
            None => false,
        };
        if valid {
            Ok(Self(text.to_owned()))
        } else {
            Err(Invalid::new(
                format!("`{text}` is not an AWS region"),
                "use a region code such as `us-east-1` or `eu-west-2`",
            ))
        }
    }

    /// A China region, with its own partition, domain and STS audience.
    pub fn is_china(&self) -> bool {
        self.0.starts_with("cn-")
    }

    /// The AWS partition of the region, for ARNs.
    pub fn partition(&self) -> &'static str {
        if self.is_china() {
            "aws-cn"
        } else if self.0.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes_and_their_partitions() {
        for (code, partition) in [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")] {
            assert_eq!(Region::parse(code).unwrap().partition(), partition);
        }
        for bad in ["Virginia", "us-east", "useast-1", "us-East-1", "us--1", "u-east-1", ""] {
            assert!(Region::parse(bad).is_err(), "{bad}");
        }
    }
}
