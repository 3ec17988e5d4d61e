//! The build stage as a user runs it: the real binary against the emulator's ECR, with the
//! stand-in pack and Docker daemon (`stand_ins.rs`).

use std::process::Command;

use serde_json::Value;

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, cancel_when, maestro, run};
use maestro_test_support::TestAccount;

const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\nAT8wggE7AgEAAkEAq7BFUpkGp3+XQ==\n-----END PRIVATE KEY-----\n";

/// The app's secret, with the values the original mangled: spaces, `=`, several lines.
pub(crate) fn app_secret() -> Value {
    serde_json::json!({
        "GREETING": "hello big wide world",
        "DATABASE_URL": "postgres://shop:pa55=word@db.internal:5432/shop?sslmode=require",
        "PRIVATE_KEY": PEM,
        "API_TOKEN": "tok-7f3e9a1c5b2d",
    })
}

/// A fresh account whose variables name its real default network: deploy and plan verify the
/// network first, and the example env file's subnets are made up.
async fn account_in_its_network(name: &str) -> TestAccount {
    let mut account = TestAccount::new(name).await;
    let network = account.network_env().await;
    account.env.extend(network);
    account
}

pub(crate) async fn create_secret(account: &TestAccount) {
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name("staging/acme-shop-api")
        .secret_string(app_secret().to_string())
        .send()
        .await
        .unwrap();
}

fn maestro_with(account: &TestAccount, tools: &BuildTools, subcommand: &str, extra: &[(&str, &str)]) -> Outcome {
    run(&mut command_with(account, tools, subcommand, extra))
}

