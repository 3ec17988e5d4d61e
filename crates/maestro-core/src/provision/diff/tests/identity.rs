//! The environment's identity (`maestro:environment`, `provision::ownership`): two environments
//! whose names fold alike (`MAIN` and `main`) never adopt, update or delete each other's resources.

use super::*;
use crate::provision::ownership::{Owner, environment, orphans};
use crate::provision::preflight::{blockers, foreign};

/// The fixture's environment (`staging`) deployed from `branch` instead, which folds to the same
/// names (the names are those of `staging`, as `STAGING` would get).
fn on_branch(branch: &str) -> DesiredState {
    let mut desired = desired();
    desired.request.branch = Some(branch.to_owned());
    desired
}

fn messages(found: &[crate::provision::preflight::Blocker]) -> Vec<String> {
    found.iter().map(|blocker| blocker.message.clone()).collect()
}

#[test]
fn the_identity_is_the_repository_the_branch_as_given_the_account_and_the_region() {
    assert_eq!(
        environment(&desired()).value,
        "repository=acme/shop-api branch=staging account=123456789012 region=us-east-1"
    );
    assert_ne!(environment(&on_branch("STAGING")), environment(&desired()), "case tells branches apart");
    // A repository's path ignores case on GitHub and GitLab: one repository, one identity.
    let mut upper = desired();
    upper.request.repository = "Acme/Shop-API".into();
    assert_eq!(environment(&upper), environment(&desired()));
    // Characters no AWS tag value takes are spelled out, `+` included, so they still tell apart.
    assert_eq!(
        environment(&on_branch("fix#1+x")).value,
        "repository=acme/shop-api branch=fix+231+2bx account=123456789012 region=us-east-1"
    );
    // AWS allows 256 characters: a longer identity is cut with a hash of the whole.
    let long = environment(&on_branch(&"x".repeat(300))).value;
    assert_eq!(long.chars().count(), 256, "{long}");
    assert_ne!(long, environment(&on_branch(&"x".repeat(301))).value);
}

#[test]
fn a_claim_is_another_identity_or_another_marker() {
    let desired = desired();
    let owner = Owner::of(&desired);
    assert_eq!(owner.claim(&[]), None, "untagged: the bash maestro's, adopted");
    assert_eq!(owner.claim(&[marker(&desired)]), None, "maestro's before the identity: adopted");
    assert_eq!(owner.claim(&resource_tags(&desired)), None);
    assert!(owner.owns(&[marker(&desired)]) && owner.owns(&resource_tags(&desired)) && !owner.owns(&[]));
    let folded = owner.claim(&resource_tags(&on_branch("STAGING"))).unwrap();
    assert_eq!((folded.key.as_str(), folded.folded), (crate::provision::ownership::ENVIRONMENT_TAG_KEY, true));
    assert!(folded.theirs.contains("branch=STAGING") && folded.ours.contains("branch=staging"), "{folded:?}");
    assert!(!owner.owns(&resource_tags(&on_branch("STAGING"))));
    // `feature/x` and `feature-x` fold alike too (both `feature-x`): two identities.
    let slashed = Owner::of(&on_branch("feature/x")).claim(&resource_tags(&on_branch("feature-x"))).unwrap();
    assert!(slashed.folded && slashed.theirs.contains("branch=feature-x"), "{slashed:?}");
    let other = Tag { key: MARKER_TAG_KEY.into(), value: "acme-shop-api-staging-v2".into() };
    let claim = owner.claim(&[other]).unwrap();
    assert_eq!((claim.theirs.as_str(), claim.folded), ("acme-shop-api-staging-v2", false));
}

fn marker(desired: &DesiredState) -> Tag {
    crate::provision::ownership::marker(desired)
}

