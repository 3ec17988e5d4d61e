//! The deploy lease: two deploys of one app and branch never interleave; a killed run's lease
//! is taken over once expired. Real processes against the emulator's SSM.

use std::process::Stdio;

use aws_sdk_ssm::types::ParameterType;

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, maestro, run};
use maestro_test_support::TestAccount;

/// The lease's folder, and the name of its first generation (`maestro_core::lease`).
const LEASE: &str = "/maestro/locks/acme-shop-api-staging";
const FIRST: &str = "/maestro/locks/acme-shop-api-staging/0000000001";

async fn deploy_command(account: &TestAccount, extra: &[(&str, &str)]) -> std::process::Command {
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.deploy_env().await).envs(extra.iter().copied());
    command
}

async fn put_lease(account: &TestAccount, value: serde_json::Value) {
    aws_sdk_ssm::Client::new(&account.config)
        .put_parameter()
        .name(FIRST)
        .value(value.to_string())
        .r#type(ParameterType::String)
        .send()
        .await
        .unwrap();
}

/// Whether any generation of the lease is in SSM, read to the last page (the strict layer may
/// answer an empty first one).
async fn lease_exists(account: &TestAccount) -> bool {
    let read = aws_sdk_ssm::Client::new(&account.config).get_parameters_by_path().path(LEASE);
    let mut pages = read.into_paginator().send();
    while let Some(page) = pages.next().await {
        if !page.unwrap().parameters().is_empty() {
            return true;
        }
    }
    false
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_second_deploy_waits_for_the_first_or_fails_naming_it() {
    use std::io::{BufRead, BufReader, Read};
    let account = TestAccount::new("a_second_deploy_waits_for_the_first").await;
    let tools = BuildTools::new();
    let with_tools: Vec<(String, String)> = tools.env();
    let tools_env: Vec<(&str, &str)> = with_tools.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    // The first deploy builds slowly, holding the lease.
    let mut first = deploy_command(
        &account,
        &[&tools_env[..], &[("MAESTRO_SKIP_BUILD", "false"), ("PACK_STAND_IN_SLEEP", "4")]].concat(),
    )
    .await;
    let mut first = first.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first_err = BufReader::new(first.stderr.take().unwrap());
    let mut seen = String::new();
    let mut line = String::new();
    while first_err.read_line(&mut line).unwrap() > 0 && !line.contains("BUILDING (slowly)") {
        seen.push_str(&line);
        line.clear();
    }
    assert!(line.contains("BUILDING"), "the first deploy never built:\n{seen}");
    assert!(lease_exists(&account).await, "the lease is held during the build");

    // One that will not wait fails at once, naming the holder; it wrote nothing. (It may build:
    // with MAESTRO_SKIP_BUILD=true, verify would refuse it before the lease, the image being
    // still in the making.)
    let build = ("MAESTRO_SKIP_BUILD", "false");
    let impatient =
        run(&mut deploy_command(&account, &[&tools_env[..], &[("MAESTRO_LOCK_TIMEOUT", "0"), build]].concat()).await);
    impatient.expect_code(1).expect_stderr(&[
        format!("error: another deploy of acme/shop-api @ staging is running: a local run (pid {}", first.id()),
        "hint: let it finish".to_owned(),
    ]);

    // One that waits runs after the first has finished.
    let patient = deploy_command(&account, &[&tools_env[..], &[("MAESTRO_LOCK_TIMEOUT", "60"), build]].concat()).await;
    let patient = std::thread::spawn(move || {
        let mut patient = patient;
        run(&mut patient)
    });
    let mut rest = String::new();
    first_err.read_to_string(&mut rest).unwrap();
    assert_eq!(first.wait().unwrap().code(), Some(0), "{seen}{rest}");
    let patient = patient.join().unwrap();
    patient.expect_code(0).expect_stderr(&[
        "waiting for the deploy of acme/shop-api @ staging by a local run (pid",
        "took the deploy lease after waiting",
        // The second deploy found the first one's image.
        "already exists",
    ]);
    assert!(!lease_exists(&account).await, "released at the end");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_lease_left_by_a_killed_run_is_taken_over_once_expired() {
    let account = TestAccount::new("a_lease_left_by_a_killed_run").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    put_lease(
        &account,
        serde_json::json!({"owner": "run 41 (pid 1, dead)", "run_url": "https://ci.example/runs/41", "expires_at": 1}),
    )
    .await;
    run(&mut deploy_command(&account, &[]).await)
        .expect_code(0)
        .expect_stderr(&["took over the expired deploy lease of run 41 (pid 1, dead) (https://ci.example/runs/41)"]);
    assert!(!lease_exists(&account).await);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_live_lease_stops_the_deploy_before_any_write() {
    let account = TestAccount::new("a_live_lease_stops_the_deploy").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    put_lease(&account, serde_json::json!({"owner": "run 42 (pid 7, alive)", "run_url": "https://ci.example/runs/42", "expires_at": 4_000_000_000_u64})).await;
    run(&mut deploy_command(&account, &[("MAESTRO_LOCK_TIMEOUT", "1")]).await)
        .expect_code(1)
        .expect_stderr(&["is running: run 42 (pid 7, alive) (https://ci.example/runs/42)", "waited 1 s for its lease"]);
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "nothing was written");
    assert!(lease_exists(&account).await, "the other run's lease is left alone");
}

/// Sends `signal` (`STOP`, `CONT`) to the process `pid`.
fn signal(pid: u32, signal: &str) {
    let sent = std::process::Command::new("kill").args([&format!("-{signal}"), &pid.to_string()]).status().unwrap();
    assert!(sent.success(), "kill -{signal} {pid}");
}

/// Reads `stderr` until a line holds `text`; what was read, or a panic naming it.
fn read_until(stderr: &mut impl std::io::BufRead, text: &str) -> String {
    let mut seen = String::new();
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        seen.push_str(&line);
        if line.contains(text) {
            return seen;
        }
        line.clear();
    }
    panic!("never printed {text:?}:\n{seen}");
}

/// The stop timeout of every container of every task definition registered in the account.
async fn stop_timeouts(account: &TestAccount) -> Vec<i32> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let mut timeouts = Vec::new();
    for arn in ecs.list_task_definitions().send().await.unwrap().task_definition_arns() {
        let described = ecs.describe_task_definition().task_definition(arn).send().await.unwrap();
        let containers = described.task_definition().map(|found| found.container_definitions()).unwrap_or_default();
        timeouts.extend(containers.iter().map(|container| container.stop_timeout().unwrap_or_default()));
    }
    timeouts
}

