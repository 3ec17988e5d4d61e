//! `maestro logs`: the environment's log groups read to their last page (the strict layer answers
//! FilterLogEvents in pages of two, the first empty), merged in time order, prefixed with each
//! line's process and task, the app secret's values hidden; bad input stops it before any call.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, maestro, run};
use maestro_test_support::{TestAccount, deny};

const SECRET: &str = "staging/acme-shop-api";
const SECRET_VALUE: &str = "pg-password-7c1e";
const WEB_TASK: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const WEB_OTHER_TASK: &str = "ffeeddccbbaa99887766554433221100";
const WORKER_TASK: &str = "1234567890abcdef1234567890abcdef";

/// The example app's log group and container of `process`, from its offline plan.
fn log_group_of(account: &TestAccount, process: &str) -> (String, String) {
    let plan = run(maestro()
        .args(["plan", "--offline", "--output", "json", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV])
        .args(["--account", &account.id]));
    let plan = plan.expect_code(0).json();
    let definitions = plan["task_definitions"].as_array().unwrap();
    let definition = definitions.iter().find(|definition| definition["process"] == process).unwrap();
    (definition["log_group"].as_str().unwrap().to_owned(), definition["container"].as_str().unwrap().to_owned())
}

/// Now, in milliseconds: CloudWatch Logs refuses events older than 14 days.
fn now() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    i64::try_from(now.as_millis()).unwrap()
}

/// `lines` (time, message) into `process`'s group, in the stream of `task`.
async fn put(logs: &Client, (group, container): &(String, String), task: &str, lines: &[(i64, &str)]) {
    let stream = format!("ecs/{container}/{task}");
    let _ = logs.create_log_group().log_group_name(group).send().await;
    let _ = logs.create_log_stream().log_group_name(group).log_stream_name(&stream).send().await;
    let events = lines.iter().map(|(time, line)| InputLogEvent::builder().timestamp(*time).message(*line).build());
    let events: Vec<InputLogEvent> = events.map(Result::unwrap).collect();
    logs.put_log_events()
        .log_group_name(group)
        .log_stream_name(stream)
        .set_log_events(Some(events))
        .send()
        .await
        .unwrap();
}

async fn with_secret(account: &TestAccount) {
    let value = serde_json::json!({ "DATABASE_PASSWORD": SECRET_VALUE }).to_string();
    let secrets = aws_sdk_secretsmanager::Client::new(&account.config);
    secrets.create_secret().name(SECRET).secret_string(value).send().await.unwrap();
}

