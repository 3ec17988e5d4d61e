//! A call that got no AWS error code: no credentials, no connection, no answer in time, or an
//! answer that was not AWS's (a proxy's page). Each said as one sentence from the error's own
//! texts (`Display`, never `Debug`: the SDK's `Debug` is its raw response, headers and all,
//! which is for `-vv` only).

use std::error::Error;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;

use crate::error::Failure;
use maestro_core::text::visible::{self, Body};

const NETWORK_HINT: &str =
    "check the network path to AWS (a proxy: HTTPS_PROXY; `AWS_ENDPOINT_URL` if you use one), then run again";

/// `what` failed without an AWS error code.
pub(crate) fn failure<E: Error + 'static>(what: &str, error: &SdkError<E, HttpResponse>) -> Failure {
    if let Some(credentials) = credentials_error(error) {
        return Failure::new(format!("{what}: the AWS credentials could not be loaded: {}", causes(credentials)))
            .hint("`maestro whoami` shows which credentials maestro finds and where it looked");
    }
    match error {
        SdkError::ServiceError(_) | SdkError::ResponseError(_) => match error.raw_response() {
            Some(raw) => foreign_answer(what, raw, error),
            None => Failure::new(format!("{what}: {}", causes(error))).hint(NETWORK_HINT),
        },
        SdkError::DispatchFailure(dispatch) => {
            let connector = dispatch.as_connector_error();
            let why = connector.and_then(Error::source).map(causes).unwrap_or_else(|| causes(error));
            let message = match connector {
                Some(connector) if connector.is_timeout() => format!("{what}: no connection to AWS in time: {why}"),
                Some(connector) if connector.is_io() => format!("{what}: cannot reach the AWS endpoint: {why}"),
                _ => format!("{what}: the request did not reach AWS: {why}"),
            };
            Failure::new(message).hint(NETWORK_HINT)
        }
        SdkError::TimeoutError(_) => {
            Failure::new(format!("{what}: AWS did not answer in time (the SDK's timeout)")).hint(NETWORK_HINT)
        }
        SdkError::ConstructionFailure(_) => {
            Failure::new(format!("{what}: the request could not be built: {}", causes(error))).hint(
                "this is maestro's mistake or an input it did not check; please report it with the command you ran",
            )
        }
        _ => Failure::new(format!("{what}: {}", causes(error))).hint(NETWORK_HINT),
    }
}

/// An HTTP answer without an AWS error code in it: its status, what kind of body it is, and the
/// first words of a page, so a proxy or a firewall in the way says who it is.
fn foreign_answer<E: Error + 'static>(what: &str, raw: &HttpResponse, error: &SdkError<E, HttpResponse>) -> Failure {
    let status = raw.status().as_u16();
    let body = raw.body().bytes().map(String::from_utf8_lossy).unwrap_or_default();
    let kind = Body::of(raw.headers().get("content-type").unwrap_or_default(), &body);
    let failure = match kind {
        Body::Structured if (200..300).contains(&status) => {
            return Failure::new(format!("{what}: AWS's answer (HTTP {status}) could not be read: {}", causes(error)))
                .hint("run again; if it keeps failing, run with `-vv` to see the answer, and report it");
        }
        Body::Structured => {
            Failure::new(format!("{what}: the endpoint answered HTTP {status} with {}", kind.described()))
        }
        _ => Failure::new(format!(
            "{what}: the endpoint answered HTTP {status} with {}, not an AWS answer (a proxy or a firewall in the way?)",
            kind.described()
        )),
    };
    let shown = visible::visible(&body);
    let failure = if shown.is_empty() { failure } else { failure.detail(format!("it says: {shown}")) };
    failure.hint(
        "check `AWS_ENDPOINT_URL` if you set one, the proxy (HTTPS_PROXY) and the network path to AWS; `-vv` shows the whole answer",
    )
}