/// What `first` deployed, as `second` (whose names fold alike) finds it: every resource is
/// claimed, the run stops before any write and names both, whichever deployed first.
fn folded_stops(first: &str, second: &str) {
    let (first, second) = (on_branch(first), on_branch(second));
    let mut observed = converged(&first);
    let theirs = resource_tags(&first);
    observed.cluster.as_mut().unwrap().tags = theirs.clone();
    for live in observed.services.values_mut().flatten() {
        live.tags = theirs.clone();
    }
    observed.load_balancer.as_mut().unwrap().tags = theirs.clone();
    observed.target_group.as_mut().unwrap().tags = theirs;
    assert_eq!(blockers(&first, &observed), [], "the first redeploys");
    let found = blockers(&second, &observed);
    let theirs = environment(&first).value;
    let ours = environment(&second).value;
    assert_eq!(
        messages(&found),
        [
            format!("cluster acme-shop-api-staging belongs to {theirs} (its maestro:environment tag), not {ours}"),
            format!("service acme-shop-api-staging-web belongs to {theirs} (its maestro:environment tag), not {ours}"),
            format!(
                "service acme-shop-api-staging-worker belongs to {theirs} (its maestro:environment tag), not {ours}"
            ),
            format!(
                "load balancer acme-shop-api-staging belongs to {theirs} (its maestro:environment tag), not {ours}"
            ),
            format!("target group acme-shop-api-staging belongs to {theirs} (its maestro:environment tag), not {ours}"),
        ]
    );
    assert!(found[0].hint.contains("rename the branch") && found[0].hint.contains("MAESTRO_BRANCH_OVERRIDE"));
    assert!(found[0].hint.ends_with("nothing was changed"), "{}", found[0].hint);
}

#[test]
fn branches_that_fold_alike_stop_the_second_in_either_order() {
    folded_stops("staging", "STAGING");
    folded_stops("STAGING", "staging");
}

#[test]
fn untagged_resources_are_adopted_and_tagged() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.cluster.as_mut().unwrap().tags.clear();
    for live in observed.services.values_mut().flatten() {
        live.tags.clear();
    }
    assert_eq!(foreign(&desired, &observed), []);
    let tagged = changes(&desired, &observed);
    assert!(tagged.iter().any(|change| change.starts_with("tag ") && change.contains("maestro:environment")));
    assert_eq!(tagged.len(), 3, "the cluster and both services: {tagged:?}");
}

#[test]
fn a_shared_cluster_is_neither_claimed_nor_tagged() {
    let mut desired = desired();
    desired.cluster.shared = true;
    let mut observed = converged(&desired);
    observed.cluster.as_mut().unwrap().tags = resource_tags(&on_branch("staging-v2"));
    assert_eq!(foreign(&desired, &observed), []);
    assert_eq!(changes(&desired, &observed), Vec::<String>::new(), "redeploys write nothing");
}

#[test]
fn another_identitys_services_and_rules_are_never_pruned() {
    let desired = desired();
    let service = |tags: Vec<Tag>| {
        let mut live = converged(&desired).services.into_values().flatten().next().unwrap();
        live.tags = tags;
        Some(live)
    };
    let named_like = BTreeMap::from([
        ("acme-shop-api-staging-old".to_owned(), service(resource_tags(&desired))),
        ("acme-shop-api-staging-before".to_owned(), service(vec![marker(&desired)])),
        ("acme-shop-api-staging-folded".to_owned(), service(resource_tags(&on_branch("STAGING")))),
    ]);
    assert_eq!(orphans(&desired, &named_like), ["acme-shop-api-staging-before", "acme-shop-api-staging-old"]);
    let mut observed = converged(&desired);
    let rule = |tags: Vec<Tag>| crate::provision::observed::ObservedRule {
        name: String::new(),
        arn: String::new(),
        expression: "rate(1 hour)".into(),
        enabled: true,
        tags,
        targets: Vec::new(),
    };
    observed.rules.insert("2b419b-gone".into(), rule(resource_tags(&on_branch("STAGING"))));
    assert_eq!(changes(&desired, &observed), Vec::<String>::new(), "another identity's rule is left alone");
    observed.rules.insert("2b419b-gone".into(), rule(resource_tags(&desired)));
    assert_eq!(changes(&desired, &observed), ["delete schedule rule 2b419b-gone (its line is gone)"]);
}
