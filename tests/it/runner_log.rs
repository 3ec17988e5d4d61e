//! What a GitHub user sees, not what maestro wrote: a deploy on GitHub with OIDC credentials that
//! expire every few seconds (so every AWS call refreshes them, inside every group), a build whose
//! pack prints the app secret as written, as JSON and in base64, and a release that fails after
//! logging the secret and workflow commands. maestro's real stderr and stdout go through the model
//! of the runner (`maestro_test_support::runner`): no secret, key or token may be visible, and no
//! command from relayed text may run (issue 15: H1, L1, M1, L3).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, maestro, run};
use maestro_test_support::oidc::{REQUEST_TOKEN, jwt};
use maestro_test_support::runner::Runner;
use maestro_test_support::{TestAccount, moto_url, plan_task, scripted};

const BRANCH: &str = "runner-log";
const APP_SECRETS: &[(&str, &str)] = &[
    // The runner reads `%25` in add-mask data as `%` (L1).
    ("DATABASE_URL", "postgres://shop:CANARYp%25ss@db/x"),
    ("SECRET_KEY_BASE", "CANARYskb-7f3a9b2c"),
    ("JSONY", "CANARYjson\"quote\\back"),
    ("SIGNING_KEY", "-----BEGIN PRIVATE KEY-----\nCANARY-pem-line-one-77c4\n-----END PRIVATE KEY-----"),
];
/// What the failing release logs: the secret, and every kind of workflow command.
const RELEASE_LOG: &[&str] = &[
    "migrating: DATABASE_URL=postgres://shop:CANARYp%25ss@db/x",
    "using key CANARYskb-7f3a9b2c",
    "::add-mask::x",
    "::set-output name=a::b",
    "::error::spoof",
    "##[set-output name=status;]success-from-task-log",
    "::stop-commands::x",
];
const SECONDS_A_SESSION_LIVES: u64 = 5;
/// Sessions with keys of their own; a run needing more gets the last again.
const SESSIONS: usize = 150;

/// `count` sessions of the emulator's STS in `account`, each with new keys: a refresh that
/// printed its keys would show keys no earlier mask hid.
async fn sessions(account: &TestAccount, count: usize) -> Vec<[String; 3]> {
    let sts = aws_sdk_sts::Client::new(&scripted(&moto_url()).await);
    let mut sessions = Vec::new();
    for index in 0..count {
        let assumed = sts
            .assume_role()
            .role_arn(format!("arn:aws:iam::{}:role/maestro-deploy", account.id))
            .role_session_name(format!("runner-log-{index}"))
            .send()
            .await
            .unwrap();
        let keys = assumed.credentials().unwrap();
        sessions.push([
            keys.access_key_id().to_owned(),
            keys.secret_access_key().to_owned(),
            keys.session_token().to_owned(),
        ]);
    }
    sessions
}