/// The credentials error behind a failed call, if that is why it failed.
pub(crate) fn credentials_error<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a CredentialsError> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(credentials) = error.downcast_ref::<CredentialsError>() {
            return Some(credentials);
        }
        current = error.source();
    }
    None
}

/// Whether a credentials error means the chain found nothing: every provider said "not here",
/// ran out of time, or the last one, the instance metadata service, failed (as it does off EC2:
/// a refused token, a timeout).
pub(crate) fn found_none(error: &CredentialsError) -> bool {
    match error {
        CredentialsError::CredentialsNotLoaded(_) | CredentialsError::ProviderTimedOut(_) => true,
        CredentialsError::ProviderError(_) => causes(error).contains("IMDS"),
        _ => false,
    }
}

/// `error` and its sources, each by its `Display`, joined with `: `; a text its predecessor
/// already holds, or the SDK's generic words for a variant ("dispatch failure", "other"), is
/// left out.
pub(crate) fn causes(error: &(dyn Error + 'static)) -> String {
    const GENERIC: &[&str] =
        &["dispatch failure", "io error", "other", "timeout", "user error", "service error", "response error"];
    let mut said: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(error) = current {
        let text = error.to_string().replace("\n  ", "; ").replace('\n', " ");
        let repeated = said.last().is_some_and(|last| last.contains(&text));
        if !text.is_empty() && !repeated && !GENERIC.contains(&text.as_str()) {
            said.push(text);
        }
        current = error.source();
    }
    said.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::result::ConnectorError;

    #[derive(Debug, thiserror::Error)]
    #[error("unused")]
    struct Never;

    #[test]
    fn a_refused_connection_is_said_without_the_sdks_debug_form() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "Connection refused (os error 111)");
        let error: SdkError<Never, HttpResponse> = SdkError::dispatch_failure(ConnectorError::io(refused.into()));
        let failure = failure("describe cluster acme", &error);
        assert_eq!(
            failure.message,
            "describe cluster acme: cannot reach the AWS endpoint: Connection refused (os error 111)"
        );
        assert!(!failure.render().contains("DispatchFailure"), "{}", failure.render());
    }

    fn answered(status: u16, content_type: &str, body: &str) -> Failure {
        use aws_smithy_runtime_api::http::StatusCode;
        let mut raw = HttpResponse::new(StatusCode::try_from(status).unwrap(), body.to_owned().into());
        raw.headers_mut().insert("content-type", content_type.to_owned());
        let error: SdkError<Never, HttpResponse> = SdkError::response_error("failed to parse the answer", raw);
        failure("describe cluster acme", &error)
    }

    #[test]
    fn an_answer_without_an_aws_code_says_what_came_back() {
        let empty = answered(503, "", "");
        assert_eq!(
            empty.message,
            "describe cluster acme: the endpoint answered HTTP 503 with an empty body, not an AWS answer (a proxy or a firewall in the way?)"
        );
        assert!(empty.details.is_empty(), "nothing to show: {:?}", empty.details);
        let portal = answered(403, "text/plain", "Blocked by the office firewall");
        assert_eq!(portal.details, ["it says: Blocked by the office firewall"]);
        let unreadable = answered(200, "application/x-amz-json-1.1", "{\"clusters\": [");
        assert_eq!(
            unreadable.message,
            "describe cluster acme: AWS's answer (HTTP 200) could not be read: failed to parse the answer"
        );
    }

    #[test]
    fn missing_credentials_are_found_behind_the_connector_error() {
        let not_loaded = CredentialsError::not_loaded("no profile");
        let error: SdkError<Never, HttpResponse> =
            SdkError::dispatch_failure(ConnectorError::other(not_loaded.into(), None));
        let found = credentials_error(&error).expect("the credentials error");
        assert!(found_none(found));
        let failure = failure("describe cluster acme", &error);
        assert_eq!(
            failure.message,
            "describe cluster acme: the AWS credentials could not be loaded: the credential provider was not enabled: no profile"
        );
    }
}