fn logs_of(account_env: &[(String, String)], args: &[&str]) -> Outcome {
    let mut command = maestro();
    command.arg("logs").args(args).args(["--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    run(command.envs(account_env.iter().map(|(name, value)| (name.as_str(), value.as_str()))))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn logs_since_returns_the_lines_of_two_processes_in_time_order_across_pages() {
    let account = TestAccount::new("logs_since_returns_the_lines_of_two_processes_in_time_order").await;
    with_secret(&account).await;
    let logs = Client::new(&account.config);
    let (web, worker) = (log_group_of(&account, "web"), log_group_of(&account, "worker"));
    let base = now() - 60_000;
    // Interleaved across groups and tasks, more than one page (the strict layer's pages hold two).
    put(
        &logs,
        &web,
        WEB_TASK,
        &[(base - 3_600_000, "an hour ago: before --since"), (base, "GET / 200"), (base + 20, "GET /cart 200")],
    )
    .await;
    put(
        &logs,
        &web,
        WEB_OTHER_TASK,
        &[(base + 10, "GET /health 200"), (base + 40, "connecting with password pg-password-7c1e")],
    )
    .await;
    put(
        &logs,
        &worker,
        WORKER_TASK,
        &[(base + 5, "job 1 started"), (base + 20, "job 1 done"), (base + 30, "job 2 started\njob 2 step")],
    )
    .await;
    let env = account.deploy_env().await;

    let human = logs_of(&env, &["web", "worker", "--since", "5m"]);
    human.expect_code(0).expect_nowhere(&[SECRET_VALUE]);
    insta::assert_snapshot!("logs_human_two_processes", human.stdout);

    let json = logs_of(&env, &["--since", "5m", "--output", "json"]);
    json.expect_code(0);
    let lines: Vec<serde_json::Value> = json.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let shown: Vec<(&str, &str)> =
        lines.iter().map(|line| (line["process"].as_str().unwrap(), line["message"].as_str().unwrap())).collect();
    assert_eq!(
        shown,
        [
            ("web", "GET / 200"),
            ("worker", "job 1 started"),
            ("web", "GET /health 200"),
            ("web", "GET /cart 200"),
            ("worker", "job 1 done"),
            ("worker", "job 2 started\njob 2 step"),
            ("web", "connecting with password ***"),
        ],
        "every process by default, in time order; equal times in the plan's order"
    );
    assert_eq!(lines[0]["task"], WEB_TASK);
    let times: Vec<&str> = lines.iter().map(|line| line["timestamp"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|pair| pair[0] <= pair[1]) && times[0].ends_with('Z'), "{times:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn logs_follow_prints_new_lines_once_until_interrupted() {
    let account = TestAccount::new("logs_follow_prints_new_lines_once_until_interrupted").await;
    let logs = Client::new(&account.config);
    let worker = log_group_of(&account, "worker");
    put(&logs, &worker, WORKER_TASK, &[(now() - 1_000, "first line")]).await;
    let mut command = maestro();
    command.args(["logs", "worker", "--follow", "--since", "1m", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    command.envs(account.deploy_env().await);
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (sender, lines) = mpsc::channel();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || stdout.lines().map_while(Result::ok).for_each(|line| sender.send(line).unwrap()));
    let next = || lines.recv_timeout(Duration::from_secs(30)).expect("a line within 30 s");
    assert!(next().ends_with("first line"));
    put(&logs, &worker, WORKER_TASK, &[(now(), "second line")]).await;
    assert!(next().ends_with("second line"), "a later poll prints only the new line");
    // Two more polls: nothing is printed again.
    assert!(lines.recv_timeout(Duration::from_secs(5)).is_err(), "a line was printed twice");
    let interrupted = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    assert_eq!(child.wait().unwrap().code(), Some(0), "an interrupted follow exits 0");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn no_line_is_printed_when_the_secret_cannot_be_read() {
    let account = TestAccount::new("logs_no_line_is_printed_when_the_secret_cannot_be_read").await;
    with_secret(&account).await;
    let logs = Client::new(&account.config);
    put(&logs, &log_group_of(&account, "web"), WEB_TASK, &[(now() - 1_000, "password pg-password-7c1e")]).await;
    deny(&account.id, &["secretsmanager:GetSecretValue"]).await;
    let outcome = logs_of(&account.deploy_env().await, &["web", "--output", "json"]);
    outcome.expect_code(1).expect_stderr(&["the log lines are withheld", "secretsmanager:GetSecretValue"]);
    outcome.expect_nowhere(&[SECRET_VALUE, "password"]);
    assert_eq!(outcome.json()["error"]["exit_code"], 1, "the error is the one JSON line: {}", outcome.stdout);
}

#[test]
fn a_bad_since_is_bad_input_before_any_call() {
    // No emulator: the input is refused before credentials are looked for.
    let outcome = run(maestro().args(["logs", "--since", "10w", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]));
    outcome.expect_code(2);
    insta::assert_snapshot!("logs_bad_since", outcome.stderr);
}

#[test]
fn an_unknown_process_is_bad_input_naming_those_that_log() {
    let outcome = run(maestro().args([
        "logs",
        "wrker",
        "--since",
        "ten",
        "--output",
        "json",
        "--app",
        EXAMPLE_APP,
        "--env-file",
        EXAMPLE_ENV,
    ]));
    outcome.expect_code(2).expect_stderr(&["--since, column 1", "process `wrker`", "did you mean `worker`?"]);
    let problems = outcome.json()["error"]["problems"].as_array().unwrap().len();
    assert_eq!(problems, 2, "both problems at once: {}", outcome.stdout);
    assert!(outcome.stderr.contains("web, worker, clock, release"), "{}", outcome.stderr);
}
