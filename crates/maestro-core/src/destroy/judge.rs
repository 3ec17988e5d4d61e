//! The verdict on each resource the environment's names lead to, and the steps, in order.

use std::collections::BTreeSet;

use super::{Fate, Found, Inventory, Kind, Options, Resource, Step};
use crate::build::repository::RegistryKind;
use crate::history;
use crate::naming::scalable_target_of;
use crate::plan::desired::DesiredState;
use crate::provision::observed::ObservedTargetGroup;
use crate::provision::ownership::Owner;
use crate::spec::tags::Tag;

/// Every resource of `found`, judged, and the steps that delete this environment's.
pub fn inventory(desired: &DesiredState, found: &Found, options: Options) -> Inventory {
    let owner = Owner::of(desired);
    let mut list = List { owner: &owner, resources: Vec::new(), steps: Vec::new() };
    let observed = &found.observed;
    let cluster = &desired.cluster.name;
    let mut deleted_services = BTreeSet::new();
    for (name, live) in &observed.services {
        let Some(live) = live else { continue };
        if list.judge(Kind::Service, name, &live.tags) {
            let scale_first = live.desired_count > 0;
            list.steps.push(Step::DeleteService { cluster: cluster.clone(), name: name.clone(), scale_first });
            deleted_services.insert(name.clone());
        }
    }
    for name in &observed.orphaned_services {
        // `observe` kept only those carrying this environment's marker and no other identity.
        list.delete(Kind::Service, name, "not planned any more, tagged for this environment");
        list.steps.push(Step::DeleteService { cluster: cluster.clone(), name: name.clone(), scale_first: true });
        deleted_services.insert(name.clone());
    }
    // A planned service's target goes unless its service stays (another environment's): the
    // service may be gone already, deleted by an interrupted run.
    let kept: BTreeSet<&String> = observed
        .services
        .iter()
        .filter(|(name, live)| live.is_some() && !deleted_services.contains(*name))
        .map(|(name, _)| name)
        .collect();
    let mut targets: Vec<&String> = desired
        .services
        .iter()
        .filter(|service| !kept.contains(&service.name))
        .map(|service| scalable_target_of(cluster, &service.name))
        .filter_map(|id| observed.scalable_targets.get_key_value(&id).map(|(id, _)| id))
        .collect();
    targets.extend(&observed.orphaned_scalable_targets);
    targets.sort();
    targets.dedup();
    for resource_id in targets {
        list.delete(Kind::ScalableTarget, resource_id, "autoscales a service of this environment");
        list.steps.push(Step::DeregisterScalableTarget { resource_id: resource_id.clone() });
    }
    if let Some(alarm) = &observed.rollback_alarm
        && list.judge(Kind::Alarm, &alarm.name, &alarm.tags)
    {
        list.steps.push(Step::DeleteAlarm { name: alarm.name.clone() });
    }
    for rule in observed.rules.values() {
        if list.judge(Kind::ScheduleRule, &rule.name, &rule.tags) {
            let target_ids = rule.targets.iter().map(|target| target.id.clone()).collect();
            list.steps.push(Step::DeleteRule { name: rule.name.clone(), target_ids });
        }
    }
    load_balancing(desired, found, &mut list);
    for (family, live) in &found.families {
        if !live.revisions.is_empty() && list.judge(Kind::TaskDefinitionFamily, family, &live.tags) {
            let revisions = live.revisions.clone();
            list.steps.push(Step::DeregisterTaskDefinitions { family: family.clone(), revisions });
        }
    }
    for (name, tags) in &found.log_groups {
        if options.keep_logs {
            list.keep(Kind::LogGroup, name, "kept: --keep-logs");
        } else if list.judge(Kind::LogGroup, name, tags) {
            list.steps.push(Step::DeleteLogGroup { name: name.clone() });
        }
    }
    repository(desired, found, options, &mut list);
    cluster_verdict(desired, found, &deleted_services, &mut list);
    if found.records {
        let name = history::parameter(&desired.request);
        list.delete(Kind::ReleaseRecords, &name, "named for this environment");
        list.steps.push(Step::DeleteRecords { name });
    }
    if observed.secret.is_some() {
        list.keep(Kind::Secret, &desired.secret, "kept: the app's secret is yours (maestro only reads it)");
    }
    list.steps.sort_by_key(Step::kind);
    list.resources.sort_by_key(|resource| resource.kind);
    Inventory { environment: owner.marker.value.clone(), resources: list.resources, steps: list.steps }
}

/// The verdicts being collected.
struct List<'a> {
    owner: &'a Owner,
    resources: Vec<Resource>,
    steps: Vec<Step>,
}

