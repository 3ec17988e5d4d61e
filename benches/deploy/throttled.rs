//! The throttled benchmark (issue 21, item 5): deploys in accounts the emulator throttles at ECS's
//! documented per-account rates (tests/support/strict/ecs_throttling.py,
//! https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html). A fresh
//! 50-process deploy registers 50 task definitions against a bucket of 20 refilled at 1 a second;
//! five 10-process apps deploying at once in one account share that bucket. Each run's wall time
//! and the calls the emulator refused with `ThrottlingException` are reported; any deploy that
//! fails fails the benchmark. (`cargo bench --bench deploy -- throttled` runs it alone.)

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use maestro_test_support::{Scratch, ecs_throttled, moto_url, throttle_ecs};

use crate::{Account, app, bench_account, maestro, measure};

/// The apps deploying at once in one account, and their size.
const APPS: usize = 5;
const APP_PROCESSES: usize = 10;

struct Scenario {
    label: String,
    /// Each deploy's wall time in seconds, `None` when it failed.
    walls: Vec<Option<f64>>,
    seconds: f64,
    /// The calls refused, and by which action (`RegisterTaskDefinition 3`).
    throttled: (u64, String),
}

/// A fresh deploy of the app in `dir` (`repository`: its repository override, which names it),
/// its wall time, `None` when it failed (its stderr shown).
fn deploy(account: &Account, dir: &Path, listed: &str, repository: &str) -> Option<f64> {
    let mut command = maestro(account, dir, listed, &["deploy"], &moto_url());
    // One secret for every app of the account; each its own names and image.
    command.env("MAESTRO_REPO_OVERRIDE", repository).env("MAESTRO_SECRET_NAME", "staging/bench-app");
    command.env("MAESTRO_NO_ECS_PACING", "false");
    let started = Instant::now();
    // `measure` fails (panics) on a failed deploy, showing its stderr.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| measure(&mut command))).ok()?;
    Some(started.elapsed().as_secs_f64())
}

fn throttled(account: &str) -> (u64, String) {
    let report = ecs_throttled(account);
    let by_action = report["by_action"].as_object().map(|actions| {
        actions.iter().map(|(action, count)| format!("{action} {count}")).collect::<Vec<_>>().join(", ")
    });
    (report["throttled"].as_u64().unwrap_or_default(), by_action.unwrap_or_default())
}

/// The 50-process app, fresh, in a throttled account.
fn one_large(scratch: &Scratch, stamp: u64) -> Scenario {
    let account = bench_account(&format!("{stamp:06}{:06}", 400), "bench-app-staging");
    throttle_ecs(&account.id);
    let dir = scratch.join("throttled-50");
    let listed = app(&dir, 50);
    let started = Instant::now();
    let walls = vec![deploy(&account, &dir, &listed, "bench/app")];
    let seconds = started.elapsed().as_secs_f64();
    Scenario { label: "a fresh 50-process deploy".into(), walls, seconds, throttled: throttled(&account.id) }
}

/// Five 10-process apps, fresh, started together in one throttled account.
fn five_at_once(scratch: &Scratch, stamp: u64) -> Scenario {
    let id = format!("{stamp:06}{:06}", 401);
    // Each app's image repository (the account's roles and secret are made by the first call).
    let accounts: Vec<Account> =
        (1..=APPS).map(|index| bench_account(&id, &format!("bench-app{index}-staging"))).collect();
    throttle_ecs(&id);
    let started = Instant::now();
    let walls = std::thread::scope(|threads| {
        let runs: Vec<_> = accounts
            .iter()
            .enumerate()
            .map(|(index, account)| {
                let dir = scratch.join(&format!("throttled-app{}", index + 1));
                let listed = app(&dir, APP_PROCESSES);
                threads.spawn(move || deploy(account, &dir, &listed, &format!("bench/app{}", index + 1)))
            })
            .collect();
        runs.into_iter().map(|run| run.join().ok().flatten()).collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let label = format!("{APPS} apps of {APP_PROCESSES} processes at once, one account");
    Scenario { label, walls, seconds, throttled: throttled(&id) }
}

/// Runs both scenarios: their table, and what failed.
pub(crate) fn run(scratch: &Scratch, stamp: u64) -> (String, Vec<String>) {
    let scenarios = [one_large(scratch, stamp), five_at_once(scratch, stamp)];
    let mut table = String::from(
        "| Throttled at ECS's rates | Deploys | Wall (s) | Slowest deploy (s) | Calls throttled |\n|---|---|---|---|---|\n",
    );
    let mut failures = Vec::new();
    for scenario in &scenarios {
        let ok = scenario.walls.iter().flatten().count();
        let slowest = scenario.walls.iter().flatten().fold(0.0_f64, |slowest, wall| slowest.max(*wall));
        let total = scenario.walls.len();
        let (count, by_action) = &scenario.throttled;
        let throttled = if *count == 0 { "0".to_owned() } else { format!("{count} ({by_action})") };
        writeln!(
            table,
            "| {} | {ok}/{total} succeeded | {:.1} | {slowest:.1} | {throttled} |",
            scenario.label, scenario.seconds
        )
        .unwrap();
        if ok < total {
            failures.push(format!("throttled: {}: {} of {total} deploys failed", scenario.label, total - ok));
        }
    }
    (table, failures)
}
