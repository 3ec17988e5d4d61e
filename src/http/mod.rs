//! HTTP plumbing for everything maestro sends outside the AWS SDK (the reporters, the registry
//! lookup, the OIDC token request): one way to build a client, one retry policy and the one loop
//! that applies it, and one way to describe a failed request without its URL.

pub(crate) mod body;
mod client;
mod retry;

pub(crate) use client::{Sent, client, send};
pub(crate) use retry::{Repeat, RetryPolicy};

/// reqwest's message for `error`, with every cause (so "error sending request" says why), and
/// without the URL: a webhook's URL may carry a token, and the message reads better without it.
/// Where the URL shows other than as reqwest's `(url)` suffix, `server` names it instead.
pub(crate) fn without_url(error: &reqwest::Error, server: &str) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    match error.url() {
        Some(url) => text.replace(&format!(" ({url})"), "").replace(url.as_str(), server),
        None => text,
    }
}
