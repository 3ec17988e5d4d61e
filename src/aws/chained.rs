//! Role chaining (`role-chaining`): the job's own credentials assume the role with `AssumeRole`.
//! The SDK's provider renews the session before it ends; its first credentials are fetched here,
//! so a refusal (a trust policy that does not name the job's identity, a wrong external ID) fails
//! now, said as STS said it. Each session's keys are masked in the GitHub job's log as they
//! arrive, as the OIDC provider's are.

use std::time::Duration;

use aws_config::SdkConfig;
use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::{self, ProvideCredentials};

use super::unanswered;
use crate::error::Failure;
use crate::workflow::Masker;
use maestro_core::credentials::RoleSession;

/// The SDK's AssumeRole provider, masking every session it hands out.
#[derive(Debug)]
pub(super) struct ChainedProvider {
    inner: AssumeRoleProvider,
    masker: Masker,
}

impl ProvideCredentials for ChainedProvider {
    fn provide_credentials<'a>(&'a self) -> provider::future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        provider::future::ProvideCredentials::new(async move {
            let credentials = self.inner.provide_credentials().await?;
            self.masker.mask(credentials.access_key_id());
            self.masker.mask(credentials.secret_access_key());
            credentials.session_token().into_iter().for_each(|token| self.masker.mask(token));
            Ok(credentials)
        })
    }
}

pub(super) async fn provider(
    source: &SdkConfig,
    role: &RoleSession,
    external_id: Option<&str>,
    masker: Masker,
) -> Result<ChainedProvider, Failure> {
    let mut builder = AssumeRoleProvider::builder(role.role_arn.to_string())
        .session_name(&role.session_name)
        .session_length(Duration::from_secs(u64::from(role.duration_seconds)))
        .configure(source);
    if let Some(external_id) = external_id {
        builder = builder.external_id(external_id);
    }
    let provider = ChainedProvider { inner: builder.build().await, masker };
    provider.provide_credentials().await.map_err(|error| {
        Failure::new(format!(
            "the job's credentials could not assume `{}` (sts:AssumeRole): {}",
            role.role_arn,
            unanswered::causes(&error)
        ))
        .hint("the role's trust policy must allow sts:AssumeRole for the job's identity (`maestro whoami` without role-chaining shows it), with the external ID it names in `sts:ExternalId`, if any")
    })?;
    Ok(provider)
}
