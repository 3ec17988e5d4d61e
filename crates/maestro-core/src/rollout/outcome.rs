//! How each service's deploy ended: its state, and the run's summary table.

use std::fmt;

use serde::{Serialize, Serializer};

/// Where one service's deploy ended. Written as people read it (`timed out`, `not waited`) in
/// the table, the summary and the JSON report alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceState {
    /// Its new deployment completed.
    Deployed,
    /// It was at zero tasks (after `maestro stop`) and is back at its count, its tasks running.
    ScaledFromZero,
    /// Its deployment failed, was replaced, or the service vanished.
    Failed,
    /// Still rolling when `MAESTRO_DEPLOY_TIMEOUT` ran out; ECS goes on with it.
    TimedOut,
    /// maestro was stopped while its deployment was still rolling; ECS goes on with it. A service
    /// whose deployment had completed before stays `Deployed`.
    Cancelled,
    /// Deployed with `MAESTRO_NO_WAIT=true`: started, not followed.
    NotWaited,
    /// The run did not change the service.
    Unchanged,
    /// Its in-flight deployment was rolled back to the revision that ran before (`maestro abort`,
    /// or a deploy cancelled with `MAESTRO_ABORT_ON_CANCEL=true`).
    RolledBack,
    /// ECS holds its blue-green, canary or linear deployment at the approval pause
    /// (`MAESTRO_APPROVAL`) until `maestro continue` or `maestro abort`.
    AwaitingApproval,
    /// Its shifting deployment reached the stage the wait stops at (`MAESTRO_WAIT_UNTIL`); ECS
    /// finishes it on its own.
    StageReached,
}

impl ServiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deployed => "deployed",
            Self::ScaledFromZero => "scaled from 0",
            Self::Failed => "failed",
            Self::TimedOut => "timed out",
            Self::Cancelled => "cancelled while in progress",
            Self::NotWaited => "not waited",
            Self::Unchanged => "unchanged",
            Self::RolledBack => "rolled back",
            Self::AwaitingApproval => "awaiting approval",
            Self::StageReached => "stage reached",
        }
    }

    /// The run started a deployment of the service (followed or not): what markers and webhooks mark.
    pub fn rolled_out(self) -> bool {
        matches!(self, Self::Deployed | Self::ScaledFromZero | Self::NotWaited)
    }
}

impl fmt::Display for ServiceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ServiceState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// How one service's deploy ended, for the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceOutcome {
    pub process: String,
    pub service: String,
    pub task_definition: String,
    pub image: String,
    pub state: ServiceState,
    pub reason: Option<String>,
    pub seconds: u64,
    pub url: Option<String>,
}

impl ServiceOutcome {
    /// Nothing went wrong with the service; an unfollowed deployment is given the benefit of the doubt.
    pub fn succeeded(&self) -> bool {
        matches!(
            self.state,
            ServiceState::Deployed
                | ServiceState::ScaledFromZero
                | ServiceState::Unchanged
                | ServiceState::NotWaited
                | ServiceState::AwaitingApproval
                | ServiceState::StageReached
        )
    }

    /// The state as the table says it: a failure with its reason (`failed: <reason>`), cut short
    /// so the row stays readable (the error after the table has it whole).
    fn state_cell(&self) -> String {
        match (self.state, &self.reason) {
            (ServiceState::Failed, Some(reason)) => format!("failed: {}", crate::text::truncate(reason, REASON_WIDTH)),
            (state, _) => state.to_string(),
        }
    }
}

/// The longest failure reason the table shows.
const REASON_WIDTH: usize = 60;

/// The human report of a command that acts on an environment's services (`restart`, `abort`):
/// its first line, each process it left alone (`label` and why), then the services' table, or
/// `none` when it acted on no service.
pub fn acted_on(
    first_line: &str,
    label: &str,
    left_alone: &[(&str, &str)],
    none: &str,
    outcomes: &[ServiceOutcome],
) -> String {
    let mut out = format!("{first_line}\n");
    for (process, why) in left_alone {
        out.push_str(&format!("  {label} {process}: it {why}\n"));
    }
    if outcomes.is_empty() {
        out.push_str(none);
        out.push('\n');
        return out;
    }
    out.push('\n');
    out.push_str(&table(outcomes));
    out
}