/// `subcommand` on the example app in `account`, with the stand-in build tools.
fn command_with(account: &TestAccount, tools: &BuildTools, subcommand: &str, extra: &[(&str, &str)]) -> Command {
    let mut command = maestro();
    command.args([subcommand, "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.env.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    command.env("AWS_ACCOUNT_ID", &account.id);
    command.envs(tools.env());
    command.envs(extra.iter().copied());
    command
}

/// No value of the app's secret (nor any of its lines) is printed anywhere.
pub(crate) fn assert_no_secret_value(outcome: &Outcome) {
    for value in app_secret().as_object().unwrap().values() {
        for line in value.as_str().unwrap().lines().filter(|line| line.len() >= 4) {
            assert!(!outcome.stdout.contains(line), "stdout shows `{line}`");
            let unmasked = outcome.stderr.lines().filter(|printed| !printed.starts_with("::add-mask::"));
            assert!(
                unmasked.clone().all(|printed| !printed.contains(line)),
                "stderr shows `{line}`:\n{}",
                outcome.stderr
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn builds_a_missing_image_then_skips_it_on_ecr() {
    let account = account_in_its_network("builds_a_missing_image_then_skips_it_on_ecr").await;
    create_secret(&account).await;
    let tools = BuildTools::new();
    let outputs = tools.dir().join("github-output");

    let planned = maestro_with(&account, &tools, "plan", &[]).expect_code(0).json();
    assert_eq!(planned["build"], serde_json::json!({"needed": true, "image_exists": false, "digest": null}));
    let checked = run(command_with(&account, &tools, "build", &[]).arg("--check")).expect_code(0).json();
    assert_eq!((&checked["exists"], &checked["needed"]), (&Value::Bool(false), &Value::Bool(true)), "{checked}");
    assert!(tools.record().is_none(), "the check builds nothing");

    let first = maestro_with(&account, &tools, "build", &[]);
    let report = first.expect_code(0).json();
    let uri = format!("{}.dkr.ecr.us-east-1.amazonaws.com/{EXAMPLE_REPOSITORY}:{EXAMPLE_TAG}", account.id);
    assert_eq!(report["image"]["uri"], uri.as_str());
    assert_eq!(report["image"]["source"], "built");
    assert!(report["image"]["digest"].as_str().unwrap().starts_with("sha256:"), "{report}");

    let record = tools.record().expect("pack ran");
    let argv: Vec<&str> = record["argv"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap()).collect();
    let repository = uri.trim_end_matches(&format!(":{EXAMPLE_TAG}"));
    assert_eq!(&argv[..4], ["build", &format!("{repository}:latest"), "--tag", uri.as_str()]);
    for expected in [
        ["--builder", "heroku/builder:24"],
        ["--cache-image", &format!("{repository}:cache")],
        ["--pull-policy", "if-not-present"],
    ] {
        assert!(argv.windows(2).any(|pair| pair == expected), "{expected:?} in {argv:?}");
    }
    assert!(argv.contains(&"--publish") && argv.contains(&"--trust-builder") && !argv.contains(&"--verbose"));
    // The buildpacks see every value exactly as stored, and no AWS credentials.
    let secret = app_secret();
    assert_eq!(record["build_env"], secret, "what the build sees");
    let names: Vec<&str> =
        record["environment_names"].as_array().unwrap().iter().map(|name| name.as_str().unwrap()).collect();
    assert!(names.iter().all(|name| !name.starts_with("AWS_")), "pack's environment: {names:?}");
    // The env file was private, outside the app, and is gone.
    let env_file = record["env_file"].as_str().unwrap();
    assert!(!env_file.contains(EXAMPLE_APP) && env_file.starts_with(tools.dir().to_str().unwrap()), "{env_file}");
    assert_eq!(
        (record["env_file_mode"].as_str(), record["env_file_dir_mode"].as_str()),
        (Some("0o600"), Some("0o700"))
    );
    assert!(!std::path::Path::new(env_file).exists() && tools.build_dirs_left().is_empty());
    assert_no_secret_value(&first);
    // pack's output is relayed, values hidden.
    first.expect_stderr(&["stand-in buildpack sees GREETING=***"]);

    // The repository was created, scanning on push, with the workload's tags.
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    let repositories = ecr.describe_repositories().repository_names(EXAMPLE_REPOSITORY).send().await.unwrap();
    let created = &repositories.repositories()[0];
    assert!(created.image_scanning_configuration().unwrap().scan_on_push());
    let tags = ecr.list_tags_for_resource().resource_arn(created.repository_arn().unwrap()).send().await.unwrap();
    assert!(tags.tags().iter().any(|tag| tag.key() == "workload" && tag.value() == "shop"), "{tags:?}");
    // And the environment's marker, which `maestro destroy` needs to delete it.
    assert!(tags.tags().iter().any(|tag| tag.key() == "maestro:app" && tag.value() == EXAMPLE_REPOSITORY), "{tags:?}");
    // And with the lifecycle policy that keeps latest, cache and the last commits' images.
    let policy = ecr.get_lifecycle_policy().repository_name(EXAMPLE_REPOSITORY).send().await.unwrap();
    let text: Value = serde_json::from_str(policy.lifecycle_policy_text().unwrap()).unwrap();
    assert_eq!(
        text,
        serde_json::from_str::<Value>(&maestro_core::build::lifecycle::policy(Default::default())).unwrap()
    );

    let planned = maestro_with(&account, &tools, "plan", &[]).expect_code(0).json();
    assert_eq!(planned["build"]["needed"], false);
    assert_eq!(planned["build"]["digest"], report["image"]["digest"]);
    // The check needs no pack.
    let checked = run(command_with(&account, &tools, "build", &[("PATH", "/usr/bin:/bin")]).arg("--check"));
    let checked = checked.expect_code(0).json();
    assert_eq!((&checked["needed"], &checked["digest"]), (&Value::Bool(false), &report["image"]["digest"]));

    // The same commit again: nothing is built, and the run says so; outputs are written on GitHub.
    let second = maestro_with(
        &account,
        &tools,
        "build",
        &[("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", outputs.to_str().unwrap())],
    );
    let report = second.expect_code(0).expect_stderr(&["already exists"]).json();
    assert!(tools.record().is_none(), "pack did not run");
    assert_eq!(report["image"]["source"], "existing");
    let written = std::fs::read_to_string(&outputs).unwrap();
    assert!(written.contains(&format!("image-uri={uri}\n")) && written.contains("image-digest=sha256:"), "{written}");

    // Opting in hands the deploy's own AWS credentials to the buildpacks, and still hides them.
    let opted = maestro_with(
        &account,
        &tools,
        "build",
        &[("MAESTRO_BUILD_AWS_CREDENTIALS", "true"), ("MAESTRO_COMMIT_OVERRIDE", "0123456789abcdef")],
    );
    opted.expect_code(0);
    let record = tools.record().expect("pack ran for the new commit");
    for (name, value) in account
        .env
        .iter()
        .filter(|(name, _)| (name.starts_with("AWS_") && name.contains("KEY")) || name == "AWS_SESSION_TOKEN")
    {
        assert_eq!(record["build_env"][name], value.as_str(), "{name}");
        opted.expect_nowhere(&[value]);
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn deploy_builds_first_and_only_build_stops_there() {
    let account = account_in_its_network("deploy_builds_first_and_only_build_stops_there").await;
    create_secret(&account).await;
    let tools = BuildTools::new();
    let only = maestro_with(&account, &tools, "deploy", &[("MAESTRO_ONLY_BUILD", "true"), ("GITHUB_ACTIONS", "true")]);
    let report = only.expect_code(0).json();
    assert!(tools.record().is_some(), "pack ran");
    assert_eq!(report["image"]["source"], "built");
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "MAESTRO_ONLY_BUILD provisions nothing");
    // On GitHub every value was masked before pack ran, and pack's output was fenced off.
    for value in app_secret().as_object().unwrap().values() {
        let first_line = value.as_str().unwrap().lines().next().unwrap();
        only.expect_stderr(&[format!("::add-mask::{first_line}")]);
    }
    assert_no_secret_value(&only);
    only.expect_stderr(&["::group::Build ", "::stop-commands::maestro-", "::endgroup::"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_failed_build_deploys_nothing_and_leaves_no_secret_file() {
    let account = account_in_its_network("a_failed_build_deploys_nothing").await;
    create_secret(&account).await;
    let tools = BuildTools::new();
    let dotenv = tools.dir().join("maestro-deploy.env").display().to_string();
    let failed = maestro_with(
        &account,
        &tools,
        "deploy",
        &[
            ("PACK_STAND_IN_EXIT", "3"),
            ("MAESTRO_DEBUG", "true"),
            ("GITLAB_CI", "true"),
            ("MAESTRO_DOTENV_FILE", dotenv.as_str()),
        ],
    );
    failed.expect_code(1);
    // On GitLab, pack's output is a collapsed section.
    failed.expect_stderr(&["section_start:", ":maestro_build[collapsed=true]", "section_end:"]);
    // The failed deploy is in GitLab's dotenv report.
    assert!(std::fs::read_to_string(&dotenv).unwrap().contains("MAESTRO_STATUS=failure\n"));
    // The failure repeats pack's last lines.
    failed.expect_stderr(&["pack build failed (exit code 3)", "ERROR: failed to build"]);
    let record = tools.record().expect("pack ran");
    assert!(record["argv"].as_array().unwrap().iter().any(|arg| arg == "--verbose"), "debug makes pack verbose");
    assert!(tools.build_dirs_left().is_empty(), "the env file is removed on failure too");
    assert_no_secret_value(&failed);
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn skip_build_needs_an_existing_image() {
    let account = account_in_its_network("skip_build_needs_an_existing_image").await;
    let tools = BuildTools::new();
    let missing =
        maestro_with(&account, &tools, "deploy", &[("MAESTRO_SKIP_BUILD", "true"), ("PATH", "/usr/bin:/bin")]);
    // Found by verify, before the deploy lease: an input error, and not even the lease written.
    missing.expect_code(2).expect_stderr(&[
        "MAESTRO_SKIP_BUILD: image ",
        "does not exist, and MAESTRO_SKIP_BUILD=true skips the build that would make it",
        "hint: build the commit first",
    ]);
    let ssm = aws_sdk_ssm::Client::new(&account.config);
    let locks = ssm.get_parameters_by_path().path("/maestro/locks").recursive(true).send().await.unwrap();
    assert!(locks.parameters().is_empty(), "the lease was taken: {locks:?}");
    assert!(tools.record().is_none());
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty(), "nothing written");

    // With the image there, pack and Docker are not needed at all.
    account.seed_image(EXAMPLE_REPOSITORY, EXAMPLE_TAG).await;
    let skipped = maestro_with(
        &account,
        &tools,
        "build",
        &[("MAESTRO_SKIP_BUILD", "true"), ("PATH", "/usr/bin:/bin"), ("DOCKER_HOST", "unix:///nonexistent.sock")],
    );
    skipped.expect_code(0);
}

#[test]
fn missing_tools_are_named_before_anything_else() {
    let tools = BuildTools::new();
    // No AWS credentials at all: the tools are checked first.
    let mut command = maestro();
    command.args(["build", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    command.env("PATH", "/usr/bin:/bin");
    run(&mut command).expect_code(1).expect_stderr(&["needs `pack`", "GitHub Action"]);

    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    command.envs(tools.env()).env("DOCKER_HOST", "unix:///nonexistent/docker.sock");
    run(&mut command).expect_code(1).expect_stderr(&[
        "needs a Docker daemon, and none answers at unix:///nonexistent/docker.sock",
        "MAESTRO_SKIP_BUILD=true",
    ]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_cancelled_build_stops_pack_and_removes_its_secrets() {
    let account = account_in_its_network("a_cancelled_build_stops_pack").await;
    create_secret(&account).await;
    let tools = BuildTools::new();
    let mut command = command_with(&account, &tools, "deploy", &[("PACK_STAND_IN_SLEEP", "60")]);
    let started = std::time::Instant::now();
    let (code, seen, rest) = cancel_when(&mut command, |line| {
        // While pack runs, its env file exists.
        line.contains("BUILDING (slowly)") && tools.build_dirs_left().len() == 1
    });
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains("stopped during the build; nothing was deployed"), "{rest}");
    assert!(started.elapsed() < std::time::Duration::from_secs(50), "pack was stopped, not waited for");
    assert!(tools.build_dirs_left().is_empty(), "the env file is removed when cancelled");
    let clusters = aws_sdk_ecs::Client::new(&account.config).list_clusters().send().await.unwrap();
    assert!(clusters.cluster_arns().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_account_that_cannot_take_the_deploy_stops_it_before_the_build() {
    let account = account_in_its_network("an_account_that_cannot_take_the_deploy_stops_it_before_the_build").await;
    let tools = BuildTools::new();
    let shared = [("ALB_NAME_OVERRIDE", "shared-alb"), ("MAESTRO_HOST", "staging.shop.example.com")];
    let refused = maestro_with(&account, &tools, "deploy", &shared);
    refused.expect_code(2).expect_stderr(&[
        "error: ALB_NAME_OVERRIDE: load balancer shared-alb does not exist in this account and region",
    ]);
    // The preflight read the account before the build: pack never ran, no repository was made.
    let record = tools.record();
    assert!(record.is_none(), "pack ran: {record:?}");
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    let repositories = ecr.describe_repositories().send().await.unwrap();
    assert!(repositories.repositories().is_empty(), "{:?}", repositories.repositories());
}

/// M5: what the build gets. A secret key pack reads itself (`HTTPS_PROXY`, padded so that it
/// would go through pack's environment) is warned about and not passed; `MAESTRO_BUILD_SECRET_KEYS`
/// limits the secret's keys; a builder pack does not trust gets no `--trust-builder`. (Before:
/// `HTTPS_PROXY` was in pack's environment, every key reached the build, and the argv always
/// held `--trust-builder`.)
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_build_gets_only_what_it_needs() {
    let account = account_in_its_network("the_build_gets_only_what_it_needs").await;
    let secret = serde_json::json!({
        "HTTPS_PROXY": "http://127.0.0.1:9 ",
        "LD_PRELOAD": "/tmp/evil.so\n",
        "NPM_TOKEN": "npm-CANARY-1",
        "DATABASE_URL": "postgres://CANARY@db/shop",
    });
    aws_sdk_secretsmanager::Client::new(&account.config)
        .create_secret()
        .name("staging/acme-shop-api")
        .secret_string(secret.to_string())
        .send()
        .await
        .unwrap();
    let tools = BuildTools::new();

    let all = maestro_with(&account, &tools, "build", &[("MAESTRO_BUILDER", "ghcr.io/acme/builder:1")]);
    all.expect_code(0);
    let record = tools.record().expect("pack ran");
    let names: Vec<&str> =
        record["environment_names"].as_array().unwrap().iter().map(|name| name.as_str().unwrap()).collect();
    assert!(!names.contains(&"HTTPS_PROXY") && !names.contains(&"LD_PRELOAD"), "pack's environment: {names:?}");
    assert_eq!(
        record["build_env"],
        serde_json::json!({"NPM_TOKEN": "npm-CANARY-1", "DATABASE_URL": "postgres://CANARY@db/shop"})
    );
    all.expect_stderr(&["`HTTPS_PROXY` in secret staging/acme-shop-api has a multi-line or space-padded value"]);
    all.expect_stderr(&["`LD_PRELOAD` in secret staging/acme-shop-api"]);
    let argv: Vec<&str> = record["argv"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap()).collect();
    assert!(argv.contains(&"--publish") && !argv.contains(&"--trust-builder"), "{argv:?}");
    assert!(!all.stderr.contains("127.0.0.1:9"), "no value in a warning");

    // Another commit, with the allow-list and the user's word for the builder.
    let tools = BuildTools::new();
    let only = maestro_with(
        &account,
        &tools,
        "build",
        &[
            ("MAESTRO_COMMIT_OVERRIDE", "1111111111111111111111111111111111111111"),
            ("MAESTRO_BUILDER", "ghcr.io/acme/builder:1"),
            ("MAESTRO_TRUST_BUILDER", "true"),
            ("MAESTRO_BUILD_SECRET_KEYS", "NPM_TOKEN"),
        ],
    );
    only.expect_code(0);
    let record = tools.record().expect("pack ran");
    assert_eq!(record["build_env"], serde_json::json!({"NPM_TOKEN": "npm-CANARY-1"}));
    let argv: Vec<&str> = record["argv"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap()).collect();
    assert!(argv.contains(&"--trust-builder"), "{argv:?}");
}
