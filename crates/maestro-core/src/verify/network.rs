//! The network inputs against the account: every subnet and security group exists, lies in
//! WORKLOAD_VPC_ID, and a load balancer of the app's own gets subnets in two Availability Zones.
//! Without these checks AWS finds the mistake mid-deploy: CreateLoadBalancer refuses subnets of
//! one zone ("At least two subnets in two different Availability Zones must be specified") after
//! the cluster exists, and a task in a subnet of another VPC than its target group never turns
//! healthy.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Finding, Verdict};
use crate::input::vars as var;
use crate::plan::desired::DesiredState;
use crate::settings::Settings;

/// The network the inputs name, each id with the variable that names it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkInputs {
    /// WORKLOAD_VPC_ID: the VPC every subnet and security group must be in, when set.
    pub vpc: Option<String>,
    /// Each subnet-listing input and its ids.
    pub subnets: Vec<(&'static str, Vec<String>)>,
    /// Each security-group-listing input and its ids.
    pub security_groups: Vec<(&'static str, Vec<String>)>,
    /// The app gets a load balancer of its own, which needs ALB_SUBNETS in two zones. A shared
    /// one (ALB_NAME_OVERRIDE) exists already: its subnets are its owner's.
    pub own_load_balancer: bool,
}

/// A subnet as the account holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObservedSubnet {
    pub vpc_id: String,
    pub availability_zone: String,
}

/// The subnets and security groups among those the inputs name that exist, by id; an id that is
/// absent does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ObservedNetwork {
    pub subnets: BTreeMap<String, ObservedSubnet>,
    /// Each group's VPC.
    pub security_groups: BTreeMap<String, String>,
}

impl NetworkInputs {
    /// Every network input that is set; the load balancer's only when the plan has one.
    pub fn of(settings: &Settings, desired: &DesiredState) -> Self {
        let balancer = desired.load_balancer.as_ref();
        let mut subnets = vec![(var::ECS_SERVICE_SUBNETS, settings.network.service_subnets.clone())];
        let mut security_groups =
            vec![(var::ECS_SERVICE_SECURITY_GROUPS, settings.network.service_security_groups.clone())];
        if balancer.is_some_and(|balancer| !balancer.shared) {
            subnets.push((var::ALB_SUBNETS, settings.load_balancer.subnets.clone()));
            security_groups.push((var::ALB_SECURITY_GROUPS, settings.load_balancer.security_groups.clone()));
        }
        subnets.retain(|(_, ids)| !ids.is_empty());
        security_groups.retain(|(_, ids)| !ids.is_empty());
        Self {
            vpc: settings.network.vpc_id.clone(),
            subnets,
            security_groups,
            own_load_balancer: balancer.is_some_and(|balancer| !balancer.shared),
        }
    }

    /// The subnet ids to read, each once.
    pub fn subnet_ids(&self) -> Vec<String> {
        unique(&self.subnets)
    }

    /// The security group ids to read, each once.
    pub fn security_group_ids(&self) -> Vec<String> {
        unique(&self.security_groups)
    }
}

fn unique(lists: &[(&'static str, Vec<String>)]) -> Vec<String> {
    let ids: BTreeSet<&String> = lists.iter().flat_map(|(_, ids)| ids).collect();
    ids.into_iter().cloned().collect()
}

/// The network's verdict: `judge`'s findings, and each subnet and security group found.
pub fn verdict(inputs: &NetworkInputs, observed: &ObservedNetwork) -> Verdict {
    let mut verdict = Verdict { findings: judge(inputs, observed), ..Verdict::default() };
    for (id, subnet) in &observed.subnets {
        verdict.checked(format!("subnet {id} in {} ({})", subnet.vpc_id, subnet.availability_zone));
    }
    for (id, vpc_id) in &observed.security_groups {
        verdict.checked(format!("security group {id} in {vpc_id}"));
    }
    if inputs.vpc.is_none() && !(inputs.subnets.is_empty() && inputs.security_groups.is_empty()) {
        verdict.not_checked("the subnets' and security groups' VPC", format!("{} is not set", var::WORKLOAD_VPC_ID));
    }
    verdict
}

/// Every way the account contradicts the network inputs, in the inputs' order.
pub fn judge(inputs: &NetworkInputs, observed: &ObservedNetwork) -> Vec<Finding> {
    let mut found = Vec::new();
    for (input, ids) in &inputs.subnets {
        for id in ids {
            match observed.subnets.get(id) {
                None => found.push(missing(input, id, "subnet")),
                Some(subnet) => other_vpc(inputs, input, id, "subnet", &subnet.vpc_id, &mut found),
            }
        }
        if *input == var::ALB_SUBNETS && inputs.own_load_balancer {
            one_zone(ids, observed, &mut found);
        }
    }
    for (input, ids) in &inputs.security_groups {
        for id in ids {
            match observed.security_groups.get(id) {
                None => found.push(missing(input, id, "security group")),
                Some(vpc_id) => other_vpc(inputs, input, id, "security group", vpc_id, &mut found),
            }
        }
    }
    found
}

fn missing(input: &'static str, id: &str, kind: &str) -> Finding {
    Finding {
        input,
        resource: format!("{kind} {id}"),
        problem: "does not exist in this account and region".to_owned(),
        fix: format!(
            "correct {input}: list the {kind}s the account has with `aws ec2 describe-{}s`",
            kind.replace(' ', "-")
        ),
    }
}

/// A resource outside WORKLOAD_VPC_ID: ECS and the load balancer need one VPC for the tasks,
/// their security groups and the target group (which is created in WORKLOAD_VPC_ID).
fn other_vpc(
    inputs: &NetworkInputs,
    input: &'static str,
    id: &str,
    kind: &str,
    vpc_id: &str,
    found: &mut Vec<Finding>,
) {
    let Some(wanted) = inputs.vpc.as_deref().filter(|wanted| *wanted != vpc_id) else { return };
    found.push(Finding {
        input,
        resource: format!("{kind} {id}"),
        problem: format!("is in {vpc_id}, not in {} {wanted}", var::WORKLOAD_VPC_ID),
        fix: format!(
            "list {kind}s of {wanted} in {input}, or set {} to {vpc_id} if that is the app's VPC",
            var::WORKLOAD_VPC_ID
        ),
    });
}

/// A load balancer needs "subnets from at least two Availability Zones" (CreateLoadBalancer's
/// `Subnets`, https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html).
/// Judged only when every subnet exists: a missing one is its own finding, and its zone unknown.
fn one_zone(ids: &[String], observed: &ObservedNetwork, found: &mut Vec<Finding>) {
    if !ids.iter().all(|id| observed.subnets.contains_key(id)) {
        return;
    }
    let zones: BTreeSet<&str> =
        ids.iter().filter_map(|id| observed.subnets.get(id)).map(|subnet| subnet.availability_zone.as_str()).collect();
    let Some(only) = zones.iter().next().filter(|_| zones.len() == 1) else { return };
    found.push(Finding {
        input: var::ALB_SUBNETS,
        resource: format!("subnets {}", ids.join(", ")),
        problem: format!("are all in Availability Zone {only}, and a load balancer needs two"),
        fix: format!("add to {} a subnet of another Availability Zone in the same VPC", var::ALB_SUBNETS),
    });
}
