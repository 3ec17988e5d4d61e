//! The only code that touches AWS SDK types: one `SdkConfig`, built once, and thin adapters.
//!
//! Endpoints follow the SDK's own rules (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`), which
//! is how the tests point maestro at the local emulator.

pub mod identity;
pub mod oidc;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_sts::config::Region;

use crate::core::credentials::CredentialPlan;
use crate::error::Failure;
use crate::workflow::Masker;
use oidc::OidcProvider;

/// Builds the SDK configuration for `region` with the credentials `plan` names. OIDC credentials
/// are fetched once here, so a broken trust policy fails now with its diagnosis.
pub async fn connect(plan: &CredentialPlan, region: &str, masker: Masker) -> Result<SdkConfig, Failure> {
    let loader = || aws_config::defaults(BehaviorVersion::latest()).region(Region::new(region.to_owned()));
    match plan {
        CredentialPlan::DefaultChain => Ok(loader().load().await),
        CredentialPlan::GithubOidc { .. } | CredentialPlan::GitlabOidc { .. } => {
            // AssumeRoleWithWebIdentity is unsigned: its client needs no credentials.
            let unsigned = loader().no_credentials().load().await;
            let provider = OidcProvider::new(plan, aws_sdk_sts::Client::new(&unsigned), masker)?;
            provider.credentials().await?;
            Ok(loader().credentials_provider(provider).load().await)
        }
    }
}
