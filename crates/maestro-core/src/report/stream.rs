//! `--output ndjson`: what a run writes to stdout as it goes, one JSON object a line, each with
//! its `event`; the last line is the run's report as `--output json` gives it (with `error` when
//! the run failed), on one line and without `event`. docs/ndjson.md describes the stream and
//! docs/ndjson.schema.json is its contract. Nothing here is relayed text: phases, changes and
//! statuses are maestro's own words, so no app secret can be in them.

use serde::Serialize;

use super::Event;
use crate::provision::stage::Stage;
use crate::rollout::ServiceState;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StreamEvent {
    /// The deploy's inputs are checked and it begins.
    Started,
    /// A phase began: `build`, `provision`, `release`, `services`, `rollout`, and the phases of
    /// `restart`, `rollback`, `stop`, `abort`, `continue`, `destroy` (the CI log's group name).
    PhaseStarted { phase: String },
    /// The phase ended, well or not (the report says how the run ended), after `seconds`.
    PhaseFinished { phase: String, seconds: f64 },
    /// One change to AWS was applied, in its stage of the apply.
    Change { stage: &'static str, change: String },
    /// The image is there: `built` by this run or `existing`.
    Image { uri: String, digest: String, source: &'static str },
    /// The `release` process ran and passed.
    Released,
    /// A service's deployment moved on: its task counts or its lifecycle stage.
    Service { service: String, status: String },
    /// A service's deployment ended: `deployed`, `failed`, `timed out`, … (the report's words).
    Verdict { service: String, state: &'static str },
    /// ECS paused the deploy at its approval hook; the run ends here.
    AwaitingApproval { test_url: Option<String> },
    /// A newer deploy of the branch (the commit `by`) queued behind this one: it leaves without
    /// deploying.
    Superseded { by: String },
}

impl StreamEvent {
    /// The stream's line for a reporters' event, when it has one (`Finished` is the report itself).
    pub fn of(event: &Event) -> Option<Self> {
        Some(match event {
            Event::Started => Self::Started,
            Event::Built(image) => Self::Image {
                uri: image.uri.clone(),
                digest: image.digest.clone(),
                source: match image.source {
                    crate::build::ImageSource::Built => "built",
                    crate::build::ImageSource::Existing => "existing",
                },
            },
            Event::Released => Self::Released,
            Event::AwaitingApproval(awaiting) => Self::AwaitingApproval { test_url: awaiting.test_url.clone() },
            Event::Superseded(supersession) => Self::Superseded { by: supersession.sha.clone() },
            // The test phase is not in the stream's contract (docs/ndjson.schema.json) yet.
            Event::Finished(_) | Event::Stopped | Event::Destroyed | Event::Tested(_) => return None,
        })
    }

    pub fn change(stage: Stage, change: String) -> Self {
        Self::Change { stage: stage.name(), change }
    }

    pub fn verdict(service: &str, state: ServiceState) -> Self {
        Self::Verdict { service: service.to_owned(), state: state.as_str() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_is_one_object_named_by_its_event() {
        let line = |event: &StreamEvent| serde_json::to_string(event).unwrap();
        assert_eq!(line(&StreamEvent::Started), r#"{"event":"started"}"#);
        assert_eq!(
            line(&StreamEvent::PhaseFinished { phase: "provision".into(), seconds: 1.5 }),
            r#"{"event":"phase_finished","phase":"provision","seconds":1.5}"#
        );
        assert_eq!(
            line(&StreamEvent::change(Stage::Services, "create service shop-web".into())),
            r#"{"event":"change","stage":"services","change":"create service shop-web"}"#
        );
        assert_eq!(
            line(&StreamEvent::verdict("shop-web", ServiceState::TimedOut)),
            r#"{"event":"verdict","service":"shop-web","state":"timed out"}"#
        );
        assert_eq!(StreamEvent::of(&Event::Stopped), None);
    }
}
