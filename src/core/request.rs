//! The deploy request: which commit of which repository goes to which branch's environment, in
//! which AWS account and region. Everything else maestro does is derived from it and the settings.

use serde::Serialize;

use crate::core::env::Env;
use crate::core::env_vars as var;
use crate::core::input_error::{InputError, InputErrors};
use crate::core::naming;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeployRequest {
    /// The repository's path, `owner/name` (nested groups kept).
    pub repository: String,
    /// The repository as it appears in resource names.
    pub slug: String,
    /// The branch as the CI or the user named it.
    pub branch: String,
    /// The branch as it appears in resource names (see `naming::branch`).
    pub branch_slug: String,
    pub sha: String,
    pub short_sha: String,
    pub account_id: String,
    pub region: String,
}

impl DeployRequest {
    /// Builds the request from explicit inputs (flags layered over variables).
    pub fn from_env(env: &Env) -> Result<DeployRequest, InputErrors> {
        let mut errors = InputErrors::default();
        let repository = errors.take(repository(env));
        let branch = errors.take(
            required(
                env,
                &[var::MAESTRO_BRANCH_OVERRIDE],
                "no branch given",
                "pass `--branch staging` or set MAESTRO_BRANCH_OVERRIDE",
            )
            .and_then(|(name, branch)| {
                let slug = naming::branch(&branch);
                if slug.chars().any(|c| c.is_ascii_alphanumeric()) {
                    Ok((branch, slug))
                } else {
                    Err(InputError::new(
                        env.label(name),
                        format!("branch `{branch}` has no letter or digit to name resources after"),
                        "name a real branch, e.g. `--branch staging`",
                    ))
                }
            }),
        );
        let sha = errors.take(sha(env));
        let account_id = errors.take(
            required(
                env,
                &[var::AWS_ACCOUNT_ID],
                "no AWS account id given",
                "pass `--account 123456789012` or set AWS_ACCOUNT_ID",
            )
            .and_then(|(name, account)| {
                if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) {
                    Ok(account)
                } else {
                    Err(InputError::new(
                        env.label(name),
                        format!("`{account}` is not a 12-digit AWS account id"),
                        "use the account's 12 digits, e.g. `123456789012`",
                    ))
                }
            }),
        );
        let region = errors.take(
            required(
                env,
                &[var::AWS_REGION, var::AWS_DEFAULT_REGION],
                "no AWS region given",
                "pass `--region us-east-1` or set AWS_REGION",
            )
            .and_then(|(name, region)| {
                if is_region(&region) {
                    Ok(region)
                } else {
                    Err(InputError::new(
                        env.label(name),
                        format!("`{region}` is not an AWS region"),
                        "use a region code such as `us-east-1` or `eu-west-2`",
                    ))
                }
            }),
        );
        match (repository, branch, sha, account_id, region) {
            (Some((repository, slug)), Some((branch, branch_slug)), Some(sha), Some(account_id), Some(region)) => {
                Ok(DeployRequest {
                    repository,
                    slug,
                    branch,
                    branch_slug,
                    short_sha: naming::short_sha(&sha),
                    sha,
                    account_id,
                    region,
                })
            }
            _ => Err(errors),
        }
    }
}

