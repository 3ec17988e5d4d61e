//! `maestro previews`' reads: the app's previews as AWS shows them (`maestro_core::preview::list`).
//! The previews' cluster's services whose name could be a preview's (`<slug>-pr-`), described
//! 10 per call with their tags and task counts; the host rules of the previews' load balancer
//! (its HTTPS listener, else its HTTP one); then each preview's newest release record.

use super::history;
use crate::aws::{Clients, Session};
use crate::error::Failure;
use maestro_core::preview::list::{self, Listed};
use maestro_core::preview::{self, cluster_name, load_balancer_name};
use maestro_core::request::DeployRequest;
use maestro_core::settings::Settings;

/// Where the previews of `request`'s app are: its cluster and its load balancer.
pub(crate) struct Place {
    pub cluster: String,
    pub load_balancer: String,
}

impl Place {
    /// `request` is this run's (a scheduled workflow's): the previews of its app.
    pub(crate) fn of(request: &DeployRequest, settings: &Settings) -> Self {
        let app_slug = request.app_slug();
        Self { cluster: cluster_name(&app_slug, settings), load_balancer: load_balancer_name(&app_slug, settings) }
    }
}

/// Every preview of `request`'s app, by number, with its URL, tasks and newest release.
pub(crate) async fn previews(
    session: &Session,
    clients: &Clients,
    request: &DeployRequest,
    settings: &Settings,
    place: &Place,
) -> Result<Vec<Listed>, Failure> {
    let app_slug = request.app_slug();
    // Only a name a preview's service can have is described: a shared cluster may run hundreds.
    let prefix = format!("{app_slug}-pr-");
    let names: Vec<String> =
        clients.ecs.service_names(&place.cluster).await?.into_iter().filter(|name| name.starts_with(&prefix)).collect();
    let services = clients.ecs.service_counts(&place.cluster, &names).await?;
    let hosts = match settings.previews.domain {
        Some(_) => rule_hosts(clients, &place.load_balancer).await?,
        None => Vec::new(),
    };
    let mut previews = list::discover(&app_slug, &services, &hosts, settings.previews.domain.as_deref());
    for listed in &mut previews {
        listed.url = preview::url(listed.number, settings);
        let (releases, _) = history::releases(session, &list::request(request, listed.number)).await?;
        if let Some(newest) = releases.first() {
            listed.commit = Some(newest.release.commit.clone());
            listed.deployed_at = Some(newest.release.time);
        }
    }
    Ok(previews)
}

/// The hosts of the previews' load balancer's rules, on 443 when it listens there, else on 80.
async fn rule_hosts(clients: &Clients, name: &str) -> Result<Vec<String>, Failure> {
    let Some(balancer) = clients.elb.load_balancer(name, None).await? else { return Ok(Vec::new()) };
    let listener = [443, 80].iter().find_map(|port| balancer.listeners.iter().find(|listener| listener.port == *port));
    let Some(listener) = listener else { return Ok(Vec::new()) };
    let rules = clients.elb.rules(&listener.arn).await?;
    Ok(rules.into_iter().flat_map(|rule| rule.hosts).collect())
}
