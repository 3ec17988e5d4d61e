//! The load balancer an app's previews share, made ready before a preview's change set is read:
//! created with its listeners when missing, a listener added when one is missing from the
//! previews' own. Another app's or environment's load balancer of that name is never used; one
//! nobody marked (the team's, named in MAESTRO_PREVIEW_ALB) is used as any shared load balancer,
//! its listeners left alone. Two previews racing to create it both succeed (`elb_previews::Made`).

use crate::aws::Clients;
use crate::aws::elb_previews::Made;
use crate::error::{EXIT_BAD_INPUT, Failure};
use maestro_core::input::vars as var;
use maestro_core::plan::desired::DesiredState;
use maestro_core::preview::load_balancer::{self, Holder};

pub(crate) async fn ensure_load_balancer(clients: &Clients, desired: &DesiredState) -> Result<(), Failure> {
    let Some(balancer) = desired.load_balancer.as_ref().filter(|balancer| balancer.previews) else { return Ok(()) };
    let app_slug = desired.request.app_slug();
    let tags = maestro_core::preview::shared_tags(&app_slug, &desired.tags);
    let live = match clients.elb.load_balancer(&balancer.name, None).await? {
        Some(live) => live,
        None => {
            if balancer.subnets.len() < 2 {
                return Err(Failure::new(format!(
                    "the previews' load balancer {} does not exist, and maestro needs ALB_SUBNETS to create it",
                    balancer.name
                ))
                .hint(format!(
                    "set ALB_SUBNETS to two public subnets in two zones (or create {} yourself and name it in {}); nothing was changed",
                    balancer.name,
                    var::MAESTRO_PREVIEW_ALB
                ))
                .exit_code(EXIT_BAD_INPUT));
            }
            let made = clients
                .elb
                .create_previews_load_balancer(
                    &balancer.name,
                    balancer.scheme,
                    &balancer.subnets,
                    &balancer.security_groups,
                    &tags,
                )
                .await?;
            let live = clients.elb.load_balancer(&balancer.name, None).await?.ok_or_else(|| {
                Failure::new(format!("the previews' load balancer {} is not there after its creation", balancer.name))
            })?;
            // The one thing the team must do by hand: the wildcard record.
            tracing::info!(
                "{} the previews' load balancer {}: point a DNS record `*.{}` at {}",
                if made == Made::Created { "created" } else { "another preview created" },
                balancer.name,
                desired.preview.as_ref().map_or("", |preview| {
                    preview.host.split_once('.').map_or(preview.host.as_str(), |(_, domain)| domain)
                }),
                live.dns_name
            );
            live
        }
    };
    match load_balancer::holder(&app_slug, &clients.elb.tags(&live.arn).await?) {
        Holder::Ours => {}
        Holder::Unmarked => return Ok(()),
        Holder::Other(whose) => {
            return Err(Failure::new(format!("load balancer {} belongs to {whose}", balancer.name))
                .hint(format!(
                    "name another load balancer for this app's previews in {}; nothing was changed",
                    var::MAESTRO_PREVIEW_ALB
                ))
                .exit_code(EXIT_BAD_INPUT));
        }
    }
    for listener in load_balancer::listeners(balancer) {
        if live.listeners.iter().any(|existing| existing.port == listener.port) {
            continue;
        }
        let made = clients.elb.create_previews_listener(&live.arn, &listener, &tags).await?;
        if made == Made::Created {
            tracing::info!("added listener {}:{} to {}", listener.protocol, listener.port, balancer.name);
        }
    }
    Ok(())
}
