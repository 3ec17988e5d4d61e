//! `MAESTRO_APP`: two apps of one repository on one branch share no name, and without it every
//! name is the repository's, as before.

use std::collections::BTreeSet;

use super::desired::DesiredState;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::input_error::InputErrors;
use crate::provision::ownership;
use crate::report::fixtures::context;

/// The plan of the staging fixture with `extra` inputs (the request's and the settings').
fn planned(extra: &[(&str, &str)]) -> Result<DesiredState, InputErrors> {
    let settings: Vec<(&str, &str)> =
        [("SERVICE_CONNECT_NAMESPACE", "shop.local")].into_iter().chain(extra.iter().copied()).collect();
    let request = fixtures::request(&[fixtures::STAGING, extra].concat())?;
    fixtures::desired(&request, &fixtures::deployable(&settings)?, &app_with(PROCFILE, &[]))
}

/// Every name the plan gives a resource of its own, and the tags that claim them.
fn names(state: &DesiredState) -> BTreeSet<String> {
    let balancer = state.load_balancer.as_ref().unwrap();
    let mut names = BTreeSet::from([
        state.cluster.name.clone(),
        state.image.repository.clone(),
        state.secret.clone(),
        balancer.name.clone(),
        balancer.target_group.clone(),
        ownership::marker(state).value,
    ]);
    names.extend(state.cluster.schedule_rule_prefixes.iter().cloned());
    names.extend(state.services.iter().map(|service| service.name.clone()));
    names.extend(
        state
            .services
            .iter()
            .flat_map(|service| service.service_connect.iter())
            .flat_map(|connect| [connect.port_name.clone(), connect.discovery_name.clone(), connect.dns_name.clone()]),
    );
    names.extend(state.task_definitions.iter().flat_map(|definition| [definition.family.clone()]));
    names.extend(state.task_definitions.iter().map(|definition| definition.container.clone()));
    names.extend(state.log_groups.iter().cloned());
    names.extend(state.schedules.iter().map(|schedule| schedule.rule.clone()));
    names
}

#[test]
fn without_the_app_every_name_is_the_repositorys() {
    let state = planned(&[]).unwrap();
    assert_eq!(state.request.app, None);
    assert_eq!(state.cluster.name, "acme-shop-api-staging");
    assert_eq!(state.secret, "staging/acme-shop-api");
    assert_eq!(state.image.repository, "acme-shop-api-staging");
    assert_eq!(ownership::marker(&state).value, "acme-shop-api-staging");
    assert!(!ownership::environment(&state).value.contains("app="));
    assert_eq!(context(None).status_name(), "maestro/staging");
}

#[test]
fn the_app_enters_every_name() {
    let state = planned(&[("MAESTRO_APP", "API")]).unwrap();
    assert_eq!(state.request.app.as_deref(), Some("api"));
    assert_eq!(state.cluster.name, "acme-shop-api-api-staging");
    assert_eq!(state.secret, "staging/acme-shop-api-api");
    assert_eq!(state.image.repository, "acme-shop-api-api-staging");
    assert_eq!(state.load_balancer.as_ref().unwrap().target_group, "acme-shop-api-api-staging");
    assert!(state.services.iter().all(|service| service.name.starts_with("acme-shop-api-api-staging-")));
    assert!(state.log_groups.iter().all(|group| group.starts_with("/ecs/acme-shop-api-api-staging-")));
    assert_eq!(ownership::marker(&state).value, "acme-shop-api-api-staging");
    assert!(ownership::environment(&state).value.ends_with(" app=api"), "{}", ownership::environment(&state).value);
}

#[test]
fn two_apps_of_one_repository_on_one_branch_share_no_name() {
    let api = names(&planned(&[("MAESTRO_APP", "api")]).unwrap());
    let web = names(&planned(&[("MAESTRO_APP", "web")]).unwrap());
    let repository = names(&planned(&[]).unwrap());
    assert_eq!(api.intersection(&web).collect::<Vec<_>>(), Vec::<&String>::new());
    assert_eq!(api.intersection(&repository).collect::<Vec<_>>(), Vec::<&String>::new());
}

#[test]
fn the_status_context_names_the_app() {
    let mut with_app = context(None);
    with_app.request.app = Some("api".into());
    assert_eq!(with_app.status_name(), "maestro/api/staging");
}

#[test]
fn an_app_that_names_nothing_is_an_input_error() {
    for value in ["///", "--", " _ "] {
        let errors = fixtures::request(&[fixtures::STAGING, &[("MAESTRO_APP", value)]].concat()).unwrap_err();
        assert_eq!(errors.0.len(), 1, "{value:?}: {errors:?}");
        assert_eq!(errors.0[0].location.to_string(), "MAESTRO_APP", "{value:?}");
    }
    assert_eq!(
        fixtures::request(&[fixtures::STAGING, &[("MAESTRO_APP", "Billing API")]].concat()).unwrap().app.as_deref(),
        Some("billing-api")
    );
}

#[test]
fn a_sub_folder_without_an_app_warns_with_the_fix() {
    let warned = planned(&[("REPO_SUB_FOLDER", "services/api")]).unwrap().warnings;
    let warning = warned.iter().find(|warning| warning.contains("REPO_SUB_FOLDER")).expect("a warning");
    assert!(warning.contains("set MAESTRO_APP (e.g. `api`)"), "{warning}");
    let named = planned(&[("REPO_SUB_FOLDER", "services/api"), ("MAESTRO_APP", "api")]).unwrap().warnings;
    assert!(!named.iter().any(|warning| warning.contains("REPO_SUB_FOLDER")), "{named:?}");
    assert!(!planned(&[]).unwrap().warnings.iter().any(|warning| warning.contains("MAESTRO_APP")));
}
