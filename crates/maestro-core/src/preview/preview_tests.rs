use super::*;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::plan::aws_values::CapacityProvider;
use crate::plan::desired::DesiredState;

/// The staging request, as GitHub's `pull_request` event for PR `number` into `main` makes it.
fn pull_request(number: u64) -> DeployRequest {
    let mut request = fixtures::staging(&[]);
    request.branch = Some(format!("pr-{number}"));
    request.branch_slug = Some(format!("pr-{number}"));
    request.pull_request = Some(number);
    request.base_branch = Some("main".to_owned());
    request.head_branch = Some("dependabot/npm_and_yarn/a-very-long-branch-name-indeed".to_owned());
    request
}

const PREVIEWS: &[(&str, &str)] = &[
    ("MAESTRO_PREVIEWS", "true"),
    ("MAESTRO_PREVIEW_DOMAIN", "preview.shop.example.com"),
    ("MAESTRO_PREVIEW_CERTIFICATE_ARN", "arn:aws:acm:us-east-1:123456789012:certificate/wild"),
];

fn with(extra: &[(&str, &str)]) -> Settings {
    let pairs: Vec<(&str, &str)> = PREVIEWS.iter().chain(extra).copied().collect();
    fixtures::deployable(&pairs).unwrap()
}

fn desired(request: &DeployRequest, settings: &Settings) -> DesiredState {
    fixtures::desired(request, settings, &app_with(PROCFILE, &[])).unwrap()
}

#[test]
fn only_a_pull_requests_own_environment_is_a_preview() {
    assert_eq!(number_of("pr-12"), Some(12));
    for not in ["pr-", "pr-012", "pr-1a", "main", "pr-12-x"] {
        assert_eq!(number_of(not), None, "{not}");
    }
    let settings = with(&[]);
    assert!(Preview::of(&pull_request(7), &settings).unwrap().is_some());
    // A branch deploy, and a pull request whose environment was overridden, are not previews.
    assert!(Preview::of(&fixtures::staging(&[]), &settings).unwrap().is_none());
    let mut overridden = pull_request(7);
    overridden.branch = Some("staging".to_owned());
    assert!(Preview::of(&overridden, &settings).unwrap().is_none());
    // Off unless MAESTRO_PREVIEWS=true.
    let off = fixtures::deployable(&[("MAESTRO_PREVIEW_DOMAIN", "preview.shop.example.com")]).unwrap();
    assert!(Preview::of(&pull_request(7), &off).unwrap().is_none());
}

#[test]
fn previews_without_a_domain_are_bad_input() {
    let settings = fixtures::deployable(&[("MAESTRO_PREVIEWS", "true")]).unwrap();
    let errors = Preview::of(&pull_request(7), &settings).unwrap_err();
    let text = format!("{errors:?}");
    assert!(text.contains("MAESTRO_PREVIEW_DOMAIN"), "{text}");
}

#[test]
fn a_preview_is_small_shared_and_routed_by_its_host() {
    let settings = with(&[("ECS_SERVICE_TASK_PROCESSES", "web{1024;2048}:2-8[cpu=60],worker:3,clock:0")]);
    let state = desired(&pull_request(12), &settings);
    let balancer = state.load_balancer.as_ref().unwrap();
    assert_eq!(balancer.name, "acme-shop-api-previews");
    assert!(balancer.shared && balancer.previews);
    assert_eq!(balancer.host.as_deref(), Some("pr-12.preview.shop.example.com"));
    assert_eq!(balancer.target_group, "acme-shop-api-pr-12");
    assert_eq!(balancer.listener.port, 443);
    // The previews' cluster, as a guest: never the base branch's.
    assert_eq!((state.cluster.name.as_str(), state.cluster.shared), ("acme-shop-api-previews", true));
    for service in &state.services {
        assert!(service.desired_count <= 1 && service.max.is_none() && service.scaling.is_empty(), "{service:?}");
        assert_eq!(service.capacity_provider_strategy[0].capacity_provider, CapacityProvider::FargateSpot);
    }
    // Sizes are kept.
    let web = state.task_definitions.iter().find(|definition| definition.process == "web").unwrap();
    assert_eq!((web.cpu, web.memory), (1024, 2048));
    assert!(state.schedules.iter().all(|schedule| !schedule.enabled));
    assert_eq!(state.preview.as_ref().unwrap().number, 12);
}

