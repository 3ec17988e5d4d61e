//! SDK errors as maestro failures: the operation, the AWS error code and its message.

use aws_sdk_sts::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

use crate::error::Failure;

/// `what` says what maestro was doing ("describe cluster acme-staging").
pub(crate) fn failure<E, R>(what: &str, error: &SdkError<E, R>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match (error.code(), error.message()) {
        (Some(code), message) => {
            Failure::new(format!("{what}: {code}: {}", message.unwrap_or("no message"))).hint(hint_for(code))
        }
        (None, _) => Failure::new(format!("{what}: {}", DisplayErrorContext(error)))
            .hint("check the network path to AWS (and `AWS_ENDPOINT_URL` if you use one), then run again"),
    }
}

/// The service error code, for the adapters that turn "not found" into `None`.
pub(crate) fn code<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> Option<&str> {
    error.as_service_error().and_then(ProvideErrorMetadata::code)
}

/// Whether the error is the service error `wanted` with a message containing `text`.
pub(crate) fn is<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>, wanted: &str, text: &str) -> bool {
    error.as_service_error().is_some_and(|service| {
        service.code() == Some(wanted) && service.message().is_some_and(|message| message.contains(text))
    })
}

fn hint_for(code: &str) -> &'static str {
    match code {
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            "the deploy role lacks this permission; maestro stopped there, and a failed read never leads to a create"
        }
        "Throttling" | "ThrottlingException" | "TooManyRequestsException" | "RequestLimitExceeded" => {
            "AWS kept throttling after the SDK's retries; run again, or raise AWS_MAX_ATTEMPTS"
        }
        _ => "see AWS's message above; maestro stopped there, and a failed read never leads to a create",
    }
}
