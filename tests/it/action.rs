//! The GitHub Action (action.yml and ci/github/run.sh): every input reaches the variable the
//! registry says it sets, maestro reads it there, and pack is fetched only when a build may run.
//! The installer's own tests are in installer.rs.

use std::collections::BTreeSet;
use std::process::Command;

use maestro_core::input::vars;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::installer::{Runner, sha256};
use crate::support::{Scratch, maestro, repository_root, run};

/// `(input, variable)` for every `MAESTRO_INPUT_<VARIABLE>: ${{ inputs.<input> }}` line.
fn mapped_inputs(action: &str) -> Vec<(String, String)> {
    action
        .lines()
        .filter_map(|line| {
            let (variable, value) = line.trim().strip_prefix("MAESTRO_INPUT_")?.split_once(": ")?;
            let input = value.strip_prefix("${{ inputs.")?.strip_suffix(" }}")?;
            Some((input.to_owned(), variable.to_owned()))
        })
        .collect()
}

/// The names declared under `inputs:`.
fn declared_inputs(action: &str) -> BTreeSet<String> {
    let section = action.split("\ninputs:\n").nth(1).unwrap().split("\noutputs:\n").next().unwrap();
    section
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("    ") && line.ends_with(':'))
        .map(|line| line.trim().trim_end_matches(':').to_owned())
        .collect()
}

#[test]
fn every_input_reaches_the_variable_the_registry_names() {
    let action = std::fs::read_to_string(repository_root().join("action.yml")).unwrap();
    let mapped: BTreeSet<(String, String)> = mapped_inputs(&action).into_iter().collect();
    let declared = declared_inputs(&action);
    let registered: BTreeSet<(String, String)> = vars::all()
        .filter_map(|variable| Some((variable.action_input?.to_owned(), variable.name.to_owned())))
        .collect();
    assert_eq!(mapped, registered, "action.yml and the registry disagree: run scripts/action-inputs.py");
    for (input, _) in &mapped {
        assert!(declared.contains(input), "`{input}` is passed but not declared");
    }
    let used: BTreeSet<&str> = mapped.iter().map(|(input, _)| input.as_str()).collect();
    for input in &declared {
        let consumed = used.contains(input.as_str()) || action.contains(&format!("${{{{ inputs.{input} }}}}"));
        assert!(consumed, "input `{input}` is declared but reaches nothing");
    }
    for output in ["status", "deployment-url", "image-uri", "image-digest", "task-definition-arns", "test-url"] {
        assert!(action.contains(&format!("${{{{ steps.deploy.outputs.{output} }}}}")), "output {output}");
    }
}

/// run.sh with a stand-in maestro whose `build --check` answers `needed` (or fails when `None`):
/// what the deploy was run with, and how many downloads pack took.
async fn deploy_with_check(needed: Option<bool>, extra: &[(&str, &str)]) -> (String, usize) {
    let runner = Runner::new();
    let bin = runner.dir().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let check = match needed {
        Some(needed) => format!("printf '{{\\n  \"image\": \"i\",\\n  \"needed\": {needed}\\n}}\\n'; exit 0"),
        None => "echo 'no credentials' >&2; exit 1".to_owned(),
    };
    let stand_in = format!(
        "#!/bin/sh\nif [ \"$1 $2\" = 'build --check' ] && [ -n \"$CHECK_ANSWER\" ]; then echo \"$CHECK_ANSWER\"; exit 0; fi\n\
         if [ \"$1 $2\" = 'build --check' ]; then {check}; fi\necho \"args: $*\"\necho \"PATH=$PATH\"\n"
    );
    std::fs::write(bin.join("maestro"), stand_in).unwrap();
    assert!(Command::new("chmod").arg("755").arg(bin.join("maestro")).status().unwrap().success());
    let pack = runner.archive("pack.tgz", "pack", "0.39.1");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v0.39.1/pack-v0.39.1-linux.tgz"))
        .respond_with(ResponseTemplate::new(200).set_body_bytes(pack.clone()))
        .mount(&server)
        .await;
    let output = Command::new("bash")
        .arg(repository_root().join("ci/github/run.sh"))
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TOOL_CACHE", runner.dir().join("cache"))
        .env("PACK_DOWNLOAD_URL", server.uri())
        .env("PACK_SHA256", sha256(&pack, runner.dir()))
        .envs(extra.iter().copied())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (String::from_utf8_lossy(&output.stdout).into_owned(), server.received_requests().await.unwrap().len())
}

