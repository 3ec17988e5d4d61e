//! `maestro status` for people: one block per process (a line, then a small tree), then the
//! schedules.

use std::fmt::Write;

use super::{NextRun, ProcessStatus, ServiceLife, Status};
use crate::text::civil_date::civil_date;

/// The whole status under `title` (the environment, in one line).
pub fn human(title: &str, status: &Status) -> String {
    let mut out = format!("{title}\n");
    if let Some(release) = &status.current_release {
        let commit: String = release.commit.chars().take(8).collect();
        let _ = writeln!(
            out,
            "release {} ({}, commit {commit}, {})",
            release.number,
            release.kind,
            crate::history::when(release.time)
        );
    }
    for process in &status.processes {
        out.push('\n');
        block(&mut out, process);
    }
    if !status.schedules.is_empty() {
        out.push_str("\nschedules\n");
        let width = status.schedules.iter().map(|schedule| schedule.name.len()).max().unwrap_or_default();
        let longest = status.schedules.iter().map(|schedule| schedule.expression.len()).max().unwrap_or_default();
        for schedule in &status.schedules {
            let state = match schedule.enabled {
                Some(true) => "enabled",
                Some(false) => "disabled",
                None => "missing",
            };
            let (name, expression, rule) = (&schedule.name, &schedule.expression, &schedule.rule);
            let next = match &schedule.next_run {
                Some(NextRun::At { millis }) => format!("  next {}", timestamp(*millis)),
                Some(NextRun::Every { every }) => format!("  {every}"),
                Some(NextRun::Never) => "  no next run".to_owned(),
                None => String::new(),
            };
            let _ = writeln!(out, "  {name:<width$}  {state:<8}  {expression:<longest$}  ({rule}){next}");
        }
    }
    out
}

fn block(out: &mut String, process: &ProcessStatus) {
    let counts = match process.state {
        ServiceLife::Missing => "not deployed".to_owned(),
        _ => format!("{}/{} running, {} pending", process.running, process.desired, process.pending),
    };
    let _ = writeln!(out, "{}  {}  {}  {counts}", process.process, process.service, process.state.as_str());
    let mut lines: Vec<(&str, String)> = Vec::new();
    if let Some(arn) = &process.task_definition {
        lines.push(("revision", arn.rsplit('/').next().unwrap_or_default().to_owned()));
    }
    if let Some(image) = &process.image {
        lines.push(("image", image.short()));
    }
    if let Some(deployment) = &process.deployment {
        let mut line = format!(
            "{} {}/{} running, {} pending ({})",
            deployment.rollout_state, deployment.running, deployment.desired, deployment.pending, deployment.id
        );
        if deployment.draining_deployments > 0 {
            let _ = write!(line, "; {} older draining", deployment.draining_deployments);
        }
        if let Some(reason) = &deployment.reason {
            let _ = write!(line, ": {reason}");
        }
        lines.push(("rollout", line));
    }
    if let Some(ecs) = &process.service_deployment {
        let mut line = ecs.status.clone();
        if let Some(stage) = &ecs.stage {
            let _ = write!(line, " at {stage}");
        }
        if ecs.awaiting_approval {
            line.push_str(": awaiting approval (`maestro continue` or `maestro abort`)");
        }
        lines.push(("ecs", line));
    }
    if let Some(scaling) = &process.scaling {
        lines.push(("scaling", format!("{}-{} tasks", scaling.min, scaling.max)));
    }
    if let Some(url) = &process.url {
        lines.push(("url", url.clone()));
    }
    for (index, event) in process.events.iter().enumerate() {
        let at = event.created_at.map_or_else(|| "(no time)".to_owned(), timestamp);
        lines.push((if index == 0 { "events" } else { "" }, format!("{at}  {}", event.message)));
    }
    for (index, (name, value)) in lines.iter().enumerate() {
        let branch = if index + 1 == lines.len() { "└──" } else { "├──" };
        let _ = writeln!(out, "  {branch} {name:<9}{value}");
    }
}

/// `2026-11-30 23:20:11Z` from milliseconds since the Unix epoch.
fn timestamp(millis: i64) -> String {
    let seconds = u64::try_from(millis.div_euclid(1000)).unwrap_or_default();
    let (year, month, day) = civil_date(seconds / 86_400);
    let of_day = seconds % 86_400;
    format!("{year}-{month:02}-{day:02} {:02}:{:02}:{:02}Z", of_day / 3600, of_day % 3600 / 60, of_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_utc() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00Z");
        assert_eq!(timestamp(1_796_080_811_000), "2026-11-30 23:20:11Z");
    }
}
