//! The provision engine: observe what exists, diff it against the plan (in the core), apply the
//! actions. Reads run concurrently; actions run stage by stage, each stage's actions concurrently.

pub(crate) mod abort;
mod apply;
pub(crate) mod destroy;
mod eventually;
pub(crate) mod history;
pub(crate) mod lease;
mod live;
pub(crate) mod load_balancing;
pub(crate) mod logs;
mod observe;
mod one_off;
pub(crate) mod permissions;
pub(crate) mod preview_list;
pub(crate) mod previews;
mod refs;
pub(crate) mod release;
pub(crate) mod restart;
pub(crate) mod resume;
pub(crate) mod rollback;
pub(crate) mod rollout;
pub(crate) mod run;
pub(crate) mod status;
mod task_log;
pub(crate) mod test_task;
mod traffic_rules;
pub(crate) mod verify;

use std::time::Duration;

use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::action::Action;
use maestro_core::provision::diff;
use maestro_core::provision::observed::Observed;
use maestro_core::provision::review::Detail;
use maestro_core::provision::stage::Stage;
use maestro_core::settings::WaitSettings;

pub(crate) use observe::{observe, observe_after};
use refs::{Refs, ServiceDeployment};

/// What a reconciliation did (the engine's tests apply a whole plan at once).
#[cfg(test)]
#[derive(Debug, Clone)]
pub(crate) struct Reconciled {
    pub actions: Vec<Action>,
    /// Problems worth a warning that did not stop the run.
    pub warnings: Vec<String>,
}

/// The changes a run will make, with the resources its actions refer to.
pub(crate) struct ChangeSet {
    pub actions: Vec<Action>,
    /// What each action changes, in the same order.
    pub details: Vec<Detail>,
    pub warnings: Vec<String>,
    /// The load balancer's DNS name (where the app answers): as observed, or from the create
    /// answer once this run created it; `None` before it exists.
    pub load_balancer_dns: Option<String>,
    refs: Refs,
    /// The first wait before a call AWS answered "not yet" is tried again: the poll interval.
    first_wait: Duration,
}

impl ChangeSet {
    /// Applies the actions of `stages` (e.g. `Stage::BEFORE_RELEASE`).
    pub(crate) async fn apply(
        &mut self,
        clients: &Clients,
        stages: std::ops::RangeInclusive<Stage>,
    ) -> Result<(), Failure> {
        let selected = self.actions.iter().filter(|action| stages.contains(&action.stage()));
        let applied = apply::apply(clients, selected, &mut self.refs, self.first_wait).await;
        // Known without reading it back: the rollouts' wait needs no round trip for the app's URL.
        if self.load_balancer_dns.is_none() {
            self.load_balancer_dns = self.refs.created_dns_name().map(str::to_owned);
        }
        applied
    }

    /// The deployment this run started on `service`, if it changed it.
    pub(crate) fn deployment_of(&self, service: &str) -> Option<&ServiceDeployment> {
        self.refs.deployment(service)
    }

    /// The ARN of `family`'s revision: the latest one, or the one this run registered.
    pub(crate) fn task_definition_arn(&self, family: &str) -> Result<String, Failure> {
        self.refs.task_definition(family).map(str::to_owned)
    }
}

/// Observes and diffs: everything a run will change, nothing changed yet.
pub(crate) async fn change_set(
    clients: &Clients,
    desired: &DesiredState,
    options: diff::Options,
    waiting: &WaitSettings,
) -> Result<ChangeSet, Failure> {
    let observed = Box::pin(observe(clients, desired, waiting)).await?;
    change_set_of(desired, observed, options, waiting)
}

/// [`change_set`] from what was observed already.
pub(crate) fn change_set_of(
    desired: &DesiredState,
    observed: Observed,
    options: diff::Options,
    waiting: &WaitSettings,
) -> Result<ChangeSet, Failure> {
    preflight(desired, &observed)?;
    // The plan's own warnings (a renamed variable, a listed process the Procfile lacks) first,
    // so a deploy tells what `maestro plan` tells.
    let mut warnings = desired.warnings.clone();
    if observed.secret.is_none() {
        warnings.push(format!(
            "secret {} does not exist: the containers get no app variables from Secrets Manager",
            desired.secret
        ));
    }
    let diff = diff::diff(desired, &observed, options);
    warnings.extend(diff.warnings);
    Ok(ChangeSet {
        actions: diff.actions,
        details: diff.details,
        warnings,
        load_balancer_dns: observed.load_balancer.as_ref().map(|balancer| balancer.dns_name.clone()),
        refs: Refs::observed(desired, &observed),
        first_wait: first_wait(waiting),
    })
}

/// Stops the run, before any write, when the account holds (or lacks) something the plan cannot
/// work with: every reason at once.
pub(crate) fn preflight(desired: &DesiredState, observed: &Observed) -> Result<(), Failure> {
    stop_on(maestro_core::provision::preflight::blockers(desired, observed))
}

/// Every blocker as one failure (the first its message, the others details); none, `Ok`.
fn stop_on(blockers: Vec<maestro_core::provision::preflight::Blocker>) -> Result<(), Failure> {
    let mut found = blockers.into_iter();
    let Some(first) = found.next() else { return Ok(()) };
    let mut failure = Failure::new(first.message).hint(first.hint);
    for other in found {
        failure = failure.detail(format!("also: {} ({})", other.message, other.hint));
    }
    Err(failure)
}

/// Pauses what exists of `desired` (`maestro stop`): services to zero tasks, schedules off.
pub(crate) async fn pause(
    clients: &Clients,
    desired: &DesiredState,
    waiting: &WaitSettings,
) -> Result<Vec<Action>, Failure> {
    let observed = Box::pin(observe(clients, desired, waiting)).await?;
    // `MAIN` must not pause `main`'s services, whose names it shares.
    stop_on(maestro_core::provision::preflight::foreign(desired, &observed))?;
    let actions = maestro_core::provision::stop::actions(desired, &observed);
    apply::apply(clients, &actions, &mut Refs::observed(desired, &observed), first_wait(waiting)).await?;
    Ok(actions)
}

/// The first wait before trying again what AWS answered "not yet": the poll interval.
fn first_wait(waiting: &WaitSettings) -> Duration {
    Duration::from_secs_f64(waiting.poll_interval)
}

/// Makes AWS match `desired`.
#[cfg(test)]
pub(crate) async fn reconcile(
    clients: &Clients,
    desired: &DesiredState,
    options: diff::Options,
    waiting: &WaitSettings,
) -> Result<Reconciled, Failure> {
    let mut changes = change_set(clients, desired, options, waiting).await?;
    changes.apply(clients, Stage::ALL).await?;
    Ok(Reconciled { actions: changes.actions, warnings: changes.warnings })
}

#[cfg(test)]
mod provision_tests;
