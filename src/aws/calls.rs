//! Counts the AWS calls a run makes, reads and writes apart, so a test (and the user, in the run's
//! summary) can see that a converged app costs only reads.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use serde::Serialize;

/// Every call made through the clients that carry this log, by `Service.Operation`.
#[derive(Debug, Clone, Default)]
pub(crate) struct CallLog {
    calls: Arc<Mutex<BTreeMap<String, u32>>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CallCounts {
    pub reads: u32,
    pub writes: u32,
    pub by_operation: BTreeMap<String, u32>,
}

/// Operations that change nothing; everything else counts as a write. IAM's policy simulator
/// (`maestro verify`) only reads the role's policies.
fn is_read(operation: &str) -> bool {
    ["Describe", "List", "Get", "Simulate"].iter().any(|prefix| operation.starts_with(prefix))
}

impl CallLog {
    pub(crate) fn counts(&self) -> CallCounts {
        let calls = self.calls.lock().map(|calls| calls.clone()).unwrap_or_default();
        let (mut reads, mut writes) = (0, 0);
        for (key, count) in &calls {
            let operation = key.rsplit('.').next().unwrap_or(key);
            if is_read(operation) { reads += count } else { writes += count }
        }
        CallCounts { reads, writes, by_operation: calls }
    }

    fn record(&self, service: &str, operation: &str) {
        if let Ok(mut calls) = self.calls.lock() {
            *calls.entry(format!("{service}.{operation}")).or_default() += 1;
        }
    }
}

impl Intercept for CallLog {
    fn name(&self) -> &'static str {
        "maestro::CallLog"
    }

    // Serialization happens once per operation, before the retry loop: retries are the SDK's
    // business. (At `read_before_execution` the operation's metadata is not loaded yet.)
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(metadata) = cfg.load::<Metadata>() {
            self.record(metadata.service(), metadata.name());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_are_told_apart() {
        let log = CallLog::default();
        log.record("ECS", "DescribeClusters");
        log.record("ECS", "DescribeClusters");
        log.record("ECS", "CreateCluster");
        log.record("CloudWatchLogs", "ListTagsForResource");
        log.record("IAM", "SimulatePrincipalPolicy");
        let counts = log.counts();
        assert_eq!((counts.reads, counts.writes), (4, 1));
        assert_eq!(counts.by_operation["ECS.DescribeClusters"], 2);
    }
}
