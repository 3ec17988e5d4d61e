//! `maestro stop`, against the same fixtures: paused, then restored by the next deploy.

use super::*;

#[test]
fn stop_pauses_what_runs_and_the_next_deploy_restores_it() {
    let desired = desired();
    let mut observed = converged(&desired);
    let names = described(&crate::provision::stop::actions(&desired, &observed));
    // The autoscaler's bounds first (an earlier stage), or it would scale web straight back up.
    assert_eq!(
        names,
        [
            "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 0 and 0 tasks",
            "scale service acme-shop-api-staging-web to 0 tasks",
            "scale service acme-shop-api-staging-worker to 0 tasks",
        ]
    );

    // Once stopped, stopping again changes nothing, and a deploy brings back bounds and counts
    // (web's to its minimum, so the deploy follows its tasks coming back).
    for live in observed.services.values_mut().flatten() {
        live.desired_count = 0;
    }
    for target in observed.scalable_targets.values_mut() {
        (target.min, target.max) = (0, 0);
    }
    assert_eq!(crate::provision::stop::actions(&desired, &observed), []);
    let names = changes(&desired, &observed);
    assert_eq!(
        names,
        [
            "update service acme-shop-api-staging-web (2 tasks instead of 0)",
            "update service acme-shop-api-staging-worker (3 tasks instead of 0)",
            "scale service/acme-shop-api-staging/acme-shop-api-staging-web between 2 and 4 tasks",
        ]
    );
}

#[test]
fn an_autoscaler_that_may_still_add_tasks_is_paused_too() {
    let desired = desired();
    let mut observed = converged(&desired);
    for live in observed.services.values_mut().flatten() {
        live.desired_count = 0;
    }
    let web = "service/acme-shop-api-staging/acme-shop-api-staging-web";
    let pause = [format!("scale {web} between 0 and 0 tasks")];
    // Bounds of 0 to 4 let the autoscaler bring tasks back; 0 to 0 is paused.
    for (bounds, expected) in [((0, 4), &pause[..]), ((1, 4), &pause[..]), ((0, 0), &[][..])] {
        let target = observed.scalable_targets.get_mut(web).unwrap();
        (target.min, target.max) = bounds;
        assert_eq!(described(&crate::provision::stop::actions(&desired, &observed)), expected, "{bounds:?}");
    }
}
