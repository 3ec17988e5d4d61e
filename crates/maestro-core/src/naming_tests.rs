use super::*;

fn names() -> Names {
    Names::new("acme-shop-api", "staging", None, None)
}

#[test]
fn the_originals_appendix_a_example() {
    let names = names();
    assert_eq!(slug("https://github.com/Acme/Shop-API.git"), "acme-shop-api");
    assert_eq!((names.slug(), names.branch()), ("acme-shop-api", "staging"));
    assert_eq!(names.cluster(), "acme-shop-api-staging");
    assert_eq!(names.family("web"), "acme-shop-api-staging-web");
    assert_eq!(names.service("worker"), "acme-shop-api-staging-worker");
    assert_eq!(names.container(), "acme-shop-api");
    assert_eq!(names.log_group("web"), "/ecs/acme-shop-api-staging-web");
    assert_eq!(names.load_balancer(), "acme-shop-api-staging");
    assert_eq!(names.target_group(), "acme-shop-api-staging");
    assert_eq!(names.port_name("web"), "acme-shop-api-web");
    assert_eq!(names.scalable_target("web"), "service/acme-shop-api-staging/acme-shop-api-staging-web");
    assert_eq!(names.scaling_policy("web", Metric::Cpu), "acme-shop-api-staging-web-cpu-scaling-policy");
    assert_eq!(names.schedule_rule("update-feed"), "2b419b-update-feed");
    assert_eq!(names.ecr_repository(), "acme-shop-api-staging");
    assert_eq!(names.secret(), "staging/acme-shop-api");
    assert_eq!(short_sha("3f2a9c1d7e4b5a6c"), "3f2a9c1d");
}

#[test]
fn slugs_from_every_kind_of_repository_reference() {
    let cases = [
        ("Acme/Shop-API", "acme-shop-api"),
        ("https://bitbucket.org/Owner/Repo", "owner-repo"),
        ("https://github.com/Acme/Shop-API/", "acme-shop-api"),
        // The original kept every dot but the first: `veezor-my-app.name`, an invalid ECS name.
        ("https://github.com/Veezor/My.App.Name.git", "veezor-my-app-name"),
        // The original produced `git@github-com:owner-repo`.
        ("git@github.com:owner/repo.git", "owner-repo"),
        // scp-style hosts are known by a user (`git@`) or a dotted host name; either is enough.
        ("git@gitlab:owner/repo.git", "owner-repo"),
        ("gitlab.example.com:owner/repo", "owner-repo"),
        ("ssh://git@gitlab.example.com:2222/group/sub/project.git", "group-sub-project"),
        // Nested GitLab groups: the original replaced only the first `/`.
        ("group/subgroup/project", "group-subgroup-project"),
        // CodeCommit: the original produced `v1-repos/my-repo`.
        ("https://git-codecommit.us-east-1.amazonaws.com/v1/repos/my-repo", "my-repo"),
        ("codecommit::us-east-1://my-repo", "my-repo"),
        // An existing slug (the undocumented `REPO_SLUG`) stays as it is.
        ("acme-shop-api", "acme-shop-api"),
        ("acme/my_repo", "acme-my_repo"),
    ];
    for (repository, expected) in cases {
        assert_eq!(slug(repository), expected, "{repository}");
    }
}

#[test]
fn branches_are_sanitised_the_same_way_everywhere() {
    assert_eq!(branch("staging"), "staging");
    assert_eq!(branch("feature/Login.v2"), "feature-login-v2");
    assert_eq!(branch("refs/heads/main"), "main");
    assert_eq!(branch("release_2"), "release_2");
    let names = Names::new("acme-shop-api", &branch("feature/x"), None, None);
    assert_eq!(names.cluster(), "acme-shop-api-feature-x");
    assert_eq!(names.secret(), "feature-x/acme-shop-api");
    assert_eq!(names.ecr_repository(), "acme-shop-api-feature-x");
}

