//! The end of a task's log, for the message that explains why it failed: found from the plan (the
//! family's log group, none under `MAESTRO_NO_LOG`) and the task's ARN (its stream).

use crate::aws::Clients;
use maestro_core::naming;
use maestro_core::plan::desired::DesiredState;

/// The last `count` lines the app container of `task_arn`, a task of `family`, logged; empty when
/// the family logs nowhere or the stream cannot be read.
pub(super) async fn tail(
    clients: &Clients,
    desired: &DesiredState,
    family: &str,
    task_arn: &str,
    count: i32,
) -> Vec<String> {
    let Some(definition) = desired.task_definitions.iter().find(|definition| definition.family == family) else {
        return Vec::new();
    };
    let Some(group) = &definition.log_group else { return Vec::new() };
    clients.logs.tail(group, &naming::log_stream(&definition.container, task_arn), count).await
}
