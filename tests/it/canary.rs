//! Secrets never leak: recognisable canary values in the app's secret, the CI's tokens, the
//! New Relic key, the webhook URL, a chat webhook's URL and the AWS keys, through a build and deploy with every
//! reporter on and debug logging at its most verbose, a failed release and a failed build. Then
//! everything maestro printed or wrote is scanned for them.

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, maestro, run};
use maestro_test_support::{TestAccount, plan_task};

const APP_SECRETS: &[(&str, &str)] = &[
    ("DATABASE_URL", "postgres://shop:CANARY-db-pass-5e1d@db.internal/shop"),
    ("STRIPE_KEY", "sk_live_CANARY-stripe-83a2"),
    (
        "SIGNING_KEY",
        "-----BEGIN PRIVATE KEY-----\nCANARY-pem-line-one-77c4\nCANARY-pem-line-two-19be\n-----END PRIVATE KEY-----",
    ),
];
const TOKENS: &[(&str, &str)] =
    &[("GITHUB_TOKEN", "ghs_CANARY-github-token-4f0a"), ("NEW_RELIC_API_KEY", "NRAK-CANARY-new-relic-6b2c")];

/// Every value that must never show: the lines of multi-line ones too.
fn canaries(account: &TestAccount, webhook_token: &str) -> Vec<String> {
    let mut all: Vec<String> = APP_SECRETS
        .iter()
        .flat_map(|(_, value)| value.lines().filter(|line| line.contains("CANARY")).map(str::to_owned))
        .collect();
    all.extend(TOKENS.iter().map(|(_, value)| (*value).to_owned()));
    all.push(webhook_token.to_owned());
    for (name, value) in &account.env {
        if name == "AWS_SECRET_ACCESS_KEY" || name == "AWS_SESSION_TOKEN" {
            all.push(value.clone());
        }
    }
    all
}

fn scan(what: &str, text: &str, canaries: &[String], found: &mut Vec<String>) {
    for line in text.lines().filter(|line| !line.starts_with("::add-mask::")) {
        for canary in canaries {
            if line.contains(canary.as_str()) {
                found.push(format!("{what}: `{canary}` in `{line}`"));
            }
        }
    }
}

/// The subcommand, the branch, extra variables, and the expected exit code.
type Scenario<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], Option<i32>);

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn no_secret_reaches_any_output_in_any_scenario() {
    let account = TestAccount::new("no_secret_reaches_any_output").await;
    let secret: serde_json::Map<String, Value> =
        APP_SECRETS.iter().map(|(name, value)| ((*name).to_owned(), json!(value))).collect();
    for branch in ["staging", "release-fails", "build-fails"] {
        aws_sdk_secretsmanager::Client::new(&account.config)
            .create_secret()
            .name(format!("{branch}/acme-shop-api"))
            .secret_string(Value::Object(secret.clone()).to_string())
            .send()
            .await
            .unwrap();
    }
    plan_task("acme-shop-api-release-fails-release", json!({"exit_code": 4})).await;
    let hosts = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 5}))).mount(&hosts).await;
    let webhook_token = "CANARY-webhook-token-2d9e";
    // A Slack webhook's URL is all path: its secret part must not show either.
    let slack_path = "services/T0CANARY/B0CANARY/CANARY-slack-path-e61b";
    let tools = BuildTools::new();
    let files = tools.dir().join("ci-files");
    std::fs::create_dir_all(&files).unwrap();
    let mut canaries = canaries(&account, webhook_token);
    canaries.push(slack_path.to_owned());
    let mut found = Vec::new();
    let scenarios: [Scenario; 6] = [
        ("deploy", "staging", &[], Some(0)),
        ("deploy", "staging", &[], Some(0)),
        ("deploy", "release-fails", &[], Some(1)),
        ("deploy", "build-fails", &[("PACK_STAND_IN_EXIT", "2")], Some(1)),
        ("stop", "staging", &[], Some(0)),
        // Nothing in flight after the stop: reported (job summary, JSON) with each service left alone.
        ("abort", "staging", &[], Some(0)),
    ];
    for (index, (subcommand, branch, extra, code)) in scenarios.iter().enumerate() {
        let output = files.join(format!("github-output-{index}"));
        let summary = files.join(format!("step-summary-{index}"));
        let mut command = maestro();
        command.args(["-vv", subcommand, "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
        command.envs(account.deploy_env().await).envs(tools.env()).envs(TOKENS.iter().copied());
        command.envs([
            ("MAESTRO_SKIP_BUILD", "false"),
            ("MAESTRO_DEBUG", "true"),
            ("MAESTRO_BRANCH_OVERRIDE", branch),
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REPOSITORY", "acme/shop-api"),
            ("GITHUB_API_URL", &hosts.uri()),
            ("GITHUB_OUTPUT", output.to_str().unwrap()),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
            ("NEW_RELIC_APP_ID", "123456"),
            ("NEW_RELIC_API_URL", &hosts.uri()),
            ("DEPLOY_WEBHOOK_URL", &format!("{}/hook?token={webhook_token}&s={{{{STATUS}}}}", hosts.uri())),
            ("MAESTRO_SLACK_WEBHOOK_URL", &format!("{}/{slack_path}", hosts.uri())),
        ]);
        command.envs(extra.iter().copied());
        let outcome: Outcome = run(&mut command);
        assert_eq!(outcome.code, *code, "scenario {index}: {}", outcome.stderr);
        // `abort` reads no secret (only the services and their service deployments): nothing to mask.
        if *subcommand != "abort" {
            assert!(outcome.stderr.contains("::add-mask::"), "scenario {index} masks its secrets");
        }
        scan(&format!("scenario {index} stdout"), &outcome.stdout, &canaries, &mut found);
        scan(&format!("scenario {index} stderr"), &outcome.stderr, &canaries, &mut found);
        for file in [&output, &summary] {
            scan(
                &format!("scenario {index} {}", file.display()),
                &std::fs::read_to_string(file).unwrap_or_default(),
                &canaries,
                &mut found,
            );
        }
        // The build's env file is gone, and the buildpacks never saw an AWS key.
        assert!(tools.build_dirs_left().is_empty(), "scenario {index} left its build folder");
        if let Some(record) = tools.record() {
            let seen = record["build_env"].to_string();
            for (name, value) in account
                .env
                .iter()
                .filter(|(name, _)| name.ends_with("_KEY_ID") || name.ends_with("_KEY") || name.ends_with("_TOKEN"))
            {
                assert!(!seen.contains(value.as_str()), "{name} reached the build");
            }
        }
    }
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));
    let abort_summary = std::fs::read_to_string(files.join("step-summary-5")).unwrap();
    assert!(abort_summary.starts_with("### maestro abort: "), "{abort_summary}");
    assert!(abort_summary.contains("nothing was rolled back"), "{abort_summary}");
}
