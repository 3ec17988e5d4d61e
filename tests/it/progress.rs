//! What a deploy prints while it waits, as a CI log shows it (`tests/it/snapshots/`): a status line
//! per service at least every MAESTRO_PROGRESS_INTERVAL (here 0: one at every poll, so the lines
//! follow the emulator's ticks, not the clock), only the events of this deploy, and a summary that
//! says what each service really did, after a Ctrl-C and after `maestro stop` too.

use crate::deploy_cli::{command_in, maestro_in};
use crate::support::cancel_when;
use maestro_test_support::{TestAccount, plan_rollout, plan_slow_rollout};

/// Every poll prints, and polls come quickly: the lines depend on the ticks only.
const EVERY_POLL: [(&str, &str); 2] = [("MAESTRO_PROGRESS_INTERVAL", "0"), ("MAESTRO_POLL_INTERVAL", "0.2")];

/// The wait's lines about `prefix`'s services (`<prefix>web: …`), as printed.
fn service_lines(stderr: &str, prefix: &str) -> String {
    let about =
        |line: &str| ["web", "worker", "clock"].iter().any(|process| line.contains(&format!("{prefix}{process}: ")));
    stderr.lines().filter(|line| about(line)).map(|line| format!("{}\n", line.trim())).collect()
}

/// Lets an earlier deploy's events grow older than the clock-skew margin, as they are when deploys
/// are minutes apart (within it, they count as this deploy's).
async fn let_events_age() {
    let margin = maestro_core::rollout::events::CLOCK_SKEW_MARGIN_MILLIS.unsigned_abs();
    tokio::time::sleep(std::time::Duration::from_millis(margin + 500)).await;
}

fn redacted(run: impl FnOnce()) {
    insta::with_settings!({filters => vec![
        (r"\b(\d+h)?(\d+m)?\d+s\b", "[time]"),
        (r"ecs-svc/\d+", "ecs-svc/[id]"),
    ]}, {
        run();
    });
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_slow_rollout_shows_its_counts_at_each_poll_and_only_this_deploys_events() {
    let account = TestAccount::new("a_slow_rollout_shows_its_counts_at_each_poll").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "slow");
    // An earlier deploy whose web rollout failed: its "deployment failed" event stays in ECS's history.
    plan_rollout("acme-shop-api-slow-web", "FAILED").await;
    maestro_in(&account, "deploy", "human", &[branch]).await.expect_code(1);
    let_events_age().await;

    plan_slow_rollout("acme-shop-api-slow-web", "COMPLETED", 4).await;
    let next = [branch, ("MAESTRO_COMMIT_OVERRIDE", "9e8d7c6b5a4f3e2d1c0b"), EVERY_POLL[0], EVERY_POLL[1]];
    let outcome = maestro_in(&account, "deploy", "human", &next).await;
    outcome.expect_code(0).expect_stdout(&["deployed"]);
    let lines = service_lines(&outcome.stderr, "acme-shop-api-slow-");
    assert!(!lines.contains("deployment failed"), "the earlier deploy's event is not replayed:\n{lines}");
    // The release task's wait says its state and the time waited at each poll too.
    let release: Vec<&str> = outcome.stderr.lines().filter(|line| line.contains("release: task ")).collect();
    assert!(release.len() >= 2 && release.iter().all(|line| line.ends_with('s')), "{release:?}");
    redacted(|| insta::assert_snapshot!("progress_slow_rollout", lines));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_cancelled_deploy_keeps_the_services_that_deployed_as_deployed() {
    let account = TestAccount::new("a_cancelled_deploy_keeps_the_services_that_deployed").await;
    plan_rollout("acme-shop-api-halted-web", "STUCK").await;
    let extra = [("MAESTRO_BRANCH_OVERRIDE", "halted"), EVERY_POLL[0], EVERY_POLL[1]];
    let mut command = command_in(&account, "deploy", "human", &extra).await;
    // Cancelled once worker and clock are deployed and web is still rolling.
    let deployed = std::cell::Cell::new(0);
    let (code, seen, rest) = cancel_when(&mut command, |line| {
        if line.contains("-worker: deployed") || line.contains("-clock: deployed") {
            deployed.set(deployed.get() + 1);
        }
        // `>=`: cancel_when asks again about the line it stopped at.
        deployed.get() >= 2
    });
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains("1 of 3 services did not roll out"), "only web did not: {rest}");
    // What the job's log says after the cancel: the warning and the error, web alone cancelled.
    redacted(|| insta::assert_snapshot!("progress_cancelled_deploy", rest));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_deploy_after_stop_waits_for_the_tasks_and_says_scaled_from_0() {
    let account = TestAccount::new("a_deploy_after_stop_waits_for_the_tasks").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "restored");
    maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0);
    maestro_in(&account, "stop", "json", &[branch]).await.expect_code(0);
    let_events_age().await;
    // Tasks come back one every 3 looks at the service, so the wait sees them come.
    for process in ["web", "worker", "clock"] {
        plan_slow_rollout(&format!("acme-shop-api-restored-{process}"), "COMPLETED", 3).await;
    }

    let again = [branch, EVERY_POLL[0], EVERY_POLL[1]];
    let outcome = maestro_in(&account, "deploy", "human", &again).await;
    outcome.expect_code(0);
    let lines = service_lines(&outcome.stderr, "acme-shop-api-restored-");
    // The tasks come back one per poll: the deploy waited for them.
    assert!(lines.contains("running, 1 pending (scaling from 0)"), "{lines}");
    redacted(|| {
        insta::assert_snapshot!("progress_restore_after_stop", lines);
        insta::assert_snapshot!("progress_restore_after_stop_table", table(&outcome.stdout));
    });
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let names = ["web", "worker", "clock"].map(|process| format!("acme-shop-api-restored-{process}"));
    let described = ecs.describe_services().cluster("acme-shop-api-restored").set_services(Some(names.to_vec()));
    for service in described.send().await.unwrap().services() {
        assert_eq!(service.running_count(), service.desired_count(), "{:?} runs its tasks", service.service_name());
        assert!(service.desired_count() > 0, "{:?}", service.service_name());
    }
}

