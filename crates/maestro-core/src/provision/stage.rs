//! The order actions run in. Actions of one stage do not depend on each other and run
//! concurrently; a stage needs the ones before it (a listener needs its target group, a service
//! its task definition and listener).

use std::ops::RangeInclusive;

use super::action::Action;

/// A step of the apply, in the order they run (`Ord` follows the declaration).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// What needs nothing of the app's: the cluster, log groups, load balancer, target group and
    /// schedule rules (and, for `maestro stop`, pausing the rules).
    Infrastructure,
    /// What refers to the infrastructure: task definitions (their log groups), listeners and host
    /// rules (their load balancer and target group), log retention and tags on what exists.
    Dependents,
    /// A blue-green, canary or linear deploy's listener rules, which need their listener (a
    /// Dependent) and both target groups; before the services, whose `advancedConfiguration`
    /// names them.
    TrafficRules,
    /// Services and schedule targets, which run a task definition.
    Services,
    /// Scalable targets (their service must exist); policies no longer configured go first.
    ScalingTargets,
    /// Policies on those targets, and targets no longer planned once their policies are gone.
    ScalingPolicies,
    /// Services no longer planned (`--prune`), once everything else is in place.
    Prune,
}

impl Stage {
    /// The stage's name in `--output ndjson`'s change events.
    pub fn name(self) -> &'static str {
        match self {
            Self::Infrastructure => "infrastructure",
            Self::Dependents => "dependents",
            Self::TrafficRules => "traffic_rules",
            Self::Services => "services",
            Self::ScalingTargets => "scaling_targets",
            Self::ScalingPolicies => "scaling_policies",
            Self::Prune => "prune",
        }
    }
}

impl Stage {
    /// What the release process needs: its task definition, its log group, the cluster (and
    /// the traffic rules, which change no traffic when created: 100 to the live target group).
    pub const BEFORE_RELEASE: RangeInclusive<Self> = Self::Infrastructure..=Self::TrafficRules;
    /// What only a passed release may change: the services and everything that follows them.
    pub const AFTER_RELEASE: RangeInclusive<Self> = Self::Services..=Self::Prune;
    /// The services' updates (and the schedules' targets): what starts the rollouts.
    pub const SERVICES: RangeInclusive<Self> = Self::Services..=Self::Services;
    /// What follows the services' updates and no rollout waits for (their autoscaling, what
    /// `--prune` deletes): a deploy applies it while it waits for the rollouts.
    pub const AFTER_SERVICES: RangeInclusive<Self> = Self::ScalingTargets..=Self::Prune;
    /// A whole reconciliation at once.
    pub const ALL: RangeInclusive<Self> = Self::Infrastructure..=Self::Prune;
}

impl Action {
    pub fn stage(&self) -> Stage {
        match self {
            Self::CreateCluster { .. }
            | Self::PutClusterCapacityProviders { .. }
            | Self::CreateLogGroup { .. }
            | Self::CreateLoadBalancer { .. }
            | Self::SetLoadBalancerSubnets { .. }
            | Self::SetLoadBalancerSecurityGroups { .. }
            | Self::CreateTargetGroup { .. }
            | Self::ModifyTargetGroup { .. }
            | Self::PutRule { .. }
            | Self::TagRule { .. }
            | Self::TagLoadBalancing { .. }
            | Self::DeleteRule { .. }
            | Self::DisableRule { .. } => Stage::Infrastructure,
            Self::TagResource { .. }
            | Self::RegisterTaskDefinition { .. }
            | Self::CreateListener { .. }
            | Self::ModifyListener { .. }
            | Self::SetLogRetention { .. }
            | Self::CreateListenerRule { .. }
            | Self::ForwardListenerRule { .. }
            // Its dimensions are the load balancer's and target groups' ARNs.
            | Self::PutRollbackAlarm { .. } => Stage::Dependents,
            Self::CreateTrafficRule { .. } | Self::ForwardTrafficRule { .. } => Stage::TrafficRules,
            Self::CreateService(_) | Self::UpdateService(_) | Self::PutRuleTarget(_) => Stage::Services,
            Self::RegisterScalableTarget { .. } | Self::DeleteScalingPolicy { .. } => Stage::ScalingTargets,
            Self::PutScalingPolicy(_)
            | Self::DeregisterScalableTarget { .. }
            // After `RegisterScalableTarget`: the autoscaler's new bounds first, or it would
            // scale the service straight back up.
            | Self::ScaleService { .. } => Stage::ScalingPolicies,
            // Once the service's update has turned ECS's alarm watch off.
            Self::DeleteService { .. } | Self::DeleteRollbackAlarm { .. } => Stage::Prune,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_release_splits_the_stages_in_two_and_the_services_those_after_it() {
        let stages = [
            Stage::Infrastructure,
            Stage::Dependents,
            Stage::TrafficRules,
            Stage::Services,
            Stage::ScalingTargets,
            Stage::ScalingPolicies,
            Stage::Prune,
        ];
        assert!(stages.windows(2).all(|pair| pair[0] < pair[1]), "declared in the order they run");
        for stage in stages {
            assert_ne!(Stage::BEFORE_RELEASE.contains(&stage), Stage::AFTER_RELEASE.contains(&stage), "{stage:?}");
            assert!(Stage::ALL.contains(&stage));
            if Stage::AFTER_RELEASE.contains(&stage) {
                assert_ne!(Stage::SERVICES.contains(&stage), Stage::AFTER_SERVICES.contains(&stage), "{stage:?}");
            } else {
                assert!(!Stage::SERVICES.contains(&stage) && !Stage::AFTER_SERVICES.contains(&stage), "{stage:?}");
            }
        }
        assert!(
            Stage::BEFORE_RELEASE.contains(&Action::CreateLogGroup { name: "/ecs/x".into(), tags: Vec::new() }.stage())
        );
        let scale = Action::ScaleService { cluster: "c".into(), name: "s".into(), count: 0 };
        let bounds = Action::RegisterScalableTarget { resource_id: "service/c/s".into(), min: 0, max: 0 };
        assert!(scale.stage() > bounds.stage(), "stop scales to zero only after the autoscaler's bounds");
    }
}
