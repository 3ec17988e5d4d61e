//! `maestro run -- <command …>`: a one-off task of the launcher family, deployed first, its log
//! streamed with the app secret's values hidden, the command's exit code as maestro's.

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::deploy_cli::{command_in, maestro_in};
use crate::release_task::stopped_reasons;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, cancel_when, maestro, run};
use maestro_test_support::{TestAccount, plan_task};

/// A value of the app secret the command's log prints.
const PASSWORD: &str = "hunter2-correct-horse";

/// Deploys `branch` (which registers its launcher family), then gives it an app secret.
async fn deployed(account: &TestAccount, branch: &str) {
    maestro_in(account, "deploy", "json", &[("MAESTRO_BRANCH_OVERRIDE", branch)]).await.expect_code(0);
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name(format!("{branch}/acme-shop-api"))
        .secret_string(json!({"DATABASE_URL": format!("postgres://app:{PASSWORD}@db/app")}).to_string())
        .send()
        .await
        .unwrap();
}

/// `maestro run` on `branch`, `args` being what follows `run`'s own flags.
async fn run_on(account: &TestAccount, branch: &str, output: &str, args: &[&str]) -> Outcome {
    let mut command = command_in(account, "run", output, &[("MAESTRO_BRANCH_OVERRIDE", branch)]).await;
    run(command.args(args))
}

