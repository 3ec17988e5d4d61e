//! arm64 and the builder as a user deploys them (issue 22, items 2 and 3): the real binary against
//! the emulator, with the stand-in pack (`stand_ins.rs`). Each test in its own account.

use serde_json::{Value, json};

use crate::deploy_checks::maestro_on;
use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, Scratch, maestro, run};
use maestro_test_support::TestAccount;

const NEXT: &str = "1111111111111111111111111111111111111111";
const LATER: &str = "2222222222222222222222222222222222222222";
const KEPT: &str = "the environment keeps builder heroku/builder:24";

/// The example app without its `project.toml`, which pins `heroku/builder:24`: nothing pins a builder.
fn unpinned_app() -> Scratch {
    let app = Scratch::copy_of_example();
    std::fs::remove_file(app.join("project.toml")).unwrap();
    app
}

/// A deploy (or `subcommand`) of `app` that builds with the stand-in pack, with `extra`.
async fn building(
    account: &TestAccount,
    tools: &BuildTools,
    app: &Scratch,
    subcommand: &str,
    extra: &[(&str, &str)],
) -> Outcome {
    let tools_env = tools.env();
    let mut env: Vec<(&str, &str)> = tools_env.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    env.push(("MAESTRO_SKIP_BUILD", "false"));
    env.extend(extra.iter().copied());
    maestro_on(account, &app.path().display().to_string(), subcommand, &[], &env).await
}

/// pack's argv, as the stand-in recorded it.
fn pack_argv(tools: &BuildTools) -> Vec<String> {
    let record = tools.record().expect("pack ran");
    record["argv"].as_array().unwrap().iter().map(|arg| arg.as_str().unwrap().to_owned()).collect()
}

fn has_pair(argv: &[String], flag: &str, value: &str) -> bool {
    argv.windows(2).any(|pair| pair[0] == flag && pair[1] == value)
}

/// The newest release record, as `maestro releases` lists it.
async fn newest_release(account: &TestAccount) -> Value {
    let listed = maestro_on(account, EXAMPLE_APP, "releases", &[], &[]).await.expect_code(0).json();
    listed["releases"][0].clone()
}

