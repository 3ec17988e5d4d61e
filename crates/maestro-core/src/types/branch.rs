//! A branch: the environment a deploy goes to, and how resource names spell it.

use super::Invalid;
use crate::naming;

/// A branch name and its slug (`feature/Login.v2` → `feature-login-v2`, see [`naming::branch`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Branch {
    pub name: String,
    pub slug: String,
}

impl Branch {
    /// Any name whose slug keeps a letter or a digit: resources are named after it.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let slug = naming::branch(text);
        if slug.chars().any(|c| c.is_ascii_alphanumeric()) {
            Ok(Self { name: text.to_owned(), slug })
        } else {
            Err(Invalid::new(
                format!("branch `{text}` has no letter or digit to name resources after"),
                "name a real branch, e.g. `--branch staging`",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_keep_their_name_and_get_a_slug() {
        let branch = Branch::parse("refs/heads/Feature/Login.v2").unwrap();
        assert_eq!((branch.name.as_str(), branch.slug.as_str()), ("refs/heads/Feature/Login.v2", "feature-login-v2"));
        assert!(Branch::parse("///").is_err());
    }
}
