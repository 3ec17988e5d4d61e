//! The reporters' HTTP client: bounded retries with backoff that honour `Retry-After` and
//! GitHub's rate-limit headers, and a per-call timeout. A code host that is down or slow costs
//! the deploy a few seconds, never its result.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::Value;

const ATTEMPTS: u32 = 3;
/// The longest maestro waits before a retry; a longer `Retry-After` ends the retries.
const LONGEST_WAIT: Duration = Duration::from_secs(20);

/// Which failures may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Only answers that say the request had no effect (429, a rate-limit 403): for creates,
    /// which must not be sent twice.
    WhenRefused,
    /// Also 5xx answers and transport errors: for requests that are safe to repeat.
    Always,
}

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
    /// The first backoff; doubled on each retry.
    backoff: Duration,
}

impl Http {
    pub(crate) fn new(timeout_seconds: u32) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(u64::from(timeout_seconds)))
            .user_agent(concat!("maestro/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| error.to_string())?;
        Ok(Self { client, backoff: Duration::from_millis(500) })
    }

    pub(crate) async fn send(&self, request: &Request, retry: Retry) -> Result<Response, Unanswered> {
        let mut last = String::new();
        for attempt in 1..=ATTEMPTS {
            let mut builder = self.client.request(request.method.clone(), &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(*name, value);
            }
            if let Some(body) = &request.body {
                builder = builder.json(body);
            }
            let wait = match builder.send().await {
                Ok(response) => {
                    let status = response.status();
                    let wait = refused_for(&response);
                    let retryable = wait.is_some() || (retry == Retry::Always && status.is_server_error());
                    let body = response.text().await.unwrap_or_default();
                    if !retryable || attempt == ATTEMPTS {
                        return Ok(Response { status, body });
                    }
                    last = format!("answered {status}");
                    wait.unwrap_or(self.backoff * 2_u32.pow(attempt - 1))
                }
                Err(error) if retry == Retry::Always && attempt < ATTEMPTS => {
                    last = describe(&error);
                    self.backoff * 2_u32.pow(attempt - 1)
                }
                Err(error) => return Err(Unanswered(describe(&error))),
            };
            if wait > LONGEST_WAIT {
                return Err(Unanswered(format!(
                    "{last}; it asks to wait {} s, longer than maestro waits",
                    wait.as_secs()
                )));
            }
            tokio::time::sleep(wait).await;
        }
        Err(Unanswered(format!("{last} ({ATTEMPTS} attempts)")))
    }
}

/// How long a rate-limited answer asks to wait: 429, or 403 with rate-limit headers.
fn refused_for(response: &reqwest::Response) -> Option<Duration> {
    let header = |name: &str| response.headers().get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let status = response.status();
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (header("retry-after").is_some() || header("x-ratelimit-remaining").as_deref() == Some("0")));
    if !limited {
        return None;
    }
    if let Some(seconds) = header("retry-after").and_then(|value| value.trim().parse::<u64>().ok()) {
        return Some(Duration::from_secs(seconds));
    }
    let now = crate::clock::unix_seconds();
    let reset = header("x-ratelimit-reset").and_then(|value| value.parse::<u64>().ok());
    Some(Duration::from_secs(reset.map_or(1, |reset| reset.saturating_sub(now).max(1))))
}

/// The error without the URL (a webhook's URL may carry a token).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "no answer in time".to_owned();
    }
    if error.is_connect() {
        return "could not connect".to_owned();
    }
    let text = error.to_string();
    match error.url() {
        Some(url) => text.replace(url.as_str(), "the server"),
        None => text,
    }
}
