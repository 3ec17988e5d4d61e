//! The rollout-floor benchmark (issue 21, docs/rollout-floor.md): a web and a worker deploy that
//! roll a new revision, on the emulator's scaled clock (tests/support/scaled_clock.py: the task
//! starts in `TASK_START` AWS seconds, then passes its target group's health checks, one AWS second
//! lasting `AWS_SECOND`). A deploy cannot end before ECS's modelled floor; maestro's own time on
//! top of it is its reads and writes and its polling. Fails unless each deploy's wall time is
//! within one poll plus 1 s of its floor.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use maestro_core::backoff::Backoff;
use maestro_core::plan::health_check::HealthCheck;
use maestro_test_support::{Scratch, scale_clock};

use crate::{bench_account, maestro, measure};

/// Real time per AWS second: a 40 s web rollout lasts 0.8 s.
const AWS_SECOND: Duration = Duration::from_millis(20);
/// AWS seconds from RunTask to the app answering (an example: Fargate's placement and pull, and
/// a quick boot).
const TASK_START: u32 = 20;
/// maestro's first poll interval by default (`MAESTRO_POLL_INTERVAL`).
const FIRST_POLL: Duration = Duration::from_secs(1);

struct Case {
    label: &'static str,
    procfile: &'static str,
    /// The process list of the first deploy, then of the one measured (a new size: a new revision).
    processes: [&'static str; 2],
    settings: &'static [(&'static str, &'static str)],
    /// The modelled floor, in AWS seconds.
    floor: u32,
}

fn cases() -> [Case; 3] {
    let ours = HealthCheck::DEPLOY;
    let aws = HealthCheck::AWS;
    [
        Case {
            label: "web, maestro's defaults (10 s × 2, early success)",
            procfile: "web: bin/web\n",
            processes: ["web", "web{512;1024}"],
            settings: &[],
            floor: ours.rollout_floor(TASK_START),
        },
        Case {
            label: "worker",
            procfile: "worker: bin/worker\n",
            processes: ["worker", "worker{512;1024}"],
            settings: &[],
            floor: TASK_START,
        },
        Case {
            label: "web, AWS's defaults (30 s × 5, drain 300 s waited)",
            procfile: "web: bin/web\n",
            processes: ["web", "web{512;1024}"],
            settings: &[
                ("MAESTRO_HEALTH_CHECK_INTERVAL", "30"),
                ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "5"),
                ("MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD", "2"),
                ("MAESTRO_HEALTH_CHECK_TIMEOUT", "6"),
                ("MAESTRO_DEREGISTRATION_DELAY", "300"),
                ("MAESTRO_EARLY_SUCCESS", "false"),
            ],
            floor: aws.rollout_floor(TASK_START) + 300,
        },
    ]
}

/// The wait of the poll during which `floor` passes: a finished rollout is seen at its end.
fn poll_at(floor: Duration) -> Duration {
    let mut polls = Backoff::polls(FIRST_POLL);
    let mut waited = Duration::ZERO;
    loop {
        let wait = polls.next_wait();
        waited += wait;
        if waited >= floor {
            return wait;
        }
    }
}

fn deploy(account: &crate::Account, dir: &Path, processes: &str, settings: &[(&str, &str)]) -> Duration {
    let mut command = maestro(account, dir, processes, &["deploy"], &maestro_test_support::moto_url());
    // maestro's own polling, not the main benchmark's fast one.
    command.env_remove("MAESTRO_POLL_INTERVAL").envs(settings.iter().copied());
    measure(&mut command).0
}

/// The table's rows and the targets missed.
pub(crate) fn run(scratch: &Scratch, stamp: u64) -> (String, Vec<String>) {
    let mut table = String::from(
        "| deploy (new revision) | modelled floor | floor (scaled) | wall | wall − floor | one poll |\n|---|---|---|---|---|---|\n",
    );
    let mut failures = Vec::new();
    for (index, case) in cases().iter().enumerate() {
        let id = format!("{stamp:06}{:06}", 200 + index);
        let account = bench_account(&id, "bench-app-staging");
        scale_clock(&id, AWS_SECOND, TASK_START);
        let dir = scratch.join(&format!("floor-{index}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("Procfile"), case.procfile).unwrap();
        deploy(&account, &dir, case.processes[0], case.settings);
        let wall = deploy(&account, &dir, case.processes[1], case.settings);
        let floor = AWS_SECOND * case.floor;
        let poll = poll_at(floor);
        let over = wall.saturating_sub(floor);
        let _ = writeln!(
            table,
            "| {} | {} s | {:.2} s | {:.2} s | {:.2} s | {:.2} s |",
            case.label,
            case.floor,
            floor.as_secs_f64(),
            wall.as_secs_f64(),
            wall.as_secs_f64() - floor.as_secs_f64(),
            poll.as_secs_f64()
        );
        if over > poll + Duration::from_secs(1) {
            failures.push(format!(
                "{}: {:.2} s over its floor of {:.2} s (target: at most one poll, {:.2} s, plus 1 s)",
                case.label,
                over.as_secs_f64(),
                floor.as_secs_f64(),
                poll.as_secs_f64()
            ));
        }
        if wall < floor {
            failures.push(format!("{}: ended before its floor: the scaled clock is off", case.label));
        }
    }
    (table, failures)
}
