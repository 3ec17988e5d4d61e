//! What later actions need to know of earlier ones: the resources actions name, resolved to
//! their ARNs, one map per kind. They are those that existed before the run, plus what each
//! stage created, merged once the stage is over.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Failure;
use maestro_core::plan::desired::DesiredState;
use maestro_core::provision::observed::Observed;
use maestro_core::provision::traffic::{TrafficListener, rule_host};

/// The deployment a run started on a service, and the revision it rolls out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceDeployment {
    pub id: String,
    /// The service deployment ECS made for it (`currentServiceDeployment`), when it names one.
    pub service_deployment: Option<String>,
    pub task_definition: String,
}

/// What ECS's `advancedConfiguration` names for a blue-green, canary or linear deploy, as ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TrafficArns {
    pub alternate_target_group: String,
    pub production_rule: String,
    pub test_rule: String,
}

/// ARNs by the names actions use, and the deployments this run started.
#[derive(Debug, Clone, Default)]
pub(super) struct Refs {
    /// By family: the latest revision, or the one this run registered.
    task_definitions: BTreeMap<String, String>,
    /// By name.
    target_groups: BTreeMap<String, String>,
    /// By name.
    load_balancers: BTreeMap<String, String>,
    /// The DNS name of the load balancer this run created (its create answer says it).
    created_dns_name: Option<String>,
    /// By load balancer name and port.
    listeners: BTreeMap<(String, u16), String>,
    /// A shifting deploy's alternate target group, by name (its ARN is in `target_groups`).
    alternate_target_group: Option<String>,
    /// A shifting deploy's rules, by listener.
    traffic_rules: BTreeMap<TrafficListener, String>,
    /// By service: only the services this run created or updated.
    deployments: BTreeMap<String, ServiceDeployment>,
    /// Services whose deleted namesake was still draining when observed.
    draining: BTreeSet<String>,
}

/// What an action created that a later stage may refer to.
#[derive(Debug)]
pub(super) enum Created {
    Nothing,
    TaskDefinition { family: String, arn: String },
    LoadBalancer { name: String, arn: String, dns_name: Option<String> },
    TargetGroup { name: String, arn: String },
    Listener { load_balancer: String, port: u16, arn: String },
    TrafficRule { listener: TrafficListener, arn: String },
    Deployment { service: String, deployment: ServiceDeployment },
}

impl Refs {
    /// What exists, for actions that refer to resources they do not create.
    pub(super) fn observed(desired: &DesiredState, observed: &Observed) -> Self {
        let mut refs = Self::default();
        let balancer = desired.load_balancer.as_ref();
        refs.alternate_target_group = balancer.and_then(|balancer| balancer.alternate_target_group.clone());
        if let Some(traffic) = &observed.traffic {
            if let Some(group) = &traffic.alternate_target_group {
                refs.target_groups.insert(group.name.clone(), group.arn.clone());
            }
            let host = balancer.and_then(rule_host);
            for listener in TrafficListener::BOTH {
                if let Some(rule) = traffic.rule(listener, host) {
                    refs.traffic_rules.insert(listener, rule.arn.clone());
                }
            }
        }
        for (family, latest) in &observed.task_definitions {
            if let Some(latest) = latest {
                refs.task_definitions.insert(family.clone(), latest.arn.clone());
            }
        }
        if let Some(group) = &observed.target_group {
            refs.target_groups.insert(group.name.clone(), group.arn.clone());
        }
        if let Some(balancer) = &observed.load_balancer {
            refs.load_balancers.insert(balancer.name.clone(), balancer.arn.clone());
            for listener in &balancer.listeners {
                refs.listeners.insert((balancer.name.clone(), listener.port), listener.arn.clone());
            }
        }
        refs.draining.clone_from(&observed.draining_services);
        refs
    }

    pub(super) fn record(&mut self, created: Created) {
        match created {
            Created::Nothing => {}
            Created::TaskDefinition { family, arn } => {
                self.task_definitions.insert(family, arn);
            }
            Created::LoadBalancer { name, arn, dns_name } => {
                self.load_balancers.insert(name, arn);
                self.created_dns_name = dns_name.or(self.created_dns_name.take());
            }
            Created::TargetGroup { name, arn } => {
                self.target_groups.insert(name, arn);
            }
            Created::Listener { load_balancer, port, arn } => {
                self.listeners.insert((load_balancer, port), arn);
            }
            Created::TrafficRule { listener, arn } => {
                self.traffic_rules.insert(listener, arn);
            }
            Created::Deployment { service, deployment } => {
                self.deployments.insert(service, deployment);
            }
        }
    }

    pub(super) fn task_definition(&self, family: &str) -> Result<&str, Failure> {
        known(&self.task_definitions, "task-definition", family)
    }

    pub(super) fn target_group(&self, name: &str) -> Result<&str, Failure> {
        known(&self.target_groups, "target-group", name)
    }

    pub(super) fn load_balancer(&self, name: &str) -> Result<&str, Failure> {
        known(&self.load_balancers, "load-balancer", name)
    }

