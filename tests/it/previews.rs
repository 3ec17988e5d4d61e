//! Preview environments against the emulator: two pull requests from long branch names deployed
//! at once as `pr-<n>` on the one load balancer the app's previews share, beside the base
//! branch's environment; a new commit on one changes nothing of the other; closing one removes
//! everything of it and nothing else; a fork's pull request is refused; a preview never reads the
//! app's `MAESTRO_SECRET_NAME`.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::deploy_cli::command_in;
use crate::destroy::{leftovers, routed_hosts};
use crate::pull_request_event::{PREVIEW_DOMAIN as DOMAIN, PullRequestEvent as PullRequest};
use crate::reporting::ci_scratch;
use crate::support::{EXAMPLE_APP, Outcome, Scratch, active_services, maestro, run};
use maestro_test_support::TestAccount;
use maestro_test_support::emulator::issue_certificate;

const BALANCER: &str = "acme-shop-api-previews";
/// The cluster the app's previews share.
const CLUSTER: &str = "acme-shop-api-previews";
/// Two head branches whose names agree far past the 32 characters a target group name takes.
const LONG_A: &str = "dependabot/npm_and_yarn/packages/storefront/webpack-dev-server-5.2.1";
const LONG_B: &str = "dependabot/npm_and_yarn/packages/storefront/webpack-dev-server-5.2.2";

/// Pull request `number` from `head_branch`, at a commit of its own made of `commit`.
fn pull_request(number: u64, head_branch: &str, commit: u8) -> PullRequest {
    PullRequest::new(number, head_branch, &format!("{commit:02x}").repeat(20))
}

/// The account of test `name`, with an issued wildcard certificate for the previews' domain, and
/// the example's settings without the overrides a CI gives.
async fn set_up(name: &str) -> (TestAccount, Scratch) {
    let account = TestAccount::new(name).await;
    let certificate = account.certificate(&format!("*.{DOMAIN}")).await;
    issue_certificate(&account.id, &certificate).await;
    let scratch = ci_scratch();
    let settings = scratch.read("settings.env").unwrap();
    scratch.write("settings.env", &format!("{settings}\nMAESTRO_PREVIEW_CERTIFICATE_ARN={certificate}\n"));
    (account, scratch)
}

/// `maestro <subcommand>` of the example app for `pull`, in `account`, with `extra` on top.
async fn command(
    account: &TestAccount,
    scratch: &Scratch,
    pull: &PullRequest,
    subcommand: &str,
    extra: &[(&str, &str)],
) -> std::process::Command {
    account.seed_image(&pull.environment(), &pull.sha[..8]).await;
    let mut command = maestro();
    command.args([subcommand, "--app", EXAMPLE_APP, "--env-file", &scratch.file("settings.env"), "--output", "json"]);
    command.envs(account.deploy_env().await);
    command.envs(pull.env(scratch));
    command.envs(extra.iter().copied());
    command
}

/// The hosts of the previews' HTTPS listener, each with the target group its rule forwards to.
async fn routes(account: &TestAccount) -> (String, Vec<(String, String)>) {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    let balancer = elb.describe_load_balancers().names(BALANCER).send().await.expect("the previews' load balancer");
    let arn = balancer.load_balancers()[0].load_balancer_arn().unwrap().to_owned();
    let listeners = elb.describe_listeners().load_balancer_arn(&arn).send().await.unwrap();
    let https = listeners.listeners().iter().find(|listener| listener.port() == Some(443)).expect("HTTPS on 443");
    let listener = https.listener_arn().unwrap().to_owned();
    let mut routes = Vec::new();
    let rules = elb.describe_rules().listener_arn(&listener).send().await.unwrap();
    for rule in rules.rules().iter().filter(|rule| !rule.is_default().unwrap_or(false)) {
        let host = rule.conditions()[0].host_header_config().unwrap().values()[0].clone();
        let group = rule.actions()[0].target_group_arn().unwrap();
        let name = group.split('/').nth(1).unwrap().to_owned();
        routes.push((host, name));
    }
    routes.sort();
    (listener, routes)
}

/// Each service of `environment` in the previews' cluster: its desired count, capacity provider
/// and target group.
async fn preview_services(account: &TestAccount, environment: &str) -> Vec<(String, i32, String, Vec<String>)> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let names: Vec<String> = active_services(account, CLUSTER)
        .await
        .into_iter()
        .filter(|name| name.starts_with(&format!("{environment}-")))
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    let described = ecs.describe_services().cluster(CLUSTER).set_services(Some(names)).send().await.unwrap();
    let mut services: Vec<_> = described
        .services()
        .iter()
        .map(|service| {
            let provider = service.capacity_provider_strategy().first().map(|item| item.capacity_provider().to_owned());
            let groups = service
                .load_balancers()
                .iter()
                .filter_map(|balancer| balancer.target_group_arn()?.split('/').nth(1).map(str::to_owned))
                .collect();
            (service.service_name().unwrap().to_owned(), service.desired_count(), provider.unwrap_or_default(), groups)
        })
        .collect();
    services.sort();
    services
}

