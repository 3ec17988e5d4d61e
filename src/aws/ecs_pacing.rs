//! ECS calls paced at ECS's documented per-account rates (`maestro_core::pacing`), and retried on
//! `ThrottlingException` without running out of retries.
//!
//! The pacing sits in the ECS client's HTTP connector, the one place every attempt (the SDK's
//! retries included) passes through and may wait asynchronously: it names the action from the
//! JSON protocol's `X-Amz-Target` header, waits for the pacer's token, sends, and tells the pacer
//! whether ECS throttled the call (from the `X-Amzn-ErrorType` header, or the error body's
//! `__type`), so a run sharing the account with other deploys takes a share of the rate.
//! The SDK's adaptive retry mode is not used: its client-side limiter is one rate for all of a
//! client's calls, so a throttled registration (1 a second) would slow the service polls (20 a
//! second) too; the pacer keeps a bucket per category, as ECS does.

use std::sync::{Arc, Mutex};

use aws_config::SdkConfig;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;

use super::calls::CallLog;
use crate::clock::Stopwatch;
use maestro_core::pacing::Pacer;

/// The code ECS answers a call over its rate with (request-throttling.html).
const THROTTLED: &str = "ThrottlingException";

/// The ECS client's HTTP client: the SDK's default one, each call paced.
#[derive(Debug, Clone)]
struct Paced {
    inner: SharedHttpClient,
    pacer: Arc<Mutex<Pacer>>,
    /// The pacer's clock: time since the run's ECS client was made.
    epoch: Stopwatch,
}

impl Paced {
    fn new() -> Self {
        Self { inner: default_https_client(), pacer: Arc::default(), epoch: Stopwatch::start() }
    }
}

/// The SDK's default HTTPS client (`aws_smithy_runtime::client::http::default_https_client`,
/// which is not public): hyper 1 with rustls on aws-lc, the proxy from the environment.
fn default_https_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}

/// The ECS client's configuration: its calls counted in `log`, paced unless `pacing` is false,
/// and its throttles retried without spending the retry quota.
pub(crate) fn config(config: &SdkConfig, log: &CallLog, pacing: bool) -> aws_sdk_ecs::Config {
    let mut builder = aws_sdk_ecs::config::Builder::from(config)
        .interceptor(log.clone())
        .retry_partition(retry_partition())
        .stalled_stream_protection(stalled_stream_protection());
    if pacing {
        builder = builder.http_client(Paced::new());
    }
    builder.build()
}

/// The ECS client's stalled-stream protection, downloads only: the upload's watch starts before
/// the connector is called, so a paced wait would read as a stalled upload (0 B/s for its grace
/// period). ECS's requests are small JSON bodies, sent at once once they go.
fn stalled_stream_protection() -> StalledStreamProtectionConfig {
    StalledStreamProtectionConfig::enabled().upload_enabled(false).build()
}

/// ECS's retries: a partition of its own whose quota a throttle does not spend. The SDK's retry
/// quota (500, 5 a throttled retry) stops retrying a client that meets many errors, which is
/// right for an outage; a throttle is answered by waiting, which the pacer and the backoff do.
fn retry_partition() -> RetryPartition {
    RetryPartition::custom("maestro-ecs").token_bucket(TokenBucket::builder().throttling_retry_cost(0).build()).build()
}

impl HttpClient for Paced {
    fn http_connector(&self, settings: &HttpConnectorSettings, components: &RuntimeComponents) -> SharedHttpConnector {
        SharedHttpConnector::new(PacedConnector {
            inner: self.inner.http_connector(settings, components),
            pacer: self.pacer.clone(),
            epoch: self.epoch,
        })
    }
}

#[derive(Debug)]
struct PacedConnector {
    inner: SharedHttpConnector,
    pacer: Arc<Mutex<Pacer>>,
    epoch: Stopwatch,
}

impl HttpConnector for PacedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        // `AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition`
        let action = request.headers().get("x-amz-target").and_then(|target| target.rsplit('.').next());
        let Some(action) = action.map(str::to_owned) else {
            return self.inner.call(request);
        };
        let wait = self.pacer.lock().map(|mut pacer| pacer.reserve(&action, self.epoch.elapsed())).unwrap_or_default();
        let (inner, pacer, epoch) = (self.inner.clone(), self.pacer.clone(), self.epoch);
        HttpConnectorFuture::new(async move {
            if !wait.is_zero() {
                tracing::debug!(action, wait = ?wait, "pacing an ECS call at ECS's documented rate");
                tokio::time::sleep(wait).await;
            }
            let mut response = inner.call(request).await?;
            let throttled = throttled(&mut response).await;
            if let Ok(mut pacer) = pacer.lock() {
                if throttled {
                    pacer.throttled(&action, epoch.elapsed());
                } else {
                    pacer.passed(&action, epoch.elapsed());
                }
            }
            Ok(response)
        })
    }
}

/// Whether ECS refused the call as over its rate: status 400 with `ThrottlingException` in the
/// `X-Amzn-ErrorType` header or the body's `__type` (the body, read here, is put back).
async fn throttled(response: &mut HttpResponse) -> bool {
    if response.status().as_u16() != 400 {
        return false;
    }
    if response.headers().get("x-amzn-errortype").is_some_and(|kind| kind.starts_with(THROTTLED)) {
        return true;
    }
    let Ok(bytes) = ByteStream::new(response.take_body()).collect().await.map(|body| body.into_bytes()) else {
        return false;
    };
    let found = String::from_utf8_lossy(&bytes).contains(THROTTLED);
    *response.body_mut() = SdkBody::from(bytes);
    found
}

#[cfg(test)]
mod tests {
    use aws_smithy_runtime_api::http::StatusCode;

    use super::*;

    fn answer(status: u16, header: Option<&str>, body: &str) -> HttpResponse {
        let mut response = HttpResponse::new(StatusCode::try_from(status).unwrap(), SdkBody::from(body.to_owned()));
        if let Some(kind) = header {
            response.headers_mut().insert("x-amzn-errortype", kind.to_owned());
        }
        response
    }

    #[tokio::test]
    async fn a_throttle_is_told_by_its_header_or_its_body_and_the_body_is_kept() {
        let refusal = r#"{"__type": "ThrottlingException", "message": "Rate exceeded"}"#;
        let mut by_header = answer(400, Some("ThrottlingException:http://internal.amazon.com/coral/"), "{}");
        assert!(throttled(&mut by_header).await);
        let mut by_body = answer(400, None, refusal);
        assert!(throttled(&mut by_body).await);
        assert_eq!(by_body.body().bytes(), Some(refusal.as_bytes()), "the SDK still reads the error");
        let mut other = answer(400, Some("ClientException"), r#"{"__type": "ClientException"}"#);
        assert!(!throttled(&mut other).await);
        let mut fine = answer(200, None, refusal);
        assert!(!throttled(&mut fine).await, "only a refusal is a throttle");
    }
}