impl List<'_> {
    /// Records the verdict on a tagged resource; `true` when it is this environment's.
    fn judge(&mut self, kind: Kind, name: &str, tags: &[Tag]) -> bool {
        if self.owner.owns(tags) {
            let why = format!("tagged {}={}", self.owner.marker.key, self.owner.marker.value);
            self.delete(kind, name, &why);
            return true;
        }
        let why = match self.owner.claim(tags) {
            Some(claim) => format!("kept: belongs to {} ({}={})", claim.theirs, claim.key, claim.theirs),
            None => format!("kept: no {} tag for this environment (not created by maestro?)", self.owner.marker.key),
        };
        self.keep(kind, name, &why);
        false
    }

    fn delete(&mut self, kind: Kind, name: &str, why: &str) {
        self.resources.push(Resource { kind, name: name.to_owned(), fate: Fate::Delete, why: why.to_owned() });
    }

    fn keep(&mut self, kind: Kind, name: &str, why: &str) {
        self.resources.push(Resource { kind, name: name.to_owned(), fate: Fate::Keep, why: why.to_owned() });
    }
}

/// A shared load balancer stays, with only this environment's listener rules deleted (the host
/// rule, and a shifting deploy's on the test listener); an own one goes with its listeners and
/// their rules (the test listener's too). The target groups go when they are this environment's:
/// the alternate one of a blue-green, canary or linear deploy as well.
fn load_balancing(desired: &DesiredState, found: &Found, list: &mut List<'_>) {
    let Some(balancer) = &desired.load_balancer else { return };
    let observed = &found.observed;
    let alternate = observed.traffic.as_ref().and_then(|traffic| traffic.alternate_target_group.as_ref());
    let groups: Vec<&ObservedTargetGroup> = observed.target_group.iter().chain(alternate).collect();
    let owned: Vec<&str> =
        groups.iter().filter(|group| list.owner.owns(&group.tags)).map(|group| group.arn.as_str()).collect();
    if let Some(live) = &observed.load_balancer {
        if balancer.shared {
            list.keep(Kind::LoadBalancer, &live.name, "kept: shared (ALB_NAME_OVERRIDE)");
            let test_rules = observed.traffic.iter().flat_map(|traffic| &traffic.test_rules);
            for rule in live.rules.iter().chain(test_rules) {
                let ours = rule.forwards_to.iter().all(|arn| owned.contains(&arn.as_str()));
                if rule.priority.is_some() && ours && !rule.forwards_to.is_empty() {
                    let name = format!("for {}", rule.hosts.join(", "));
                    list.delete(Kind::ListenerRule, &name, "forwards to this environment's target group");
                    list.steps.push(Step::DeleteListenerRule { arn: rule.arn.clone(), hosts: rule.hosts.clone() });
                }
            }
        } else if list.judge(Kind::LoadBalancer, &live.name, &live.tags) {
            list.steps.push(Step::DeleteLoadBalancer { name: live.name.clone(), arn: live.arn.clone() });
        }
    }
    for group in groups {
        if list.judge(Kind::TargetGroup, &group.name, &group.tags) {
            list.steps.push(Step::DeleteTargetGroup { name: group.name.clone(), arn: group.arn.clone() });
        }
    }
}

fn repository(desired: &DesiredState, found: &Found, options: Options, list: &mut List<'_>) {
    let image = &desired.image;
    if image.registry_kind == RegistryKind::Oci {
        let name = format!("{}/{}", image.registry, image.repository);
        list.keep(Kind::Repository, &name, "kept: not ECR (delete its images with the registry's own tools)");
        return;
    }
    let Some(repository) = &found.repository else { return };
    if options.keep_images {
        list.keep(Kind::Repository, &repository.name, "kept: --keep-images");
    } else if repository.name != list.owner.marker.value {
        // Named otherwise (MAESTRO_IMAGE_REPOSITORY), it may hold other branches' images.
        list.keep(Kind::Repository, &repository.name, "kept: not named for this environment alone");
    } else if list.judge(Kind::Repository, &repository.name, &repository.tags) {
        let (registry_id, name) = (repository.registry_id.clone(), repository.name.clone());
        list.steps.push(Step::DeleteRepository { registry_id, name });
    }
}

/// The cluster goes when it is this environment's and holds nothing else once its services are
/// deleted; a shared one (`ECS_CLUSTER_ID`) stays.
fn cluster_verdict(desired: &DesiredState, found: &Found, deleted: &BTreeSet<String>, list: &mut List<'_>) {
    let Some(live) = &found.observed.cluster else { return };
    let name = &desired.cluster.name;
    if desired.cluster.shared {
        list.keep(Kind::Cluster, name, "kept: shared (ECS_CLUSTER_ID)");
        return;
    }
    let draining: Vec<String> =
        found.observed.draining_services.iter().filter(|name| !deleted.contains(*name)).cloned().collect();
    let others: Vec<&String> = found
        .cluster_services
        .iter()
        .filter(|service| !deleted.contains(*service) && !draining.contains(*service))
        .collect();
    if !others.is_empty() {
        let names: Vec<&str> = others.iter().map(|name| name.as_str()).collect();
        list.keep(Kind::Cluster, name, &format!("kept: it also runs {}", names.join(", ")));
    } else if list.judge(Kind::Cluster, name, &live.tags) {
        list.steps.push(Step::DeleteCluster { name: name.clone(), draining });
    }
}
