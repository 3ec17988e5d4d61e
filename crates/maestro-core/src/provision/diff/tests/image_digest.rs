//! The task definitions name the commit's image by its digest once the registry has it
//! (`DesiredState::pin_image`), and a redeploy of the same digest changes nothing.

use super::*;

fn images(desired: &DesiredState) -> Vec<String> {
    desired
        .task_definitions
        .iter()
        .flat_map(|definition| definition.definition["containerDefinitions"].as_array().unwrap().clone())
        .filter(|container| container["name"] == "acme-shop-api")
        .map(|container| container["image"].as_str().unwrap().to_owned())
        .collect()
}

const DIGEST: &str = "sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1";

#[test]
fn the_app_container_runs_the_image_by_digest() {
    let mut desired = desired();
    let tagged = images(&desired);
    assert!(tagged.iter().all(|image| image.ends_with(":3f2a9c1d")), "{tagged:?}");
    desired.pin_image(DIGEST);
    let pinned = images(&desired);
    assert_eq!(pinned.len(), tagged.len());
    let expected = format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging@{DIGEST}");
    assert!(pinned.iter().all(|image| *image == expected), "{pinned:?}");
    // Converged on that digest: nothing to do. A new digest is a new revision of every definition.
    let observed = converged(&desired);
    assert_eq!(changes(&desired, &observed), Vec::<String>::new());
    let mut rebuilt = desired.clone();
    rebuilt.pin_image("sha256:14358309a308569c32bdc37e2e0e9694be33a9d99e68afb0f5ff33cc1f695dce");
    let registered =
        changes(&rebuilt, &observed).into_iter().filter(|change| change.starts_with("register a new revision")).count();
    assert_eq!(registered, rebuilt.task_definitions.len());
}

#[test]
fn no_digest_leaves_the_tag() {
    let mut desired = desired();
    let tagged = images(&desired);
    desired.pin_image("");
    assert_eq!(images(&desired), tagged);
}
