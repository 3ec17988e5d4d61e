//! What a new user types first: `--help` (examples, exit codes, the docs), `maestro version` and
//! `--version` (version, commit, build date), and the shell completions.

use std::process::Command;

use crate::support::{maestro, run};

#[test]
fn help_ends_with_examples_exit_codes_and_the_docs() {
    let help = run(maestro().arg("--help"));
    help.expect_code(0);
    insta::assert_snapshot!("help_main", help.stdout);
    let deploy = run(maestro().args(["deploy", "--help"]));
    deploy.expect_code(0).expect_stdout(&["Examples:", "maestro deploy --env-file maestro.env", "Exit codes: 0"]);
    for command in ["plan", "stop", "status", "restart", "abort", "verify", "run", "logs", "releases", "completions"] {
        run(maestro().args([command, "--help"])).expect_code(0).expect_stdout(&["Examples:"]);
    }
    let previews = run(maestro().args(["previews", "--help"]));
    previews.expect_code(0).expect_stdout(&["list", "prune", "maestro previews prune --branch main --older-than 7d"]);
    let prune = run(maestro().args(["previews", "prune", "--help"]));
    prune.expect_code(0).expect_stdout(&["--older-than <AGE>", "MAESTRO_PREVIEW_TTL"]);
}

#[test]
fn the_version_names_the_commit_and_the_build_date() {
    let human = run(maestro().arg("version"));
    human.expect_code(0);
    let line = human.stdout.trim_end();
    let version = format!("maestro {} (commit ", env!("CARGO_PKG_VERSION"));
    assert!(line.starts_with(&version) && line.contains(", built "), "{line}");
    // Built from a checkout: the full commit git names (a source archive says `unknown`).
    let json = run(maestro().args(["version", "--output", "json"])).json();
    let commit = json["commit"].as_str().unwrap();
    assert!(commit.len() == 40 && commit.bytes().all(|byte| byte.is_ascii_hexdigit()), "{json}");
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
    let date = json["build_date"].as_str().unwrap();
    assert_eq!(date.len(), 10, "{json}");
    assert_eq!(
        line,
        format!(
            "maestro {} (commit {}, built {date})",
            json["version"].as_str().unwrap(),
            json["commit"].as_str().unwrap()
        )
    );
    // `--version` says the same, as clap prints it.
    let flag = run(maestro().arg("--version"));
    flag.expect_code(0);
    assert_eq!(flag.stdout.trim_end(), line);
}

#[test]
fn completions_cover_every_command_in_each_shell() {
    let commands = [
        "plan",
        "deploy",
        "stop",
        "status",
        "restart",
        "verify",
        "run",
        "logs",
        "releases",
        "previews",
        "init",
        "version",
        "completions",
    ];
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = run(maestro().args(["completions", shell]));
        script.expect_code(0).expect_stdout(&commands);
        script.expect_stdout(&["env-file", "output"]);
    }
    // The bash script is one bash can load.
    let script = run(maestro().args(["completions", "bash"])).stdout;
    let checked = Command::new("bash").args(["-n", "-c", &script]).output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    run(maestro().args(["completions", "tcsh"])).expect_code(2).expect_stderr(&["invalid value 'tcsh'"]);
}
