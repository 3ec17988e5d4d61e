//! The GitLab CI/CD component (templates/maestro.yml): its inputs are the GitHub Action's, passed
//! the same way (`MAESTRO_INPUT_<VARIABLE>`), and its deploy job runs under `gitlab-ci-local`, a
//! local emulation of GitLab's runner that reads the file as GitLab does (the `spec:` header, the
//! inputs' interpolation, `extends`, `rules`, `resource_group`, the dotenv report).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::support::{active_services, repository_root};
use maestro_test_support::{EXAMPLE_ENV, Scratch, TestAccount};

fn read(path: &str) -> String {
    std::fs::read_to_string(repository_root().join(path)).unwrap()
}

/// Each `MAESTRO_INPUT_<VARIABLE>: "$[[ inputs.<name> ]]"` line of `text`, as (variable, input).
fn passed_inputs(text: &str, open: &str, close: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let (variable, value) = line.trim().split_once(": ")?;
            let variable = variable.strip_prefix("MAESTRO_INPUT_")?;
            let name = value.trim_matches('"').strip_prefix(open)?.strip_suffix(close)?.trim();
            Some((variable.to_owned(), name.trim_start_matches("inputs.").to_owned()))
        })
        .collect()
}

#[test]
fn the_component_passes_its_inputs_as_the_action_does() {
    let component = read("templates/maestro.yml");
    let (header, jobs) = component.split_once("\n---\n").expect("a spec header, then the jobs");
    assert!(header.starts_with("spec:\n  inputs:\n"), "{header}");
    let action: BTreeMap<String, String> =
        passed_inputs(&read("action.yml"), "${{", "}}").into_iter().map(|(variable, name)| (name, variable)).collect();
    let passed = passed_inputs(jobs, "$[[", "]]");
    assert!(passed.len() >= 4, "{passed:?}");
    for (variable, name) in passed {
        // The review jobs' role is the same variable as the default branch's, another input.
        let name = name.strip_prefix("review-").unwrap_or(&name);
        assert_eq!(action.get(name), Some(&variable), "input {name} is passed as MAESTRO_INPUT_{variable}");
        assert!(header.contains(&format!("\n    {name}:\n      type: string\n")), "{name} is declared");
    }
    // The include file moved here; nothing points at the old path.
    assert!(!repository_root().join("ci/gitlab").exists());
}

