//! Who the configured credentials are: the account maestro deploys into.

use super::Session;
use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata};
use serde::Serialize;

use crate::error::Failure;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Identity {
    pub account_id: String,
    pub arn: String,
    pub user_id: String,
}

/// `GetCallerIdentity`: the account comes from AWS, never from a CI variable's ARN.
pub(crate) async fn caller(session: &Session) -> Result<Identity, Failure> {
    let output = aws_sdk_sts::Client::new(&session.0).get_caller_identity().send().await.map_err(|error| {
        // STS's answer is its code and message; the SDK's full rendering would add the raw HTTP
        // response (headers such as `date` included), which changes from one run to the next.
        let why = match (error.code(), error.message()) {
            (Some(code), message) => format!("{code}: {}", message.unwrap_or("no message")),
            (None, _) => DisplayErrorContext(&error).to_string(),
        };
        Failure::new(format!("cannot confirm the AWS identity: {why}"))
            .hint("check the credentials maestro found (`maestro whoami -v`), the region, and the network path to STS")
    })?;
    Ok(Identity {
        account_id: output.account().unwrap_or_default().to_owned(),
        arn: output.arn().unwrap_or_default().to_owned(),
        user_id: output.user_id().unwrap_or_default().to_owned(),
    })
}
