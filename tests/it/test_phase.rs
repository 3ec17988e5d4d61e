//! The test phase (issue 24) as a user runs it: the real binary against the emulator, with the
//! stand-in pack and Docker daemon (`stand_ins.rs`) and the stand-in `docker run`
//! (tests/support/stand-in-docker, whose `run` is stand_in_docker_run.py), each recording its argv
//! and environment.

mod dockerfile;
mod ecs;
mod procfile;
mod reporting;

use std::process::Command;

use serde_json::Value;

use crate::deploy_cli::command_in;
use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, run};
use maestro_test_support::{TestAccount, journal, start_journal};

/// A value of the app's secret the tests print: it must never be shown.
pub(crate) const SECRET_VALUE: &str = "pa55-word-canary-7f3e9a1c";

/// The build's stand-ins, and `docker run`'s first on PATH; what `docker run` prints and exits with.
pub(crate) fn tools_env(tools: &BuildTools, exit: u8, output: &str) -> Vec<(String, String)> {
    let mut env = tools.env();
    env.extend([
        ("DOCKER_RUN_STAND_IN_RECORD".to_owned(), tools.dir().join("docker-run.jsonl").display().to_string()),
        ("DOCKER_RUN_STAND_IN_EXIT".to_owned(), exit.to_string()),
        ("DOCKER_RUN_STAND_IN_OUTPUT".to_owned(), output.to_owned()),
    ]);
    env
}