fn required(
    env: &Env,
    names: &[&'static str],
    message: &str,
    hint: &str,
) -> Result<(&'static str, String), InputError> {
    env.first_of(names)
        .map(|(name, value)| (name, value.trim().to_owned()))
        .ok_or_else(|| InputError::new(names[0], message, hint))
}

fn repository(env: &Env) -> Result<(String, String), InputError> {
    let (name, value) = required(
        env,
        &[var::MAESTRO_REPO_OVERRIDE, var::REPO_SLUG],
        "no repository given",
        "pass `--repo owner/name` or set MAESTRO_REPO_OVERRIDE",
    )?;
    let path = naming::repository_path(&value);
    let slug = naming::slug(&value);
    if slug.chars().any(|c| c.is_ascii_alphanumeric()) {
        Ok((path, slug))
    } else {
        Err(InputError::new(
            env.label(name),
            format!("`{value}` does not name a repository"),
            "use `owner/name` or the repository's clone URL",
        ))
    }
}

fn sha(env: &Env) -> Result<String, InputError> {
    let (name, sha) = required(
        env,
        &[var::MAESTRO_COMMIT_OVERRIDE],
        "no commit given",
        "pass `--sha <commit>` or set MAESTRO_COMMIT_OVERRIDE",
    )?;
    if (8..=40).contains(&sha.len()) && sha.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(sha.to_ascii_lowercase())
    } else {
        Err(InputError::new(
            env.label(name),
            format!("`{sha}` is not a commit SHA"),
            "give the commit's hexadecimal SHA, at least its first 8 characters (`git rev-parse HEAD`)",
        ))
    }
}

fn is_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::env::Origin;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_process(pairs.iter().copied())
    }

    const COMPLETE: &[(&str, &str)] = &[
        ("MAESTRO_REPO_OVERRIDE", "Acme/Shop-API"),
        ("MAESTRO_BRANCH_OVERRIDE", "feature/Login"),
        ("MAESTRO_COMMIT_OVERRIDE", "3F2A9C1D7E4B5A6C"),
        ("AWS_ACCOUNT_ID", "123456789012"),
        ("AWS_REGION", "us-east-1"),
    ];

    #[test]
    fn resolves_a_complete_request() {
        let request = DeployRequest::from_env(&env(COMPLETE)).unwrap();
        assert_eq!(
            request,
            DeployRequest {
                repository: "Acme/Shop-API".into(),
                slug: "acme-shop-api".into(),
                branch: "feature/Login".into(),
                branch_slug: "feature-login".into(),
                sha: "3f2a9c1d7e4b5a6c".into(),
                short_sha: "3f2a9c1d".into(),
                account_id: "123456789012".into(),
                region: "us-east-1".into(),
            }
        );
    }

    #[test]
    fn repo_slug_and_default_region_are_fallbacks() {
        let mut pairs: Vec<(&str, &str)> = COMPLETE
            .iter()
            .copied()
            .filter(|(name, _)| !["MAESTRO_REPO_OVERRIDE", "AWS_REGION"].contains(name))
            .collect();
        pairs.extend([("REPO_SLUG", "acme-legacy"), ("AWS_DEFAULT_REGION", "us-gov-west-1")]);
        let request = DeployRequest::from_env(&env(&pairs)).unwrap();
        assert_eq!(request.slug, "acme-legacy");
        assert_eq!(request.region, "us-gov-west-1");
    }

    #[test]
    fn missing_fields_are_all_reported_with_the_flag_to_use() {
        let errors = DeployRequest::from_env(&Env::default()).unwrap_err();
        let hints: Vec<&str> = errors.0.iter().map(|error| error.hint.as_str()).collect();
        assert_eq!(hints.len(), 5);
        assert!(hints[0].contains("--repo") && hints[1].contains("--branch") && hints[2].contains("--sha"));
        assert!(hints[3].contains("--account") && hints[4].contains("--region"));
    }

    #[test]
    fn bad_values_name_the_flag_they_came_from() {
        let mut flags = Env::default();
        flags.set("MAESTRO_COMMIT_OVERRIDE", "HEAD", Origin::Flag("--sha"));
        flags.set("AWS_ACCOUNT_ID", "1234", Origin::Flag("--account"));
        flags.set("AWS_REGION", "Virginia", Origin::Flag("--region"));
        flags.set("MAESTRO_BRANCH_OVERRIDE", "///", Origin::Flag("--branch"));
        let errors = DeployRequest::from_env(&env(COMPLETE).overlay(flags)).unwrap_err();
        let inputs: Vec<&str> = errors.0.iter().map(|error| error.input.as_str()).collect();
        assert_eq!(inputs, ["--branch", "--sha", "--account", "--region"]);
    }
}
