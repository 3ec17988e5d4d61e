//! The reporters' side of HTTP: a request as a value, the answer as text, and a failure as one
//! line for a warning. Retries follow `crate::http`'s reporting policy (bounded, honouring
//! `Retry-After` and GitHub's rate-limit headers) with a per-call timeout: a code host that is
//! down or slow costs the deploy a few seconds, never its result.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::http::{Repeat, RetryPolicy, Sent};

pub(crate) struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Value>,
}

#[derive(Debug)]
pub(crate) struct Response {
    pub status: StatusCode,
    pub body: String,
}

impl Response {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// The API's own message, for warnings.
    pub(crate) fn message(&self) -> String {
        let json = self.json();
        let message = json.get("message").and_then(Value::as_str).map(str::to_owned);
        message.unwrap_or_else(|| maestro_core::text::truncate(self.body.trim(), 200))
    }
}

/// A failed exchange: no answer at all, or a refusal maestro stopped retrying.
#[derive(Debug)]
pub(crate) struct Unanswered(pub String);

pub(crate) struct Http {
    client: reqwest::Client,
}

impl Http {
    pub(crate) fn new(timeout_seconds: u32) -> Result<Self, String> {
        let client =
            crate::http::client(Duration::from_secs(u64::from(timeout_seconds))).map_err(|error| error.to_string())?;
        Ok(Self { client })
    }

    /// Sends `request`; `repeat` says whether it may be sent again after a 5xx or a lost answer.
    /// The last answer is returned whatever its status, once retries are over.
    pub(crate) async fn send(&self, request: &Request, repeat: Repeat) -> Result<Response, Unanswered> {
        let build = || {
            let mut builder = self.client.request(request.method.clone(), &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            if let Some(body) = &request.body {
                builder = builder.json(body);
            }
            builder
        };
        match crate::http::send(&RetryPolicy::reporting(repeat), build).await {
            Sent::Answered(response) | Sent::OutOfAttempts(Ok(response)) => {
                let status = response.status();
                let body = crate::http::body::read(response, crate::http::body::MOST_BYTES)
                    .await
                    .map_err(|error| Unanswered(format!("answered {status}, but {error}")))?;
                Ok(Response { status, body: String::from_utf8_lossy(&body).into_owned() })
            }
            Sent::Unanswered(error) | Sent::OutOfAttempts(Err(error)) => Err(Unanswered(describe(&error))),
            Sent::AskedTooLong { status, wait } => Err(Unanswered(format!(
                "answered {status}; it asks to wait {} s, longer than maestro waits",
                wait.as_secs()
            ))),
        }
    }
}

/// The error in a few words, never with the URL (a webhook's URL may carry a token).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "no answer in time".to_owned();
    }
    if error.is_connect() {
        return "could not connect".to_owned();
    }
    crate::http::without_url(error, "the server")
}