fn git(project: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Mona Lisa", "-c", "user.email=mona@example.com"])
        .args(args)
        .current_dir(project)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// `scratch` (a copy of the example app) as a GitLab project: the app at its root, the component as a local file, and a
/// `.gitlab-ci.yml` that includes it with inputs, on branch `branch`.
fn project(scratch: &Scratch, branch: &str, variables: &[(String, String)]) {
    let project = scratch.path();
    std::fs::create_dir_all(project.join("templates")).unwrap();
    std::fs::copy(repository_root().join("templates/maestro.yml"), project.join("templates/maestro.yml")).unwrap();
    let processes = variables.iter().find(|(name, _)| name == "ECS_SERVICE_TASK_PROCESSES").unwrap();
    scratch.write(
        ".gitlab-ci.yml",
        &format!(
            "include:\n  - local: templates/maestro.yml\n    inputs:\n      aws-region: us-east-1\n      \
             ecs-service-task-processes: \"{}\"\n\
             # gitlab-ci-local runs jobs in a shell here, with no Docker for the dind service;\n\
             # the image exists already (MAESTRO_SKIP_BUILD), so the deploy needs no daemon.\n\
             maestro-review:\n  services: []\n",
            processes.1
        ),
    );
    // The settings as the project's CI/CD variables, region and processes left to the inputs.
    let kept: Vec<String> = variables
        .iter()
        .filter(|(name, _)| !["AWS_REGION", "ECS_SERVICE_TASK_PROCESSES"].contains(&name.as_str()))
        .map(|(name, value)| format!("{name}: {}\n", serde_json::to_string(value).unwrap()))
        .collect();
    scratch.write(".gitlab-ci-local-variables.yml", &kept.concat());
    scratch.write(".gitignore", ".gitlab-ci-local/\n.gitlab-ci-local-variables.yml\n");
    git(project, &["init", "-q", "-b", "main"]);
    git(project, &["remote", "add", "origin", "https://gitlab.com/acme/shop-api.git"]);
    git(project, &["add", "-A"]);
    git(project, &["commit", "-qm", "Add the cart page"]);
    git(project, &["checkout", "-qb", branch]);
}

/// The example's settings (its overrides aside: GitLab's variables say repository, branch and
/// commit), then the account's, which win.
async fn variables(account: &TestAccount) -> Vec<(String, String)> {
    let mut merged: BTreeMap<String, String> = BTreeMap::new();
    for line in read(EXAMPLE_ENV).lines() {
        let Some((name, value)) = line.split_once('=') else { continue };
        if !name.starts_with('#') && !name.ends_with("_OVERRIDE") {
            merged.insert(name.to_owned(), value.to_owned());
        }
    }
    merged.extend(account.deploy_env().await);
    merged.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator and gitlab-ci-local: bash scripts/test.sh"]
async fn the_component_deploys_a_review_app_under_gitlab_ci_local() {
    let gitlab_ci_local =
        std::env::var("MAESTRO_TEST_GITLAB_CI_LOCAL").expect("scripts/test.sh installs gitlab-ci-local");
    let account = TestAccount::new("the_component_deploys_a_review_app").await;
    let scratch = Scratch::copy_of_example();
    let settings = variables(&account).await;
    project(&scratch, "feature/cart", &settings);
    let head = Command::new("git").args(["rev-parse", "HEAD"]).current_dir(scratch.path()).output().unwrap();
    let commit = String::from_utf8(head.stdout).unwrap().trim().to_owned();
    account.seed_image("acme-shop-api-feature-cart", &commit[..8]).await;

    let binary = Path::new(env!("CARGO_BIN_EXE_maestro")).parent().unwrap().display().to_string();
    let path = format!("{binary}:{}", std::env::var("PATH").unwrap());
    let output = Command::new(&gitlab_ci_local)
        // gitlab-ci-local says it is not GitLab (`GITLAB_CI=false`); GitLab's runner sets `true`.
        .args(["--force-shell-executor", "--no-color", "--variable", "GITLAB_CI=true", "maestro-review"])
        .current_dir(scratch.path())
        .env_clear()
        .env("PATH", &path)
        .env("HOME", scratch.path())
        .output()
        .unwrap();
    let log = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && log.contains("PASS  maestro-review"), "{log}");
    let secret = settings.iter().find(|(name, _)| name == "AWS_SECRET_ACCESS_KEY").unwrap();
    assert!(!log.contains(&secret.1), "the job's log shows the secret key");

    // The branch deployed as its own environment, from the inputs' region and processes.
    let services = active_services(&account, "acme-shop-api-feature-cart").await;
    assert!(services.iter().any(|service| service.ends_with("-web")), "{services:?}\n{log}");
    // The dotenv report GitLab reads for `environment:url`.
    let dotenv = scratch
        .read(".gitlab-ci-local/artifacts/maestro-review/.gitlab-ci-reports/dotenv/maestro-deploy.env")
        .unwrap_or_else(|| panic!("no dotenv report\n{log}"));
    assert!(dotenv.contains("MAESTRO_STATUS=success\n") && dotenv.contains("MAESTRO_ENVIRONMENT_URL=http"), "{dotenv}");
    assert!(log.contains("environment: { name: review/feature-cart"), "{log}");

    // The pipeline as GitLab would expand it: one job per environment at a time, and only the
    // review app stops by itself.
    let expanded = scratch.read(".gitlab-ci-local/expanded-gitlab-ci.yml").unwrap();
    let lines: Vec<&str> = expanded.lines().collect();
    let job = |name: &str| {
        let at = lines.iter().position(|line| *line == format!("{name}:"));
        let at = at.unwrap_or_else(|| panic!("no job {name}:\n{expanded}"));
        lines[at + 1..].iter().take_while(|line| line.starts_with(' ')).copied().collect::<Vec<_>>().join("\n")
    };
    for name in ["maestro-deploy", "maestro-review", "maestro-stop", "maestro-continue", "maestro-abort"] {
        assert!(job(name).contains("resource_group: $CI_ENVIRONMENT_NAME"), "{name}:\n{}", job(name));
    }
    assert!(job("maestro-review").contains("auto_stop_in: 2 weeks"), "{}", job("maestro-review"));
    assert!(!job("maestro-deploy").contains("auto_stop_in"), "{}", job("maestro-deploy"));
    assert!(job("maestro-deploy").contains("if: $CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"));
}