/// Every schedule rule of the account: its name, its `maestro:app` tag and its state.
async fn rule_states(account: &TestAccount) -> Vec<(String, String, String)> {
    let events = aws_sdk_eventbridge::Client::new(&account.config);
    let mut states = Vec::new();
    let mut token = None;
    loop {
        let page = events.list_rules().set_next_token(token).send().await.unwrap();
        for rule in page.rules() {
            let tags = events.list_tags_for_resource().resource_arn(rule.arn().unwrap()).send().await.unwrap();
            let app = tags.tags().iter().find(|tag| tag.key() == "maestro:app").map(|tag| tag.value().to_owned());
            let state = rule.state().map(|state| state.as_str().to_owned()).unwrap_or_default();
            states.push((rule.name().unwrap().to_owned(), app.unwrap_or_default(), state));
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return states;
        }
    }
}

fn writes(outcome: &Outcome) -> Value {
    outcome.json()["aws_calls"]["writes"].clone()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn two_pull_requests_preview_side_by_side_and_closing_one_removes_only_it() {
    let (account, scratch) = set_up("two_pull_requests_preview_side_by_side").await;
    // The base branch's environment, with the cluster the previews join.
    run(&mut command_in(&account, "deploy", "json", &[("MAESTRO_BRANCH_OVERRIDE", "main")]).await).expect_code(0);
    let base = active_services(&account, "acme-shop-api-main").await;
    assert_eq!(base.len(), 3, "{base:?}");

    // Both pull requests at once: the first creates the load balancer, both take a rule priority.
    let (a, b) = (pull_request(901, LONG_A, 0xa1), pull_request(902, LONG_B, 0xb1));
    let mut deploy_a = command(&account, &scratch, &a, "deploy", &[]).await;
    let mut deploy_b = command(&account, &scratch, &b, "deploy", &[]).await;
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(|| run(&mut deploy_a));
        let second = scope.spawn(|| run(&mut deploy_b));
        (first.join().unwrap(), second.join().unwrap())
    });
    first.expect_code(0);
    second.expect_code(0);
    // The one step left to the team, said by whichever deploy made the load balancer.
    let said = format!("{}{}", first.stderr, second.stderr);
    assert!(said.contains(&format!("point a DNS record `*.{DOMAIN}` at ")), "{said}");
    for (outcome, pull) in [(&first, &a), (&second, &b)] {
        let report = outcome.json();
        let web = report["services"].as_array().unwrap().iter().find(|service| service["process"] == "web").unwrap();
        assert_eq!(web["url"], format!("https://pr-{}.{DOMAIN}", pull.number), "{web}");
    }
    let (listener, routed) = routes(&account).await;
    assert_eq!(
        routed,
        [
            (format!("pr-901.{DOMAIN}"), "acme-shop-api-pr-901".to_owned()),
            (format!("pr-902.{DOMAIN}"), "acme-shop-api-pr-902".to_owned()),
        ]
    );
    // What the previews share is marked as theirs, never as the first preview's.
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let cluster = ecs.describe_clusters().clusters(CLUSTER).include(aws_sdk_ecs::types::ClusterField::Tags);
    let cluster = cluster.send().await.unwrap();
    let tags: Vec<(&str, &str)> =
        cluster.clusters()[0].tags().iter().map(|tag| (tag.key().unwrap(), tag.value().unwrap())).collect();
    assert!(tags.contains(&("maestro:previews", "acme-shop-api")), "{tags:?}");
    assert!(tags.iter().all(|(key, _)| !key.starts_with("maestro:app")), "{tags:?}");
    // Small: one task of each service on Fargate Spot, each web behind its own target group.
    for pull in [&a, &b] {
        let services = preview_services(&account, &pull.environment()).await;
        assert_eq!(services.len(), 3, "{services:?}");
        for (name, count, provider, groups) in &services {
            assert_eq!((*count, provider.as_str()), (1, "FARGATE_SPOT"), "{name}");
            let expected = if name.ends_with("-web") { vec![pull.environment()] } else { Vec::new() };
            assert_eq!(groups, &expected, "{name}");
        }
    }
    // No autoscaling, and the schedules' rules are created disabled.
    let autoscaling = aws_sdk_applicationautoscaling::Client::new(&account.config);
    let targets = autoscaling
        .describe_scalable_targets()
        .service_namespace(aws_sdk_applicationautoscaling::types::ServiceNamespace::Ecs)
        .send()
        .await
        .unwrap();
    let scaled: Vec<&str> = targets.scalable_targets().iter().map(|target| target.resource_id()).collect();
    assert!(scaled.iter().all(|id| !id.contains("-pr-90")), "{scaled:?}");
    let states = rule_states(&account).await;
    for pull in [&a, &b] {
        let own: Vec<&str> = states
            .iter()
            .filter(|(_, app, _)| *app == pull.environment())
            .map(|(_, _, state)| state.as_str())
            .collect();
        assert_eq!(own, ["DISABLED"; 3], "{states:?}");
    }
    assert!(states.iter().filter(|(_, app, _)| app == "acme-shop-api-main").all(|(_, _, state)| state == "ENABLED"));
    // The base branch's environment is as it was: its redeploy writes nothing.
    let again = run(&mut command_in(&account, "deploy", "json", &[("MAESTRO_BRANCH_OVERRIDE", "main")]).await);
    assert_eq!(writes(again.expect_code(0)), 0);

    // A new commit on A redeploys A alone: B's redeploy of its commit then writes nothing.
    let a2 = pull_request(901, LONG_A, 0xa2).on("synchronize");
    let a_new = run(&mut command(&account, &scratch, &a2, "deploy", &[]).await);
    assert!(writes(a_new.expect_code(0)).as_u64().unwrap() > 0, "A's new commit is deployed");
    let b_again = run(&mut command(&account, &scratch, &b, "deploy", &[]).await);
    assert_eq!(writes(b_again.expect_code(0)), 0, "{}", b_again.json()["actions"]);

    // A closes: a deploy on that event is refused, writing nothing; its destroy needs no --confirm
    // and leaves nothing of it.
    let closed = a2.on("closed");
    let refused = run(&mut command(&account, &scratch, &closed, "deploy", &[]).await);
    refused.expect_code(2).expect_stderr(&["pull request #901 is closed", "maestro destroy"]);
    assert_eq!(refused.json()["error"]["kind"], "bad_input");
    let destroyed = run(&mut command(&account, &scratch, &closed, "destroy", &[]).await).expect_code(0).json();
    assert_eq!(destroyed["confirmed"], true, "{destroyed}");
    assert_eq!(leftovers(&account, &a.environment()).await, Vec::<String>::new());
    assert!(preview_services(&account, &a.environment()).await.is_empty());
    assert_eq!(routed_hosts(&account, &listener).await, BTreeSet::from([format!("pr-902.{DOMAIN}")]));
    // The shared load balancer, the base branch and B stay.
    assert_eq!(active_services(&account, CLUSTER).await.len(), 3);
    assert_eq!(active_services(&account, "acme-shop-api-main").await, base);
    let b_after = run(&mut command(&account, &scratch, &b, "deploy", &[]).await);
    assert_eq!(writes(b_after.expect_code(0)), 0, "{}", b_after.json()["actions"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_forks_pull_request_gets_no_preview() {
    let (account, scratch) = set_up("a_forks_pull_request_gets_no_preview").await;
    let fork = PullRequest { fork: true, ..pull_request(903, "patch-1", 0xf1) };
    let refused = run(&mut command(&account, &scratch, &fork, "deploy", &[]).await);
    refused.expect_code(2).expect_stderr(&["comes from a fork", "MAESTRO_ALLOW_FORKS"]);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&account.config);
    assert!(elb.describe_load_balancers().names(BALANCER).send().await.is_err(), "nothing was created");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_preview_reads_the_base_branchs_secret_never_the_apps() {
    let (account, scratch) = set_up("a_preview_reads_the_base_branchs_secret").await;
    let secrets = aws_sdk_secretsmanager::Client::new(&account.config);
    for (name, key) in [("production/shop", "PRODUCTION_ONLY"), ("main/acme-shop-api", "BASE_BRANCH_KEY")] {
        let value = json!({ key: "value" }).to_string();
        secrets.create_secret().name(name).secret_string(value).send().await.unwrap();
    }
    let pull = pull_request(904, "feature/cart", 0xc1);
    let production = [("MAESTRO_SECRET_NAME", "production/shop")];
    run(&mut command(&account, &scratch, &pull, "deploy", &production).await).expect_code(0);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let web = ecs.describe_task_definition().task_definition("acme-shop-api-pr-904-web").send().await.unwrap();
    let container = &web.task_definition().unwrap().container_definitions()[0];
    let secrets: Vec<(&str, &str)> =
        container.secrets().iter().map(|secret| (secret.name(), secret.value_from())).collect();
    assert_eq!(secrets.len(), 1, "{secrets:?}");
    assert_eq!(secrets[0].0, "BASE_BRANCH_KEY");
    assert!(secrets[0].1.contains(":secret:main/acme-shop-api"), "{secrets:?}");
}
