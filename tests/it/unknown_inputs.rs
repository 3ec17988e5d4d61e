//! A variable under maestro's prefixes that maestro does not read: a warning naming the closest
//! known variable (a GitHub annotation on the env file's line), an error under MAESTRO_STRICT.
//! The field trial's case: `ECS_SERVICE_TASK_PROCESS` (one letter short) passed silently.

use crate::support::{
    EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, Scratch, maestro, repository_root, run,
};
use maestro_test_support::{TestAccount, journal, start_journal};

/// The example's env file with `extra` lines appended, planned offline with `env` on top.
fn plan_with_lines(extra: &str, env: &[(&str, &str)]) -> Outcome {
    let example = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap();
    let scratch = Scratch::new();
    scratch.write("typo.env", &format!("{example}{extra}"));
    run(maestro()
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file"])
        .arg(scratch.file("typo.env"))
        .envs(env.iter().copied()))
}

const DID_YOU_MEAN: &str =
    "`ECS_SERVICE_TASK_PROCESS` is not a variable maestro reads; did you mean `ECS_SERVICE_TASK_PROCESSES`?";

#[test]
fn a_misspelt_variable_is_a_warning_with_the_name_meant() {
    let outcome = plan_with_lines("ECS_SERVICE_TASK_PROCESS=web:2-5\n", &[]);
    outcome.expect_code(0).expect_stderr(&[DID_YOU_MEAN, "typo.env:"]);
    // The process environment too, and the action's unknown inputs.
    let outcome = plan_with_lines("", &[("ALB_SCHEM", "internal"), ("MAESTRO_INPUT_NO_SUCH_THING", "x")]);
    outcome.expect_code(0).expect_stderr(&[
        "`ALB_SCHEM` is not a variable maestro reads; did you mean `ALB_SCHEME`?",
        "`MAESTRO_INPUT_NO_SUCH_THING` is not an input of maestro's action",
    ]);
}

#[test]
fn on_github_the_warning_is_an_annotation_on_the_env_file_line() {
    let outcome = plan_with_lines("ECS_SERVICE_TASK_PROCESS=web:2-5\n", &[("GITHUB_ACTIONS", "true")]);
    outcome.expect_code(0);
    let line = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap().lines().count() + 1;
    let found = outcome.stderr.lines().find(|text| text.starts_with("::warning file=")).expect("an annotation");
    assert!(found.contains(&format!("typo.env,line={line},title=maestro: unknown input::")), "{found}");
    assert!(found.contains(DID_YOU_MEAN), "{found}");
}

#[test]
fn strict_makes_it_an_error_before_any_aws_call() {
    let outcome = plan_with_lines("ECS_SERVICE_TASK_PROCESS=web:2-5\n", &[("MAESTRO_STRICT", "true")]);
    outcome.expect_code(2).expect_stderr(&[DID_YOU_MEAN, "hint: rename it `ECS_SERVICE_TASK_PROCESSES`"]);
    assert_eq!(outcome.stdout, "", "no plan for bad input");
}

#[test]
fn a_listed_process_the_procfile_lacks_is_a_warning_not_an_error() {
    // maestro_infra's default list; the example's Procfile has no `console`. The original
    // deployed `web` and ignored `console`; maestro 2 refused the whole deploy.
    let outcome = plan_with_lines("ECS_SERVICE_TASK_PROCESSES=web{1024;2048}:1-2,console{1024;2048},wrker:2\n", &[]);
    outcome.expect_code(0).expect_stderr(&[
        "ECS_SERVICE_TASK_PROCESSES: process `console` is not in Procfile, so it is skipped",
        "ECS_SERVICE_TASK_PROCESSES: process `wrker` is not in Procfile, so it is skipped; did you mean `worker`?",
    ]);
    assert!(outcome.stdout.contains("acme-shop-api-staging-web"), "web is still planned:\n{}", outcome.stdout);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn under_strict_a_deploy_with_the_typo_stops_before_any_aws_call() {
    let account = TestAccount::new("under_strict_a_deploy_with_the_typo").await;
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let example = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap();
    let scratch = Scratch::new();
    scratch.write("typo.env", &format!("{example}ECS_SERVICE_TASK_PROCESS=web:2-5\n"));
    // Read before the journal starts: the test account's network is looked up with EC2 reads.
    let env = account.deploy_env().await;
    start_journal(&account.id).await;
    let outcome = run(maestro()
        .args(["deploy", "--app", EXAMPLE_APP, "--env-file"])
        .arg(scratch.file("typo.env"))
        .envs(env.clone())
        .env("MAESTRO_STRICT", "true"));
    outcome.expect_code(2).expect_stderr(&[DID_YOU_MEAN, "hint: rename it `ECS_SERVICE_TASK_PROCESSES`"]);
    let calls = journal(&account.id).await;
    assert!(calls.is_empty(), "the deploy called AWS: {calls:?}");
    // Without MAESTRO_STRICT the same deploy goes on and names the typo: the journal sees it.
    let outcome =
        run(maestro().args(["deploy", "--app", EXAMPLE_APP, "--env-file"]).arg(scratch.file("typo.env")).envs(env));
    outcome.expect_code(0).expect_stderr(&[DID_YOU_MEAN]);
    assert!(!journal(&account.id).await.is_empty(), "the journal records this account's calls");
}
