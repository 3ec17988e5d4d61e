//! `maestro destroy`'s judgement, against the same fixtures: a converged environment is deleted
//! whole, in dependency order; what another environment's tags claim, or no tag proves, stays.

use super::*;
use crate::destroy::{Fate, Found, FoundFamily, Kind, Options, Step, inventory};
use crate::spec::tags::Tag;

fn found(desired: &DesiredState) -> Found {
    let observed = converged(desired);
    let families = desired
        .task_definitions
        .iter()
        .map(|definition| {
            let revisions = (1..=3).map(|n| format!("arn:task-definition/{}:{n}", definition.family)).collect();
            (definition.family.clone(), FoundFamily { revisions, tags: resource_tags(desired) })
        })
        .collect();
    let log_groups = desired.log_groups.iter().map(|name| (name.clone(), resource_tags(desired))).collect();
    let cluster_services = desired.services.iter().map(|service| service.name.clone()).collect();
    Found { observed, families, log_groups, repository: None, records: true, cluster_services }
}

fn kinds(steps: &[Step]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = steps.iter().map(Step::kind).collect();
    kinds.dedup();
    kinds
}

#[test]
fn an_environment_of_its_own_goes_whole_in_dependency_order() {
    let desired = desired();
    let listed = inventory(&desired, &found(&desired), Options::default());
    assert_eq!(listed.environment, "acme-shop-api-staging");
    assert_eq!(
        kinds(&listed.steps),
        [
            Kind::Service,
            Kind::ScalableTarget,
            Kind::LoadBalancer,
            Kind::TargetGroup,
            Kind::TaskDefinitionFamily,
            Kind::LogGroup,
            Kind::Cluster,
            Kind::ReleaseRecords,
        ]
    );
    let web = Step::DeleteService {
        cluster: "acme-shop-api-staging".into(),
        name: "acme-shop-api-staging-web".into(),
        scale_first: true,
    };
    assert!(listed.steps.contains(&web), "{:?}", listed.steps);
    let deregistered = listed.steps.iter().find_map(|step| match step {
        Step::DeregisterTaskDefinitions { revisions, .. } => Some(revisions.len()),
        _ => None,
    });
    assert_eq!(deregistered, Some(3), "every active revision");
    // The secret is the user's: listed, never deleted.
    let secret = listed.kept().find(|resource| resource.kind == Kind::Secret).unwrap();
    assert!(secret.why.contains("yours"), "{secret:?}");
    let proven = |why: &str| why == "tagged maestro:app=acme-shop-api-staging";
    let by_name = [Kind::ScalableTarget, Kind::ReleaseRecords];
    assert!(listed.deleted().all(|resource| proven(&resource.why) || by_name.contains(&resource.kind)));
}

#[test]
fn what_another_environment_claims_or_no_tag_proves_stays() {
    let desired = desired();
    let mut found = found(&desired);
    let theirs = Tag { key: "maestro:environment".into(), value: "repository=acme/shop-api branch=STAGING".into() };
    let group_tags = &mut found.observed.target_group.as_mut().unwrap().tags;
    group_tags.retain(|tag| tag.key != theirs.key);
    group_tags.push(theirs.clone());
    for tags in found.log_groups.values_mut() {
        tags.clear();
    }
    let web = "acme-shop-api-staging-web";
    found.observed.services.get_mut(web).unwrap().as_mut().unwrap().tags = vec![theirs];
    let listed = inventory(&desired, &found, Options::default());
    let verdict = |kind: Kind, name: &str| {
        listed.resources.iter().find(|resource| resource.kind == kind && resource.name == name).cloned().unwrap()
    };
    let group = verdict(Kind::TargetGroup, "acme-shop-api-staging");
    assert_eq!(group.fate, Fate::Keep);
    assert!(group.why.contains("belongs to repository=acme/shop-api branch=STAGING"), "{group:?}");
    assert_eq!(verdict(Kind::Service, web).fate, Fate::Keep);
    // A service it keeps keeps the cluster too.
    let cluster = verdict(Kind::Cluster, "acme-shop-api-staging");
    assert_eq!(cluster.fate, Fate::Keep);
    assert!(cluster.why.contains(web), "{cluster:?}");
    assert!(listed.resources.iter().filter(|r| r.kind == Kind::LogGroup).all(|r| r.fate == Fate::Keep));
    let stays = |step: &Step| {
        matches!(step, Step::DeleteTargetGroup { .. } | Step::DeleteLogGroup { .. } | Step::DeleteCluster { .. })
    };
    assert!(!listed.steps.iter().any(stays), "{:?}", listed.steps);
}

#[test]
fn a_shared_cluster_and_load_balancer_stay_with_only_the_environments_rule_deleted() {
    let mut desired = desired();
    desired.cluster.shared = true;
    desired.load_balancer.as_mut().unwrap().shared = true;
    let mut found = found(&desired);
    let balancer = found.observed.load_balancer.as_mut().unwrap();
    let rule = |arn: &str, host: &str, to: &str| ObservedListenerRule {
        arn: arn.into(),
        priority: Some(1),
        hosts: vec![host.into()],
        paths: Vec::new(),
        forwards_to: vec![to.into()],
        weights: vec![1],
    };
    balancer.rules = vec![rule("arn:ours", "a.example.com", "arn:tg"), rule("arn:theirs", "b.example.com", "arn:tg-b")];
    found.cluster_services.push("acme-shop-api-other-web".into());
    let listed = inventory(&desired, &found, Options { keep_logs: true, keep_images: true });
    let rules: Vec<&Step> = listed.steps.iter().filter(|step| step.kind() == Kind::ListenerRule).collect();
    assert_eq!(rules, [&Step::DeleteListenerRule { arn: "arn:ours".into(), hosts: vec!["a.example.com".into()] }]);
    for kind in [Kind::LoadBalancer, Kind::Cluster, Kind::LogGroup] {
        assert!(!listed.steps.iter().any(|step| step.kind() == kind), "{kind:?}: {:?}", listed.steps);
        assert!(listed.kept().any(|resource| resource.kind == kind), "{kind:?} listed as kept");
    }
}

#[test]
fn nothing_left_is_nothing_to_do_and_a_failed_delete_holds_back_what_needs_it() {
    let desired = desired();
    let listed = inventory(&desired, &Found::default(), Options::default());
    assert!(listed.steps.is_empty() && listed.deleted().next().is_none(), "{listed:?}");
    let group = Step::DeleteTargetGroup { name: "tg".into(), arn: "arn:tg".into() };
    assert!(!group.may_run_after(&[Kind::LoadBalancer]));
    assert!(group.may_run_after(&[Kind::LogGroup]));
    let records = Step::DeleteRecords { name: "/maestro/releases/x".into() };
    assert!(!records.may_run_after(&[Kind::LogGroup]));
}
