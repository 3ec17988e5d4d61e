//! Who the configured credentials are: the account maestro deploys into.

use super::Session;
use super::unanswered;
use aws_sdk_sts::error::ProvideErrorMetadata;
use serde::Serialize;

use crate::error::{Error, Failure};
use crate::workflow::Masker;
use maestro_core::account_guard::AccountGuard;
use maestro_core::types::AccountId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Identity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
}

/// `GetCallerIdentity`: the account comes from AWS, never from a CI variable's ARN. It is every
/// command's first call, so it is where missing credentials show: said as where the SDK's chain
/// looked, not as the last place it tried (the instance metadata service).
pub(crate) async fn caller(session: &Session) -> Result<Identity, Failure> {
    let output = aws_sdk_sts::Client::new(&session.0).get_caller_identity().send().await.map_err(|error| {
        tracing::trace!("GetCallerIdentity: {error:?}");
        let none_found = unanswered::credentials_error(&error).is_some_and(unanswered::found_none);
        match (&session.1, error.code(), error.message()) {
            (Some(explained), None, _) if none_found => {
                let failure = Failure::new(format!("cannot confirm the AWS identity: {}", explained.message));
                explained.details.iter().fold(failure, |failure, detail| failure.detail(detail)).hint(&explained.hint)
            }
            // STS's answer is its code and message; the SDK's full rendering would add the raw
            // HTTP response (headers such as `date` included), which changes from one run to the next.
            (_, Some(code), message) => Failure::new(format!(
                "cannot confirm the AWS identity (sts:GetCallerIdentity): {code}: {}",
                message.unwrap_or("no message")
            ))
            .hint("check the credentials maestro found (`maestro whoami -v`), the region, and the network path to STS"),
            _ => unanswered::failure("cannot confirm the AWS identity (sts:GetCallerIdentity)", &error),
        }
    })?;
    Ok(Identity {
        account_id: output.account().unwrap_or_default().to_owned(),
        arn: output.arn().unwrap_or_default().to_owned(),
        user_id: output.user_id().unwrap_or_default().to_owned(),
    })
}

/// [`caller`], then `guard`: with masking on, the account's id is masked in the GitHub job's log
/// before anything prints it; an account the guard does not list is bad input (exit 2), before any
/// write.
pub(crate) async fn confirmed(session: &Session, guard: &AccountGuard, masker: &Masker) -> Result<Identity, Error> {
    let identity = caller(session).await?;
    if guard.mask {
        masker.mask(&identity.account_id);
    }
    let account = AccountId::parse(&identity.account_id)
        .map_err(|invalid| Failure::new(format!("STS answered with an account id that {invalid}")))?;
    guard.check(&account)?;
    Ok(identity)
}
