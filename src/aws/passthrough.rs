//! JSON in, JSON out, for the ECS task definition calls.
//!
//! A task definition is the app's own JSON (`task-definition-<process>.json`) with maestro's
//! edits, and ECS speaks JSON in exactly that shape. Sending it verbatim, and reading the answer
//! verbatim, keeps every field a user sets, including ones the SDK's typed builders would need
//! converting one by one. The SDK still signs, retries and parses the call.

use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::AfterDeserializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;

/// Replaces the serialized request body with `json`, before it is signed.
pub(crate) fn replace_body(json: Vec<u8>) -> impl Fn(&mut HttpRequest) + Send + Sync + 'static {
    move |request| {
        request.headers_mut().insert("content-length", json.len().to_string());
        *request.body_mut() = SdkBody::from(json.clone());
    }
}

/// Keeps the raw response body of the call it is attached to.
#[derive(Debug, Clone, Default)]
pub(crate) struct CaptureBody(Arc<Mutex<Option<Vec<u8>>>>);

impl CaptureBody {
    pub(crate) fn take(&self) -> Option<Vec<u8>> {
        self.0.lock().ok().and_then(|mut body| body.take())
    }
}

impl Intercept for CaptureBody {
    fn name(&self) -> &'static str {
        "maestro::CaptureBody"
    }

    fn read_after_deserialization(
        &self,
        context: &AfterDeserializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let (Some(bytes), Ok(mut slot)) = (context.response().body().bytes(), self.0.lock()) {
            *slot = Some(bytes.to_vec());
        }
        Ok(())
    }
}
