//! Ownership: what `--prune` may delete in a shared cluster, by maestro's marker tag.

use super::*;
use crate::provision::ownership::{marker, orphans, service_prefix};

fn tagged(tags: Vec<Tag>) -> Option<ObservedService> {
    Some(ObservedService { tags, ..crate::fixtures::live_service("", 1) })
}

#[test]
fn only_services_with_this_environments_marker_are_orphans() {
    let desired = desired();
    assert_eq!(service_prefix(&desired), "acme-shop-api-staging-");
    let other_branch = Tag { key: MARKER_TAG_KEY.into(), value: "acme-shop-api-staging-next".into() };
    let named_like = BTreeMap::from([
        ("acme-shop-api-staging-old".to_owned(), tagged(resource_tags(&desired))),
        // Branch `staging-next` of the same app, in the same cluster.
        ("acme-shop-api-staging-next-web".to_owned(), tagged(vec![other_branch])),
        // Created by the bash maestro, or by hand: no marker, no proof.
        ("acme-shop-api-staging-legacy".to_owned(), tagged(Vec::new())),
        // Gone (inactive) since it was listed.
        ("acme-shop-api-staging-gone".to_owned(), None),
    ]);
    assert_eq!(orphans(&desired, &named_like), ["acme-shop-api-staging-old"]);
}

#[test]
fn the_marker_is_the_one_every_resource_carries() {
    let desired = desired();
    assert!(resource_tags(&desired).contains(&marker(&desired)));
}