#[test]
fn two_pull_requests_share_the_load_balancer_and_nothing_else() {
    let settings = with(&[]);
    let (one, two) = (desired(&pull_request(1), &settings), desired(&pull_request(2), &settings));
    let (a, b) = (one.load_balancer.unwrap(), two.load_balancer.unwrap());
    assert_eq!(a.name, b.name);
    assert_ne!(a.host, b.host);
    assert_ne!(a.target_group, b.target_group);
    assert!(one.services.iter().all(|service| two.services.iter().all(|other| other.name != service.name)));
}

#[test]
fn a_preview_reads_the_preview_secret_never_the_apps() {
    let production = [("MAESTRO_SECRET_NAME", "production/shop")];
    let state = desired(&pull_request(3), &with(&production));
    assert_eq!(state.secret, "main/acme-shop-api", "the base branch's secret");
    let named = with(&[("MAESTRO_SECRET_NAME", "production/shop"), ("MAESTRO_PREVIEW_SECRET", "preview/shop")]);
    assert_eq!(desired(&pull_request(3), &named).secret, "preview/shop");
    // Named explicitly, production's is what the team asked for.
    let explicit = with(&[("MAESTRO_PREVIEW_SECRET", "production/shop")]);
    assert_eq!(desired(&pull_request(3), &explicit).secret, "production/shop");
}

#[test]
fn preview_settings_override_the_defaults() {
    let settings = with(&[
        ("MAESTRO_PREVIEW_ALB", "shop-prs"),
        ("MAESTRO_PREVIEW_CLUSTER", "previews"),
        ("MAESTRO_PREVIEW_PROCESSES", "web:2"),
        ("MAESTRO_PREVIEW_SCHEDULES", "true"),
        ("ECS_CLUSTER_ID", "shared"),
    ]);
    let state = desired(&pull_request(4), &settings);
    assert_eq!(state.load_balancer.as_ref().unwrap().name, "shop-prs");
    assert_eq!(state.cluster.name, "previews");
    let processes: Vec<(&str, u32)> =
        state.services.iter().map(|service| (service.process.as_str(), service.desired_count)).collect();
    assert_eq!(processes, [("web", 2)]);
    assert!(state.schedules.iter().all(|schedule| schedule.enabled));
    // ECS_CLUSTER_ID is the app's cluster when no preview cluster is named.
    let shared = with(&[("ECS_CLUSTER_ID", "shared")]);
    assert_eq!(desired(&pull_request(4), &shared).cluster.name, "shared");
}

#[test]
fn a_preview_without_a_certificate_is_served_over_http() {
    let settings = fixtures::deployable(&PREVIEWS[..2]).unwrap();
    let state = desired(&pull_request(5), &settings);
    assert_eq!(state.load_balancer.unwrap().listener.port, 80);
    assert_eq!(url(5, &settings).as_deref(), Some("http://pr-5.preview.shop.example.com"));
    assert_eq!(url(5, &with(&[])).as_deref(), Some("https://pr-5.preview.shop.example.com"));
}

#[test]
fn a_preview_stays_out_of_the_apps_service_connect_namespace() {
    let state = desired(&pull_request(6), &with(&[("SERVICE_CONNECT_NAMESPACE", "shop.local")]));
    assert!(state.services.iter().all(|service| service.service_connect.is_none()));
    assert!(state.warnings.iter().any(|warning| warning.contains("shop.local")), "{:?}", state.warnings);
}
