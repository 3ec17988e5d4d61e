//! A repository: its path on the code host and the slug resources are named after.

use super::Invalid;
use crate::naming;

/// `Acme/Platform/Shop-API` (nested groups kept) and `acme-platform-shop-api`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoSlug {
    /// `owner/name`, from a path or any clone URL (see [`naming::repository_path`]).
    pub path: String,
    /// The path as it appears in resource names (see [`naming::slug`]).
    pub slug: String,
}

impl RepoSlug {
    /// A path or clone URL whose slug keeps a letter or a digit.
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        let slug = naming::slug(text);
        if slug.chars().any(|c| c.is_ascii_alphanumeric()) {
            Ok(Self { path: naming::repository_path(text), slug })
        } else {
            Err(Invalid::new(
                format!("`{text}` does not name a repository"),
                "use `owner/name` or the repository's clone URL",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_clone_urls() {
        let repository = RepoSlug::parse("git@github.com:Acme/Shop-API.git").unwrap();
        assert_eq!((repository.path.as_str(), repository.slug.as_str()), ("Acme/Shop-API", "acme-shop-api"));
        assert!(RepoSlug::parse("//").is_err());
    }
}