/// The summary table of a human report, without the column the load balancer's name widens.
fn table(stdout: &str) -> String {
    let from = stdout.find("process  service").expect("a summary table");
    stdout[from..].lines().map(|line| format!("{}\n", line.split("  http").next().unwrap_or(line).trim_end())).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn on_a_terminal_the_wait_is_redrawn_in_place() {
    let account = TestAccount::new("on_a_terminal_the_wait_is_redrawn_in_place").await;
    plan_slow_rollout("acme-shop-api-tty-web", "COMPLETED", 4).await;
    let extra = [("MAESTRO_BRANCH_OVERRIDE", "tty"), ("MAESTRO_POLL_INTERVAL", "0.5")];
    let command = command_in(&account, "deploy", "human", &extra).await;
    // `script` gives maestro a terminal, as a person's shell does (util-linux; the log is discarded).
    let quoted = |text: &std::ffi::OsStr| format!("'{}'", text.to_string_lossy().replace('\'', r"'\''"));
    let line: Vec<String> =
        std::iter::once(command.get_program()).chain(command.get_args()).map(quoted).collect::<Vec<_>>();
    let mut terminal = std::process::Command::new("script");
    terminal.env_clear().env("TERM", "xterm").args(["-qec", &line.join(" "), "/dev/null"]);
    for (name, value) in command.get_envs() {
        if let Some(value) = value {
            terminal.env(name, value);
        }
    }
    let output = terminal.output().unwrap();
    let screen = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{screen}");
    assert!(screen.contains("\u{1b}[2K"), "the live lines are cleared and redrawn:\n{screen}");
    assert!(screen.contains("running, ") && screen.contains("(new deployment)"), "{screen}");
    assert!(screen.contains("acme-shop-api-tty-web: deployed ("), "a service's end stays:\n{screen}");
    assert!(screen.contains("process  service"), "the report follows:\n{screen}");
}
