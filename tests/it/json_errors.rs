//! `--output json` on a failing run: one JSON error document on stdout (docs/json-errors.md),
//! the same human rendering on stderr as without it, and the same exit code.

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, Scratch, maestro, run};

/// Runs `args` twice, for people and with `--output json`; checks that both exit with `code`,
/// that stderr is the same and that stdout is empty for people; returns the JSON run's document.
fn both_ways(args: &[&str], env: &[(&str, &str)], code: i32) -> (Value, Outcome) {
    let human = run(maestro().args(args).envs(env.iter().copied()));
    let json = run(maestro().args(args).args(["--output", "json"]).envs(env.iter().copied()));
    assert_eq!(human.code, Some(code), "stderr: {}", human.stderr);
    assert_eq!(json.code, Some(code), "stderr: {}", json.stderr);
    assert_eq!(human.stdout, "", "stdout stays empty on error without --output json");
    assert_eq!(json.stderr, human.stderr, "stderr is the same with --output json");
    let document: Value = serde_json::from_str(&json.stdout)
        .unwrap_or_else(|error| panic!("{error}: stdout is not JSON:\n{}", json.stdout));
    (document, json)
}

/// A settings file whose two lines are wrong, with what a plan needs around them.
fn bad_settings(app: &Scratch) -> String {
    app.write(
        "bad.env",
        "MAESTRO_REPO_OVERRIDE=acme/shop-api\nMAESTRO_BRANCH_OVERRIDE=staging\nAWS_ACCOUNT_ID=123456789012\n\
         AWS_REGION=us-east-1\nECS_SERVICE_TASK_PROCESSES=web:5-2\nPORT=abc\n",
    );
    app.join("bad.env").display().to_string()
}

#[test]
fn bad_input_lists_every_problem_as_json_with_where_it_was_written() {
    let app = Scratch::copy_of_example();
    let settings = bad_settings(&app);
    let app_dir = app.path().display().to_string();
    let args = ["plan", "--offline", "--app", &app_dir, "--env-file", &settings, "--sha", "xyz"];
    let (document, outcome) = both_ways(&args, &[], 2);
    let error = &document["error"];
    assert_eq!(error["kind"], "bad_input", "{document}");
    assert_eq!(error["exit_code"], 2);
    let problems = error["problems"].as_array().unwrap();
    assert!(outcome.stderr.contains(&format!("{} problems found", problems.len())), "{}", outcome.stderr);
    let by_variable = |name: &str| {
        problems.iter().find(|problem| problem["variable"] == name).unwrap_or_else(|| panic!("no {name} in {document}"))
    };

    let processes = by_variable("ECS_SERVICE_TASK_PROCESSES");
    assert_eq!(processes["input"], format!("ECS_SERVICE_TASK_PROCESSES ({settings}:5)"));
    assert_eq!((processes["file"].as_str(), processes["line"].as_u64()), (Some(settings.as_str()), Some(5)));
    assert_eq!(processes["column"], 7, "the column in the value `web:5-2`");
    assert_eq!(processes["message"], "the maximum task count 2 is below the minimum 5");
    assert!(processes["hint"].as_str().unwrap().contains("`min-max`"), "{processes}");

    let port = by_variable("PORT");
    assert_eq!((port["line"].as_u64(), port["column"].is_null()), (Some(6), true), "{port}");

    let sha = by_variable("MAESTRO_COMMIT_OVERRIDE");
    assert_eq!(sha["input"], "--sha", "the flag that gave the value");
    assert!(sha["file"].is_null() && sha["line"].is_null(), "{sha}");
    assert_eq!(sha["message"], "`xyz` is not a commit SHA");

    // Each problem is the one stderr shows, under the same name.
    for problem in problems {
        let input = problem["input"].as_str().unwrap();
        assert!(outcome.stderr.contains(&format!("error: {input}")), "{input} is not on stderr:\n{}", outcome.stderr);
    }
}

#[test]
fn a_bad_line_of_an_app_file_is_a_problem_with_a_file_and_no_variable() {
    let app = Scratch::copy_of_example();
    app.write("Procfile", "web: node server.js\nworker bundle exec sidekiq\n");
    let app_dir = app.path().display().to_string();
    let (document, _) = both_ways(&["plan", "--offline", "--app", &app_dir, "--env-file", EXAMPLE_ENV], &[], 2);
    let problem = &document["error"]["problems"][0];
    assert_eq!(problem["file"], "Procfile", "{document}");
    assert_eq!((problem["line"].as_u64(), problem["column"].as_u64()), (Some(2), Some(1)), "{problem}");
    assert!(problem["variable"].is_null(), "{problem}");
    assert_eq!(problem["input"], "Procfile:2");

    // A file that cannot be read is named by its flag.
    let (document, _) = both_ways(&["detect", "--env-file", "/nonexistent/maestro.env"], &[], 2);
    let problem = &document["error"]["problems"][0];
    assert_eq!((problem["input"].as_str(), problem["variable"].is_null()), (Some("--env-file"), true), "{document}");
}

/// STS is scripted: a loopback server answers every call as AWS answers an invalid key.
#[tokio::test(flavor = "multi_thread")]
async fn a_failure_after_the_input_is_accepted_is_a_json_error_with_exit_code_1() {
    let sts = MockServer::start().await;
    let refusal = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>\
                   <Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.\
                   </Message></Error><RequestId>7a62c49f</RequestId></ErrorResponse>";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_raw(refusal, "text/xml"))
        .expect(2)
        .mount(&sts)
        .await;
    let env = [
        ("AWS_ENDPOINT_URL", sts.uri()),
        ("AWS_ACCESS_KEY_ID", "AKIDSCRIPTED".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", "scripted-secret-key".to_owned()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(name, value)| (*name, value.as_str())).collect();
    let (document, outcome) = both_ways(&["plan", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV], &env, 1);
    let error = &document["error"];
    assert_eq!((error["kind"].as_str(), error["exit_code"].as_u64()), (Some("failed"), Some(1)), "{document}");
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("cannot confirm the AWS identity"), "{message}");
    // STS's code and message, not the SDK's dump of the raw response (whose `date` header made the
    // two runs' stderr differ whenever they fell in different seconds).
    assert_eq!(
        message,
        "cannot confirm the AWS identity (sts:GetCallerIdentity): InvalidClientTokenId: The security token included in the request is invalid.",
        "{message}"
    );
    assert_eq!(error["details"], serde_json::json!(["to plan without AWS, add `--offline`"]));
    let hint = error["hint"].as_str().unwrap();
    // stderr renders the very same values.
    assert_eq!(
        outcome.stderr,
        format!("error: {message}\n  to plan without AWS, add `--offline`\nhint: {hint}\n"),
        "{}",
        outcome.stderr
    );
    assert!(!outcome.stdout.contains("scripted-secret-key"), "no secret reaches stdout");
}