/// Every `docker run` the stand-in recorded, in order.
pub(crate) fn docker_runs(tools: &BuildTools) -> Vec<Value> {
    let text = std::fs::read_to_string(tools.dir().join("docker-run.jsonl")).unwrap_or_default();
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// `subcommand` on the example app in `account`'s network, its test phase on with `npm test`.
pub(crate) async fn command(
    account: &TestAccount,
    tools: &BuildTools,
    subcommand: &str,
    exit: u8,
    extra: &[(&str, &str)],
) -> Command {
    let mut command = command_in(account, subcommand, "json", extra).await;
    command.envs(tools_env(tools, exit, &format!("1 example, {exit} failures\\nconnecting with {SECRET_VALUE}")));
    command.envs([("MAESTRO_TEST", "true"), ("MAESTRO_TEST_COMMAND", "npm test")]);
    command.envs(extra.iter().copied());
    command
}

/// [`command`] for the app at `app` (a scratch copy of the example), on the example's branch and commit.
pub(crate) async fn command_at(
    account: &TestAccount,
    tools: &BuildTools,
    app: &std::path::Path,
    subcommand: &str,
    extra: &[(&str, &str)],
) -> Command {
    let mut command = crate::support::maestro();
    command.args([subcommand, "--app"]).arg(app).args(["--env-file", crate::support::EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.deploy_env().await);
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    command.envs(tools_env(tools, 0, "1 example, 0 failures"));
    command.envs(extra.iter().copied());
    command
}

pub(crate) async fn create_secret(account: &TestAccount, name: &str) {
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name(name)
        .secret_string(serde_json::json!({"DATABASE_URL": SECRET_VALUE}).to_string())
        .send()
        .await
        .unwrap();
}

/// The tags of the image `digest`'s in the example's repository.
pub(crate) async fn tags_of(account: &TestAccount, repository: &str, tag: &str) -> Vec<String> {
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    let id = aws_sdk_ecr::types::ImageIdentifier::builder().image_tag(tag).build();
    let Ok(described) = ecr.describe_images().repository_name(repository).image_ids(id).send().await else {
        return Vec::new();
    };
    described.image_details().iter().flat_map(|detail| detail.image_tags().iter().cloned()).collect()
}

/// The journal's writes (anything but a read), as `service:Action`.
pub(crate) async fn writes(account: &TestAccount) -> Vec<String> {
    let reads = ["Describe", "Get", "List", "BatchGet", "BatchCheck"];
    journal(&account.id)
        .await
        .iter()
        .filter(|call| !reads.iter().any(|read| call["action"].as_str().unwrap().starts_with(read)))
        .map(|call| format!("{}:{}", call["service"].as_str().unwrap(), call["action"].as_str().unwrap()))
        .collect()
}

fn assert_hidden(outcome: &Outcome) {
    assert!(!outcome.stdout.contains(SECRET_VALUE), "stdout shows the secret:\n{}", outcome.stdout);
    let shown = outcome.stderr.lines().filter(|line| !line.starts_with("::add-mask::"));
    assert!(shown.clone().all(|line| !line.contains(SECRET_VALUE)), "stderr shows the secret:\n{}", outcome.stderr);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn maestro_test_builds_the_test_image_runs_the_command_and_records_the_pass() {
    let account = TestAccount::new("maestro_test_builds_the_test_image").await;
    create_secret(&account, "staging/acme-shop-api").await;
    let tools = BuildTools::new();
    let outcome = run(&mut command(&account, &tools, "test", 0, &[]).await);
    let report = outcome.expect_code(0).json();
    assert_eq!(report["tests"]["outcome"], "passed", "{report}");
    assert_eq!(report["tests"]["source"], "MAESTRO_TEST_COMMAND");
    assert_hidden(&outcome);

    // pack built the test image in the test execution environment, under its own tag only.
    let record = tools.record().expect("pack ran");
    let argv: Vec<&str> = record["argv"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap()).collect();
    let repository = format!("{}.dkr.ecr.us-east-1.amazonaws.com/{EXAMPLE_REPOSITORY}", account.id);
    assert_eq!(argv[..2], ["build", &format!("{repository}:test-{EXAMPLE_TAG}")]);
    assert!(argv.windows(2).any(|pair| pair == ["--exec-env", "test"]), "{argv:?}");
    assert!(argv.windows(2).any(|pair| pair == ["--cache-image", &format!("{repository}:cache")]), "{argv:?}");
    assert!(!argv.contains(&"--tag") && !argv.iter().any(|arg| arg.ends_with(":latest")), "{argv:?}");

    // docker ran the command in that image, by digest, with an allow-listed environment.
    let runs = docker_runs(&tools);
    assert_eq!(runs.len(), 1);
    let argv: Vec<&str> = runs[0]["argv"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap()).collect();
    assert_eq!(argv[..6], ["run", "--rm", "--pull", "always", "--entrypoint", "launcher"]);
    assert!(argv[argv.len() - 2].starts_with(&format!("{repository}@sha256:")), "{argv:?}");
    assert_eq!(argv[argv.len() - 1], "npm test");
    assert_eq!(runs[0]["container_env"], serde_json::json!({"CI": "true"}));
    let names: Vec<&str> =
        runs[0]["environment_names"].as_array().unwrap().iter().map(|name| name.as_str().unwrap()).collect();
    assert!(names.iter().all(|name| !name.starts_with("AWS_") && !name.starts_with("MAESTRO_")), "{names:?}");
    assert!(names.contains(&"DOCKER_CONFIG"), "docker pulls with the ECR login: {names:?}");

    // The pass is a tag on the test image, never the deployable tag.
    let tags = tags_of(&account, EXAMPLE_REPOSITORY, &format!("tested-{EXAMPLE_TAG}")).await;
    assert!(tags.contains(&format!("test-{EXAMPLE_TAG}")) && !tags.contains(&EXAMPLE_TAG.to_owned()), "{tags:?}");

    // The same commit again: skipped, and said; --force runs the tests again.
    let again = run(&mut command(&account, &tools, "test", 0, &[]).await);
    assert_eq!(again.expect_code(0).json()["tests"]["outcome"], "already_passed");
    again.expect_stderr(&["tests skipped: this commit passed them on an earlier run"]);
    assert_eq!(docker_runs(&tools).len(), 1, "no second docker run");
    let forced = run(command(&account, &tools, "test", 0, &[]).await.arg("--force"));
    assert_eq!(forced.expect_code(0).json()["tests"]["outcome"], "passed");
    assert_eq!(docker_runs(&tools).len(), 2, "--force runs them again");
    assert!(tools.record().is_none(), "the test image was not built again");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failing_test_stops_the_deploy_before_any_deploy_write() {
    let account = TestAccount::new("a_failing_test_stops_the_deploy").await;
    create_secret(&account, "staging/acme-shop-api").await;
    let tools = BuildTools::new();
    let mut deploy = command(&account, &tools, "deploy", 3, &[]).await;
    start_journal(&account.id).await;
    let outcome = run(&mut deploy);
    outcome.expect_code(1).expect_stderr(&[
        "error: the tests failed (exit code 3): nothing was deployed",
        "the last 3 lines of the test output:",
        "1 example, 3 failures",
        "hint: fix the tests and push again",
    ]);
    assert_hidden(&outcome);
    assert!(outcome.stderr.contains("connecting with ***"), "the secret is redacted, the line kept");
    let error = &outcome.json()["error"];
    assert_eq!(error["message"], "the tests failed (exit code 3): nothing was deployed");
    // The call log: the test's own ECR writes (the test image, pushed by pack), and none of the
    // deploy's: no lease, no cluster, no task definition, no service.
    let written = writes(&account).await;
    assert!(written.iter().all(|call| call.starts_with("ecr:")), "{written:?}");
    assert!(written.contains(&"ecr:PutImage".to_owned()), "{written:?}");
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty());
    let tags = tags_of(&account, EXAMPLE_REPOSITORY, &format!("test-{EXAMPLE_TAG}")).await;
    assert!(!tags.contains(&format!("tested-{EXAMPLE_TAG}")), "a failure records no pass: {tags:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_passing_test_lets_the_deploy_proceed_and_the_next_deploy_of_the_commit_skips_it() {
    let account = TestAccount::new("a_passing_test_lets_the_deploy_proceed").await;
    create_secret(&account, "staging/acme-shop-api").await;
    let tools = BuildTools::new();
    let first = run(&mut command(&account, &tools, "deploy", 0, &[]).await);
    let report = first.expect_code(0).json();
    assert!(report["actions"].as_array().unwrap().iter().any(|action| action["action"] == "create_cluster"));
    first.expect_stderr(&["tests passed", "recorded the pass: the test image is tagged tested-"]);
    assert_hidden(&first);
    assert_eq!(docker_runs(&tools).len(), 1);

    let second = run(&mut command(&account, &tools, "deploy", 0, &[]).await);
    second.expect_code(0).expect_stderr(&["tests skipped: this commit passed them on an earlier run"]);
    assert_eq!(docker_runs(&tools).len(), 1, "the passed commit's tests did not run again");
}