#[tokio::test]
async fn the_action_fetches_pack_only_when_the_commits_image_is_missing() {
    let (printed, downloads) = deploy_with_check(Some(true), &[]).await;
    assert!(printed.starts_with("args: deploy --app .\n"), "{printed}");
    assert!(printed.contains("/cache/pack/0.39.1/linux:"), "pack is on the deploy's PATH: {printed}");
    assert_eq!(downloads, 1);

    let (printed, downloads) = deploy_with_check(Some(false), &[]).await;
    assert!(printed.starts_with("args: deploy --app .\n") && !printed.contains("pack"), "{printed}");
    assert_eq!(downloads, 0, "a built commit never downloads pack");

    let (_, downloads) = deploy_with_check(Some(true), &[("MAESTRO_INPUT_MAESTRO_SKIP_BUILD", "TRUE")]).await;
    assert_eq!(downloads, 0, "skip-build never downloads pack");

    // `command: stop` needs no pack, and runs maestro stop.
    let (printed, downloads) = deploy_with_check(Some(true), &[("MAESTRO_COMMAND", "stop")]).await;
    assert!(printed.starts_with("args: stop --app .\n"), "{printed}");
    assert_eq!(downloads, 0);
    // `command: restart` needs no pack either: it builds nothing.
    let (printed, downloads) = deploy_with_check(Some(true), &[("MAESTRO_COMMAND", "restart")]).await;
    assert!(printed.starts_with("args: restart --app .\n"), "{printed}");
    assert_eq!(downloads, 0);
    // `command: run` builds nothing either: its command comes from the `run-command` input.
    let (printed, downloads) = deploy_with_check(Some(true), &[("MAESTRO_COMMAND", "run")]).await;
    assert!(printed.starts_with("args: run --app .\n"), "{printed}");
    assert_eq!(downloads, 0);
    // `command: rollback` builds nothing: it returns to a release's revisions.
    let (printed, downloads) = deploy_with_check(Some(true), &[("MAESTRO_COMMAND", "rollback")]).await;
    assert!(printed.starts_with("args: rollback --app .\n"), "{printed}");
    assert_eq!(downloads, 0);
    // `command: abort` builds nothing: it rolls the deployments in progress back.
    let (printed, downloads) = deploy_with_check(Some(true), &[("MAESTRO_COMMAND", "abort")]).await;
    assert!(printed.starts_with("args: abort --app .\n"), "{printed}");
    assert_eq!(downloads, 0);
    // `command: previews-prune` (and `previews-list`) runs `maestro previews prune`, building nothing.
    for (command, args) in [("previews-prune", "previews prune"), ("previews-list", "previews list")] {
        let (printed, downloads) = deploy_with_check(Some(true), &[("MAESTRO_COMMAND", command)]).await;
        assert!(printed.starts_with(&format!("args: {args} --app .\n")), "{printed}");
        assert_eq!(downloads, 0);
    }
    let refused = Command::new("bash")
        .arg(repository_root().join("ci/github/run.sh"))
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("MAESTRO_COMMAND", "nothing")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let refusal = String::from_utf8_lossy(&refused.stderr);
    assert!(
        refusal.contains(
            "deploy, test, stop, restart, rollback, abort, continue, run, destroy, previews-list or previews-prune, not 'nothing'"
        ),
        "{refusal}"
    );

    // The check failed: pack is installed anyway, and the deploy runs to report the failure.
    let (printed, downloads) = deploy_with_check(None, &[]).await;
    assert!(printed.starts_with("args: deploy --app .\n"), "{printed}");
    assert_eq!(downloads, 1);

    // The answer is read whatever the JSON's layout (here compact, `needed` first).
    let compact = r#"{"needed":true,"image":"i","exists":false,"digest":null}"#;
    let (_, downloads) = deploy_with_check(Some(false), &[("CHECK_ANSWER", compact)]).await;
    assert_eq!(downloads, 1, "compact JSON saying a build is needed");

    // A Dockerfile build (docker and buildx come with the runner) or an image built elsewhere
    // never downloads pack; a build with pack does.
    for (answer, expected) in [
        (r#"{"image":"i","exists":false,"digest":null,"needed":true,"tool":"docker"}"#, 0),
        (r#"{"image":"i","exists":false,"digest":null,"needed":false,"tool":null}"#, 0),
        (r#"{"image":"i","exists":false,"digest":null,"needed":true,"tool":"pack"}"#, 1),
    ] {
        let (printed, downloads) = deploy_with_check(Some(false), &[("CHECK_ANSWER", answer)]).await;
        assert!(printed.starts_with("args: deploy --app .\n"), "{printed}");
        assert_eq!(downloads, expected, "{answer}");
    }

    // The image exists, but the deploy's test phase builds its test image with pack.
    let tests = r#"{"needed":false,"tests":true,"image":"i","exists":true,"digest":"sha256:ab"}"#;
    let (_, downloads) = deploy_with_check(Some(false), &[("CHECK_ANSWER", tests)]).await;
    assert_eq!(downloads, 1, "the test phase needs pack");

    // `command: test` runs `maestro test`, which always builds with pack.
    let (printed, downloads) = deploy_with_check(Some(false), &[("MAESTRO_COMMAND", "test")]).await;
    assert!(printed.starts_with("args: test --app .\n"), "{printed}");
    assert_eq!(downloads, 1, "maestro test needs pack");
}

#[test]
fn run_sh_hands_the_inputs_to_maestro_as_they_are() {
    let dir = Scratch::new();
    // A stand-in maestro that prints its arguments and environment.
    dir.write("maestro", "#!/bin/sh\necho \"args: $*\"\nenv\n");
    assert!(Command::new("chmod").arg("755").arg(dir.join("maestro")).status().unwrap().success());
    let output = Command::new("bash")
        .arg(repository_root().join("ci/github/run.sh"))
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", dir.path().display()))
        .env("AWS_REGION", "us-east-1")
        .env("ECS_CLUSTER_ID", "from-the-job")
        .env("MAESTRO_INPUT_AWS_REGION", "eu-west-1")
        .env("MAESTRO_INPUT_ECS_CLUSTER_ID", "")
        .env("MAESTRO_INPUT_GITHUB_TOKEN", "ghs_token")
        .env("MAESTRO_APP_DIR", "services/api")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("args: deploy --app services/api\n"), "{printed}");
    // No mapping in bash: maestro itself reads the inputs as their variables' input layer.
    assert!(
        printed.contains("\nAWS_REGION=us-east-1\n") && printed.contains("\nMAESTRO_INPUT_AWS_REGION=eu-west-1\n"),
        "{printed}"
    );
    assert!(printed.contains("\nMAESTRO_INPUT_GITHUB_TOKEN=ghs_token\n") && !printed.contains("\nGITHUB_TOKEN="));
}

/// `maestro detect --output json` run as the action runs it: `env` is the job's, and inputs.
fn detect_as_the_action(env: &[(&str, &str)], args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let mut command = maestro();
    command.args(["detect", "--output", "json", "--app", "/"]).args(args);
    command.envs([
        ("MAESTRO_REPO_OVERRIDE", "acme/shop"),
        ("MAESTRO_COMMIT_OVERRIDE", "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c"),
    ]);
    command.envs(env.iter().copied());
    let outcome = run(&mut command);
    let json = serde_json::from_str(&outcome.stdout).unwrap_or_default();
    (outcome.code, json, outcome.stderr)
}

#[test]
fn inputs_beat_the_jobs_env_and_empty_inputs_keep_it() {
    let job = [
        ("AWS_REGION", "us-east-1"),
        ("MAESTRO_BRANCH_OVERRIDE", "from-the-job"),
        ("MAESTRO_INPUT_AWS_REGION", "eu-west-1"),
        ("MAESTRO_INPUT_MAESTRO_BRANCH_OVERRIDE", ""),
    ];
    let (code, request, stderr) = detect_as_the_action(&job, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        (&request["region"], &request["sources"]["region"]),
        (&"eu-west-1".into(), &"`aws-region` input".into())
    );
    assert_eq!(
        (&request["branch"], &request["sources"]["branch"]),
        (&"from-the-job".into(), &"MAESTRO_BRANCH_OVERRIDE".into()),
        "an empty input keeps the job's value"
    );
    // A flag beats the input.
    let (_, request, _) = detect_as_the_action(&job, &["--region", "us-west-2"]);
    assert_eq!((&request["region"], &request["sources"]["region"]), (&"us-west-2".into(), &"--region".into()));
    // A bad input is named as the workflow wrote it.
    let (code, _, stderr) = detect_as_the_action(&[("MAESTRO_INPUT_AWS_REGION", "Virginia")], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("error: `aws-region` input: `Virginia` is not an AWS region"), "{stderr}");
}
