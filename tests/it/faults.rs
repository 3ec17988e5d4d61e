//! A bad day at AWS: deploys through a fault-injecting proxy (`tests/support/fault_proxy.py`,
//! in front of the emulator) converge, and a deploy killed with SIGKILL after any kind of write
//! converges on the next run. Each ends in exactly the state of a clean deploy: no duplicate
//! load balancer, target group, rule, service or task-definition revision, and no orphan.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{
    EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, maestro, repository_root, run,
};
use maestro_test_support::TestAccount;
use maestro_test_support::moto_url;

pub(crate) struct FaultProxy {
    pub(crate) url: String,
    child: Child,
}

impl FaultProxy {
    pub(crate) fn start(rate: f64, seed: u64) -> Self {
        let python = std::env::var("MAESTRO_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned());
        let mut child = Command::new(python)
            .arg(repository_root().join("tests/support/fault_proxy.py"))
            .args(["--upstream", &moto_url(), "--rate", &rate.to_string(), "--seed", &seed.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut port = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut port).unwrap();
        Self { url: format!("http://127.0.0.1:{}", port.trim()), child }
    }

    pub(crate) async fn control(&self, config: Option<Value>) -> Value {
        let client = reqwest::Client::new();
        let request = match config {
            Some(config) => client.post(format!("{}/__fault/config", self.url)).json(&config),
            None => client.get(format!("{}/__fault/state", self.url)),
        };
        request.send().await.unwrap().json().await.unwrap()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `maestro deploy` of the example in `account`, through `endpoint`, with the SDK's default
/// retries (maestro's 8 attempts), and a short lease so a killed run's lease expires quickly.
async fn deploy_through(account: &TestAccount, endpoint: &str) -> Command {
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.deploy_env().await);
    command.env("AWS_ENDPOINT_URL", endpoint).env("MAESTRO_LOCK_TTL", "3").env_remove("AWS_MAX_ATTEMPTS");
    command
}

/// What exists in the account, by name and count (no ARNs, so two accounts compare). Every
/// listing follows its pages: the emulator answers two items a page, as AWS may.
async fn snapshot(account: &TestAccount) -> Value {
    let config = &account.config;
    let ecs = aws_sdk_ecs::Client::new(config);
    let mut services = Vec::new();
    let clusters = ecs.list_clusters().send().await.unwrap();
    for cluster in clusters.cluster_arns() {
        let mut pages = ecs.list_services().cluster(cluster).into_paginator().send();
        let mut listed = Vec::new();
        while let Some(page) = pages.next().await {
            listed.extend(page.unwrap().service_arns().to_vec());
        }
        for batch in listed.chunks(10) {
            let described =
                ecs.describe_services().cluster(cluster).set_services(Some(batch.to_vec())).send().await.unwrap();
            for service in described.services() {
                let revision =
                    service.task_definition().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned();
                services.push(json!([service.service_name(), revision, service.desired_count()]));
            }
        }
    }
    services.sort_by_key(Value::to_string);
    let families = ecs.list_task_definitions().send().await.unwrap();
    let mut revisions: Vec<String> =
        families.task_definition_arns().iter().map(|arn| arn.rsplit('/').next().unwrap().to_owned()).collect();
    revisions.sort();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let mut balancers = Vec::new();
    let mut pages = elb.describe_load_balancers().into_paginator().send();
    while let Some(page) = pages.next().await {
        balancers.extend(page.unwrap().load_balancers().to_vec());
    }
    let mut listeners = 0;
    let mut rules = 0;
    for balancer in &balancers {
        let mut pages =
            elb.describe_listeners().load_balancer_arn(balancer.load_balancer_arn().unwrap()).into_paginator().send();
        while let Some(page) = pages.next().await {
            for listener in page.unwrap().listeners() {
                listeners += 1;
                let mut marker = None;
                loop {
                    let request = elb.describe_rules().listener_arn(listener.listener_arn().unwrap());
                    let page = request.set_marker(marker).send().await.unwrap();
                    rules += page.rules().len();
                    marker = page.next_marker().map(str::to_owned);
                    if marker.is_none() {
                        break;
                    }
                }
            }
        }
    }
    let mut groups = Vec::new();
    let mut pages = elb.describe_target_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        groups.extend(page.unwrap().target_groups().iter().map(|group| group.target_group_name().map(str::to_owned)));
    }
    let mut log_groups = Vec::new();
    let mut pages = aws_sdk_cloudwatchlogs::Client::new(config).describe_log_groups().into_paginator().send();
    while let Some(page) = pages.next().await {
        log_groups.extend(page.unwrap().log_groups().iter().map(|group| group.log_group_name().map(str::to_owned)));
    }
    let mut policies = Vec::new();
    let autoscaling = aws_sdk_applicationautoscaling::Client::new(config);
    let namespace = aws_sdk_applicationautoscaling::types::ServiceNamespace::Ecs;
    let mut pages = autoscaling.describe_scaling_policies().service_namespace(namespace).into_paginator().send();
    while let Some(page) = pages.next().await {
        policies.extend(page.unwrap().scaling_policies().iter().map(|policy| Some(policy.policy_name().to_owned())));
    }
    let events = aws_sdk_eventbridge::Client::new(config);
    let mut schedules = Vec::new();
    let mut token = None;
    loop {
        let page = events.list_rules().set_next_token(token).send().await.unwrap();
        schedules.extend(page.rules().iter().map(|rule| rule.name().map(str::to_owned)));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let names = |items: Vec<Option<String>>| {
        let mut names: Vec<String> = items.into_iter().map(Option::unwrap_or_default).collect();
        names.sort();
        names
    };
    json!({
        "clusters": clusters.cluster_arns().len(),
        "services": services,
        "task_definitions": revisions,
        "load_balancers": names(balancers.iter().map(|balancer| balancer.load_balancer_name().map(str::to_owned)).collect()),
        "target_groups": names(groups),
        "listeners": listeners,
        "listener_rules": rules,
        "log_groups": names(log_groups),
        "scaling_policies": names(policies),
        "schedules": names(schedules),
    })
}

/// The state a clean deploy leaves, once per test run. The tests that compare with it run in
/// parallel: the first deploys, the others wait for it (a snapshot taken while that deploy runs
/// would hold half an app).
async fn clean_state() -> Value {
    static CLEAN: tokio::sync::OnceCell<Value> = tokio::sync::OnceCell::const_new();
    CLEAN
        .get_or_init(|| async {
            let account = TestAccount::new("faults_clean_reference").await;
            if snapshot(&account).await["clusters"] == 0 {
                run(&mut deploy_through(&account, &moto_url()).await).expect_code(0);
            }
            snapshot(&account).await
        })
        .await
        .clone()
}

fn assert_deployed(outcome: &Outcome) {
    let report = outcome.expect_code(0).json();
    for service in report["services"].as_array().unwrap() {
        assert!(["deployed", "unchanged"].contains(&service["state"].as_str().unwrap()), "{service}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_through_thirty_percent_faults_converges_to_the_clean_state() {
    let account = TestAccount::new("a_deploy_through_thirty_percent_faults").await;
    let clean = clean_state().await;
    let proxy = FaultProxy::start(0.3, 7);
    // Through 30% faults the SDK's retries (8 attempts, with backoff) can outlast a 3 s lease, and
    // a run whose lease lapsed stops before its next write (issue 15, M3): a lease that outlives them.
    let lasting = |mut command: Command| {
        command.env("MAESTRO_LOCK_TTL", "60");
        command
    };
    let outcome = run(&mut lasting(deploy_through(&account, &proxy.url).await));
    let state = proxy.control(None).await;
    assert!(state["faults"].as_u64().unwrap() >= 10, "faults were injected: {state}");
    assert_deployed(&outcome);
    assert_eq!(snapshot(&account).await, clean, "the same end state as a clean deploy, nothing twice");
    // And a redeploy through the same faults changes nothing.
    let again = run(&mut lasting(deploy_through(&account, &proxy.url).await));
    assert_deployed(&again);
    let report = again.json();
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", again.stderr);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_killed_after_any_kind_of_write_converges_on_the_next_run() {
    let reference = TestAccount::new("crash_reference").await;
    let clean = clean_state().await;
    // The writes of a whole deploy, in order, as the proxy sees them.
    let proxy = FaultProxy::start(0.0, 0);
    assert_deployed(&run(&mut deploy_through(&reference, &proxy.url).await));
    let writes: Vec<String> = serde_json::from_value(proxy.control(None).await["writes"].clone()).unwrap();
    let mut points = Vec::new();
    for (index, write) in writes.iter().enumerate() {
        if !writes[..index].contains(write) {
            points.push((index + 1, write.clone()));
        }
    }
    assert!(points.len() >= 12, "kinds of write: {points:?}");
    eprintln!("killing the deploy after each of {} kinds of write: {points:?}", points.len());
    for (after, write) in points {
        let account = TestAccount::new(&format!("crash_after_write_{after}")).await;
        proxy.control(Some(json!({"hang_after_writes": null, "reset": true}))).await;
        proxy.control(Some(json!({"hang_after_writes": after}))).await;
        let mut command = deploy_through(&account, &proxy.url).await;
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let started = Instant::now();
        // Frozen right after that write (or finished, when it was the last one), then killed.
        while proxy.control(None).await["hanging"] != true && child.try_wait().unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(60), "write {after} never came");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = child.kill();
        child.wait().unwrap();
        proxy.control(Some(json!({"hang_after_writes": null}))).await;
        let resumed = run(&mut deploy_through(&account, &proxy.url).await);
        assert_deployed(&resumed);
        assert_eq!(snapshot(&account).await, clean, "killed after write {after} ({write}), then run again");
    }
}
