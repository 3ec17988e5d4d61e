//! AWS resource ids (`subnet-0a1b2c3d`, `sg-…`, `vpc-…`).

/// `prefix` followed by letters and digits.
pub fn is_resource_id(text: &str, prefix: &str) -> bool {
    text.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prefix_then_letters_and_digits() {
        assert!(is_resource_id("subnet-0a1B", "subnet-"));
        for bad in ["subnet-", "sg-0a1b", "subnet-0a-1b", ""] {
            assert!(!is_resource_id(bad, "subnet-"), "{bad}");
        }
    }
}
