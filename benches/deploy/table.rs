//! The benchmark's one table (loopback, at 50 ms per call, depth in round trips, calls, peak
//! memory, the CLI baseline) and the README's targets it is checked against.

use std::fmt::Write as _;

use crate::Run;
use crate::latency::DELAY;

/// One run of one app size: on loopback and at `DELAY` per call.
pub(crate) struct Row {
    pub(crate) processes: usize,
    pub(crate) label: &'static str,
    pub(crate) loopback: Run,
    pub(crate) slow: Run,
    /// The calls' waves the proxy saw: sequential round trips, counted (`latency::Proxy::waves`).
    pub(crate) waves: usize,
    /// The app's AWS resources, what reads per resource are counted against.
    pub(crate) resources: u64,
    /// The aws CLI baseline's seconds and calls on loopback; `None` where it was not run.
    pub(crate) cli: Option<(f64, usize)>,
}

impl Row {
    /// Round trips by the wall clock: the wall time at `DELAY` per call, in delays. It counts the
    /// emulator's and maestro's own work too (on loopback alone, a tenth of a second on a quiet
    /// machine, several on a busy one).
    pub(crate) fn wall_depth(&self) -> f64 {
        self.slow.seconds / DELAY
    }

    /// Sequential round trips, as the proxy saw them: what the targets are checked against.
    pub(crate) fn depth(&self) -> f64 {
        self.waves as f64
    }

    fn reads_per_resource(&self) -> f64 {
        self.loopback.reads as f64 / self.resources as f64
    }
}

pub(crate) fn markdown(rows: &[Row]) -> String {
    let mut table = String::from(
        "| processes | run | maestro, loopback | maestro, 50 ms per call | its wall ÷ 50 ms | sequential round trips | AWS reads / writes | reads per resource | peak memory | aws CLI, loopback (the original's calls) | speed-up, loopback |\n|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for row in rows {
        let (cli, speed_up) = match row.cli {
            // The original's calls are sequential: at 50 ms each adds one round trip.
            Some((seconds, calls)) => (
                format!("{seconds:.2} s ({calls} calls; ≈ {:.1} s at 50 ms)", seconds + calls as f64 * DELAY),
                format!("{:.0}×", seconds / row.loopback.seconds),
            ),
            None => ("not run (minutes of aws CLI starts)".to_owned(), "–".to_owned()),
        };
        let _ = writeln!(
            table,
            "| {} | {} | {:.2} s | {:.2} s | {:.1} | {} | {} / {} | {:.1} | {:.1} MB | {cli} | {speed_up} |",
            row.processes,
            row.label,
            row.loopback.seconds,
            row.slow.seconds,
            row.wall_depth(),
            row.waves,
            row.loopback.reads,
            row.loopback.writes,
            row.reads_per_resource(),
            row.loopback.peak_mb.max(row.slow.peak_mb),
        );
    }
    table
}

fn find<'a>(rows: &'a [Row], processes: usize, label: &str) -> &'a Row {
    rows.iter().find(|row| row.processes == processes && row.label == label).unwrap()
}

/// Every target the rows miss, said with the figure and the target.
pub(crate) fn missed(rows: &[Row]) -> Vec<String> {
    let mut failures = Vec::new();
    for row in rows {
        let peak = row.loopback.peak_mb.max(row.slow.peak_mb);
        if peak >= 50.0 {
            failures.push(format!(
                "{} processes, {}: peak memory {peak:.1} MB (target: under 50 MB)",
                row.processes, row.label
            ));
        }
    }
    let (fresh, again) = (find(rows, 10, "fresh deploy"), find(rows, 10, "no-change redeploy"));
    if again.loopback.writes != 0 {
        failures
            .push(format!("the no-change redeploy of 10 processes wrote {} times (target: 0)", again.loopback.writes));
    }
    if again.loopback.seconds >= 1.0 {
        failures.push(format!(
            "the no-change redeploy took {:.2} s on loopback (target: under 1 s)",
            again.loopback.seconds
        ));
    }
    if let Some((cli_seconds, _)) = again.cli
        && cli_seconds / again.loopback.seconds < 20.0
    {
        failures.push(format!(
            "the no-change redeploy is {:.1}× faster than the CLI (target: 20×)",
            cli_seconds / again.loopback.seconds
        ));
    }
    let one = find(rows, 1, "fresh deploy");
    if fresh.loopback.seconds >= 2.0 * one.loopback.seconds {
        failures.push(format!(
            "the fresh deploy of 10 processes took {:.2} s on loopback, of 1 process {:.2} s (target: less than twice)",
            fresh.loopback.seconds, one.loopback.seconds
        ));
    }
    for (row, most) in [(again, 5.0), (fresh, 12.0)] {
        if row.depth() > most {
            failures.push(format!(
                "the {} of 10 processes is {:.0} sequential round trips deep (target: at most {most})",
                row.label,
                row.depth()
            ));
        }
    }
    for small in [fresh, again] {
        let large = find(rows, 50, small.label);
        if large.depth() > 1.5 * small.depth() {
            failures.push(format!(
                "the {} of 50 processes is {:.0} sequential round trips deep, of 10 processes {:.0} (target: at most 1.5×)",
                small.label,
                large.depth(),
                small.depth()
            ));
        }
    }
    for processes in [10, 50] {
        let row = find(rows, processes, "no-change redeploy");
        if row.reads_per_resource() > 3.0 {
            failures.push(format!(
                "the no-change redeploy of {processes} processes read {} times for {} resources (target: at most 3 each)",
                row.loopback.reads, row.resources
            ));
        }
    }
    failures
}
