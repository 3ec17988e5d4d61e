//! An OIDC token's `sub`, in the forms a trust policy matches: GitHub's by name
//! (`repo:acme/shop-api:ref:refs/heads/main`), GitHub's immutable one (`repo:acme@1234/shop-api@5678:…`,
//! the default for repositories created from 2026-07-15), and GitLab's
//! (`project_path:acme/shop-api:ref_type:branch:ref:main`).

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// GitHub, the repository by name: `repo:<owner>/<repo>:<context>`.
    GithubByName {
        repository: String,
        context: String,
    },
    /// GitHub, the owner and repository with their ids: `repo:<owner>@<id>/<repo>@<id>:<context>`.
    GithubImmutable {
        owner: String,
        owner_id: String,
        name: String,
        repository_id: String,
        context: String,
    },
    /// GitLab: `project_path:<group>/<project>:<rest>`.
    Gitlab {
        project_path: String,
        rest: String,
    },
    Other(String),
}

impl Subject {
    pub fn parse(sub: &str) -> Self {
        if let Some(rest) = sub.strip_prefix("repo:") {
            let (repository, context) = rest.split_once(':').unwrap_or((rest, ""));
            let immutable = repository.split_once('/').and_then(|(owner, name)| {
                let (owner, owner_id) = owner.split_once('@')?;
                let (name, repository_id) = name.split_once('@')?;
                let digits = |id: &str| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit());
                (digits(owner_id) && digits(repository_id)).then(|| Self::GithubImmutable {
                    owner: owner.to_owned(),
                    owner_id: owner_id.to_owned(),
                    name: name.to_owned(),
                    repository_id: repository_id.to_owned(),
                    context: context.to_owned(),
                })
            });
            return immutable.unwrap_or_else(|| Self::GithubByName {
                repository: repository.to_owned(),
                context: context.to_owned(),
            });
        }
        if let Some(rest) = sub.strip_prefix("project_path:") {
            let (project_path, rest) = rest.split_once(':').unwrap_or((rest, ""));
            return Self::Gitlab { project_path: project_path.to_owned(), rest: rest.to_owned() };
        }
        Self::Other(sub.to_owned())
    }

    /// The `StringLike` pattern that accepts every job of this repository or project in this form.
    pub fn repository_pattern(&self) -> String {
        match self {
            Self::GithubByName { repository, .. } => format!("repo:{repository}:*"),
            Self::GithubImmutable { owner, owner_id, name, repository_id, .. } => {
                format!("repo:{owner}@{owner_id}/{name}@{repository_id}:*")
            }
            Self::Gitlab { project_path, .. } => format!("project_path:{project_path}:*"),
            Self::Other(sub) => sub.clone(),
        }
    }

    /// The pattern of GitHub's other form for the same repository, which this token does not
    /// match: a policy written for it is the usual cause of a refusal after the change.
    pub fn other_form(&self) -> Option<String> {
        match self {
            Self::GithubImmutable { owner, name, .. } => Some(format!("repo:{owner}/{name}:*")),
            _ => None,
        }
    }

    /// How the form is said to people.
    pub fn form(&self) -> &'static str {
        match self {
            Self::GithubByName { .. } => "GitHub's name form",
            Self::GithubImmutable { .. } => "GitHub's immutable form (owner and repository ids)",
            Self::Gitlab { .. } => "GitLab's project path form",
            Self::Other(_) => "an unrecognised form",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_and_the_pattern_that_accepts_its_repository() {
        let named = Subject::parse("repo:acme/shop-api:ref:refs/heads/main");
        assert_eq!(named.repository_pattern(), "repo:acme/shop-api:*");
        assert_eq!(named.other_form(), None);
        let immutable = Subject::parse("repo:acme@1234/shop-api@5678:environment:production");
        assert!(matches!(&immutable, Subject::GithubImmutable { context, .. } if context == "environment:production"));
        assert_eq!(immutable.repository_pattern(), "repo:acme@1234/shop-api@5678:*");
        assert_eq!(immutable.other_form().as_deref(), Some("repo:acme/shop-api:*"));
        // An `@` that is not followed by digits is a name (GitHub names cannot hold `@`, but be safe).
        assert!(matches!(Subject::parse("repo:ac@me/shop:pull_request"), Subject::GithubByName { .. }));
        let gitlab = Subject::parse("project_path:acme/platform/shop:ref_type:branch:ref:main");
        assert_eq!(gitlab.repository_pattern(), "project_path:acme/platform/shop:*");
        assert_eq!(Subject::parse("system:serviceaccount:x").repository_pattern(), "system:serviceaccount:x");
    }
}