/// The summary table, for people.
pub fn table(outcomes: &[ServiceOutcome]) -> String {
    let headers = ["process", "service", "revision", "image", "state", "time", "url"];
    let rows: Vec<[String; 7]> = outcomes
        .iter()
        .map(|outcome| {
            [
                outcome.process.clone(),
                outcome.service.clone(),
                outcome.task_definition.rsplit('/').next().unwrap_or_default().to_owned(),
                outcome.image.rsplit('/').next().unwrap_or_default().to_owned(),
                outcome.state_cell(),
                format!("{}s", outcome.seconds),
                outcome.url.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let mut widths = headers.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    let mut out = line(&headers.map(str::to_owned)) + "\n";
    for row in &rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lines_up() {
        let outcome = ServiceOutcome {
            process: "web".into(),
            service: "shop-staging-web".into(),
            task_definition: "arn:aws:ecs:us-east-1:1:task-definition/shop-staging-web:7".into(),
            image: "1.dkr.ecr.us-east-1.amazonaws.com/shop-staging:3f2a9c1d".into(),
            state: ServiceState::Deployed,
            reason: None,
            seconds: 42,
            url: Some("http://shop.elb.example".into()),
        };
        let table = table(&[outcome]);
        assert_eq!(
            table.lines().next().unwrap(),
            "process  service           revision            image                  state     time  url"
        );
        assert!(table.contains("web      shop-staging-web  shop-staging-web:7  shop-staging:3f2a9c1d  deployed  42s   http://shop.elb.example"), "{table}");
    }

    #[test]
    fn a_failure_says_its_reason_in_the_table() {
        let outcome = ServiceOutcome {
            process: "worker".into(),
            service: "shop-staging-worker".into(),
            task_definition: String::new(),
            image: String::new(),
            state: ServiceState::Failed,
            reason: Some(format!("ECS deployment circuit breaker: tasks failed to start. {}", "x".repeat(80))),
            seconds: 7,
            url: None,
        };
        let table = table(&[outcome]);
        let row = table.lines().nth(1).unwrap();
        assert!(row.contains("failed: ECS deployment circuit breaker: tasks failed to start. xxx"), "{table}");
        assert!(row.contains('…') && !row.contains(&"x".repeat(80)), "the reason is cut short: {table}");
    }

    #[test]
    fn every_state_reads_as_people_say_it() {
        let states = [
            (ServiceState::Deployed, "deployed", true),
            (ServiceState::ScaledFromZero, "scaled from 0", true),
            (ServiceState::Failed, "failed", false),
            (ServiceState::TimedOut, "timed out", false),
            (ServiceState::Cancelled, "cancelled while in progress", false),
            (ServiceState::NotWaited, "not waited", true),
            (ServiceState::Unchanged, "unchanged", true),
        ];
        for (state, text, succeeded) in states {
            assert_eq!((state.to_string(), serde_json::to_value(state).unwrap()), (text.to_owned(), text.into()));
            let outcome = ServiceOutcome {
                process: "web".into(),
                service: "shop-staging-web".into(),
                task_definition: String::new(),
                image: String::new(),
                state,
                reason: None,
                seconds: 0,
                url: None,
            };
            assert_eq!(outcome.succeeded(), succeeded, "{state}");
        }
    }

    #[test]
    fn only_a_started_deployment_rolled_out() {
        let rolled: Vec<ServiceState> = [
            ServiceState::Deployed,
            ServiceState::ScaledFromZero,
            ServiceState::Failed,
            ServiceState::TimedOut,
            ServiceState::Cancelled,
            ServiceState::NotWaited,
            ServiceState::Unchanged,
        ]
        .into_iter()
        .filter(|state| state.rolled_out())
        .collect();
        assert_eq!(rolled, [ServiceState::Deployed, ServiceState::ScaledFromZero, ServiceState::NotWaited]);
    }
}
