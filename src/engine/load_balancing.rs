//! The app's load balancer and target group as AWS holds them: each under its name or, when that
//! name is now cut with a hash, under the one the original cut it to, with the tags that say
//! whose it is (`provision::adoption` decides which are the app's).

use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::plan::desired::LoadBalancer;
use maestro_core::provision::observed::{ObservedLoadBalancer, ObservedTargetGroup};

pub(super) async fn load_balancer(
    clients: &Clients,
    balancer: &LoadBalancer,
) -> Result<Option<ObservedLoadBalancer>, Failure> {
    // On a shared load balancer, the rules of the listener the app's rule goes on.
    let rules_on = balancer.shared.then_some(balancer.listener.port);
    let mut found = named(clients, balancer, rules_on).await?;
    // A shared load balancer is someone else's by design: its tags decide nothing.
    if let Some(live) = found.as_mut().filter(|_| !balancer.shared) {
        live.tags = clients.elb.tags(&live.arn).await?;
    }
    Ok(found)
}

/// The app's load balancer under its name or its former one, without its tags: where the app
/// answers.
pub(crate) async fn dns_name(clients: &Clients, balancer: &LoadBalancer) -> Result<Option<String>, Failure> {
    Ok(named(clients, balancer, None).await?.map(|live| live.dns_name))
}

async fn named(
    clients: &Clients,
    balancer: &LoadBalancer,
    rules_on: Option<u16>,
) -> Result<Option<ObservedLoadBalancer>, Failure> {
    let found = clients.elb.load_balancer(&balancer.name, rules_on).await?;
    match (found, &balancer.former_name) {
        (None, Some(former)) => clients.elb.load_balancer(former, rules_on).await,
        (found, _) => Ok(found),
    }
}

pub(super) async fn target_group(
    clients: &Clients,
    balancer: &LoadBalancer,
) -> Result<Option<ObservedTargetGroup>, Failure> {
    let mut found = clients.elb.target_group(&balancer.target_group).await?;
    if let (None, Some(former)) = (&found, &balancer.former_target_group) {
        found = clients.elb.target_group(former).await?;
    }
    if let Some(live) = found.as_mut() {
        live.tags = clients.elb.tags(&live.arn).await?;
    }
    Ok(found)
}
