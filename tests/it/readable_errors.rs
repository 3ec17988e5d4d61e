//! The AWS failures a new user meets first, as they read on stderr: one sentence saying what
//! maestro was doing, the service and operation, AWS's code and message (or, when there is no
//! AWS answer, why), a hint; never the SDK's `Debug` dump (issue 17, the field trial's F8).
//!
//! Nothing here reaches a real cloud: AWS's endpoint is the emulator, a loopback server, or a
//! closed loopback port, and a run without credentials stops before sending anything.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, Scratch, maestro, run};
use maestro_test_support::{TestAccount, deny};

/// What the SDK's `Debug` form of an error looks like; none of it may reach a user.
const DUMP: &[&str] = &["Extensions {", "ResponseError", "SdkBody", "DispatchFailure", "ConnectorError", "Some("];

#[track_caller]
fn readable(outcome: &Outcome) {
    for dump in DUMP {
        assert!(!outcome.stderr.contains(dump), "`{dump}` on stderr:\n{}", outcome.stderr);
        assert!(!outcome.stdout.contains(dump), "`{dump}` on stdout:\n{}", outcome.stdout);
    }
}

/// A loopback address nothing listens on (the port was just free).
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// `maestro whoami` on a laptop whose home folder is `home`, with `env` on top; AWS's endpoint is
/// a closed loopback port unless `env` names one.
fn whoami(home: &Scratch, env: &[(&str, &str)]) -> Outcome {
    let mut command = maestro();
    command.args(["whoami", "--region", "us-east-1"]).env("HOME", home.path()).env("AWS_ENDPOINT_URL", closed_port());
    run(command.envs(env.iter().copied()))
}

#[test]
fn no_credentials_names_every_place_the_sdk_looked() {
    let home = Scratch::new();
    let outcome = whoami(&home, &[("AWS_EC2_METADATA_DISABLED", "true")]);
    outcome.expect_code(1);
    readable(&outcome);
    insta::assert_snapshot!(outcome.stderr);
}

/// Off EC2 the SDK tries the instance metadata service last; its failure is not the news.
#[test]
fn no_credentials_off_ec2_is_still_about_credentials_not_imds() {
    let home = Scratch::new();
    let imds = closed_port();
    let outcome = whoami(&home, &[("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.as_str())]);
    outcome.expect_code(1);
    readable(&outcome);
    assert!(!outcome.stderr.contains("failed to load IMDS") && !outcome.stderr.contains(&imds), "{}", outcome.stderr);
    insta::assert_snapshot!(outcome.stderr);
}

#[test]
fn a_profile_that_is_not_there_is_bad_input_naming_those_that_are() {
    let home = Scratch::new();
    home.write(".aws/config", "[profile dev]\nregion = us-east-1\n");
    let outcome = whoami(&home, &[("AWS_PROFILE", "prod"), ("AWS_EC2_METADATA_DISABLED", "true")]);
    outcome.expect_code(2);
    readable(&outcome);
    insta::assert_snapshot!(outcome.stderr);
}

/// A proxy, a firewall or a broken emulator answering every call with a page of its own.
#[tokio::test(flavor = "multi_thread")]
async fn an_html_500_is_said_to_be_no_aws_answer() {
    let page = "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n\
                <body><h1>Internal Server Error</h1><p>The proxy could not reach its upstream.</p></body></html>";
    let proxy = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500).set_body_raw(page, "text/html")).mount(&proxy).await;
    let home = Scratch::new();
    let env = [
        ("AWS_ENDPOINT_URL", proxy.uri()),
        ("AWS_ACCESS_KEY_ID", "fake-access-key-id".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "fake-secret-access-key".to_owned()),
        ("AWS_MAX_ATTEMPTS", "1".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let outcome = whoami(&home, &env);
    outcome.expect_code(1);
    readable(&outcome);
    insta::assert_snapshot!(outcome.stderr);

    // The same message as JSON (docs/json-errors.md).
    let mut command = maestro();
    command.args(["whoami", "--region", "us-east-1", "--output", "json"]).env("HOME", home.path());
    let json = run(command.envs(env.iter().copied()));
    json.expect_code(1);
    readable(&json);
    let document: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let message = document["error"]["message"].as_str().unwrap();
    assert!(outcome.stderr.starts_with(&format!("error: {message}\n")), "{message}\n{}", outcome.stderr);
    assert_eq!(json.stderr, outcome.stderr);
}

/// The emulator refuses one ECS read as AWS does (tests/support/denials.py).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_access_denied_names_the_operation_the_permission_and_its_statement() {
    let account = TestAccount::new("readable_access_denied").await;
    deny(&account.id, &["ecs:DescribeClusters"]).await;
    let mut command = maestro();
    command.args(["plan", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    let outcome = run(command.envs(account.deploy_env().await));
    outcome.expect_code(1);
    readable(&outcome);
    // From the error on: what came before is the plan's own progress.
    let error = &outcome.stderr[outcome.stderr.find("error: ").expect("an error")..];
    insta::assert_snapshot!(error.replace(&account.id, "123456789012"));
}

/// The labels in colour where it renders, never with NO_COLOR.
#[test]
fn labels_are_coloured_when_forced_or_on_github_and_never_with_no_color() {
    let bad_input = |env: &[(&str, &str)]| {
        let mut command = maestro();
        command.env_remove("NO_COLOR").args(["detect", "--env-file", "/nonexistent/maestro.env"]);
        run(command.envs(env.iter().copied()))
    };
    let red_error = "\u{1b}[1;31merror:\u{1b}[0m ";
    let cyan_hint = "\u{1b}[1;36mhint:\u{1b}[0m ";
    let plain = bad_input(&[]);
    plain.expect_code(2);
    assert!(plain.stderr.starts_with("error: ") && !plain.stderr.contains('\u{1b}'), "{}", plain.stderr);
    for env in [&[("FORCE_COLOR", "1")][..], &[("CLICOLOR_FORCE", "1")], &[("GITHUB_ACTIONS", "true")]] {
        let coloured = bad_input(env);
        coloured.expect_code(2);
        assert!(
            coloured.stderr.contains(red_error) && coloured.stderr.contains(cyan_hint),
            "{env:?}: {:?}",
            coloured.stderr
        );
    }
    let refused = bad_input(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]);
    assert!(!refused.stderr.contains('\u{1b}'), "{:?}", refused.stderr);
}

/// A warning says `warning:`, as the error says `error:`, yellow when coloured.
#[test]
fn warnings_carry_the_warning_label() {
    let plan = |env: &[(&str, &str)]| {
        let mut command = maestro();
        command.env_remove("NO_COLOR").args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
        run(command.env("ALB_SCHEM", "internal").envs(env.iter().copied()))
    };
    let plain = plan(&[]);
    plain.expect_code(0).expect_stderr(&["warning: `ALB_SCHEM` is not a variable maestro reads"]);
    let coloured = plan(&[("FORCE_COLOR", "1")]);
    coloured.expect_code(0).expect_stderr(&["\u{1b}[1;33mwarning:\u{1b}[0m `ALB_SCHEM` is not a variable"]);
}