// M3: run A stalls (SIGSTOP) past its lease's TTL while it holds it; run B takes the lease over.
// When A wakes up it must stop before its first write, naming B, and write nothing beside B.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_run_that_stalled_past_its_lease_writes_nothing_after_another_took_it_over() {
    use std::io::{BufReader, Read};
    let account = TestAccount::new("a_run_that_stalled_past_its_lease").await;
    let tools = BuildTools::new();
    let with_tools: Vec<(String, String)> = tools.env();
    let tools_env: Vec<(&str, &str)> = with_tools.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    let common = [&tools_env[..], &[("MAESTRO_SKIP_BUILD", "false"), ("MAESTRO_LOCK_TTL", "3")]].concat();
    // What each run registers differs: a task definition of A's would show.
    let a_env = [&common[..], &[("PACK_STAND_IN_SLEEP", "1"), ("ECS_CONTAINER_STOP_TIMEOUT", "61")]].concat();
    let mut a = deploy_command(&account, &a_env).await.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut a_err = BufReader::new(a.stderr.take().unwrap());
    let mut a_seen = read_until(&mut a_err, "BUILDING");
    signal(a.id(), "STOP");
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;

    // B builds another commit (so it does build, holding the lease meanwhile).
    let b_env = [
        &common[..],
        &[
            ("PACK_STAND_IN_SLEEP", "4"),
            ("ECS_CONTAINER_STOP_TIMEOUT", "62"),
            ("MAESTRO_COMMIT_OVERRIDE", "b0b0b0b0b0b0"),
            ("MAESTRO_LOCK_TIMEOUT", "30"),
        ],
    ]
    .concat();
    let mut b = deploy_command(&account, &b_env).await.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut b_err = BufReader::new(b.stderr.take().unwrap());
    let mut b_seen = read_until(&mut b_err, "BUILDING");
    assert!(b_seen.contains(&format!("took over the expired deploy lease of a local run (pid {}", a.id())), "{b_seen}");

    signal(a.id(), "CONT");
    a_err.read_to_string(&mut a_seen).unwrap();
    assert_eq!(a.wait().unwrap().code(), Some(1), "A must stop:\n{a_seen}");
    let fenced = format!(
        "error: the deploy lease of acme/shop-api @ staging is no longer this run's: a local run (pid {}",
        b.id()
    );
    assert!(a_seen.contains(&fenced), "A must name B:\n{a_seen}");
    b_err.read_to_string(&mut b_seen).unwrap();
    assert_eq!(b.wait().unwrap().code(), Some(0), "{b_seen}");
    let timeouts = stop_timeouts(&account).await;
    assert!(!timeouts.is_empty() && timeouts.iter().all(|&timeout| timeout == 62), "only B registered: {timeouts:?}");
    assert!(!lease_exists(&account).await, "B released the lease");
}
