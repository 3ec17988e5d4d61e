//! How a deploy ended: what the pipeline hands back to its command, and the `Finished` event the
//! reporters get, success or failure (or that it was superseded while it waited for the lease).

use super::rollout::Rollout;
use crate::build::Built;
use crate::error::Error;
use maestro_core::build::BuiltImage;
use maestro_core::report::{Ending, Finished, Supersession};
use maestro_core::request::DeployRequest;
use maestro_core::rollout::ServiceOutcome;

/// A deploy that ran to its end (its services may still have failed to roll out).
pub(crate) struct DeployEnd {
    pub request: DeployRequest,
    pub built: Built,
    /// `None` when MAESTRO_ONLY_BUILD stopped the run after the build.
    pub rollout: Option<Rollout>,
}

/// How a deploy that did not fail ended.
pub(crate) enum Ended {
    /// It took the lease and ran.
    Ran(Box<DeployEnd>),
    /// It waited for the lease, and a newer deploy of the branch queued behind it: it deployed
    /// nothing, and ends without failing.
    Superseded { request: Box<DeployRequest>, by: Supersession },
}

/// How the run ended, for the reporters: `image` is the build phase's, when it got that far.
pub(super) fn finished(result: Result<&DeployEnd, &Error>, image: Option<BuiltImage>, seconds: u64) -> Finished {
    let (services, changes, url) = match result {
        Ok(DeployEnd { rollout: Some(Rollout { changes, outcomes, .. }), .. }) => {
            let url = outcomes.iter().find_map(|outcome| outcome.url.clone());
            (outcomes.clone(), changes.actions.len(), url)
        }
        _ => (Vec::new(), 0, None),
    };
    let failure = failure(result.map(|_| services.as_slice()));
    Finished::of(services, Ending { failure, image, url, changes, seconds })
}

/// Why a run failed, one message: its error, or how many of its `services` did not roll out;
/// `None` for a success.
pub(super) fn failure(result: Result<&[ServiceOutcome], &Error>) -> Option<String> {
    match result {
        Err(Error::Failed(failure)) => Some(failure.message.clone()),
        Err(error) => Some(error.to_string()),
        Ok(services) => {
            let failed = services.iter().filter(|service| !service.succeeded()).count();
            (failed > 0).then(|| format!("{failed} of {} services did not roll out", services.len()))
        }
    }
}
