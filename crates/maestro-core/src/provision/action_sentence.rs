//! Each action said as one sentence, the line the plan's diff and the deploy's log show.

use std::fmt;

use super::action::Action;

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CreateCluster { name, .. } => write!(f, "create cluster {name}"),
            Self::PutClusterCapacityProviders { name, capacity_providers, .. } => {
                write!(f, "set the capacity providers of cluster {name} to {}", capacity_providers.join(", "))
            }
            Self::TagResource { arn, tags } => {
                let keys = tags.iter().map(|tag| tag.key.as_str()).collect::<Vec<_>>().join(", ");
                write!(f, "tag {arn} ({keys})")
            }
            Self::CreateLogGroup { name, .. } => write!(f, "create log group {name}"),
            Self::RegisterTaskDefinition { family, .. } => {
                write!(f, "register a new revision of task definition {family}")
            }
            Self::CreateLoadBalancer { name, scheme, .. } => write!(f, "create load balancer {name} ({scheme})"),
            Self::SetLoadBalancerSubnets { name, subnets, .. } => {
                write!(f, "set the subnets of load balancer {name} to {}", subnets.join(", "))
            }
            Self::SetLoadBalancerSecurityGroups { name, security_groups, .. } => {
                write!(f, "set the security groups of load balancer {name} to {}", security_groups.join(", "))
            }
            Self::CreateTargetGroup { name, port, .. } => write!(f, "create target group {name} (port {port})"),
            Self::ModifyTargetGroup { name, health_check_path, health_check, deregistration_delay, .. } => write!(
                f,
                "set target group {name}'s health check to {health_check_path} every {}s ({}s timeout, healthy after {}, \
                 unhealthy after {}) and its deregistration delay to {deregistration_delay}s",
                health_check.interval_seconds,
                health_check.timeout_seconds,
                health_check.healthy_threshold,
                health_check.unhealthy_threshold
            ),
            Self::CreateListener { load_balancer, listener, .. } => match &listener.target_group {
                Some(group) => write!(
                    f,
                    "create listener {}:{} on {load_balancer} forwarding to {group}",
                    listener.protocol, listener.port
                ),
                None => write!(
                    f,
                    "create listener {}:{} on {load_balancer} redirecting to HTTPS",
                    listener.protocol, listener.port
                ),
            },
            Self::ModifyListener { listener, .. } => match &listener.target_group {
                Some(group) => write!(f, "forward listener {}:{} to {group}", listener.protocol, listener.port),
                None => write!(f, "redirect listener {}:{} to HTTPS", listener.protocol, listener.port),
            },
            Self::CreateService(spec) => write!(f, "create service {}", spec.name),
            Self::UpdateService(spec) => {
                let changes: Vec<String> = spec.changes.iter().map(ToString::to_string).collect();
                write!(f, "update service {} ({})", spec.name, changes.join(", "))
            }
            Self::RegisterScalableTarget { resource_id, min, max } => {
                write!(f, "scale {resource_id} between {min} and {max} tasks")
            }
            Self::PutScalingPolicy(policy) => {
                write!(f, "put scaling policy {} (target {})", policy.name, policy.target)
            }
            Self::DeleteScalingPolicy { name, .. } => write!(f, "delete scaling policy {name}"),
            Self::DeregisterScalableTarget { resource_id } => write!(f, "stop autoscaling {resource_id}"),
            Self::PutRule { name, expression, enabled: true, .. } => {
                write!(f, "put schedule rule {name} ({expression})")
            }
            Self::PutRule { name, expression, enabled: false, .. } => {
                write!(f, "put schedule rule {name} ({expression}), disabled")
            }
            Self::DeleteService { name, .. } => write!(f, "delete service {name} (no longer planned)"),
            Self::CreateListenerRule { priority, host, target_group, .. } => {
                write!(f, "route host {host} to {target_group} on the shared load balancer (rule priority {priority})")
            }
            Self::ForwardListenerRule { host, target_group, .. } => {
                write!(f, "route host {host} to {target_group} again")
            }
            Self::CreateTrafficRule { rule, .. } => write!(f, "route {rule}"),
            Self::ForwardTrafficRule { rule, .. } => write!(f, "route {rule} again"),
            Self::PutRollbackAlarm { alarm, .. } => write!(f, "put alarm {}", alarm.name),
            Self::DeleteRollbackAlarm { name } => write!(f, "delete alarm {name} (no rollback alarm planned)"),
            Self::SetLogRetention { name, days } => write!(f, "keep the events of log group {name} for {days} days"),
            Self::PutRuleTarget(target) => write!(f, "point schedule rule {} at {}", target.rule, target.family),
            Self::TagRule { arn, .. } => write!(f, "tag {arn}"),
            Self::TagLoadBalancing { name, tags, .. } => {
                let keys = tags.iter().map(|tag| tag.key.as_str()).collect::<Vec<_>>().join(", ");
                write!(f, "tag {name} ({keys})")
            }
            Self::DeleteRule { name, .. } => write!(f, "delete schedule rule {name} (its line is gone)"),
            Self::ScaleService { name, count, .. } => write!(f, "scale service {name} to {count} tasks"),
            Self::DisableRule { name } => write!(f, "pause schedule rule {name}"),
        }
    }
}
