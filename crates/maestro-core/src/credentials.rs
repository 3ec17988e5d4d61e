//! How maestro gets AWS credentials, decided from the environment before any network call.
//!
//! - GitHub Actions with a role (`MAESTRO_ROLE_ARN`, the action's `role-to-assume` input, or
//!   `AWS_ROLE_ARN`): the job's OIDC token
//!   from `ACTIONS_ID_TOKEN_REQUEST_URL`, exchanged with `AssumeRoleWithWebIdentity`.
//! - GitLab CI with a role: the token GitLab put in the job's `id_tokens:` variable, exchanged the
//!   same way.
//! - Role chaining (`MAESTRO_ROLE_CHAINING=true`, the action's `role-chaining`), in any CI: the
//!   job's own credentials (the SDK's default chain: an earlier step's keys, CodeBuild's service
//!   role) assume the role with `AssumeRole`, with `MAESTRO_ROLE_EXTERNAL_ID` when the trust
//!   policy asks for one. AWS caps a chained session at one hour.
//! - Everything else (CodeBuild, a laptop, a role with a token file): the SDK's default chain.
//!
//! Mistakes that can be seen here (no `id-token: write`, a fork's pull request, no `id_tokens:`)
//! are input errors with the fix; the exchange's own failures are explained with the token's
//! claims by the OIDC doctor (`oidc_doctor`).

use base64::Engine;
use serde::Deserialize;

use crate::ci::Ci;
use crate::env::Env;
use crate::input::vars::{
    self as var, AWS_ROLE_ARN, MAESTRO_ID_TOKEN, MAESTRO_ID_TOKEN_VARIABLE, MAESTRO_OIDC_AUDIENCE, MAESTRO_ROLE_ARN,
    MAESTRO_ROLE_CHAINING, MAESTRO_ROLE_DURATION_SECONDS, MAESTRO_ROLE_EXTERNAL_ID, MAESTRO_ROLE_SESSION_NAME,
};
use crate::input_error::InputError;
use crate::secret::Secret;
use crate::types::RoleArn;

pub const DEFAULT_DURATION_SECONDS: u32 = 3600;