/// STS on loopback: AssumeRoleWithWebIdentity hands out the next session, ending in a few seconds
/// (AWS's shortest is 15 minutes; shorter makes every call refresh), and GetCallerIdentity names
/// the account.
async fn short_sts(account: &TestAccount, sessions: Vec<[String; 3]>) -> MockServer {
    let server = MockServer::start().await;
    let id = account.id.clone();
    let next = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(body_string_contains("Action=AssumeRoleWithWebIdentity"))
        .respond_with(move |_: &Request| {
            let ends = SystemTime::now() + Duration::from_secs(SECONDS_A_SESSION_LIVES);
            let ends = aws_sdk_sts::primitives::DateTime::from(ends)
                .fmt(aws_sdk_sts::primitives::DateTimeFormat::DateTime)
                .unwrap();
            let index = next.fetch_add(1, Ordering::SeqCst).min(sessions.len() - 1);
            let [key, secret, token] = &sessions[index];
            let body = format!(
                r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><AssumedRoleUser><Arn>arn:aws:sts::{id}:assumed-role/maestro-deploy/maestro-gh-9876-1</Arn><AssumedRoleId>AROACANARY:maestro-gh-9876-1</AssumedRoleId></AssumedRoleUser><Credentials><AccessKeyId>{key}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken><Expiration>{ends}</Expiration></Credentials><Audience>sts.amazonaws.com</Audience></AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>"#
            );
            ResponseTemplate::new(200).set_body_raw(body, "text/xml")
        })
        .mount(&server)
        .await;
    let body = format!(
        r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::{}:assumed-role/maestro-deploy/maestro-gh-9876-1</Arn><UserId>AROACANARY:maestro-gh-9876-1</UserId><Account>{}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>2</RequestId></ResponseMetadata></GetCallerIdentityResponse>"#,
        account.id, account.id
    );
    Mock::given(method("POST"))
        .and(body_string_contains("Action=GetCallerIdentity"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/xml"))
        .mount(&server)
        .await;
    server
}

/// GitHub's token endpoint: a new token for every refresh, each kept in `minted`.
async fn tokens(minted: Arc<std::sync::Mutex<Vec<String>>>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/_apis/token"))
        .respond_with(move |_: &Request| {
            let mut minted = minted.lock().unwrap();
            let token = jwt(&format!("repo:acme/shop-api:ref:refs/heads/runner-log:{}", minted.len()));
            minted.push(token.clone());
            ResponseTemplate::new(200).set_body_json(json!({"count": 1, "value": token}))
        })
        .expect(2..)
        .mount(&server)
        .await;
    server
}

/// Each value that must never be visible, in the forms a tool prints it in.
fn canaries(secrets: &[String]) -> Vec<String> {
    let mut all = Vec::new();
    for secret in secrets {
        let lines = secret.lines().map(str::trim).filter(|line| line.contains("CANARY") || line.len() >= 16);
        all.extend(lines.map(str::to_owned));
        if secret.contains("CANARY") {
            all.push(STANDARD.encode(secret));
            let json = serde_json::to_string(secret).unwrap();
            all.push(json[1..json.len() - 1].to_owned());
        }
    }
    all.sort();
    all.dedup();
    all
}

/// The lines between each `::group::` and its `::endgroup::` in maestro's own stderr.
fn groups(stderr: &str) -> Vec<(String, Vec<&str>)> {
    let mut groups = Vec::new();
    let mut open: Option<(String, Vec<&str>)> = None;
    for line in stderr.lines() {
        if let Some(title) = line.strip_prefix("::group::") {
            open = Some((title.to_owned(), Vec::new()));
        } else if line == "::endgroup::" {
            groups.extend(open.take());
        } else if let Some((_, lines)) = &mut open {
            lines.push(line);
        }
    }
    groups
}

/// What the runner shows of `outcome`: only maestro's own commands run, and no value of
/// `secrets` shows, in any of its forms.
fn assert_nothing_secret_and_no_relayed_command(outcome: &Outcome, secrets: &[String]) -> String {
    let runner = Runner::read(&format!("{}\n{}", outcome.stderr, outcome.stdout));
    // Only maestro's own commands ran: masks of real values, and its groups' stop tokens.
    for executed in &runner.executed {
        let own = match executed.command.as_str() {
            "add-mask" => executed.data != "x",
            "stop-commands" => executed.data.starts_with("maestro-"),
            "group" | "endgroup" => true,
            resume => resume.starts_with("maestro-"),
        };
        assert!(own, "relayed text ran a command: {executed:?}");
    }
    assert!(runner.commands_named("stop-commands").len() >= 3, "the groups stop commands");
    let visible = runner.visible();
    let leaked: Vec<String> = canaries(secrets)
        .into_iter()
        .filter(|canary| visible.contains(canary.as_str()))
        .map(|canary| format!("`{canary}` in: {}", visible.lines().find(|line| line.contains(&canary)).unwrap_or("")))
        .collect();
    assert!(leaked.is_empty(), "visible to the user:\n{}", leaked.join("\n"));
    visible
}

/// Asserts the credentials were refreshed (a mask written) inside each group titled as `titles`.
fn assert_refreshed_inside(outcome: &Outcome, titles: &[&str]) {
    let groups = groups(&outcome.stderr);
    for title in titles {
        let (_, lines) = groups.iter().find(|(name, _)| name.starts_with(title)).expect(title);
        assert!(lines.iter().any(|line| line.starts_with("::add-mask::")), "no refresh inside {title}: {lines:#?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_github_user_sees_no_secret_and_relayed_text_runs_no_command() {
    let account = TestAccount::new("a_github_user_sees_no_secret_and_relayed_text").await;
    let secret: serde_json::Map<String, serde_json::Value> =
        APP_SECRETS.iter().map(|(name, value)| ((*name).to_owned(), json!(value))).collect();
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name(format!("{BRANCH}/acme-shop-api"))
        .secret_string(serde_json::Value::Object(secret).to_string())
        .send()
        .await
        .unwrap();
    let sessions = sessions(&account, SESSIONS).await;
    let sts = short_sts(&account, sessions.clone()).await;
    let minted = Arc::default();
    let token_server = tokens(Arc::clone(&minted)).await;
    let tools = BuildTools::new();
    let env = account.deploy_env().await;
    let deploy = |extra: &[&str]| {
        let mut command = maestro();
        command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]).args(extra);
        // No static keys: the credentials come from the CI's OIDC token only.
        let static_keys = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
        command.envs(env.iter().filter(|(name, _)| !static_keys.contains(&name.as_str())).cloned());
        command.envs(tools.env()).envs([
            ("MAESTRO_SKIP_BUILD", "false"),
            ("MAESTRO_BRANCH_OVERRIDE", BRANCH),
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REPOSITORY", "acme/shop-api"),
            ("GITHUB_RUN_ID", "9876"),
            ("GITHUB_RUN_ATTEMPT", "1"),
            ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", REQUEST_TOKEN),
            ("AWS_ENDPOINT_URL_STS", &sts.uri()),
            ("MAESTRO_INPUT_MAESTRO_ROLE_ARN", &format!("arn:aws:iam::{}:role/maestro-deploy", account.id)),
            ("ACTIONS_ID_TOKEN_REQUEST_URL", &format!("{}/_apis/token?api-version=2.0", token_server.uri())),
        ]);
        run(&mut command)
    };
    let secrets = || {
        let mut secrets: Vec<String> = APP_SECRETS.iter().map(|(_, value)| (*value).to_owned()).collect();
        secrets.extend(sessions.iter().flatten().cloned());
        secrets.extend(minted.lock().unwrap().iter().cloned());
        secrets.push(REQUEST_TOKEN.to_owned());
        secrets
    };

    // A build (pack prints the secret, as JSON and in base64 too), a release, the services and
    // their rollouts: a refresh inside each group that calls AWS.
    let first = deploy(&[]);
    first.expect_code(0).expect_stderr(&["stand-in buildpack sees"]);
    let groups = ["Provision", "Run the release process", "Update the services", "Wait for the services"];
    assert_refreshed_inside(&first, &groups);
    assert_nothing_secret_and_no_relayed_command(&first, &secrets());

    // A release that fails, having logged the secret and workflow commands.
    plan_task(&format!("acme-shop-api-{BRANCH}-release"), json!({"exit_code": 3, "log": RELEASE_LOG})).await;
    let failed = deploy(&["--force"]);
    failed.expect_code(1).expect_stderr(&["error: the release command exited with code 3"]);
    // Everything is in place already: the Provision group makes no call this time.
    assert_refreshed_inside(&failed, &["Run the release process"]);
    assert!(minted.lock().unwrap().len() > 6, "the credentials were refreshed during the runs");
    let visible = assert_nothing_secret_and_no_relayed_command(&failed, &secrets());
    // The relayed lines reached the log, as text.
    assert!(visible.contains("using key ***"), "{visible}");
    assert!(visible.contains("error::spoof"), "{visible}");
}
