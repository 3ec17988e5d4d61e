//! `maestro init` in a scratch checkout: the file it writes for each CI is the one committed in
//! `ci/init/` (which scripts/lint.sh checks with actionlint, GitLab's CI schema and CodeBuild's
//! buildspec shape), an existing file is kept unless `--force`, the CI comes from the checkout,
//! CI asks nothing and names what is missing, and the policies printed are this repository's.

use maestro_core::init::CiKind;
use maestro_core::permissions::GRANTS;
use maestro_core::permissions::policy::{Fill, deploy_policy, not_production};

use crate::support::{Scratch, maestro, repository_root, run};

/// The committed output for each CI: `maestro init --ci <ci>` on the example app as `ARGS` say.
const EXAMPLES: [(CiKind, &str); 3] = [
    (CiKind::Github, "ci/init/github-deploy.yml"),
    (CiKind::Gitlab, "ci/init/gitlab-ci.yml"),
    (CiKind::Codebuild, "ci/init/buildspec.yml"),
];
const ARGS: [&str; 6] = ["--repo", "acme/shop-api", "--region", "us-east-1", "--role-arn", "123456789012"];

fn init(scratch: &Scratch, extra: &[&str]) -> std::process::Command {
    let mut command = maestro();
    command.args(["init", "--app", &scratch.file("")]).args(extra);
    command
}

#[test]
fn each_cis_file_is_the_committed_example_byte_for_byte() {
    for (ci, example) in EXAMPLES {
        let scratch = Scratch::copy_of_example();
        let outcome = run(init(&scratch, &ARGS).args(["--ci", ci.name()]));
        outcome.expect_code(0).expect_stdout(&[&format!("wrote {}", scratch.join(ci.file()).display())]);
        let expected = std::fs::read_to_string(repository_root().join(example)).unwrap();
        let written = scratch.read(ci.file()).unwrap();
        assert!(
            written == expected,
            "{example} differs from what `maestro init --ci {}` writes; if the change is meant, write it there:\n{written}",
            ci.name()
        );
    }
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let scratch = Scratch::copy_of_example();
    scratch.write(".gitlab-ci.yml", "# mine\n");
    // The checkout's `.gitlab-ci.yml` says which CI: no `--ci` needed.
    run(&mut init(&scratch, &ARGS)).expect_code(2).expect_stderr(&[".gitlab-ci.yml", "exists", "--force"]);
    assert_eq!(scratch.read(".gitlab-ci.yml").unwrap(), "# mine\n");
    run(init(&scratch, &ARGS).arg("--force")).expect_code(0);
    assert!(scratch.read(".gitlab-ci.yml").unwrap().contains("id_tokens:"));
}

#[test]
fn the_ci_comes_from_the_checkout_else_it_is_an_input_error_naming_the_flag() {
    let scratch = Scratch::copy_of_example();
    run(&mut init(&scratch, &ARGS)).expect_code(2).expect_stderr(&["no CI to write a file for", "--ci github"]);
    std::fs::create_dir_all(scratch.join(".github")).unwrap();
    run(&mut init(&scratch, &ARGS)).expect_code(0);
    assert!(scratch.read(".github/workflows/deploy.yml").unwrap().contains("uses: veezor/maestro@v1"));
    scratch.write("buildspec.yml", "version: 0.2\n");
    // `.github/` comes first; `--ci` beats both, and an unknown one is refused.
    run(init(&scratch, &ARGS).args(["--ci", "jenkins"])).expect_code(2).expect_stderr(&["`jenkins`", "--ci gitlab"]);
    assert_eq!(scratch.read("buildspec.yml").unwrap(), "version: 0.2\n");
}

#[test]
fn in_ci_nothing_is_asked_and_every_missing_input_is_named_with_its_flag() {
    let scratch = Scratch::copy_of_example();
    let outcome = run(init(&scratch, &[]).env("GITLAB_CI", "true").env("CI_PROJECT_PATH", "acme/platform/shop"));
    outcome.expect_code(2).expect_stderr(&["no region", "--region", "no deploy role", "--role-arn"]);
    assert!(!outcome.stderr.contains("no repository"), "CI_PROJECT_PATH names it:\n{}", outcome.stderr);
    assert_eq!(scratch.read(".gitlab-ci.yml"), None);
    let outcome = run(init(&scratch, &["--output", "json"])
        .env("GITLAB_CI", "true")
        .env("CI_PROJECT_PATH", "acme/platform/shop")
        .env("AWS_REGION", "eu-west-1")
        .env("MAESTRO_ROLE_ARN", "arn:aws:iam::210987654321:role/shop-deploy"));
    let document = outcome.expect_code(0).json();
    assert_eq!(document["ci"], "gitlab");
    let production = &document["trust_policies"][0];
    assert_eq!(production["role"], "arn:aws:iam::210987654321:role/shop-deploy");
    assert_eq!(
        production["trust_policy"]["Statement"][0]["Condition"]["StringEquals"]["gitlab.com:sub"],
        "project_path:acme/platform/shop:ref_type:branch:ref:main"
    );
    assert!(scratch.read(".gitlab-ci.yml").unwrap().contains("AWS_REGION: eu-west-1"));
}

