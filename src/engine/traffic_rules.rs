//! A blue-green, canary or linear deploy's listener rules, created at the priority the diff chose
//! or, when a concurrent deploy to the same shared load balancer took it first, at the lowest one
//! still free (`PRIORITY_TRIES` times, the listener's rules read again each time).

use std::time::Duration;

use super::refs::Refs;
use crate::aws::{Clients, Pair};
use crate::error::Failure;
use maestro_core::backoff::{Backoff, MAX_POLL};
use maestro_core::provision::action::TrafficRuleSpec;
use maestro_core::provision::priority::{PRIORITY_TRIES, lowest_free};
use maestro_core::provision::traffic::app_rule;
use maestro_core::spec::tags::Tag;

/// Creates `rule`; its ARN.
pub(super) async fn create(
    clients: &Clients,
    refs: &Refs,
    rule: &TrafficRuleSpec,
    priority: u32,
    tags: &[Tag],
    first_wait: Duration,
) -> Result<String, Failure> {
    // The listener may be the one this run's `Dependents` stage created.
    let listener_arn = refs.listener(&rule.load_balancer, rule.port)?;
    let pair = Pair {
        primary: refs.target_group(&rule.target_group)?,
        alternate: refs.target_group(&rule.alternate_target_group)?,
    };
    let host = rule.host.as_deref();
    let mut priority = priority;
    // A rule just created may be missing from the next DescribeRules: wait a little between tries.
    let mut waits = Backoff::doubling(first_wait, MAX_POLL);
    for _ in 0..PRIORITY_TRIES {
        if let Some(arn) = clients.elb.create_traffic_rule(listener_arn, priority, host, pair, tags).await? {
            return Ok(arn);
        }
        tokio::time::sleep(waits.next_wait()).await;
        let rules = clients.elb.rules(listener_arn).await?;
        if let Some(found) = app_rule(&rules, host) {
            return Err(Failure::new(format!("another rule of {listener_arn} now matches what the {} rule would", rule.listener))
                .detail(format!("rule {} appeared while maestro added its own", found.arn))
                .hint("another deploy of this environment, or another app routing the same host, changed the listener meanwhile: run again"));
        }
        let taken: Vec<u32> = rules.iter().filter_map(|rule| rule.priority).collect();
        tracing::info!("priority {priority} of {listener_arn} was taken meanwhile; trying {}", lowest_free(&taken));
        priority = lowest_free(&taken);
    }
    Err(Failure::new(format!(
        "could not add the {} rule to {listener_arn}: every priority tried was taken first",
        rule.listener
    ))
    .detail(format!("{PRIORITY_TRIES} tries, each after reading the listener's rules again"))
    .hint("other deploys are adding rules to this load balancer right now: run again"))
}
