//! AWS credentials from a CI's OIDC token: fetch the token, exchange it with
//! `AssumeRoleWithWebIdentity`, and do both again before the session expires, so credentials
//! outlive a long deploy.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{self, ProvideCredentials, error::CredentialsError};
use aws_sdk_sts::error::ProvideErrorMetadata;
use tokio::sync::Mutex;

use crate::error::Failure;
use crate::http::{RetryPolicy, Sent};
use crate::workflow::Masker;
use maestro_core::credentials::{self, CredentialPlan, RoleSession};
use maestro_core::oidc_doctor::{Diagnosis, TokenClaims};
use maestro_core::secret::Secret;

/// Refresh this long before the session ends: a deploy step must never start on credentials
/// about to expire.
const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(10 * 60);

#[derive(Debug, Clone)]
pub(crate) struct OidcProvider {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    token: TokenSource,
    role: RoleSession,
    sts: aws_sdk_sts::Client,
    masker: Masker,
    refresh_margin: Duration,
    cached: Mutex<Option<Credentials>>,
}

#[derive(Debug)]
enum TokenSource {
    /// GitHub mints a fresh token per request; each refresh asks again.
    Github { http: reqwest::Client, request_url: String, request_token: Secret, audience: String },
    /// GitLab's token is fixed for the job; refreshing re-uses it while it is valid.
    Gitlab { token: Secret, variable: String },
}

impl OidcProvider {
    pub(crate) fn new(plan: &CredentialPlan, sts: aws_sdk_sts::Client, masker: Masker) -> Result<Self, Failure> {
        let (token, role) = match plan {
            CredentialPlan::GithubOidc { role, request_url, request_token, audience } => {
                let http = crate::http::client(Duration::from_secs(10))
                    .map_err(|error| Failure::new(format!("cannot start an HTTP client: {error}")))?;
                let source = TokenSource::Github {
                    http,
                    request_url: request_url.clone(),
                    request_token: request_token.clone(),
                    audience: audience.clone(),
                };
                (source, role.clone())
            }
            CredentialPlan::GitlabOidc { role, token, token_variable } => {
                (TokenSource::Gitlab { token: token.clone(), variable: token_variable.clone() }, role.clone())
            }
            CredentialPlan::DefaultChain | CredentialPlan::Chained { .. } => {
                return Err(Failure::new("OIDC credentials need a role and a token"));
            }
        };
        masker.mask(token.static_secret().unwrap_or_default());
        Ok(Self {
            inner: Arc::new(Inner {
                token,
                role,
                sts,
                masker,
                refresh_margin: DEFAULT_REFRESH_MARGIN,
                cached: Mutex::new(None),
            }),
        })
    }

    /// Refreshes when less than `margin` is left (tests use a margin longer than the session).
    /// Takes effect on a provider not yet shared.
    #[cfg(test)]
    pub(crate) fn with_refresh_margin(mut self, margin: Duration) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.refresh_margin = margin;
        }
        self
    }

    /// Valid credentials: the cached ones, or a fresh token exchanged for a new session.
    pub(crate) async fn credentials(&self) -> Result<Credentials, Failure> {
        let inner = &self.inner;
        let mut cached = inner.cached.lock().await;
        if let Some(credentials) = cached.as_ref().filter(|credentials| inner.is_fresh(credentials)) {
            return Ok(credentials.clone());
        }
        let token = inner.token.fetch(inner.masker).await?;
        let credentials = inner.assume(&token).await?;
        *cached = Some(credentials.clone());
        Ok(credentials)
    }
}

impl Inner {
    fn is_fresh(&self, credentials: &Credentials) -> bool {
        credentials.expiry().is_some_and(|expiry| expiry > SystemTime::now() + self.refresh_margin)
    }

    async fn assume(&self, token: &Secret) -> Result<Credentials, Failure> {
        let role = &self.role;
        let response = self
            .sts
            .assume_role_with_web_identity()
            .role_arn(&role.role_arn)
            .role_session_name(&role.session_name)
            .web_identity_token(token.expose())
            .duration_seconds(i32::try_from(role.duration_seconds).unwrap_or(3600))
            .send()
            .await
            .map_err(|error| explain_sts_error(&role.role_arn, token, &error))?;
        let Some(session) = response.credentials() else {
            return Err(Failure::new(format!("STS returned no credentials for `{}`", role.role_arn)));
        };
        for secret in [session.access_key_id(), session.secret_access_key(), session.session_token()] {
            self.masker.mask(secret);
        }
        let expiry = SystemTime::try_from(*session.expiration()).ok();
        tracing::debug!(role = %role.role_arn, session = %role.session_name, "assumed the role with the CI's OIDC token");
        Ok(Credentials::new(
            session.access_key_id(),
            session.secret_access_key(),
            Some(session.session_token().to_owned()),
            expiry,
            "maestro-oidc",
        ))
    }
}

