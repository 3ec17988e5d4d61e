//! The one HTTP client builder, and the loop that sends a request under a [`RetryPolicy`].

use std::time::Duration;

use reqwest::StatusCode;

use super::retry::{Attempt, Decision, RetryPolicy};

/// Servers see which maestro calls them.
const USER_AGENT: &str = concat!("maestro/", env!("CARGO_PKG_VERSION"));

/// The most redirects followed, as reqwest's own default policy.
const MOST_REDIRECTS: usize = 10;

/// A client whose every request gives up after `timeout`.
///
/// It follows a redirect only to the same origin (scheme, host and port), and sends no
/// `Referer`: the reporters' requests carry credentials in custom headers (`private-token`,
/// `api-key`), which reqwest strips on a cross-host redirect only for `Authorization` and
/// `Cookie`, and a webhook's URL is itself a secret a `Referer` would hand to the next host. A
/// redirect elsewhere is answered as the 3xx itself, which the callers treat as a failure.
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    let same_origin = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(reqwest::Url::origin);
        if first.as_ref() != Some(&attempt.url().origin()) {
            attempt.stop()
        } else if attempt.previous().len() > MOST_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    });
    reqwest::Client::builder().timeout(timeout).user_agent(USER_AGENT).redirect(same_origin).referer(false).build()
}

/// How an exchange ended, once `policy` stopped retrying.
#[derive(Debug)]
pub(crate) enum Sent {
    /// An answer the policy does not retry.
    Answered(reqwest::Response),
    /// No answer, for a request that may not be sent again.
    Unanswered(reqwest::Error),
    /// Every attempt was worth retrying: the last one's outcome.
    OutOfAttempts(Result<reqwest::Response, reqwest::Error>),
    /// A refusal that asks to wait `wait`, longer than the policy waits.
    AskedTooLong { status: StatusCode, wait: Duration },
}

/// Sends the request `build` makes (a fresh one per attempt) until `policy` says to stop.
pub(crate) async fn send(policy: &RetryPolicy, build: impl Fn() -> reqwest::RequestBuilder) -> Sent {
    let mut attempt = 1;
    loop {
        let outcome = build().send().await;
        let decision = {
            let seen = match &outcome {
                Ok(response) => Attempt::Answered { status: response.status(), headers: response.headers() },
                Err(_) => Attempt::Unanswered,
            };
            policy.decide(attempt, &seen, crate::clock::unix_seconds())
        };
        match decision {
            Decision::Done => {
                return match outcome {
                    Ok(response) => Sent::Answered(response),
                    Err(error) => Sent::Unanswered(error),
                };
            }
            Decision::OutOfAttempts => return Sent::OutOfAttempts(outcome),
            Decision::AskedTooLong { status, wait } => return Sent::AskedTooLong { status, wait },
            Decision::RetryAfter(wait) => tokio::time::sleep(wait).await,
        }
        attempt += 1;
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