#[test]
fn load_balancer_names_that_fit_are_kept_and_longer_ones_cut_with_a_hash() {
    // `acme-shop-api-feature-payment-v2` is 32 characters: the name it always had.
    let names = Names::new("acme-shop-api", "feature-payment-v2", None, None);
    assert_eq!(
        (names.load_balancer(), names.target_group().as_str()),
        ("acme-shop-api-feature-payment-v2", "acme-shop-api-feature-payment-v2")
    );
    assert_eq!((names.former_load_balancer(), names.former_target_group()), (None, None));
    // `acme-shop-api-feature-payments-v2` is 33: cut to 25, and a hash of the whole name.
    let v2 = Names::new("acme-shop-api", "feature-payments-v2", None, None);
    let v3 = Names::new("acme-shop-api", "feature-payments-v3", None, None);
    assert_eq!(v2.load_balancer().len(), 32);
    assert!(v2.load_balancer().starts_with("acme-shop-api-feature-pay-"), "{}", v2.load_balancer());
    assert_ne!(v2.load_balancer(), v3.load_balancer(), "the original gave both `acme-shop-api-feature-payments-v`");
    assert_ne!(v2.target_group(), v3.target_group());
    assert_eq!(v2.target_group(), v2.load_balancer());
    // docs/inputs.md's example.
    let documented = Names::new("acme-shop-api", "feature-payments-refactor-v2", None, None);
    assert_eq!(documented.load_balancer(), "acme-shop-api-feature-pay-d9a230");
    // What the original named them: adopted when it exists and is theirs (provision::adoption).
    assert_eq!(v2.former_load_balancer().as_deref(), Some("acme-shop-api-feature-payments-v"));
    assert_eq!(v2.former_target_group().as_deref(), Some("acme-shop-api-feature-payments-v"));
    // Here the 32nd character is a `-`, which a load balancer name cannot end with.
    let names = Names::new("acme-shop-api", "feature-payments--x", None, None);
    assert_eq!(names.former_target_group().as_deref(), Some("acme-shop-api-feature-payments"));
    assert!(!names.target_group().contains("--"));
    // Underscores are valid in ECS names but not in load balancer names.
    assert_eq!(Names::new("acme-my_repo", "main", None, None).load_balancer(), "acme-my-repo-main");
}

#[test]
fn a_load_balancer_name_never_starts_with_internal() {
    // A GitLab group named `internal`: AWS refuses such a load balancer name, so nobody has one.
    let names = Names::new("internal-tools", "main", None, None);
    assert!(names.load_balancer().starts_with("int-tools-main-"), "{}", names.load_balancer());
    assert!(names.load_balancer().len() <= 32);
    assert_eq!(names.former_load_balancer(), None);
    // A target group may start with it, and keeps its name.
    assert_eq!(names.target_group(), "internal-tools-main");
}

#[test]
fn service_connect_names_fit_in_64_characters() {
    let short = names();
    assert_eq!(short.discovery_name("web"), "acme-shop-api-staging-web");
    let long = Names::new("acme-shop-api", &"feature-".repeat(8), None, None);
    let (web, api) = (long.discovery_name("web"), long.discovery_name("api"));
    assert_eq!(web.len(), 64);
    assert_ne!(web, api, "two long names cut alike keep apart");
    assert_eq!(Names::new(&"a".repeat(70), "main", None, None).port_name("web").len(), 64);
    assert_eq!(short.port_name("web"), "acme-shop-api-web");
}

#[test]
fn names_aws_refuses_with_a_leading_dash_lose_it() {
    // `MAESTRO_REPO_OVERRIDE=-acme/shop` (free text): AWS refuses these names starting with `-`.
    let dashed = Names::new(&slug("-acme/shop"), "main", None, None);
    assert_eq!(dashed.slug(), "-acme-shop", "the ECS names keep the slug");
    assert_eq!(dashed.load_balancer(), "acme-shop-main");
    assert_eq!(dashed.target_group(), "acme-shop-main");
    assert_eq!(dashed.discovery_name("web"), "acme-shop-main-web");
    assert_eq!(dashed.port_name("web"), "acme-shop-web");
    assert_eq!((dashed.former_load_balancer(), dashed.former_target_group()), (None, None));
    // `_` turns into `-` in load balancer names, and a long one is still cut with a hash.
    let long = Names::new("__acme-shop-api", "feature-payments-refactor", None, None);
    assert!(long.load_balancer().starts_with("acme-shop-api-feature-"), "{}", long.load_balancer());
    assert_eq!(long.load_balancer().len(), 32);
    assert_eq!(long.former_load_balancer(), None, "the plain cut started with `-`: nobody has it");
    // Behind the dashes may be `internal-`, which a load balancer name may not start with either.
    assert!(Names::new("-internal-tools", "main", None, None).load_balancer().starts_with("int-tools-main-"));
    // Names that do not start with `-` are the same as before.
    let plain = names();
    assert_eq!(
        (plain.load_balancer(), plain.target_group()),
        ("acme-shop-api-staging", "acme-shop-api-staging".to_owned())
    );
    assert_eq!(plain.discovery_name("web"), "acme-shop-api-staging-web");
}

