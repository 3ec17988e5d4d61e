//! The provision engine: observe what exists, diff it against the plan (in the core), apply the
//! actions. Reads run concurrently; actions run stage by stage, each stage's actions concurrently.

mod apply;
mod observe;

use serde::Serialize;

use crate::aws::Clients;
use crate::core::plan::desired::DesiredState;
use crate::core::provision::action::Action;
use crate::core::provision::diff;
use crate::error::Failure;

pub use observe::observe;

/// What a reconciliation did.
#[derive(Debug, Clone, Serialize)]
pub struct Reconciled {
    pub actions: Vec<Action>,
    /// Problems worth a warning that did not stop the run.
    pub warnings: Vec<String>,
}

/// Makes AWS match `desired`. A converged app makes only reads.
pub async fn reconcile(clients: &Clients, desired: &DesiredState) -> Result<Reconciled, Failure> {
    let observed = observe(clients, desired).await?;
    let mut warnings = Vec::new();
    if observed.secret.is_none() {
        warnings.push(format!(
            "secret {} does not exist: the containers get no app variables from Secrets Manager",
            desired.secret
        ));
    }
    let actions = diff::actions(desired, &observed);
    apply::apply(clients, &actions).await?;
    Ok(Reconciled { actions, warnings })
}
