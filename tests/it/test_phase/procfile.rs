//! When the test phase runs: a Procfile `test` process turns it on, `MAESTRO_TEST=false` off, and
//! turned on with no command is bad input, refused before any AWS call.

use super::{command_at, docker_runs};
use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_ENV, Scratch, maestro, run};
use maestro_test_support::TestAccount;

/// The example app with a `test` process, at line 8 of its Procfile.
fn app_with_tests() -> Scratch {
    let app = Scratch::copy_of_example();
    let procfile = std::fs::read_to_string(app.join("Procfile")).unwrap();
    assert_eq!(procfile.lines().count(), 7, "the test process goes on line 8");
    app.write("Procfile", &format!("{procfile}test: npm test\n"));
    app
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_procfile_test_process_turns_the_phase_on_unless_maestro_test_is_false() {
    let account = TestAccount::new("a_procfile_test_process_turns_the_phase_on").await;
    let tools = BuildTools::new();
    let app = app_with_tests();
    let check = |extra: &'static [(&'static str, &'static str)]| {
        let (account, tools, app) = (&account, &tools, app.path());
        async move { run(command_at(account, tools, app, "build", extra).await.arg("--check")).expect_code(0).json() }
    };
    assert_eq!(check(&[]).await["tests"], true, "on: the Procfile has a test process");
    assert_eq!(check(&[("MAESTRO_TEST", "false")]).await["tests"], false, "MAESTRO_TEST=false turns it off");

    let tested = run(&mut command_at(&account, &tools, app.path(), "test", &[]).await);
    assert_eq!(tested.expect_code(0).json()["tests"]["source"], "Procfile:8");
    let argv = docker_runs(&tools)[0]["argv"].clone();
    assert_eq!(argv.as_array().unwrap().last().unwrap(), "npm test", "the Procfile's command ran");
}

#[test]
fn turned_on_without_a_command_is_refused_before_any_aws_call() {
    let app = Scratch::copy_of_example();
    let mut deploy = maestro();
    deploy.args(["deploy", "--app"]).arg(app.path()).args(["--env-file", EXAMPLE_ENV]);
    // No AWS endpoint answers here: an AWS call would fail otherwise.
    deploy.env("MAESTRO_TEST", "true").env("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
    run(&mut deploy).expect_code(2).expect_stderr(&[
        "MAESTRO_TEST",
        "the test phase is on, but there is no test command",
        "add a `test:` line to Procfile",
    ]);
}
