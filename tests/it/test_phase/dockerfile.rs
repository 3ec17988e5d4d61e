//! A Dockerfile app's test phase: its test stage built with docker buildx under `test-<tag>` only
//! (never `latest`), reading the registry cache without writing it, then run with the image's own
//! entry point and the command in a shell; the pass skips the next run of the commit.

use super::{command_at, docker_runs};
use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_REPOSITORY, EXAMPLE_TAG, Scratch, run};
use maestro_test_support::TestAccount;

/// The example app built from a Dockerfile with a `test` stage, and no project.toml.
fn dockerfile_app() -> Scratch {
    let app = Scratch::copy_of_example();
    std::fs::remove_file(app.join("project.toml")).unwrap();
    app.write(
        "Dockerfile",
        "FROM node:22-slim AS app\nCOPY . /app\nCMD [\"bin/server\"]\n\nFROM app AS test\nRUN npm ci\n",
    );
    app
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_dockerfile_apps_test_stage_is_built_alone_and_run_under_its_entry_point() {
    let account = TestAccount::new("a_dockerfile_apps_test_stage_is_built_alone").await;
    let tools = BuildTools::new();
    let app = dockerfile_app();
    let extra = [("MAESTRO_TEST", "true"), ("MAESTRO_TEST_COMMAND", "npm test"), ("MAESTRO_TEST_TARGET", "test")];

    let tested = run(&mut command_at(&account, &tools, app.path(), "test", &extra).await).expect_code(0).json();
    assert_eq!(tested["tests"]["outcome"], "passed", "{tested}");

    let record = tools.docker_record().expect("docker buildx built the test image");
    let argv: Vec<String> =
        record["argv"].as_array().unwrap().iter().map(|word| word.as_str().unwrap().to_owned()).collect();
    let shown = argv.join(" ");
    let tags: Vec<&String> = argv.iter().skip_while(|word| *word != "--tag").skip(1).step_by(2).take(1).collect();
    assert!(tags[0].ends_with(&format!("{EXAMPLE_REPOSITORY}:test-{EXAMPLE_TAG}")), "{shown}");
    assert_eq!(argv.iter().filter(|word| *word == "--tag").count(), 1, "the test tag alone, never latest: {shown}");
    assert!(shown.contains(" --target test "), "the test stage: {shown}");
    assert!(shown.contains(" --cache-from type=registry,ref="), "the registry cache is read: {shown}");
    assert!(!shown.contains("--cache-to"), "the test build never replaces the cache: {shown}");

    let runs = docker_runs(&tools);
    let ran: Vec<&str> = runs[0]["argv"].as_array().unwrap().iter().map(|word| word.as_str().unwrap()).collect();
    assert!(!ran.contains(&"--entrypoint"), "the image's own entry point is kept: {ran:?}");
    assert_eq!(ran[ran.len() - 3..], ["/bin/sh", "-c", "npm test"], "{ran:?}");

    // The pass is recorded: the commit's next run skips the phase and builds nothing.
    let again = run(&mut command_at(&account, &tools, app.path(), "test", &extra).await).expect_code(0).json();
    assert_eq!(again["tests"]["outcome"], "already_passed", "{again}");
    assert!(tools.docker_record().is_none(), "no second build");
}