/// "Role chaining limits your CLI or AWS API role session to a maximum of one hour"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
pub const CHAINED_MAX_SECONDS: u32 = 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialPlan {
    /// The SDK's default chain: environment keys, profiles, web-identity token file, container
    /// credentials (CodeBuild), instance metadata.
    DefaultChain,
    /// The default chain's credentials assume `role` with `AssumeRole`.
    Chained {
        role: RoleSession,
        external_id: Option<String>,
    },
    GithubOidc {
        role: RoleSession,
        request_url: String,
        request_token: Secret,
        audience: String,
    },
    GitlabOidc {
        role: RoleSession,
        token: Secret,
        token_variable: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleSession {
    pub role_arn: RoleArn,
    pub session_name: String,
    pub duration_seconds: u32,
}

impl CredentialPlan {
    pub fn describe(&self) -> &'static str {
        match self {
            Self::DefaultChain => "the AWS SDK's default credential chain",
            Self::Chained { .. } => "the AWS SDK's default credential chain, chained into the role",
            Self::GithubOidc { .. } => "GitHub Actions OIDC",
            Self::GitlabOidc { .. } => "GitLab CI OIDC",
        }
    }

    /// The role the plan assumes; none for the default chain as it is.
    pub fn role(&self) -> Option<&RoleSession> {
        match self {
            Self::DefaultChain => None,
            Self::Chained { role, .. } | Self::GithubOidc { role, .. } | Self::GitlabOidc { role, .. } => Some(role),
        }
    }
}

/// Decides how to authenticate; `region` picks the China audience where it applies.
/// `fork` and `run_id` are the CI's: a fork gets no token; the run names the session.
pub fn plan(env: &Env, ci: Ci, fork: bool, run_id: Option<&str>, region: &str) -> Result<CredentialPlan, InputError> {
    // A malformed role is a mistake in any CI, even one that signs in another way.
    let role = env
        .first_of(&[MAESTRO_ROLE_ARN, AWS_ROLE_ARN])
        .map(|(name, text)| {
            RoleArn::parse(text.trim()).map_err(|invalid| {
                invalid
                    .with_hint("use the role's full ARN, e.g. `arn:aws:iam::123456789012:role/maestro-deploy`")
                    .at(env.location(name))
            })
        })
        .transpose()?;
    let external_id = external_id(env)?;
    if chaining(env)? {
        return chained(env, ci, run_id, role, external_id);
    }
    if external_id.is_some() {
        return Err(InputError::new(
            env.location(MAESTRO_ROLE_EXTERNAL_ID),
            "an external ID is only sent when the job's own credentials assume the role",
            "set `role-chaining: true` (MAESTRO_ROLE_CHAINING=true) to assume the role with it, or remove it: an OIDC token's AssumeRoleWithWebIdentity takes none",
        ));
    }
    // A token file means the SDK's own web-identity provider is configured; let it work.
    let sdk_web_identity = env.get(var::AWS_WEB_IDENTITY_TOKEN_FILE).is_some();
    let Some(role_arn) = role.filter(|_| !sdk_web_identity && matches!(ci, Ci::Github | Ci::Gitlab)) else {
        return Ok(CredentialPlan::DefaultChain);
    };
    let duration_seconds = duration(env)?;
    let session_name = session_name(env, ci, run_id)?;
    let role = RoleSession { role_arn, session_name, duration_seconds };
    match ci {
        Ci::Github => github(env, fork, role, region),
        _ => gitlab(env, role),
    }
}

fn chained(
    env: &Env,
    ci: Ci,
    run_id: Option<&str>,
    role: Option<RoleArn>,
    external_id: Option<String>,
) -> Result<CredentialPlan, InputError> {
    let Some(role_arn) = role else {
        return Err(InputError::new(
            env.location(MAESTRO_ROLE_CHAINING),
            "role chaining is on, but no role is set to assume",
            "set `role-to-assume` (MAESTRO_ROLE_ARN) to the role the job's credentials assume",
        ));
    };
    let duration_seconds = duration(env)?;
    if duration_seconds > CHAINED_MAX_SECONDS {
        return Err(InputError::new(
            env.location(MAESTRO_ROLE_DURATION_SECONDS),
            format!("{duration_seconds} seconds is longer than AWS allows a chained role's session"),
            "give at most 3600 seconds with role chaining (maestro renews the session before it ends)",
        ));
    }
    let session_name = session_name(env, ci, run_id)?;
    Ok(CredentialPlan::Chained { role: RoleSession { role_arn, session_name, duration_seconds }, external_id })
}

fn chaining(env: &Env) -> Result<bool, InputError> {
    match env.get(MAESTRO_ROLE_CHAINING).map(str::trim) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(InputError::new(
            env.location(MAESTRO_ROLE_CHAINING),
            format!("`{other}` is not `true` or `false`"),
            "write `true` to assume the role with the job's own credentials, or `false`",
        )),
    }
}

/// `AssumeRole`'s `ExternalId`: "2 to 1224 characters … `[\w+=,.@:\/-]*`"
/// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
fn external_id(env: &Env) -> Result<Option<String>, InputError> {
    let Some(value) = env.get(MAESTRO_ROLE_EXTERNAL_ID) else { return Ok(None) };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c);
    if (2..=1224).contains(&value.len()) && value.chars().all(allowed) {
        return Ok(Some(value.to_owned()));
    }
    Err(InputError::new(
        env.location(MAESTRO_ROLE_EXTERNAL_ID),
        "the external ID is not 2 to 1224 of the characters AWS accepts",
        "use letters, digits and `_+=,.@:/-`, as the role's trust policy names it in `sts:ExternalId`",
    ))
}

fn github(env: &Env, fork: bool, role: RoleSession, region: &str) -> Result<CredentialPlan, InputError> {
    let (Some(request_url), Some(request_token)) =
        (env.get(var::ACTIONS_ID_TOKEN_REQUEST_URL), env.get(var::ACTIONS_ID_TOKEN_REQUEST_TOKEN))
    else {
        return Err(if fork {
            InputError::new(
                var::ACTIONS_ID_TOKEN_REQUEST_URL,
                "this pull request comes from a fork, and GitHub gives fork pull requests no OIDC token",
                "skip the deploy for forks (`if: github.event.pull_request.head.repo.full_name == github.repository`); a workflow that hands a fork's code the base repository's role is how production leaks (docs/ci.md)",
            )
        } else {
            InputError::new(
                var::ACTIONS_ID_TOKEN_REQUEST_URL,
                format!("a role is set (`{}`) but the job cannot request an OIDC token", role.role_arn),
                "grant the job `permissions: { id-token: write, contents: read, deployments: write, statuses: write }` (a reusable workflow's caller must grant it too)",
            )
        });
    };
    let default_audience = if region.starts_with("cn-") { "sts.amazonaws.com.cn" } else { "sts.amazonaws.com" };
    let audience = env.get(MAESTRO_OIDC_AUDIENCE).unwrap_or(default_audience).to_owned();
    Ok(CredentialPlan::GithubOidc {
        role,
        request_url: request_url.to_owned(),
        request_token: Secret::new(request_token),
        audience,
    })
}

