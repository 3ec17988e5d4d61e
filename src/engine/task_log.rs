//! The end of a task's log, for the message that explains why it failed: found from the plan (the
//! family's log group, none under `MAESTRO_NO_LOG`) and the task's ARN (its stream).
//!
//! The lines are the app's, not maestro's: they reach the CI log with the app secret's values
//! hidden and unable to issue workflow commands, or not at all under `MAESTRO_NO_LOG_TAIL`.

use crate::aws::Clients;
use maestro_core::naming;
use maestro_core::plan::desired::DesiredState;
use maestro_core::redact::Redactor;
use maestro_core::settings::WaitSettings;

/// The last `count` lines the app container of `task_arn`, a task of `family`, logged; empty when
/// the family logs nowhere, the stream cannot be read, or `MAESTRO_NO_LOG_TAIL` is set.
pub(super) async fn tail(
    clients: &Clients,
    desired: &DesiredState,
    waiting: &WaitSettings,
    family: &str,
    task_arn: &str,
    count: i32,
) -> Vec<String> {
    if waiting.no_log_tail {
        return Vec::new();
    }
    let Some(definition) = desired.task_definitions.iter().find(|definition| definition.family == family) else {
        return Vec::new();
    };
    let Some(group) = &definition.log_group else { return Vec::new() };
    // Without the secret's values nothing could be hidden: the lines are withheld.
    let Ok(values) = clients.secrets.values(&desired.secret).await else {
        return vec!["(the log lines are withheld: the app secret could not be read to hide its values)".to_owned()];
    };
    let redactor = Redactor::new(values.iter().map(String::as_str));
    let lines = clients.logs.tail(group, &naming::log_stream(&definition.container, task_arn), count).await;
    lines.iter().map(|line| redactor.relay(line)).collect()
}
