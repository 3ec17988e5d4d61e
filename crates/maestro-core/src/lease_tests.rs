use super::*;

fn generation(number: u64, owner: &str, expires_at: u64) -> Generation {
    Generation { number, text: encode(&Lease { owner: owner.into(), run_url: None, expires_at }) }
}

#[test]
fn a_lease_is_ours_held_or_stale() {
    let lease = Lease { owner: "run-1".into(), run_url: Some("https://ci/run/1".into()), expires_at: 100 };
    let text = encode(&lease);
    assert_eq!(judge(&text, "run-1", 50), Found::Ours);
    assert_eq!(judge(&text, "run-2", 50), Found::Held(lease.clone()));
    assert_eq!(judge(&text, "run-2", 100), Found::Stale(Some(lease.clone())));
    assert_eq!(judge("not json", "run-2", 0), Found::Stale(None));
    assert_eq!(holder(&lease), "run-1 (https://ci/run/1)");
}

#[test]
fn the_lease_is_named_after_the_app_and_branch_or_default() {
    let mut request = crate::fixtures::staging(&[]);
    assert_eq!(folder(&request), "/maestro/locks/acme-shop-api-staging");
    // A request with no branch (a detached checkout) still locks, under `default`.
    request.branch_slug = None;
    assert_eq!(folder(&request), "/maestro/locks/acme-shop-api-default");
}

#[test]
fn generations_are_numbered_parameters_of_the_folder() {
    let folder = "/maestro/locks/acme-shop-api-staging";
    let name = generation_name(folder, 7);
    assert_eq!(name, "/maestro/locks/acme-shop-api-staging/0000000007");
    assert_eq!(generation_number(folder, &name), Some(7));
    // Another branch whose slug starts the same, or a name that is not a number, is no generation.
    assert_eq!(generation_number(folder, "/maestro/locks/acme-shop-api-staging-2/0000000001"), None);
    assert_eq!(generation_number(folder, "/maestro/locks/acme-shop-api-staging/x1"), None);
    assert_eq!(generation_number(folder, "/maestro/locks/acme-shop-api-staging/"), None);
    assert_eq!(generation_number(folder, "/maestro/locks/acme-shop-api-staging/+1"), None);
}

#[test]
fn a_run_holds_the_lease_only_while_its_generation_is_the_highest_and_valid() {
    let ours = generation(3, "run a", 100);
    assert_eq!(standing(&[generation(2, "run z", 1), ours.clone()], 3, "run a", 50), Standing::Holds);
    // Expired: another run may take it over at any moment, so this one must not write.
    assert_eq!(standing(std::slice::from_ref(&ours), 3, "run a", 100), Standing::Expired);
    // A higher generation: the run that took it over is named.
    let next = generation(4, "run b", 200);
    assert_eq!(standing(&[ours.clone(), next], 3, "run a", 50), Standing::Lost("run b".into()));
    // Deleted by the next holder, which has released its own since.
    assert!(matches!(standing(&[], 3, "run a", 50), Standing::Lost(_)));
    // The same number written by another run (it recreated a deleted generation): not ours.
    assert_eq!(standing(&[generation(3, "run c", 100)], 3, "run a", 50), Standing::Lost("run c".into()));
    assert_eq!(current(&[generation(9, "x", 1), generation(10, "y", 1)]).map(|found| found.number), Some(10));
}

#[test]
fn a_holder_is_named_as_inert_text() {
    let lease = Lease { owner: "::add-mask::x".into(), run_url: Some("##[set-output name=a]b".into()), expires_at: 0 };
    let named = holder(&lease);
    assert!(!named.trim_start().starts_with("::") && !named.contains("##["), "{named}");
}
