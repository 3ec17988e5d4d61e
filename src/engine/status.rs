//! `maestro status`'s reads: the plan's resources through `observe` (services, scalable targets,
//! schedule rules, the load balancer), then the live services' deployments and events, and the
//! revisions they run, and the release records (which one runs). Reads only; the core judges
//! (`maestro_core::status`).

use std::collections::BTreeMap;

use super::observe;
use crate::aws::{Clients, Session};
use crate::error::Failure;
use maestro_core::input::vars as var;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::observed::ObservedTaskDefinition;
use maestro_core::redact::Redactor;
use maestro_core::settings::WaitSettings;
use maestro_core::status::{self, Seen, Status};

/// The status of `desired`'s environment; nothing deployed is a failure with the fix.
pub(crate) async fn read(
    session: &Session,
    clients: &Clients,
    desired: &DesiredState,
    waiting: &WaitSettings,
) -> Result<Status, Failure> {
    let observed = Box::pin(observe(clients, desired, waiting)).await?;
    let live: Vec<String> =
        observed.services.iter().filter(|(_, service)| service.is_some()).map(|(name, _)| name.clone()).collect();
    let rollouts =
        if live.is_empty() { Vec::new() } else { clients.ecs.rollouts(&desired.cluster.name, &live).await? };
    // Where each ECS service deployment stands (a pause for approval, a lifecycle stage): a role
    // without ecs:DescribeServiceDeployments still gets its status.
    let service_deployments = if live.is_empty() {
        BTreeMap::new()
    } else {
        super::abort::current(clients, desired).await.unwrap_or_else(|failure| {
            tracing::warn!("the service deployments were not read: {failure}");
            BTreeMap::new()
        })
    };
    let mut task_definitions: BTreeMap<String, ObservedTaskDefinition> = BTreeMap::new();
    for service in observed.services.values().flatten() {
        if task_definitions.contains_key(&service.task_definition) {
            continue;
        }
        if let Some(found) = clients.ecs.task_definition(&service.task_definition).await? {
            task_definitions.insert(service.task_definition.clone(), found);
        }
    }
    // ECS's event text quotes what it was given (a container's reason, a health check's output):
    // relayed with the app secret's values hidden. The observation read the secret already.
    let values = clients.secrets.values(&desired.secret).await?;
    let redactor = Redactor::new(values.iter().map(String::as_str));
    let url = url(desired, observed.load_balancer.as_ref().map(|balancer| balancer.dns_name.as_str()));
    // Which release runs: a status without it is still a status (a role without the
    // `Releases` statement, say), so a failed read is a warning.
    let releases = match super::history::releases(session, &desired.request).await {
        Ok((releases, _)) => releases,
        Err(failure) => {
            tracing::warn!("the release records were not read: {failure}");
            Vec::new()
        }
    };
    let seen = Seen {
        services: &observed.services,
        draining: &observed.draining_services,
        rollouts: &rollouts,
        service_deployments: &service_deployments,
        task_definitions: &task_definitions,
        scalable_targets: &observed.scalable_targets,
        rules: &observed.rules,
        url: url.as_deref(),
        releases: &releases,
        now: i64::try_from(crate::clock::unix_millis()).unwrap_or(i64::MAX),
    };
    status::status(desired, seen, &redactor).map_err(|nothing| {
        Failure::new(nothing.to_string()).hint(format!(
            "deploy it first (`maestro deploy`), or check that the branch ({}) and {} name the environment",
            var::MAESTRO_BRANCH_OVERRIDE,
            var::AWS_REGION
        ))
    })
}

/// Where the app answers, as the deploy's report says it: its host, else the load balancer's DNS.
fn url(desired: &DesiredState, dns_name: Option<&str>) -> Option<String> {
    let balancer = desired.load_balancer.as_ref()?;
    let scheme = if balancer.certificate_arn.is_some() { "https" } else { "http" };
    let host = balancer.host.as_deref().or(dns_name)?;
    Some(format!("{scheme}://{host}"))
}