#[test]
fn overrides_change_only_their_own_names() {
    let names = Names::new("acme-shop-api", "staging", Some("shared-cluster"), Some("shared-alb"));
    assert_eq!(names.cluster(), "shared-cluster");
    assert_eq!(names.service("web"), "acme-shop-api-staging-web");
    assert_eq!(names.load_balancer(), "shared-alb");
    assert_eq!(names.target_group(), "acme-shop-api-staging");
    assert_eq!(names.scalable_target("web"), "service/shared-cluster/acme-shop-api-staging-web");
    assert_ne!(names.schedule_rule("a"), Names::new("acme-shop-api", "staging", None, None).schedule_rule("a"));
}

#[test]
fn rule_names_are_cut_to_64() {
    let rule = names().schedule_rule(&"x".repeat(80));
    assert_eq!(rule.len(), 64);
    assert!(rule.starts_with("2b419b-xxx"));
}

#[test]
fn overlong_names_are_found() {
    let names = Names::new(&"a".repeat(200), "main", None, None);
    assert_eq!(names.too_long(["web"]), None);
    let (what, _) = names.too_long([&*"p".repeat(60)]).unwrap();
    assert!(what.starts_with("service of"));
}

#[test]
fn names_of_exactly_255_characters_are_accepted() {
    // `<slug>-main-<process>`: a 246-character slug and `web` make 255, the most ECS allows.
    let names = Names::new(&"a".repeat(246), "main", None, None);
    assert_eq!(names.service("web").len(), 255);
    assert_eq!(names.too_long(["web"]), None);
    let long = names.service("webs");
    assert_eq!(names.too_long(["web", "webs"]), Some(("service of `webs`".to_owned(), long)));
    let cluster = "c".repeat(256);
    assert_eq!(
        Names::new("acme", "main", Some(&cluster), None).too_long(["web"]),
        Some(("cluster".to_owned(), cluster.clone()))
    );
    assert_eq!(Names::new("acme", "main", Some(&cluster[..255]), None).too_long(["web"]), None);
}

#[test]
fn a_tasks_log_stream_is_found_from_its_arn() {
    let arn = "arn:aws:ecs:us-east-1:123456789012:task/acme-shop-api-staging/0a1b2c3d4e5f";
    assert_eq!(task_id(arn), "0a1b2c3d4e5f");
    assert_eq!(task_id("0a1b2c3d4e5f"), "0a1b2c3d4e5f");
    assert_eq!(log_stream("acme-shop-api", arn), "ecs/acme-shop-api/0a1b2c3d4e5f");
}

#[test]
fn in_a_shared_cluster_each_environment_has_its_own_schedule_rules() {
    let staging = Names::new("acme-shop-api", "staging", Some("shared"), None);
    let next = Names::new("acme-shop-api", "staging-next", Some("shared"), None);
    let other_app = Names::new("acme-admin", "staging", Some("shared"), None);
    let rules = [&staging, &next, &other_app].map(|names| names.schedule_rule("feed"));
    assert!(rules[0] != rules[1] && rules[1] != rules[2] && rules[0] != rules[2], "{rules:?}");
    // The cluster's own prefix is still read, so the rules maestro named before are found.
    let former = schedule_rule_prefix("shared", None);
    assert_eq!(staging.schedule_rule_prefixes(), [staging.schedule_rule_prefix(), former]);
    assert!(rules[0].starts_with(&staging.schedule_rule_prefix()));
    // A cluster of its own keeps the original's names.
    assert_eq!(names().schedule_rule_prefixes(), ["2b419b-"]);
}

/// Names that are never cut stay within AWS's limits whenever the services' names do (the
/// planner refuses longer ones): a log group may have 512 characters, an ECR repository 256.
#[test]
fn uncut_names_fit_whenever_the_services_do() {
    let names = Names::new(&"a".repeat(240), "main", None, None);
    let process = "web";
    assert_eq!(names.too_long([process]), None, "a service of {} characters", names.service(process).len());
    assert!(names.log_group(process).len() <= 512);
    assert!(names.ecr_repository().len() <= 256);
    assert!(names.secret().len() <= 512);
}

#[test]
fn the_test_phase_family_is_the_environments_and_no_process_family() {
    assert_eq!(test_phase_family("acme-shop-api-main-launcher"), "acme-shop-api-main-maestro-test");
    assert_ne!(test_phase_family("acme-shop-api-main-launcher"), "acme-shop-api-main-test");
}
