//! The load balancer resources ECS's blue-green, canary and linear deploys shift traffic with:
//! the alternate target group, the test listener, and a rule on each of the production and test
//! listeners forwarding to the pair {target group, alternate target group}.
//!
//! ECS's `advancedConfiguration` names them ("Required resources for Amazon ECS blue/green
//! deployments", Amazon ECS Developer Guide: "a production listener rule and an optional test
//! listener rule … that forward to both target groups"; aws-sdk-ecs 1.157.0
//! `AdvancedConfiguration`: `alternateTargetGroupArn`, `productionListenerRule`,
//! `testListenerRule`, `roleArn`). ECS moves the weights (and, after a blue-green deploy, which
//! of the two is live): a rule forwarding to the pair in any weights is the app's and in sync.

use serde::Serialize;

use super::observed::{Observed, ObservedListenerRule, ObservedTraffic};
use crate::plan::desired::{DesiredState, LoadBalancer};

/// The path pattern of the rule on the app's own load balancer's listeners: every request.
pub const ALL_PATHS: &str = "/*";

/// A new rule's weights: production stays on the live target group until ECS shifts it.
pub const PRIMARY_WEIGHT: u32 = 100;
pub const ALTERNATE_WEIGHT: u32 = 0;

/// Which listener a rule is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrafficListener {
    /// The listener the app's users reach (HTTPS:443 or HTTP:80).
    Production,
    /// The listener on the test port (`MAESTRO_TEST_LISTENER_PORT`): the new revision's, before
    /// production gets it.
    Test,
}

impl TrafficListener {
    pub const BOTH: [Self; 2] = [Self::Production, Self::Test];

    /// The port this listener is on, when the plan shifts traffic.
    pub fn port(self, balancer: &LoadBalancer) -> Option<u16> {
        match self {
            Self::Production => balancer.alternate_target_group.as_ref().map(|_| balancer.listener.port),
            Self::Test => balancer.test_listener.as_ref().map(|listener| listener.port),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Production => "production",
            Self::Test => "test",
        }
    }
}

impl std::fmt::Display for TrafficListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A shifting deploy's listener rule. The listener is named by its load balancer and port and the
/// target groups by name: all may be created in the same run, their ARNs resolved when it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficRuleSpec {
    pub listener: TrafficListener,
    pub load_balancer: String,
    pub port: u16,
    /// On a shared load balancer, the app's host (`host-header`); on its own, every path (`/*`).
    pub host: Option<String>,
    pub target_group: String,
    pub alternate_target_group: String,
}

/// What the rule matches and where it sends it, for people: the actions' sentences.
impl std::fmt::Display for TrafficRuleSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.host {
            Some(host) => write!(f, "host {host}")?,
            None => write!(f, "every path ({ALL_PATHS})")?,
        }
        write!(
            f,
            " of the {} listener (port {}) to {} ({PRIMARY_WEIGHT}) and {} ({ALTERNATE_WEIGHT})",
            self.listener, self.port, self.target_group, self.alternate_target_group
        )
    }
}

/// One target group of a rule's forward, with its weight (0 to 999).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetWeight {
    pub target_group_arn: String,
    pub weight: u32,
}

/// The app's rule on one listener, as read: its ARN and where it forwards, with the weights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrafficRule {
    pub arn: String,
    pub forwards: Vec<TargetWeight>,
}

/// What a shifting deploy has in AWS now: the alternate target group and the app's two rules,
/// each `None` until created. The service diff, `maestro status` and the test URL read this.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Traffic {
    pub alternate_target_group_name: Option<String>,
    pub alternate_target_group_arn: Option<String>,
    pub production_rule: Option<TrafficRule>,
    pub test_rule: Option<TrafficRule>,
}

/// The host a shifting deploy's rules match: the app's on a shared load balancer, none (every
/// path, `/*`) on its own.
pub fn rule_host(balancer: &LoadBalancer) -> Option<&str> {
    balancer.host.as_deref().filter(|_| balancer.shared)
}

/// The app's rule among a listener's: on a shared load balancer the one routing its host, on its
/// own the `/*` rule without a host condition (the listener's default rule is never it).
pub fn app_rule<'a>(rules: &'a [ObservedListenerRule], host: Option<&str>) -> Option<&'a ObservedListenerRule> {
    rules.iter().filter(|rule| rule.priority.is_some()).find(|rule| match host {
        Some(host) => rule.hosts.iter().any(|candidate| candidate == host),
        None => rule.hosts.is_empty() && rule.paths == [ALL_PATHS],
    })
}

impl ObservedTraffic {
    /// Every rule of `listener`.
    pub fn rules(&self, listener: TrafficListener) -> &[ObservedListenerRule] {
        match listener {
            TrafficListener::Production => &self.production_rules,
            TrafficListener::Test => &self.test_rules,
        }
    }

    /// The app's rule on `listener` (`app_rule`).
    pub fn rule(&self, listener: TrafficListener, host: Option<&str>) -> Option<&ObservedListenerRule> {
        app_rule(self.rules(listener), host)
    }
}

/// The rule forwards to exactly the pair, whatever the weights: ECS's to move, never maestro's.
pub fn forwards_to_pair(rule: &ObservedListenerRule, primary: &str, alternate: &str) -> bool {
    let mut live: Vec<&str> = rule.forwards_to.iter().map(String::as_str).collect();
    live.sort_unstable();
    let mut pair = [primary, alternate];
    pair.sort_unstable();
    live == pair
}

/// The shifting deploy's resources as `observed` holds them; `None` for a rolling deploy.
pub fn traffic(desired: &DesiredState, observed: &Observed) -> Option<Traffic> {
    let balancer = desired.load_balancer.as_ref()?;
    let name = balancer.alternate_target_group.clone()?;
    let live = observed.traffic.as_ref();
    let group = live.and_then(|traffic| traffic.alternate_target_group.as_ref());
    let rule = |listener| {
        let rule = live?.rule(listener, rule_host(balancer))?;
        let forwards = rule
            .forwards_to
            .iter()
            .zip(rule.weights.iter().copied().chain(std::iter::repeat(1)))
            .map(|(arn, weight)| TargetWeight { target_group_arn: arn.clone(), weight })
            .collect();
        Some(TrafficRule { arn: rule.arn.clone(), forwards })
    };
    Some(Traffic {
        alternate_target_group_name: Some(name),
        alternate_target_group_arn: group.map(|group| group.arn.clone()),
        production_rule: rule(TrafficListener::Production),
        test_rule: rule(TrafficListener::Test),
    })
}

/// Where the new revision answers before production gets it: the test listener's port on the
/// app's host (`MAESTRO_HOST`), else on the load balancer's DNS name (`dns_name`). `None` for a
/// rolling deploy, or when neither host nor load balancer is known yet.
pub fn test_url(desired: &DesiredState, dns_name: Option<&str>) -> Option<String> {
    let balancer = desired.load_balancer.as_ref()?;
    let test = balancer.test_listener.as_ref()?;
    let host = balancer.host.as_deref().or(dns_name).filter(|host| !host.is_empty())?;
    let scheme = if balancer.certificate_arn.is_some() { "https" } else { "http" };
    Some(format!("{scheme}://{host}:{}", test.port))
}