/// The plan people read on arm64, exactly: the image's own tag and the architecture under it
/// (the x86_64 plan is `plan_cli`'s `plan_human`, unchanged).
#[test]
fn the_human_plan_says_the_architecture() {
    let mut command = maestro();
    command.args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV]);
    let outcome = run(command.env("MAESTRO_CPU_ARCHITECTURE", "ARM64"));
    outcome.expect_code(0);
    assert_eq!(outcome.stderr, "", "a clean plan writes nothing to stderr");
    insta::assert_snapshot!("plan_human_arm64", outcome.stdout);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn arm64_builds_its_own_image_and_sets_every_task_definitions_runtime_platform() {
    let account = TestAccount::new("platform_arm64_builds_its_own_image").await;
    let (tools, app) = (BuildTools::new(), unpinned_app());
    let arm64 = [("MAESTRO_CPU_ARCHITECTURE", "arm64")];
    // The commit's x86_64 image exists (`maestro_on` seeds `<short sha>`): it is not arm64's.
    let planned = building(&account, &tools, &app, "plan", &arm64).await.expect_code(0).json();
    assert_eq!(planned["image"]["architecture"], json!({"cpu": "arm64", "chosen": true}));
    assert_eq!(planned["image"]["tag"], format!("{EXAMPLE_TAG}-arm64"));
    assert_eq!(planned["build"]["needed"], true, "{}", planned["build"]);

    let first = building(&account, &tools, &app, "deploy", &arm64).await;
    let report = first.expect_code(0).json();
    let argv = pack_argv(&tools);
    assert!(has_pair(&argv, "--platform", "linux/arm64"), "{argv:?}");
    let uri = report["image"]["uri"].as_str().unwrap();
    assert!(uri.ends_with(&format!("/{EXAMPLE_REPOSITORY}:{EXAMPLE_TAG}-arm64")), "{uri}");
    assert!(has_pair(&argv, "--tag", uri), "{argv:?}");
    assert_eq!(report["image"]["source"], "built");

    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let pages = ecs.list_task_definition_families().into_paginator().send().collect::<Vec<_>>().await;
    let families: Vec<String> = pages.into_iter().flat_map(|page| page.unwrap().families().to_vec()).collect();
    assert!(families.len() >= 6, "every process, the release, the launcher: {families:?}");
    for family in &families {
        let described = ecs.describe_task_definition().task_definition(family).send().await.unwrap();
        let platform = described.task_definition().and_then(|definition| definition.runtime_platform());
        let platform = platform.unwrap_or_else(|| panic!("{family} has no runtimePlatform"));
        assert_eq!(
            (
                platform.cpu_architecture().map(|cpu| cpu.as_str()),
                platform.operating_system_family().map(|os| os.as_str())
            ),
            (Some("ARM64"), Some("LINUX")),
            "{family}"
        );
    }
    let release = newest_release(&account).await;
    assert_eq!(release["built_with"], json!({"builder": "heroku/builder:26", "architecture": "arm64"}));

    // The same commit again: its arm64 image is found, nothing is built or written.
    let again = building(&account, &tools, &app, "deploy", &arm64).await;
    let report = again.expect_code(0).json();
    assert!(tools.record().is_none(), "pack did not run");
    assert_eq!(report["image"]["source"], "existing");
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", report["actions"]);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_new_environment_builds_with_builder_26_and_keeps_it() {
    let account = TestAccount::new("platform_a_new_environment_builds_with_builder_26").await;
    let (tools, app) = (BuildTools::new(), unpinned_app());
    let first = building(&account, &tools, &app, "deploy", &[("MAESTRO_COMMIT_OVERRIDE", NEXT)]).await;
    first.expect_code(0);
    assert!(!first.stderr.contains("keeps builder"), "{}", first.stderr);
    let argv = pack_argv(&tools);
    assert!(has_pair(&argv, "--builder", "heroku/builder:26") && argv.contains(&"--trust-builder".to_owned()));
    assert!(argv.iter().any(|arg| arg.ends_with(&format!("/{EXAMPLE_REPOSITORY}:builder-heroku-26"))), "{argv:?}");
    assert!(!argv.contains(&"--platform".to_owned()), "no architecture chosen: {argv:?}");
    let release = newest_release(&account).await;
    assert_eq!(release["built_with"], json!({"builder": "heroku/builder:26", "architecture": "x86_64"}));

    // `maestro build` alone records no release; the next build still finds the default's marker.
    let fresh = TestAccount::new("platform_a_build_alone_keeps_builder_26").await;
    building(&fresh, &tools, &app, "build", &[("MAESTRO_COMMIT_OVERRIDE", NEXT)]).await.expect_code(0);
    assert!(has_pair(&pack_argv(&tools), "--builder", "heroku/builder:26"));
    let next = building(&fresh, &tools, &app, "deploy", &[("MAESTRO_COMMIT_OVERRIDE", LATER)]).await;
    assert!(!next.expect_code(0).stderr.contains("keeps builder"), "{}", next.stderr);
    assert!(has_pair(&pack_argv(&tools), "--builder", "heroku/builder:26"));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_environment_deployed_before_keeps_builder_24_with_one_warning_until_it_pins_one() {
    let account = TestAccount::new("platform_an_environment_deployed_before_keeps_24").await;
    let (tools, app) = (BuildTools::new(), unpinned_app());
    // Deployed by an earlier maestro: its release record says nothing of a builder.
    maestro_on(&account, &app.path().display().to_string(), "deploy", &[], &[]).await.expect_code(0);
    assert_eq!(newest_release(&account).await.get("built_with"), None);

    let kept = building(&account, &tools, &app, "deploy", &[("MAESTRO_COMMIT_OVERRIDE", NEXT)]).await;
    kept.expect_code(0);
    assert_eq!(kept.stderr.matches(KEPT).count(), 1, "said once: {}", kept.stderr);
    assert!(kept.stderr.contains("set MAESTRO_BUILDER=heroku/builder:26"), "{}", kept.stderr);
    let argv = pack_argv(&tools);
    assert!(has_pair(&argv, "--builder", "heroku/builder:24"), "{argv:?}");
    assert!(!argv.iter().any(|arg| arg.contains("builder-heroku-26")), "{argv:?}");
    let release = newest_release(&account).await;
    assert_eq!(release["built_with"], json!({"builder": "heroku/builder:24", "architecture": "x86_64"}));

    // Pinned, it moves, without the warning; unpinned again, it keeps what it moved to. (The
    // stand-in builds the same image for every commit: a change of its own makes each deploy a
    // release, recorded.)
    let pinned = [
        ("MAESTRO_COMMIT_OVERRIDE", LATER),
        ("MAESTRO_BUILDER", "heroku/builder:26"),
        ("ECS_CONTAINER_STOP_TIMEOUT", "61"),
    ];
    let moved = building(&account, &tools, &app, "deploy", &pinned).await;
    assert!(!moved.expect_code(0).stderr.contains("keeps builder"), "{}", moved.stderr);
    assert!(has_pair(&pack_argv(&tools), "--builder", "heroku/builder:26"));
    let later = "3333333333333333333333333333333333333333";
    let release = newest_release(&account).await;
    assert_eq!(release["built_with"], json!({"builder": "heroku/builder:26", "architecture": "x86_64"}));
    let unpinned = [("MAESTRO_COMMIT_OVERRIDE", later), ("ECS_CONTAINER_STOP_TIMEOUT", "62")];
    let unpinned = building(&account, &tools, &app, "deploy", &unpinned).await;
    assert!(!unpinned.expect_code(0).stderr.contains("keeps builder"), "{}", unpinned.stderr);
    assert!(has_pair(&pack_argv(&tools), "--builder", "heroku/builder:26"));
}
