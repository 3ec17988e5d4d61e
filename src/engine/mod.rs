//! The provision engine: observe what exists, diff it against the plan (in the core), apply the
//! actions. Reads run concurrently; actions run stage by stage, each stage's actions concurrently.

mod apply;
mod observe;

use serde::Serialize;

use crate::aws::Clients;
use crate::core::plan::desired::DesiredState;
use crate::core::provision::action::Action;
use crate::core::provision::diff;
use crate::core::provision::observed::Observed;
use crate::error::Failure;

pub use observe::observe;

/// What a reconciliation did.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciled {
    pub actions: Vec<Action>,
    /// Problems worth a warning that did not stop the run.
    pub warnings: Vec<String>,
}

/// The ARNs of what exists, for actions that refer to resources they do not create.
fn known_arns(observed: &Observed) -> apply::Arns {
    let arns = apply::Arns::default();
    for (family, latest) in &observed.task_definitions {
        if let Some(latest) = latest {
            arns.insert(format!("task-definition/{family}"), latest.arn.clone());
        }
    }
    if let Some(group) = &observed.target_group {
        arns.insert(format!("target-group/{}", group.name), group.arn.clone());
    }
    if let Some(balancer) = &observed.load_balancer {
        arns.insert(format!("load-balancer/{}", balancer.name), balancer.arn.clone());
    }
    arns
}

/// Makes AWS match `desired`. A converged app makes only reads.
pub async fn reconcile(
    clients: &Clients,
    desired: &DesiredState,
    options: diff::Options,
) -> Result<Reconciled, Failure> {
    let observed = observe(clients, desired).await?;
    let mut warnings = Vec::new();
    if observed.secret.is_none() {
        warnings.push(format!(
            "secret {} does not exist: the containers get no app variables from Secrets Manager",
            desired.secret
        ));
    }
    let diff = diff::diff(desired, &observed, options);
    warnings.extend(diff.warnings);
    apply::apply(clients, &diff.actions, &known_arns(&observed)).await?;
    Ok(Reconciled { actions: diff.actions, warnings })
}