    /// The listener of `load_balancer` on `port`.
    pub(super) fn listener(&self, load_balancer: &str, port: u16) -> Result<&str, Failure> {
        let arn = self.listeners.get(&(load_balancer.to_owned(), port));
        arn.map(String::as_str).ok_or_else(|| unknown("listener", &format!("{load_balancer}:{port}")))
    }

    /// The alternate target group and the production and test listener rules of a blue-green,
    /// canary or linear deploy, for `advancedConfiguration`: those that existed, or that this
    /// run's earlier stages (`Stage::TrafficRules` and before) created.
    pub(super) fn traffic(&self) -> Result<TrafficArns, Failure> {
        let Some(alternate) = &self.alternate_target_group else {
            return Err(Failure::new("the plan shifts no traffic: it has no alternate target group")
                .hint("this is a bug in maestro: only a blue-green, canary or linear deploy's service asks for it"));
        };
        let rule = |listener: TrafficListener| {
            self.traffic_rules
                .get(&listener)
                .cloned()
                .ok_or_else(|| unknown("listener-rule", &format!("{listener} rule")))
        };
        Ok(TrafficArns {
            alternate_target_group: self.target_group(alternate)?.to_owned(),
            production_rule: rule(TrafficListener::Production)?,
            test_rule: rule(TrafficListener::Test)?,
        })
    }

    /// The DNS name of the load balancer this run created, if it created one.
    pub(super) fn created_dns_name(&self) -> Option<&str> {
        self.created_dns_name.as_deref()
    }

    /// A deleted service of this name was still draining when the run observed it.
    pub(super) fn draining(&self, service: &str) -> bool {
        self.draining.contains(service)
    }

    /// The deployment this run started for `service`, if it changed the service.
    pub(super) fn deployment(&self, service: &str) -> Option<&ServiceDeployment> {
        self.deployments.get(service)
    }
}

/// A resource an action names must exist, or be created by an earlier stage.
fn known<'a>(arns: &'a BTreeMap<String, String>, kind: &str, name: &str) -> Result<&'a str, Failure> {
    arns.get(name).map(String::as_str).ok_or_else(|| unknown(kind, name))
}

fn unknown(kind: &str, name: &str) -> Failure {
    Failure::new(format!("{kind}/{name} is neither in AWS nor created by this run"))
        .hint("this is a bug in maestro's ordering of changes; please report it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_stage_creates_is_found_by_kind_and_name() {
        let mut refs = Refs::default();
        refs.record(Created::TargetGroup { name: "shop".into(), arn: "arn:tg".into() });
        assert_eq!(refs.created_dns_name(), None);
        let dns_name = Some("shop-1.us-east-1.elb.amazonaws.com".to_owned());
        refs.record(Created::LoadBalancer { name: "shop".into(), arn: "arn:lb".into(), dns_name });
        refs.record(Created::Nothing);
        assert_eq!((refs.target_group("shop").ok(), refs.load_balancer("shop").ok()), (Some("arn:tg"), Some("arn:lb")));
        assert_eq!(refs.created_dns_name(), Some("shop-1.us-east-1.elb.amazonaws.com"));
        let missing = refs.task_definition("shop-web").unwrap_err();
        assert_eq!(missing.message, "task-definition/shop-web is neither in AWS nor created by this run");
        assert_eq!(refs.deployment("shop-web"), None);
        let deployment =
            ServiceDeployment { id: "ecs-svc/1".into(), service_deployment: None, task_definition: "arn:td:2".into() };
        refs.record(Created::Deployment { service: "shop-web".into(), deployment: deployment.clone() });
        assert_eq!(refs.deployment("shop-web"), Some(&deployment));
    }

    #[test]
    fn the_traffic_arns_come_from_what_existed_and_what_the_run_created() {
        let mut refs = Refs::default();
        let failure = refs.traffic().unwrap_err();
        assert!(failure.message.contains("no alternate target group"), "{}", failure.message);
        refs.alternate_target_group = Some("shop-alt".into());
        refs.record(Created::TargetGroup { name: "shop-alt".into(), arn: "arn:tg-alt".into() });
        refs.record(Created::TrafficRule { listener: TrafficListener::Production, arn: "arn:rule/p".into() });
        let missing = refs.traffic().unwrap_err();
        assert_eq!(missing.message, "listener-rule/test rule is neither in AWS nor created by this run");
        refs.record(Created::TrafficRule { listener: TrafficListener::Test, arn: "arn:rule/t".into() });
        refs.record(Created::Listener { load_balancer: "shop".into(), port: 8080, arn: "arn:listener".into() });
        assert_eq!(
            refs.traffic().unwrap(),
            TrafficArns {
                alternate_target_group: "arn:tg-alt".into(),
                production_rule: "arn:rule/p".into(),
                test_rule: "arn:rule/t".into(),
            }
        );
        assert_eq!(refs.listener("shop", 8080).ok(), Some("arn:listener"));
    }
}
