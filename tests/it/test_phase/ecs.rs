//! `MAESTRO_TEST_RUNNER=ecs`: the tests as a one-off task in the environment's network with the
//! app secret, whose container's exit code gates the deploy (the emulator's stopped task reports
//! the exit code the test chooses, and its log lines: `plan_task`).

use super::{SECRET_VALUE, command, create_secret, writes};
use crate::stand_ins::BuildTools;
use crate::support::run;
use maestro_test_support::{TestAccount, plan_task, start_journal};

/// Planned tasks are keyed by family across accounts: this test's branch is its own.
const BRANCH: &str = "tp-ecs";
const FAMILY: &str = "acme-shop-api-tp-ecs-maestro-test";
const NEXT: &str = "4c3b2a1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b";

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_ecs_runner_runs_the_tests_as_a_task_whose_exit_code_gates() {
    let account = TestAccount::new("the_ecs_runner_gates").await;
    create_secret(&account, &format!("{BRANCH}/acme-shop-api")).await;
    let tools = BuildTools::new();
    let branch = [("MAESTRO_BRANCH_OVERRIDE", BRANCH), ("MAESTRO_TEST_RUNNER", "ecs")];
    // The environment exists first: the test task runs in its cluster.
    let off = [branch[0], ("MAESTRO_TEST", "false")];
    run(&mut command(&account, &tools, "deploy", 0, &off).await).expect_code(0);

    let log = vec!["1 example, 1 failure".to_owned(), format!("could not reach {SECRET_VALUE}")];
    plan_task(FAMILY, serde_json::json!({"exit_code": 3, "log": log})).await;
    let next = [branch[0], branch[1], ("MAESTRO_COMMIT_OVERRIDE", NEXT)];
    let mut failing = command(&account, &tools, "deploy", 0, &next).await;
    start_journal(&account.id).await;
    let failed = run(&mut failing);
    failed.expect_code(1).expect_stderr(&[
        "error: the tests failed (exit code 3): nothing was deployed",
        "1 example, 1 failure",
        "could not reach ***",
    ]);
    failed.expect_nowhere(&[SECRET_VALUE]);
    // Streamed live as the task logged it, then again as the error's tail.
    assert_eq!(failed.stderr.matches("could not reach ***").count(), 2, "{}", failed.stderr);
    assert!(super::docker_runs(&tools).is_empty(), "no local docker run");
    // The test's writes only: its image, its task definition and task; no deploy write.
    let written = writes(&account).await;
    let allowed = ["ecr:PutImage", "ecs:RegisterTaskDefinition", "ecs:RunTask"];
    assert!(written.iter().all(|call| allowed.contains(&call.as_str())), "{written:?}");
    assert!(written.contains(&"ecs:RunTask".to_owned()), "{written:?}");
    let journal = maestro_test_support::journal(&account.id).await;
    let registered: Vec<&str> = journal
        .iter()
        .filter(|call| call["action"] == "RegisterTaskDefinition")
        .map(|call| call["params"]["family"].as_str().unwrap())
        .collect();
    assert_eq!(registered, [FAMILY], "only the test family was registered");

    plan_task(FAMILY, serde_json::json!({"exit_code": 0})).await;
    let passed = run(&mut command(&account, &tools, "deploy", 0, &next).await);
    passed.expect_code(0).expect_stderr(&["tests passed"]);
    let actions = passed.json()["actions"].as_array().unwrap().clone();
    assert!(actions.iter().any(|action| action["action"] == "update_service"), "the deploy went on: {actions:?}");
}