#[test]
fn the_printed_policies_are_this_repositorys_and_grant_every_action() {
    let scratch = Scratch::copy_of_example();
    let outcome = run(init(&scratch, &ARGS).args(["--ci", "github"]));
    outcome.expect_code(0).expect_stdout(&[
        "\"token.actions.githubusercontent.com:sub\": \"repo:acme/shop-api:environment:production\"",
        "\"token.actions.githubusercontent.com:sub\": \"repo:acme/shop-api:*\"",
        "arn:aws:ecs:us-east-1:123456789012:cluster/acme-shop-api-*",
        "check: maestro verify",
        "\"arn:aws:ecs:*:123456789012:cluster/acme-shop-api-main\"",
        "aws secretsmanager describe-secret --secret-id main/acme-shop-api --region us-east-1",
    ]);
    let scratch = Scratch::copy_of_example();
    let document = run(init(&scratch, &ARGS).args(["--ci", "codebuild", "--output", "json"])).expect_code(0).json();
    let policy = document["permission_policy"].to_string();
    for grant in GRANTS {
        assert!(policy.contains(&format!("\"{}\"", grant.action)), "{} missing from {policy}", grant.action);
    }
    assert!(!policy.contains('<'), "a placeholder is left: {policy}");
    assert!(document["trust_policies"].to_string().contains("codebuild.amazonaws.com"));
    // CodeBuild's one service role deploys every branch: no review role to deny production to.
    assert_eq!(document["review_deny"], serde_json::Value::Null);
}

/// The policy `init` fills in is docs/iam.md's: its template, generated from GRANTS and the
/// statements' resources, equals the documented block, and so does the review role's Deny.
#[test]
fn the_generated_policy_templates_are_the_ones_docs_iam_md_documents() {
    let doc = std::fs::read_to_string(repository_root().join("docs/iam.md")).unwrap();
    let block = |index: usize| -> serde_json::Value {
        serde_json::from_str(doc.split("```json\n").nth(index).unwrap().split("\n```").next().unwrap()).unwrap()
    };
    assert_eq!(serde_json::to_value(deploy_policy(&Fill::default())).unwrap(), block(1));
    assert_eq!(serde_json::to_value(not_production(&Fill::default())).unwrap(), block(2));
}

/// On a terminal (here a pseudo-terminal from util-linux's `script`), each question shows its
/// default, a wrong answer is asked again with the parser's error, and Enter takes the default.
#[test]
fn on_a_terminal_the_questions_are_asked_with_their_defaults() {
    use std::io::Write;
    let scratch = Scratch::new();
    let maestro = env!("CARGO_BIN_EXE_maestro");
    let mut child = std::process::Command::new("script")
        .args(["-qec", &format!("{maestro} init --app {}", scratch.file("")), "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux's `script` runs maestro on a pseudo-terminal");
    // The CI, the repository (no checkout names it), the region (Enter: the default), a role that
    // is refused then an account id, and the processes line (no Procfile here).
    let answers = "gitlab\nacme/shop\n\nnope\n123456789012\nweb:2\n";
    child.stdin.take().unwrap().write_all(answers.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{terminal}");
    for shown in [
        "CI (github, gitlab, codebuild): ",
        "AWS region [us-east-1]: ",
        "error: `nope` is not an IAM role ARN",
        "[web:1]: ",
    ] {
        assert!(terminal.contains(shown), "{shown:?} not shown:\n{terminal}");
    }
    let written = scratch.read(".gitlab-ci.yml").unwrap();
    for expected in
        ["AWS_REGION: us-east-1", "ECS_SERVICE_TASK_PROCESSES: \"web:2\"", "role/maestro-production", "acme/shop"]
    {
        assert!(written.contains(expected), "{expected:?} missing:\n{written}");
    }
}