fn gitlab(env: &Env, role: RoleSession) -> Result<CredentialPlan, InputError> {
    let token_variable = env.get(MAESTRO_ID_TOKEN_VARIABLE).unwrap_or(MAESTRO_ID_TOKEN).trim().to_owned();
    let Some(token) = env.get(&token_variable) else {
        return Err(InputError::new(
            token_variable.as_str(),
            format!("a role is set (`{}`) but the job has no ID token in `{token_variable}`", role.role_arn),
            format!(
                "declare it in the job: `id_tokens: {{ {token_variable}: {{ aud: https://gitlab.com }} }}` (the audience your IAM OIDC provider lists)"
            ),
        ));
    };
    Ok(CredentialPlan::GitlabOidc { role, token: Secret::new(token.trim()), token_variable })
}

fn duration(env: &Env) -> Result<u32, InputError> {
    let Some(value) = env.get(MAESTRO_ROLE_DURATION_SECONDS) else { return Ok(DEFAULT_DURATION_SECONDS) };
    match value.trim().parse::<u32>() {
        Ok(seconds) if (900..=43200).contains(&seconds) => Ok(seconds),
        _ => Err(InputError::new(
            env.location(MAESTRO_ROLE_DURATION_SECONDS),
            format!("`{value}` is not a session duration from 900 to 43200 seconds"),
            "give seconds from 900 (15 minutes) to 43200 (12 hours), at most the role's maximum session duration",
        )),
    }
}

/// A session name CloudTrail can trace back to the run: `maestro-gh-<run>-<attempt>`.
fn session_name(env: &Env, ci: Ci, run_id: Option<&str>) -> Result<String, InputError> {
    if let Some(value) = env.get(MAESTRO_ROLE_SESSION_NAME) {
        let valid = (2..=64).contains(&value.len()) && value.chars().all(is_session_char);
        return if valid {
            Ok(value.to_owned())
        } else {
            Err(InputError::new(
                env.location(MAESTRO_ROLE_SESSION_NAME),
                format!("`{value}` is not a valid role session name"),
                "use 2 to 64 letters, digits and `+=,.@_-`",
            ))
        };
    }
    let run = run_id.unwrap_or("run");
    let name = match ci {
        Ci::Github => format!("maestro-gh-{run}-{}", env.get(var::GITHUB_RUN_ATTEMPT).unwrap_or("1")),
        // Role chaining reaches these: CodeBuild's build id (`project:uuid`), a laptop's run.
        Ci::Codebuild => format!("maestro-cb-{run}"),
        Ci::Local => "maestro-local".to_owned(),
        Ci::Gitlab => format!(
            "maestro-gl-{}-{}",
            env.get(var::CI_PROJECT_ID).unwrap_or("project"),
            env.get(var::CI_JOB_ID).unwrap_or(run)
        ),
    };
    Ok(name.chars().map(|c| if is_session_char(c) { c } else { '-' }).take(64).collect())
}

fn is_session_char(character: char) -> bool {
    character.is_ascii_alphanumeric() || "+=,.@_-".contains(character)
}

/// The claims of an OIDC token that a trust policy matches on. Never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub iss: String,
    #[serde(default, deserialize_with = "audience")]
    pub aud: String,
    #[serde(default)]
    pub sub: String,
}

fn audience<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(text) => Ok(text),
        serde_json::Value::Array(items) => {
            Ok(items.iter().filter_map(|item| item.as_str()).collect::<Vec<_>>().join(","))
        }
        _ => Ok(String::new()),
    }
}

/// Decodes the payload of a JWT (without checking its signature: AWS does that).
pub fn claims(token: &str) -> Option<Claims> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
