//! Image sources as a user runs them: a Dockerfile built with the stand-in docker (argv, secrets,
//! cache, skip), a Dockerfile app without a Procfile, and an image built elsewhere (`MAESTRO_IMAGE`)
//! deployed by its digest with no build; the conflicts refused before any AWS call.

use std::process::Command;

use serde_json::Value;

use crate::build::{assert_no_secret_value, create_secret};
use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, Scratch, maestro, run};
use maestro_test_support::TestAccount;

/// An app with a Dockerfile and no project.toml (a Dockerfile build, detected), and a Procfile
/// when `procfile` is given.
fn dockerfile_app(procfile: Option<&str>) -> Scratch {
    let app = Scratch::new();
    app.write(
        "Dockerfile",
        "FROM node:22-slim\nCOPY . /app\nRUN --mount=type=secret,id=API_TOKEN true\nCMD [\"bin/server\"]\n",
    );
    if let Some(procfile) = procfile {
        app.write("Procfile", procfile);
    }
    app
}

fn command(app: &Scratch, subcommand: &str, env: &[(String, String)], extra: &[(&str, &str)]) -> Command {
    let mut command = maestro();
    command.args([subcommand, "--app"]).arg(app.path()).args(["--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(env.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    command.envs(extra.iter().copied());
    command
}

/// The account's deploy variables (its network, fast polling), building with the stand-ins.
async fn build_env(account: &TestAccount, tools: &BuildTools) -> Vec<(String, String)> {
    let mut env = account.deploy_env().await;
    env.retain(|(name, _)| name != "MAESTRO_SKIP_BUILD");
    env.extend(tools.env());
    env
}

fn argv(record: &Value, key: &str) -> Vec<String> {
    record[key].as_array().unwrap().iter().map(|word| word.as_str().unwrap().to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_dockerfile_build_passes_secrets_only_as_buildkit_secrets_with_a_registry_cache() {
    let account = TestAccount::new("a_dockerfile_build_passes_secrets_only_as_buildkit_secrets").await;
    create_secret(&account).await;
    let tools = BuildTools::new();
    let app = dockerfile_app(Some("web: bin/server\nworker: bin/worker\n"));
    let env = build_env(&account, &tools).await;
    let keys = ("MAESTRO_BUILD_SECRET_KEYS", "API_TOKEN,PRIVATE_KEY");

    let planned = run(&mut command(&app, "plan", &env, &[])).expect_code(0).json();
    assert_eq!(
        planned["image"]["source"],
        serde_json::json!({"kind": "dockerfile", "file": "Dockerfile", "target": null, "detected": true})
    );
    let checked = run(command(&app, "build", &env, &[]).arg("--check")).expect_code(0).json();
    assert_eq!((&checked["needed"], &checked["tool"]), (&Value::Bool(true), &Value::from("docker")));

    let built = run(&mut command(&app, "build", &env, &[keys, ("GITHUB_ACTIONS", "true")]));
    let report = built.expect_code(0).json();
    let uri = format!("{}.dkr.ecr.us-east-1.amazonaws.com/{EXAMPLE_REPOSITORY}:{EXAMPLE_TAG}", account.id);
    let repository = uri.trim_end_matches(&format!(":{EXAMPLE_TAG}")).to_owned();
    assert_eq!(
        (&report["image"]["uri"], &report["image"]["source"]),
        (&Value::from(uri.as_str()), &Value::from("built"))
    );
    // maestro's builder is made once, then used.
    assert_eq!(
        tools.docker_calls()[..2],
        ["buildx inspect maestro", "buildx create --name maestro --driver docker-container"]
    );
    let record = tools.docker_record().expect("docker built");
    let app_dir = app.path().canonicalize().unwrap_or_else(|_| app.path().to_owned()).display().to_string();
    let shown =
        |words: Vec<String>| words.join(" ").replace(&app_dir, "APP").replace(app.path().to_str().unwrap(), "APP");
    assert_eq!(
        shown(argv(&record, "argv")),
        format!(
            "buildx build --builder maestro --push --progress plain --tag {uri} --tag {repository}:latest \
             --file APP/Dockerfile --platform linux/amd64 --cache-from type=registry,ref={repository}:cache \
             --cache-to type=registry,ref={repository}:cache,mode=max,image-manifest=true,oci-mediatypes=true \
             --secret id=API_TOKEN,env=API_TOKEN --secret id=PRIVATE_KEY,env=PRIVATE_KEY APP"
        )
    );
    // The secrets arrive as BuildKit secrets (the stand-in read them from its environment under
    // their own keys, and refuses --build-arg and any argv word holding a value).
    assert_eq!(record["secret_keys"], serde_json::json!(["API_TOKEN", "PRIVATE_KEY"]));
    let names = argv(&record, "environment_names");
    // `PWD`, `SHLVL` and `_` come from the stand-in's bash wrapper, `LC_CTYPE` from Python's locale coercion.
    let system = ["HOME", "LANG", "LC_ALL", "PATH", "TMPDIR", "TZ", "USER", "LOGNAME", "PWD", "SHLVL", "_", "LC_CTYPE"];
    for name in &names {
        let allowed = system.contains(&name.as_str())
            || name.starts_with("DOCKER_")
            || name.starts_with("BUILDX_")
            || name.starts_with("XDG_")
            || ["API_TOKEN", "PRIVATE_KEY"].contains(&name.as_str());
        assert!(allowed, "docker's environment holds {name}: {names:?}");
    }
    assert!(names.contains(&"API_TOKEN".to_owned()) && !names.contains(&"DATABASE_URL".to_owned()), "{names:?}");
    assert_eq!(record["docker_logins"][format!("{}.dkr.ecr.us-east-1.amazonaws.com", account.id)], "AWS");
    assert!(record["dockerfile_exists"].as_bool().unwrap());
    // docker's output is relayed in a group, each value hidden.
    built
        .expect_stderr(&["::group::Build ", "#5 RUN --mount=type=secret,id=API_TOKEN cat /run/secrets/API_TOKEN: ***"]);
    assert_no_secret_value(&built);
    assert!(tools.build_dirs_left().is_empty(), "the private DOCKER_CONFIG is removed");

    // The same commit again: nothing is built.
    let again = run(&mut command(&app, "build", &env, &[keys])).expect_code(0).json();
    assert_eq!(again["image"]["source"], "existing");
    assert!(tools.docker_record().is_none(), "docker did not build");

    // MAESTRO_NO_CACHE: no registry cache; the builder is there already.
    let sha = ("MAESTRO_COMMIT_OVERRIDE", "0123456789abcdef0123456789abcdef01234567");
    run(&mut command(&app, "build", &env, &[sha, ("MAESTRO_NO_CACHE", "true")])).expect_code(0);
    let calls = tools.docker_calls();
    assert!(calls.iter().all(|call| !call.starts_with("buildx create")), "{calls:?}");
    let uncached = argv(&tools.docker_record().unwrap(), "argv").join(" ");
    assert!(uncached.contains(" --no-cache ") && !uncached.contains("--cache-"), "{uncached}");
    assert!(!uncached.contains("--secret"), "no MAESTRO_BUILD_SECRET_KEYS, no secret: {uncached}");

    // A failed build says so with docker's last lines, and deploys nothing.
    let failed_sha = ("MAESTRO_COMMIT_OVERRIDE", "fedcba9876543210fedcba9876543210fedcba98");
    let failed = run(&mut command(&app, "deploy", &env, &[failed_sha, keys, ("DOCKER_STAND_IN_EXIT", "4")]));
    failed.expect_code(1).expect_stderr(&["docker buildx build failed (exit code 4)", "ERROR: failed to solve"]);
    assert_no_secret_value(&failed);
    let services =
        aws_sdk_ecs::Client::new(&account.config).list_services().cluster("acme-shop-api-staging").send().await;
    assert!(services.map(|listed| listed.service_arns().is_empty()).unwrap_or(true), "no service was created");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_dockerfile_app_without_a_procfile_runs_one_web_service_with_the_images_command() {
    let account = TestAccount::new("a_dockerfile_app_without_a_procfile_runs_one_web_service").await;
    let tools = BuildTools::new();
    let app = dockerfile_app(None);
    let env = build_env(&account, &tools).await;
    let deployed = run(&mut command(&app, "deploy", &env, &[])).expect_code(0).json();
    assert_eq!(deployed["image"]["source"], "built", "{deployed}");
    assert!(tools.docker_record().is_some(), "built with docker");
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let services = ecs.list_services().cluster("acme-shop-api-staging").send().await.unwrap();
    assert_eq!(services.service_arns().len(), 1, "{services:?}");
    assert!(services.service_arns()[0].ends_with("/acme-shop-api-staging-web"), "{services:?}");
    for family in ["acme-shop-api-staging-web", "acme-shop-api-staging-launcher"] {
        let described = ecs.describe_task_definition().task_definition(family).send().await.unwrap();
        let container = &described.task_definition().unwrap().container_definitions()[0];
        assert!(container.command().is_empty() && container.entry_point().is_empty(), "{family}: {container:?}");
        assert!(container.image().unwrap().contains("@sha256:"), "pinned: {container:?}");
    }
    // A second deploy of the same commit writes nothing.
    let again = run(&mut command(&app, "deploy", &env, &[])).expect_code(0).json();
    assert_eq!(again["actions"], serde_json::json!([]), "{again}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn an_image_built_elsewhere_deploys_by_its_digest_with_no_build() {
    let account = TestAccount::new("an_image_built_elsewhere_deploys_by_its_digest").await;
    account.seed_image("shop-prebuilt", "1.4.2").await;
    let registry = format!("{}.dkr.ecr.us-east-1.amazonaws.com", account.id);
    let image = format!("{registry}/shop-prebuilt:1.4.2");
    let mut env = account.deploy_env().await;
    env.retain(|(name, _)| name != "MAESTRO_SKIP_BUILD");
    // Neither pack nor docker nor a daemon: nothing is built.
    let no_tools = [("PATH", "/usr/bin:/bin"), ("DOCKER_HOST", "unix:///nonexistent.sock")];
    let with = |extra: &[(&'static str, &str)]| {
        let mut pairs: Vec<(&str, &str)> = no_tools.to_vec();
        pairs.extend_from_slice(extra);
        run(&mut command_on_example(&env, &pairs))
    };

    let missing = with(&[("MAESTRO_IMAGE", &format!("{registry}/shop-prebuilt:9.9.9"))]);
    missing.expect_code(2).expect_stderr(&[
        "MAESTRO_IMAGE: image ",
        "shop-prebuilt:9.9.9",
        "does not exist",
        "hint: push the image first",
    ]);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    assert!(ecs.list_clusters().send().await.unwrap().cluster_arns().is_empty(), "nothing written");

    let deployed = with(&[("MAESTRO_IMAGE", &image)]).expect_code(0).json();
    assert_eq!(
        (&deployed["image"]["uri"], &deployed["image"]["source"]),
        (&Value::from(image.as_str()), &Value::from("existing"))
    );
    let digest = deployed["image"]["digest"].as_str().unwrap().to_owned();
    assert!(digest.starts_with("sha256:"), "{deployed}");
    let described = ecs.describe_task_definition().task_definition("acme-shop-api-staging-web").send().await.unwrap();
    let container = &described.task_definition().unwrap().container_definitions()[0];
    assert_eq!(container.image(), Some(format!("{registry}/shop-prebuilt@{digest}").as_str()));
    assert!(container.entry_point().is_empty(), "the image's own entry point: {container:?}");
    assert_eq!(container.command(), ["/bin/sh", "-c", "node server.js"]);
    // The app's own repository was never made: nothing was pushed.
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    assert!(ecr.describe_repositories().repository_names(EXAMPLE_REPOSITORY).send().await.is_err());
    // Nor was the image tagged as a release in a repository that is not maestro's.
    let images = ecr.describe_images().repository_name("shop-prebuilt").send().await.unwrap();
    let tags: Vec<&str> =
        images.image_details().iter().flat_map(|detail| detail.image_tags()).map(String::as_str).collect();
    assert_eq!(tags, ["1.4.2"], "only its own tag");
    // Again: no write.
    let again = with(&[("MAESTRO_IMAGE", &image)]).expect_code(0).json();
    assert_eq!(again["actions"], serde_json::json!([]), "{again}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the OCI registry and the AWS emulator: bash scripts/test.sh"]
async fn an_image_in_another_registry_is_pinned_and_its_platform_read() {
    let account = TestAccount::new("an_image_in_another_registry_is_pinned").await;
    let image = format!("{}/acme/prebuilt:2.0", maestro_test_support::oci::oci_registry());
    maestro_test_support::oci::push_with_skopeo(&image);
    let mut env = account.deploy_env().await;
    env.retain(|(name, _)| name != "MAESTRO_SKIP_BUILD");
    let extra = [("MAESTRO_IMAGE", image.as_str()), ("PATH", "/usr/bin:/bin")];
    let deployed = run(&mut command_on_example(&env, &extra));
    let report = deployed.expect_code(0).json();
    let digest = report["image"]["digest"].as_str().unwrap();
    // umoci's image is a single manifest whose config names the platform.
    deployed.expect_stderr(&[format!("image {image} offers linux/amd64")]);
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let described =
        ecs.describe_task_definition().task_definition("acme-shop-api-staging-worker").send().await.unwrap();
    let container = &described.task_definition().unwrap().container_definitions()[0];
    let pinned = format!("{}@{digest}", image.trim_end_matches(":2.0"));
    assert_eq!(container.image(), Some(pinned.as_str()));
    assert_eq!(container.command(), ["/bin/sh", "-c", "node bin/worker.js"]);
}

/// `deploy` of the example app with `env` and `extra`.
fn command_on_example(env: &[(String, String)], extra: &[(&str, &str)]) -> Command {
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(env.iter().map(|(name, value)| (name.as_str(), value.as_str())));
    command.envs(extra.iter().copied());
    command
}

/// Plans offline with the example's env file: no AWS call.
fn plan_offline(app: &Scratch, extra: &[(&str, &str)], output: &str) -> Outcome {
    run(maestro()
        .args(["plan", "--offline", "--app"])
        .arg(app.path())
        .args(["--env-file", EXAMPLE_ENV, "--output", output])
        .envs(extra.iter().copied()))
}

#[test]
fn conflicting_image_sources_are_refused_before_any_aws_call() {
    let example = Scratch::copy_of_example();
    plan_offline(&example, &[("MAESTRO_BUILD", "dockerfile")], "human").expect_code(2).expect_stderr(&[
        "error: MAESTRO_BUILD: a Dockerfile build is asked for, but there is no `Dockerfile`",
        "hint: add the Dockerfile, name it with MAESTRO_DOCKERFILE",
    ]);
    plan_offline(&example, &[("MAESTRO_IMAGE", "ghcr.io/acme/shop:1"), ("MAESTRO_BUILD", "dockerfile")], "human")
        .expect_code(2)
        .expect_stderr(&[
            "error: MAESTRO_IMAGE: MAESTRO_IMAGE deploys an image built elsewhere, but MAESTRO_BUILD is set for a build",
            "hint: unset MAESTRO_BUILD, or unset MAESTRO_IMAGE to build the app",
        ]);
    plan_offline(&example, &[("MAESTRO_IMAGE", "ghcr.io/acme/shop")], "human").expect_code(2).expect_stderr(&[
        "MAESTRO_IMAGE",
        "the image has no tag or digest",
        "  | ghcr.io/acme/shop\n  | ^",
    ]);
    // A buildpacks app (project.toml) with a Dockerfile stays a buildpacks app.
    example.write("Dockerfile", "FROM scratch\n");
    let planned = plan_offline(&example, &[], "json").expect_code(0).json();
    assert!(planned["image"].get("source").is_none(), "buildpacks: {}", planned["image"]);
}

#[test]
fn a_dockerfile_app_without_a_procfile_plans_one_web_service() {
    let app = dockerfile_app(None);
    let outcome = plan_offline(&app, &[], "human");
    outcome.expect_code(0);
    let root = app.path().display().to_string();
    insta::assert_snapshot!("plan_dockerfile_without_procfile", outcome.stdout.replace(&root, "[app]"));
    outcome.expect_stderr(&["`Dockerfile` found and no project.toml: the image is built from the Dockerfile"]);
}
