//! The app's load balancer and target group as AWS holds them: each under its name or, when that
//! name is now cut with a hash, under the one the original cut it to, with the tags that say
//! whose it is (`provision::adoption` decides which are the app's).

use crate::aws::Clients;
use crate::error::Failure;
use maestro_core::plan::desired::LoadBalancer;
use maestro_core::provision::observed::{ObservedLoadBalancer, ObservedTargetGroup, ObservedTraffic};
use maestro_core::provision::traffic::TrafficListener;

pub(super) async fn load_balancer(
    clients: &Clients,
    balancer: &LoadBalancer,
) -> Result<Option<ObservedLoadBalancer>, Failure> {
    // On a shared load balancer, the rules of the listener the app's rule goes on.
    let rules_on = balancer.shared.then_some(balancer.listener.port);
    // A shared load balancer is someone else's by design: its tags decide nothing.
    let tagged = !balancer.shared;
    let read = async |name: &str| match tagged {
        true => clients.elb.tagged_load_balancer(name, rules_on).await,
        false => clients.elb.load_balancer(name, rules_on).await,
    };
    match (read(&balancer.name).await?, &balancer.former_name) {
        (None, Some(former)) => read(former).await,
        (found, _) => Ok(found),
    }
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
    let found = tagged_target_group(clients, &balancer.target_group).await?;
    match (found, &balancer.former_target_group) {
        (None, Some(former)) => tagged_target_group(clients, former).await,
        (found, _) => Ok(found),
    }
}

/// The target group called `name`, with the tags that say whose it is.
pub(super) async fn tagged_target_group(clients: &Clients, name: &str) -> Result<Option<ObservedTargetGroup>, Failure> {
    clients.elb.tagged_target_group(name).await
}

/// A blue-green, canary or linear deploy's alternate target group (read already) and the rules
/// of the production and test listeners that exist. A shared load balancer's production rules
/// were read with it (`load_balancer`), so they are not read twice.
pub(super) async fn traffic(
    clients: &Clients,
    balancer: &LoadBalancer,
    live: Option<&ObservedLoadBalancer>,
    alternate_target_group: Option<ObservedTargetGroup>,
) -> Result<ObservedTraffic, Failure> {
    let rules_on = |listener: TrafficListener| async move {
        let port = listener.port(balancer);
        let found = live.and_then(|live| live.listeners.iter().find(|candidate| Some(candidate.port) == port));
        match (found, live) {
            (Some(_), Some(live)) if balancer.shared && listener == TrafficListener::Production => {
                Ok(live.rules.clone())
            }
            (Some(found), _) => clients.elb.rules(&found.arn).await,
            (None, _) => Ok(Vec::new()),
        }
    };
    let (production_rules, test_rules) =
        tokio::join!(rules_on(TrafficListener::Production), rules_on(TrafficListener::Test));
    Ok(ObservedTraffic { alternate_target_group, production_rules: production_rules?, test_rules: test_rules? })
}
