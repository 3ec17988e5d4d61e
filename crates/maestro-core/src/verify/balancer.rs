//! A shared load balancer (ALB_NAME_OVERRIDE): it exists, with a listener on the port the app's
//! host rule goes on. Someone else's, so maestro never creates it; without it or the listener
//! no rule can route to the app, and CreateService refuses "a target group that does not have an
//! associated load balancer". The deploy's preflight judges the same after reading the account
//! (`provision::preflight`); here it is an input error before the lease.

use super::{Finding, Verdict};
use crate::input::vars as var;
use crate::plan::desired::DesiredState;

/// The shared load balancer the inputs name, the listener port and the host routed to the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedBalancer {
    pub name: String,
    pub port: u16,
    pub host: Option<String>,
}

impl SharedBalancer {
    pub fn of(desired: &DesiredState) -> Option<Self> {
        // The previews' load balancer is made ready by the deploy itself (`engine::previews`).
        let balancer = desired.load_balancer.as_ref().filter(|balancer| balancer.shared && !balancer.previews)?;
        Some(Self { name: balancer.name.clone(), port: balancer.listener.port, host: balancer.host.clone() })
    }
}

/// `listener_ports`: the ports of the load balancer's listeners, `None` when it does not exist.
pub fn judge(shared: &SharedBalancer, listener_ports: Option<&[u16]>) -> Verdict {
    let mut verdict = Verdict::default();
    let (name, port) = (&shared.name, shared.port);
    let protocol = if port == 443 { "HTTPS, since ALB_CERTIFICATE_ARN is set" } else { "HTTP" };
    match listener_ports {
        None => verdict.found(Finding {
            input: var::ALB_NAME_OVERRIDE,
            resource: format!("load balancer {name}"),
            problem: "does not exist in this account and region".to_owned(),
            fix: format!(
                "create it with a listener on port {port} ({protocol}), or correct {} (unset, the app gets a load \
                 balancer of its own)",
                var::ALB_NAME_OVERRIDE
            ),
        }),
        Some(ports) if !ports.contains(&port) => verdict.found(Finding {
            input: var::ALB_NAME_OVERRIDE,
            resource: format!("load balancer {name}"),
            problem: format!(
                "has no listener on port {port} for the rule routing {} to the app",
                shared.host.as_deref().unwrap_or_default()
            ),
            fix: format!("add a listener on port {port} ({protocol}) to {name}, or name another load balancer"),
        }),
        Some(_) => verdict.checked(format!("shared load balancer {name} has a listener on port {port}")),
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> SharedBalancer {
        SharedBalancer { name: "shared-alb".to_owned(), port: 443, host: Some("shop.example.com".to_owned()) }
    }

    #[test]
    fn a_shared_load_balancer_needs_to_exist_with_the_listener() {
        let missing = judge(&shared(), None);
        assert_eq!(missing.findings[0].input, var::ALB_NAME_OVERRIDE);
        assert_eq!(missing.findings[0].problem, "does not exist in this account and region");
        let without = judge(&shared(), Some(&[80]));
        assert_eq!(
            without.findings[0].problem,
            "has no listener on port 443 for the rule routing shop.example.com to the app"
        );
        assert!(without.findings[0].fix.contains("HTTPS"), "{:?}", without.findings[0]);
        let fine = judge(&shared(), Some(&[80, 443]));
        assert_eq!((fine.findings.len(), fine.checked.len()), (0, 1));
    }
}
