//! Malformed input: exit code 2, one message naming the input, where, and how to fix it.

use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, Outcome, Scratch, maestro, repository_root, run};

/// Plans the example with one variable or flag changed.
fn plan_with(env: &[(&str, &str)], args: &[&str]) -> Outcome {
    run(maestro()
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV])
        .args(args)
        .envs(env.iter().copied()))
}

/// Plans a copy of the example whose files were changed.
fn plan_app(app: &Scratch) -> Outcome {
    run(maestro().args(["plan", "--offline"]).arg("--app").arg(app.path()).args(["--env-file", EXAMPLE_ENV]))
}

/// Exit code 2, nothing on stdout, each expected text on stderr, and a hint (every error says
/// how to fix it).
#[track_caller]
fn assert_rejected(outcome: &Outcome, expected: &[&str]) {
    outcome.expect_code(2).expect_stderr(expected).expect_stderr(&["hint: "]);
    assert_eq!(outcome.stdout, "", "nothing on stdout for bad input");
}

#[test]
fn bad_variables() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "ECS_SERVICE_TASK_PROCESSES",
            "web:5-2",
            &[
                "error: ECS_SERVICE_TASK_PROCESSES, column 7: the maximum task count 2 is below the minimum 5",
                "  | web:5-2\n  |       ^",
            ],
        ),
        (
            "ECS_SERVICE_TASK_PROCESSES",
            "web:2-5[gpu=50]",
            &["column 9: unknown scaling metric `gpu`", "hint: the metrics are `cpu` and `mem`"],
        ),
        (
            "ECS_SERVICE_TASK_PROCESSES",
            "web{512;512}",
            &["Fargate does not run 512 cpu units with 512 MiB", "memory must be 1024 to 4096 in steps of 1024"],
        ),
        (
            "ECS_SERVICE_TASK_PROCESSES",
            "web,worker:1-3[alb=100]",
            &["`worker` scales on `alb`, but only `web` is behind the load balancer"],
        ),
        ("ECS_SERVICE_TASK_PROCESSES", "web:2[cpu=60]", &["scaling targets for `web` need a task range"]),
        ("ECS_SERVICE_TASK_PROCESSES", "release:1", &["`release` runs as a one-off task"]),
        (
            "ECS_EFS_VOLUMES",
            "data:fs-1234abcd{/@public/data}",
            &[
                "ECS_EFS_VOLUMES, column 20: the container path `public/data` must be an absolute path",
                "`/workspace/public/data`",
            ],
        ),
        ("ECS_EFS_VOLUMES", "data:fs-1234abcd{/@/mnt;fast}", &["unknown volume flag `fast`"]),
        (
            "WORKLOAD_RESOURCE_TAGS",
            "workload=shop,owner",
            &["WORKLOAD_RESOURCE_TAGS, column 15: tag `owner` has no `=`"],
        ),
        ("WORKLOAD_RESOURCE_TAGS", "aws:team=x", &["reserved `aws:` prefix"]),
        (
            "MAESTRO_SKIP_BUILD",
            "yes",
            &["MAESTRO_SKIP_BUILD: `yes` is not a boolean", "`MAESTRO_SKIP_BUILD=true` or `MAESTRO_SKIP_BUILD=false`"],
        ),
        ("MAESTRO_NO_LOG", "1", &["MAESTRO_NO_LOG: `1` is not a boolean"]),
        ("PORT", "http", &["PORT: `http` is not a whole number from 1 to 65535"]),
        (
            "ECS_CONTAINER_STOP_TIMEOUT",
            "300",
            &["ECS_CONTAINER_STOP_TIMEOUT: `300` is not a whole number from 0 to 120"],
        ),
        (
            "DEPLOYMENT_CIRCUIT_BREAKER_RULE",
            "enable=yes,rollback=true",
            &["DEPLOYMENT_CIRCUIT_BREAKER_RULE, column 1: `yes` is not `true` or `false`"],
        ),
        ("ALB_SCHEME", "public", &["ALB_SCHEME: `public` is not a valid value", "`internet-facing` or `internal`"]),
        ("ECS_SERVICE_SUBNETS", "subnet-0aa,net-1", &["ECS_SERVICE_SUBNETS: item 2 is `net-1`, not a `subnet-` id"]),
        ("ECS_TASK_ROLE_ARN", "shop-task", &["ECS_TASK_ROLE_ARN: `shop-task` is not an IAM role ARN"]),
        ("ECS_CLUSTER_ID", "shop.staging", &["ECS_CLUSTER_ID: `shop.staging` is not a valid ECS cluster name"]),
        (
            "ALB_NAME_OVERRIDE",
            "internal-shared",
            &["ALB_NAME_OVERRIDE: `internal-shared` is not a valid load balancer name"],
        ),
        ("NEW_RELIC_APP_ID", "shop", &["NEW_RELIC_APP_ID: `shop` is not a New Relic application id"]),
        (
            "REPO_SUB_FOLDER",
            "../elsewhere",
            &["REPO_SUB_FOLDER: `../elsewhere` is not a relative path inside the repository"],
        ),
    ];
    for (name, value, expected) in cases {
        let outcome = plan_with(&[(name, value)], &[]);
        assert_rejected(&outcome, expected);
    }
}