/// Turns an STS refusal into the fix: the token's claims next to what the trust policy needs.
fn explain_sts_error<E>(
    role_arn: &str,
    token: &Secret,
    error: &aws_sdk_sts::error::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    tracing::trace!("AssumeRoleWithWebIdentity: {error:?}");
    let code = error.code().unwrap_or_default();
    let message = error.message().unwrap_or_default();
    let claims = credentials::claims(token.expose()).unwrap_or_default();
    let claims_line = format!("the job's token: iss `{}`, aud `{}`, sub `{}`", claims.iss, claims.aud, claims.sub);
    let failure = Failure::new(format!("AWS did not let this job assume `{role_arn}`: {code}: {message}"));
    match code {
        "" => super::unanswered::failure(&format!("assume `{role_arn}` (sts:AssumeRoleWithWebIdentity)"), error),
        "ExpiredTokenException" => failure
            .detail(claims_line)
            .hint("the token expired before it reached AWS; run again, and check the runner's clock"),
        _ => {
            let decoded = TokenClaims::decode(token.expose()).unwrap_or_default();
            let diagnosis = Diagnosis::of(code, message, role_arn, &decoded);
            let failure = failure.detail(claims_line);
            let failure = match diagnosis.claim {
                Some(claim) => failure.detail(format!("the claim this points at: `{claim}`")),
                None => failure,
            };
            failure.hint(diagnosis.hint)
        }
    }
}

/// The job's OIDC token, for `whoami --explain` to read its claims: GitHub's asked for (and
/// masked), GitLab's as the job holds it. `None` for a plan without one.
pub(crate) async fn job_token(plan: &CredentialPlan, masker: Masker) -> Result<Option<Secret>, Failure> {
    let source = match plan {
        CredentialPlan::GithubOidc { request_url, request_token, audience, .. } => {
            let http = crate::http::client(Duration::from_secs(10))
                .map_err(|error| Failure::new(format!("cannot start an HTTP client: {error}")))?;
            masker.mask(request_token.expose());
            TokenSource::Github {
                http,
                request_url: request_url.clone(),
                request_token: request_token.clone(),
                audience: audience.clone(),
            }
        }
        CredentialPlan::GitlabOidc { token, token_variable, .. } => {
            masker.mask(token.expose());
            TokenSource::Gitlab { token: token.clone(), variable: token_variable.clone() }
        }
        CredentialPlan::DefaultChain | CredentialPlan::Chained { .. } => return Ok(None),
    };
    source.fetch(masker).await.map(Some)
}

impl TokenSource {
    fn static_secret(&self) -> Option<&str> {
        match self {
            Self::Gitlab { token, .. } => Some(token.expose()),
            Self::Github { request_token, .. } => Some(request_token.expose()),
        }
    }

    async fn fetch(&self, masker: Masker) -> Result<Secret, Failure> {
        match self {
            Self::Gitlab { token, variable } => {
                tracing::debug!(variable = %variable, "using GitLab's ID token");
                Ok(token.clone())
            }
            Self::Github { http, request_url, request_token, audience } => {
                let token = github_token(http, request_url, request_token, audience).await?;
                masker.mask(token.expose());
                Ok(token)
            }
        }
    }
}

/// Asks the runner for the job's OIDC token; network errors and 5xx are retried, 4xx are not.
async fn github_token(
    http: &reqwest::Client,
    request_url: &str,
    request_token: &Secret,
    audience: &str,
) -> Result<Secret, Failure> {
    let mut url = reqwest::Url::parse(request_url)
        .map_err(|error| Failure::new(format!("ACTIONS_ID_TOKEN_REQUEST_URL is not a URL: {error}")))?;
    url.query_pairs_mut().append_pair("audience", audience);
    let policy = RetryPolicy::token_request();
    let build = || {
        http.get(url.clone()).bearer_auth(request_token.expose()).header(reqwest::header::ACCEPT, "application/json")
    };
    let last_problem = match crate::http::send(&policy, build).await {
        Sent::Answered(response) => return token_from(response).await,
        Sent::OutOfAttempts(Ok(response)) => format!("GitHub answered HTTP {}", response.status()),
        Sent::OutOfAttempts(Err(error)) | Sent::Unanswered(error) => format!("the request failed: {error}"),
        Sent::AskedTooLong { status, .. } => format!("GitHub answered HTTP {status}"),
    };
    Err(Failure::new(format!(
        "cannot get the job's OIDC token from GitHub after {} attempts: {last_problem}",
        policy.attempts()
    ))
    .hint("GitHub's token service may be having trouble; run the job again"))
}

/// The token in the token service's final answer.
async fn token_from(response: reqwest::Response) -> Result<Secret, Failure> {
    let status = response.status();
    if !status.is_success() {
        return Err(Failure::new(format!("GitHub refused the job's OIDC token request (HTTP {})", status.as_u16()))
            .hint("the job needs `permissions: id-token: write`; the request token works only inside the running job, and fork pull requests never get one"));
    }
    let body = crate::http::body::read(response, crate::http::body::MOST_BYTES)
        .await
        .map_err(|error| Failure::new(format!("read GitHub's OIDC token answer: {error}")))?;
    let body: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|error| Failure::new(format!("GitHub's OIDC token answer is not JSON: {error}")))?;
    match body.get("value").and_then(serde_json::Value::as_str) {
        Some(token) if !token.is_empty() => Ok(Secret::new(token)),
        _ => Err(Failure::new("GitHub's OIDC token answer has no `value`")),
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            self.credentials().await.map_err(CredentialsError::provider_error)
        })
    }
}

#[cfg(test)]
#[path = "oidc_tests.rs"]
mod tests;
