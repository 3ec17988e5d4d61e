//! A long branch's load balancer and target group: the original's cut names are adopted unless
//! another app's or branch's marker is on them (`provision::adoption`, `provision::preflight`).

use super::*;
use crate::provision::preflight::blockers;

/// The plan of a branch whose names are now cut with a hash: converged() holds its resources
/// under the original's cut names.
fn long_branch() -> DesiredState {
    let mut desired = desired();
    let balancer = desired.load_balancer.as_mut().unwrap();
    balancer.former_name = Some(balancer.name.clone());
    balancer.former_target_group = Some(balancer.target_group.clone());
    balancer.name = "acme-shop-api-staging-x-1a2b3c".into();
    balancer.target_group = "acme-shop-api-staging-x-1a2b3c".into();
    desired
}

fn marked(owner: &str) -> Vec<Tag> {
    vec![Tag { key: MARKER_TAG_KEY.into(), value: owner.into() }]
}

#[test]
fn the_originals_cut_names_are_adopted_when_unmarked_or_ours() {
    let desired = long_branch();
    let mut observed = converged(&desired);
    assert_eq!(changes(&desired, &observed), Vec::<String>::new(), "ours: adopted as they are");
    // The original tagged neither with maestro's marker.
    observed.load_balancer.as_mut().unwrap().tags = vec![Tag { key: "team".into(), value: "shop".into() }];
    observed.target_group.as_mut().unwrap().tags.clear();
    assert_eq!(blockers(&desired, &observed), []);
    // Adopted, they get maestro's tags, the marker among them: another branch that cuts to the
    // same former names then leaves them to this one (`another_branchs_cut_names_are_left_to_it`).
    let keys = resource_tags(&desired).iter().map(|tag| tag.key.clone()).collect::<Vec<_>>().join(", ");
    assert_eq!(
        changes(&desired, &observed),
        // The load balancer has the team's tag already; the target group has none.
        [
            "tag acme-shop-api-staging (maestro:app, maestro:environment)".to_owned(),
            format!("tag acme-shop-api-staging ({keys})")
        ]
    );
    let tagged = diff(&desired, &observed, Options::default());
    for action in &tagged.actions {
        let Action::TagLoadBalancing { tags, .. } = action else { panic!("{action:?}") };
        assert!(tags.contains(&crate::provision::ownership::marker(&desired)), "{tags:?}");
    }
    // Other tags the team put on it are left alone: only what is missing is added.
    observed.load_balancer.as_mut().unwrap().tags.extend(resource_tags(&desired));
    observed.target_group.as_mut().unwrap().tags = resource_tags(&desired);
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());
}

#[test]
fn another_branchs_cut_names_are_left_to_it() {
    let desired = long_branch();
    let mut observed = converged(&desired);
    observed.load_balancer.as_mut().unwrap().tags = marked("acme-shop-api-staging-y");
    observed.target_group.as_mut().unwrap().tags = marked("acme-shop-api-staging-y");
    assert_eq!(blockers(&desired, &observed), [], "nothing is wrong: the app gets its own");
    assert_eq!(
        changes(&desired, &observed),
        [
            "create load balancer acme-shop-api-staging-x-1a2b3c (internet-facing)",
            "create target group acme-shop-api-staging-x-1a2b3c (port 3000)",
            "create listener HTTP:80 on acme-shop-api-staging-x-1a2b3c forwarding to acme-shop-api-staging-x-1a2b3c",
            "update service acme-shop-api-staging-web (load balancer attachment)",
        ]
    );
}

#[test]
fn another_apps_resource_under_the_apps_own_name_stops_the_deploy() {
    let desired = desired();
    let mut observed = converged(&desired);
    observed.target_group.as_mut().unwrap().tags = marked("acme-shop_api-staging");
    let found = blockers(&desired, &observed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        found[0].message,
        "target group acme-shop-api-staging belongs to acme-shop_api-staging (its maestro:app tag), not acme-shop-api-staging"
    );
    observed.load_balancer.as_mut().unwrap().tags = marked("other-app");
    assert_eq!(blockers(&desired, &observed).len(), 2);
    // A shared load balancer is someone else's by design.
    let mut shared = desired.clone();
    shared.load_balancer.as_mut().unwrap().shared = true;
    observed.target_group.as_mut().unwrap().tags = resource_tags(&desired);
    assert_eq!(blockers(&shared, &observed), []);
}