/// stdout with the task's ARN (a random id) replaced, for the snapshot.
fn without_task_id(text: &str, cluster: &str) -> String {
    let mut out = String::new();
    for word in text.split_inclusive(' ') {
        if word.contains(":task/") {
            out.push_str(&format!("arn:aws:ecs:us-east-1:<account>:task/{cluster}/<id> "));
        } else {
            out.push_str(word);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn run_migrate_exits_0_and_prints_its_log_without_the_secret() {
    let account = TestAccount::new("run_migrate_exits_0_and_prints_its_log").await;
    deployed(&account, "run-ok").await;
    let lines = [
        "== 20240101 CreateOrders: migrating",
        format!("connecting to postgres://app:{PASSWORD}@db/app").leak(),
        "done",
    ];
    plan_task("acme-shop-api-run-ok-launcher", json!({"exit_code": 0, "log": lines})).await;
    let outcome = run_on(&account, "run-ok", "human", &["--", "bin/migrate"]).await;
    outcome.expect_code(0).expect_stderr(&[
        "run: running `bin/migrate` in arn:aws:ecs:us-east-1:",
        "Log of task ",
        "== 20240101 CreateOrders: migrating",
        "connecting to ***",
        "done",
    ]);
    outcome.expect_nowhere(&[PASSWORD]);
    let stderr = &outcome.stderr;
    let (first, last) = (stderr.find("CreateOrders").unwrap(), stderr.find("\ndone").unwrap());
    assert!(first < last, "the log in its order:\n{stderr}");
    insta::assert_snapshot!("run_human_exit_0", without_task_id(&outcome.stdout, "acme-shop-api-run-ok"));

    // The task ran the launcher family's latest revision with the command, in the services' network.
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let json = run_on(&account, "run-ok", "json", &["--size", "1024;2048", "--", "bin/rake", "db:seed"]).await;
    let report = json.expect_code(0).json();
    assert_eq!((report["exit_code"].clone(), report["command"].clone()), (json!(0), json!(["bin/rake", "db:seed"])));
    let task = report["task_arn"].as_str().unwrap();
    let described = ecs.describe_tasks().cluster("acme-shop-api-run-ok").tasks(task).send().await.unwrap();
    let described = &described.tasks()[0];
    assert_eq!(described.task_definition_arn(), report["task_definition"].as_str());
    assert!(report["task_definition"].as_str().unwrap().ends_with(":task-definition/acme-shop-api-run-ok-launcher:1"));
    let overrides = described.overrides().unwrap();
    assert_eq!((overrides.cpu(), overrides.memory()), (Some("1024"), Some("2048")));
    let container = &overrides.container_overrides()[0];
    assert_eq!(
        (container.name(), container.command()),
        (Some("acme-shop-api"), &["bin/rake".to_owned(), "db:seed".to_owned()][..])
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_command_that_fails_is_maestros_exit_code() {
    let account = TestAccount::new("run_a_command_that_fails_is_maestros_exit_code").await;
    deployed(&account, "run-fails").await;
    plan_task(
        "acme-shop-api-run-fails-launcher",
        json!({"exit_code": 3, "log": ["relation \"orders\" does not exist"]}),
    )
    .await;
    let outcome = run_on(&account, "run-fails", "json", &["--", "bin/migrate"]).await;
    outcome
        .expect_code(3)
        .expect_stderr(&["relation \"orders\" does not exist", "error: the command exited with code 3"]);
    let report = outcome.json();
    assert_eq!(report["exit_code"], 3);
    assert_eq!(report["stop_reason"], "Essential container in task exited");
    assert_eq!((report["error"]["kind"].as_str(), report["error"]["exit_code"].as_u64()), (Some("failed"), Some(3)));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_task_that_never_starts_exits_1_with_the_reason() {
    let account = TestAccount::new("run_a_task_that_never_starts_exits_1").await;
    deployed(&account, "run-no-start").await;
    let reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s)";
    plan_task(
        "acme-shop-api-run-no-start-launcher",
        json!({"exit_code": null, "stop_code": "TaskFailedToStart", "reason": reason}),
    )
    .await;
    let outcome = run_on(&account, "run-no-start", "human", &["--", "bin/migrate"]).await;
    outcome.expect_code(1).expect_stderr(&[format!(
        "error: the one-off task stopped without running the command to its end (TaskFailedToStart: {reason}"
    )]);
    insta::assert_snapshot!("run_human_never_started", without_task_id(&outcome.stdout, "acme-shop-api-run-no-start"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_cancelled_run_stops_its_task() {
    let account = TestAccount::new("run_a_cancelled_run_stops_its_task").await;
    deployed(&account, "run-cancelled").await;
    let extra = [("MAESTRO_BRANCH_OVERRIDE", "run-cancelled"), ("MAESTRO_POLL_INTERVAL", "2")];
    let mut command = command_in(&account, "run", "human", &extra).await;
    // Cancelled while maestro waits for the task's first poll.
    let (code, seen, rest) = cancel_when(command.args(["--", "bin/console"]), |line| line.contains("run: running"));
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains("error: maestro was stopped while the one-off task ran"), "{rest}");
    assert!(rest.contains("maestro stopped the one-off task, so it does not go on unwatched"), "{rest}");
    let reasons = stopped_reasons(&account, "acme-shop-api-run-cancelled").await;
    assert!(reasons.contains(&"maestro: maestro run was cancelled".to_owned()), "{reasons:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn run_before_any_deploy_says_to_deploy_first() {
    let account = TestAccount::new("run_before_any_deploy_says_to_deploy_first").await;
    let outcome = run_on(&account, "run-first", "human", &["--", "bin/migrate"]).await;
    outcome.expect_code(1).expect_stderr(&[
        "error: task definition acme-shop-api-run-first-launcher does not exist",
        "hint: deploy the branch first",
    ]);
}

#[test]
fn a_bad_size_or_no_command_is_bad_input_before_any_aws_call() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(Mock::given(any()).respond_with(ResponseTemplate::new(500)).expect(0).mount(&server));
    let attempt = |args: &[&str]| {
        run(maestro()
            .args(["run", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV])
            .args(args)
            .env("AWS_ENDPOINT_URL", server.uri())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing"))
    };
    let outcome = attempt(&["--size", "512;512", "--", "bin/migrate"]);
    outcome.expect_code(2).expect_stderr(&[
        "error: --size, column 1: Fargate does not run 512 cpu units with 512 MiB of memory",
        "hint: with 512 cpu units, memory must be 1024 to 4096 in steps of 1024 MiB",
    ]);
    insta::assert_snapshot!("run_bad_size", outcome.stderr);
    attempt(&[]).expect_code(2).expect_stderr(&["no command to run", "maestro run -- bin/migrate"]);
    let json = attempt(&["--output", "json", "--size", "1024"]);
    let error = json.expect_code(2).json();
    let problems = error["error"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "the size and the missing command at once: {error}");
    assert_eq!((problems[0]["input"].as_str(), problems[0]["column"].as_u64()), (Some("--size"), Some(5)));
    // The action's `run-size` and `run-command` inputs stand for the flag and the words after `--`.
    let from_inputs = run(maestro()
        .args(["run", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"])
        .env("AWS_ENDPOINT_URL", server.uri())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("MAESTRO_INPUT_MAESTRO_RUN_SIZE", "1024")
        .env("MAESTRO_INPUT_MAESTRO_RUN_COMMAND", "bin/migrate --step 3"));
    let error = from_inputs.expect_code(2).json();
    let problems = error["error"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "the command is given, the size is not a size: {error}");
    let input = problems[0]["input"].as_str().unwrap();
    assert!(input.contains("run-size") || input.contains("MAESTRO_RUN_SIZE"), "{error}");
    runtime.block_on(server.verify());
}