#[test]
fn bad_flags_are_named_as_flags() {
    let cases: &[(&[&str], &str)] = &[
        (&["--sha", "HEAD"], "error: --sha: `HEAD` is not a commit SHA"),
        (&["--account", "42"], "error: --account: `42` is not a 12-digit AWS account id"),
        (&["--region", "Virginia"], "error: --region: `Virginia` is not an AWS region"),
        (&["--branch", "///"], "error: --branch: branch `///` has no letter or digit"),
    ];
    for (args, expected) in cases {
        assert_rejected(&plan_with(&[], args), &[expected]);
    }
}

#[test]
fn env_file_lines_are_named() {
    let app = Scratch::copy_of_example();
    app.write("bad.env", "AWS_REGION=us-east-1\nPORT=eighty\n");
    let outcome =
        run(maestro().args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file"]).arg(app.join("bad.env")));
    assert_rejected(&outcome, &["PORT (", "bad.env:2): `eighty` is not a whole number"]);
    app.write("bad.env", "TOKEN=\"never-shown\nPORT=1\n");
    let outcome =
        run(maestro().args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file"]).arg(app.join("bad.env")));
    assert_rejected(&outcome, &["bad.env:1: the value of `TOKEN` has an unclosed `\"`"]);
    outcome.expect_nowhere(&["never-shown"]);
    // An unquoted PEM body line: named by line and column, its text never shown (issue 15, L4).
    app.write("bad.env", "KEY=-----BEGIN\nMIIBOg+CANARYpem/Body0123=\n");
    let outcome =
        run(maestro().args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file"]).arg(app.join("bad.env")));
    assert_rejected(&outcome, &["bad.env:2, column 7: the text before `=` is not a variable name"]);
    outcome.expect_nowhere(&["CANARY", "MIIB"]);
    let outcome = run(maestro().args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", "no/such.env"]));
    assert_rejected(&outcome, &["error: --env-file: cannot read `no/such.env`"]);
}

#[test]
fn missing_request_lists_every_missing_field() {
    // A copy of the app outside any git checkout and no CI: nothing is known.
    let app = Scratch::copy_of_example();
    let outcome = run(maestro().args(["plan", "--offline"]).arg("--app").arg(app.path()));
    assert_rejected(
        &outcome,
        &[
            "MAESTRO_REPO_OVERRIDE: no repository given (no CI was detected and the working directory is not a git checkout)",
            "hint: pass `--repo owner/name`",
            "MAESTRO_COMMIT_OVERRIDE: no commit given",
            "MAESTRO_BRANCH_OVERRIDE: no branch to deploy",
            "AWS_ACCOUNT_ID: no AWS account id given",
            "AWS_REGION: no AWS region given",
            "5 problems found; nothing was changed.",
        ],
    );
}

#[test]
fn bad_files() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "Procfile",
            "web: node server.js\nworker: a\nweb: node other.js\n",
            &["error: Procfile:3, column 1: process `web` is already defined on line 1"],
        ),
        ("Procfile", "web node server.js\n", &["Procfile:1, column 1: expected `type: command`"]),
        (
            "Procfile",
            "web: node server.js\nscheduledtasks: scheduledtasks: tasks/run_task.conf\n",
            &["Procfile:2: `scheduledtasks:` is written twice"],
        ),
        (
            "Procfile",
            "web: node server.js\nscheduledtasks: tasks/missing.conf\n",
            &["Procfile:2: the schedule file `tasks/missing.conf` does not exist"],
        ),
        (
            "tasks/run_tasks.conf",
            "ok rate(1 day) x\nnightly cron(0 3 * * * *) bin/nightly\n",
            &["tasks/run_tasks.conf:2, column 18: exactly one of day-of-month and day-of-week must be `?`"],
        ),
        (
            "tasks/run_tasks.conf",
            "feed rate(3 hour) x\n",
            &["tasks/run_tasks.conf:1, column 13: EventBridge requires `3 hours`"],
        ),
        ("project.toml", "[io.buildpacks]\nbuilder = heroku\n", &["project.toml:2", "invalid TOML"]),
        (
            "task-definition-web.json",
            "{\"containerDefinitions\": [{\"name\": \"app\"}]}",
            &["task-definition-web.json: no container is named `acme-shop-api` (containers: `app`)"],
        ),
        (
            "task-definition-worker.json",
            "{\"containerDefinitions\": [,]}",
            &["task-definition-worker.json:1", "invalid JSON"],
        ),
    ];
    for (file, text, expected) in cases {
        let app = Scratch::copy_of_example();
        app.write(file, text);
        assert_rejected(&plan_app(&app), expected);
    }
}

#[test]
fn missing_procfile() {
    let app = Scratch::copy_of_example();
    app.remove("Procfile");
    assert_rejected(&plan_app(&app), &["error: Procfile: no Procfile in", "add one (e.g. `web: bin/server`)"]);
}

#[test]
fn several_problems_are_reported_together() {
    let outcome = plan_with(&[("PORT", "0"), ("ALB_SCHEME", "public")], &["--sha", "xyz"]);
    assert_rejected(&outcome, &["error: PORT", "error: ALB_SCHEME", "error: --sha", "3 problems found"]);
}

#[test]
fn no_input_makes_it_panic() {
    // Inputs that once crashed or confused the original's regexes; every one must end in exit 2, never 101.
    for value in [
        "{",
        "}",
        "[",
        ":",
        "web{;}",
        "web:-",
        "web:1-2[",
        "web:1-2[cpu",
        "web:1-2[cpu=",
        "web:1-2[cpu=1&",
        "ü{1;2}",
        ",",
        "web:1-2[;]",
        "web{99999999999;1}",
    ] {
        let outcome = plan_with(&[("ECS_SERVICE_TASK_PROCESSES", value)], &[]);
        assert_eq!(outcome.code, Some(2), "{value}: {}", outcome.stderr);
    }
}

#[test]
fn on_github_bad_lines_are_annotated_on_the_file() {
    let app = Scratch::copy_of_example();
    app.write("tasks/run_tasks.conf", "feed rate(3 hour) x\n");
    app.write("Procfile", "web node server.js\n");
    let outcome = run(maestro()
        .args(["plan", "--offline"])
        .arg("--app")
        .arg(app.path())
        .args(["--env-file", EXAMPLE_ENV])
        .env("GITHUB_ACTIONS", "true"));
    assert_rejected(&outcome, &["Procfile:1, column 1"]);
    // The Procfile's line is annotated.
    outcome.expect_stderr(&["::error file=Procfile,line=1,col=1,endColumn="]);
    // Off GitHub, no workflow command is printed.
    let plain = plan_app(&app);
    assert!(!plain.stderr.contains("::error"), "{}", plain.stderr);
    let variable = plan_with(&[("GITHUB_ACTIONS", "true"), ("PORT", "http")], &[]);
    assert!(!variable.stderr.contains("::error"), "a variable has no file to annotate:\n{}", variable.stderr);
}

/// How input errors read, exactly: the caret under the bad character, the file and line, the
/// hint, several problems at once, and GitHub's annotation of a file's line.
#[test]
fn input_errors_read_the_same() {
    let app = Scratch::copy_of_example();
    // The example's settings and one bad line: whatever the checkout, only that line is wrong.
    let settings = std::fs::read_to_string(repository_root().join(EXAMPLE_ENV)).unwrap();
    app.write("bad.env", &format!("{settings}PORT=eighty\n"));
    // A Procfile whose second line lacks its colon (the env file above is not the app's).
    app.write("Procfile", "web: node server.js\nworker node worker.js\n");
    let env_file = app.join("bad.env");
    let cases: [(&str, Outcome); 5] = [
        ("one_variable", plan_with(&[("ECS_SERVICE_TASK_PROCESSES", "web:5-2")], &[])),
        (
            "an_env_file_line",
            run(maestro().args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file"]).arg(&env_file)),
        ),
        ("a_procfile_line", plan_app(&app)),
        ("a_procfile_line_on_github", {
            let mut command = maestro();
            command.args(["plan", "--offline", "--env-file", EXAMPLE_ENV, "--app"]).arg(app.path());
            run(command.env("GITHUB_ACTIONS", "true"))
        }),
        ("several_problems", plan_with(&[("PORT", "0"), ("ALB_SCHEME", "public")], &["--sha", "xyz"])),
    ];
    for (name, outcome) in cases {
        assert_rejected(&outcome, &[]);
        // The scratch folder's name differs on every run.
        let stderr = outcome.stderr.replace(&app.path().display().to_string(), "[scratch]");
        insta::assert_snapshot!(format!("input_error_{name}"), stderr);
    }
}

/// M6: a symbolic link to another file inside the checkout is followed (the decision documented
/// in src/workspace.rs), and a parse error shows at most about 80 characters of a long line,
/// control characters escaped.
#[test]
fn app_files_may_link_inside_the_checkout_and_errors_show_little_of_a_line() {
    let app = Scratch::copy_of_example();
    std::fs::rename(app.join("tasks/run_tasks.conf"), app.join("shared.conf")).unwrap();
    std::os::unix::fs::symlink("../shared.conf", app.join("tasks/run_tasks.conf")).unwrap();
    let outcome = plan_app(&app);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);

    let app = Scratch::copy_of_example();
    let long =
        format!("{{\"containerDefinitions\": [], \"x\": \"\u{1b}]0;CANARY-title\u{7}{}\" ,,]}}", "z".repeat(300));
    app.write("task-definition-web.json", &long);
    let outcome = plan_app(&app);
    assert_rejected(&outcome, &["task-definition-web.json:1", "invalid JSON"]);
    let shown = outcome.stderr.lines().find(|line| line.starts_with("  | ")).unwrap();
    // 80 characters of the line, `…` on both sides, and two escapes (`\u{1b}`, `\u{7}`).
    assert!(shown.chars().count() <= 4 + 80 + 2 + 10, "{shown}");
    assert!(!shown.contains(&"z".repeat(100)), "{shown}");
    assert!(!outcome.stderr.contains('\u{1b}') && !outcome.stderr.contains('\u{7}'), "{}", outcome.stderr);
}
