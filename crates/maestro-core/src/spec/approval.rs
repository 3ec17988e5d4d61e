//! `MAESTRO_APPROVAL`: where ECS pauses a shifting deployment until someone approves it
//! (a `PAUSE` lifecycle hook, resolved by `maestro continue` or `maestro abort`).
//!
//! `pre-production-traffic` (the usual one: the new revision runs and takes the test listener's
//! traffic, production still on the old one), `post-scale-up`, `post-test-traffic` or
//! `post-production-traffic`; then optionally `timeout=2h` (ECS's default 24 hours) and
//! `on-timeout=rollback|continue` (ECS's default, and maestro's, `rollback`).

use std::fmt;

use serde::Serialize;

use super::deploy_strategy::{duration, minutes};
use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

/// A stage a PAUSE hook may wait at, in maestro's words and ECS's. "PAUSE hooks cannot be
/// configured at TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT stages" (DeploymentLifecycleHook).
pub const STAGES: &[(&str, &str)] = &[
    ("post-scale-up", "POST_SCALE_UP"),
    ("post-test-traffic", "POST_TEST_TRAFFIC_SHIFT"),
    ("pre-production-traffic", "PRE_PRODUCTION_TRAFFIC_SHIFT"),
    ("post-production-traffic", "POST_PRODUCTION_TRAFFIC_SHIFT"),
];

/// The hook's timeout when none is given: ECS's default, "1440 (24 hours)".
pub const DEFAULT_TIMEOUT_MINUTES: u32 = 1440;

/// What ECS does when nobody resolves the pause before the hook's timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimeoutAction {
    Continue,
    Rollback,
}

impl TimeoutAction {
    /// ECS's word, as serialised.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Continue => "CONTINUE",
            Self::Rollback => "ROLLBACK",
        }
    }

    pub fn of(ecs_name: &str) -> Option<Self> {
        match ecs_name {
            "CONTINUE" => Some(Self::Continue),
            "ROLLBACK" => Some(Self::Rollback),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Approval {
    /// ECS's lifecycle stage, e.g. `PRE_PRODUCTION_TRAFFIC_SHIFT`.
    pub stage: &'static str,
    pub timeout_minutes: u32,
    pub on_timeout: TimeoutAction,
}

impl Approval {
    /// maestro's name of the stage.
    pub fn stage_name(&self) -> &'static str {
        STAGES.iter().find(|(_, ecs)| *ecs == self.stage).map_or(self.stage, |(name, _)| name)
    }
}

impl fmt::Display for Approval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = match self.on_timeout {
            TimeoutAction::Continue => "continue",
            TimeoutAction::Rollback => "rollback",
        };
        write!(f, "{},timeout={},on-timeout={action}", self.stage_name(), minutes(self.timeout_minutes))
    }
}

const HINT: &str = "write a stage, `pre-production-traffic` (or `post-scale-up`, `post-test-traffic`, \
                    `post-production-traffic`), optionally with `,timeout=2h` and `,on-timeout=rollback` or `continue`";

/// `None` for `off` or an empty value.
pub fn parse(input: impl Into<Location>, text: &str) -> Result<Option<Approval>, InputError> {
    let input = &input.into();
    if text.trim().is_empty() || text.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let mut pieces = split_with_spans(text, ',').into_iter();
    let Some((span, piece)) = pieces.next() else {
        return Ok(None);
    };
    let span = trimmed_span(piece, span);
    let name = text[span.clone()].to_ascii_lowercase();
    let stage = match STAGES.iter().find(|(known, _)| *known == name) {
        Some((_, ecs)) => *ecs,
        None => {
            let why = if matches!(name.as_str(), "test-traffic" | "production-traffic") {
                format!("ECS cannot pause during `{name}`: PAUSE hooks wait before or after a traffic shift, not in it")
            } else {
                format!("`{name}` is not a stage maestro can pause at")
            };
            return Err(InputError::at(input, text, span, why, HINT));
        }
    };
    let mut approval =
        Approval { stage, timeout_minutes: DEFAULT_TIMEOUT_MINUTES, on_timeout: TimeoutAction::Rollback };
    let mut seen: Vec<String> = Vec::new();
    for (span, piece) in pieces {
        let span = trimmed_span(piece, span);
        let item = &text[span.clone()];
        let error = |message: String| InputError::at(input, text, span.clone(), message, HINT);
        let Some((key, value)) = item.split_once('=') else {
            return Err(error(format!("`{item}` is not `key=value`")));
        };
        let (key, value) = (key.trim(), value.trim());
        if seen.iter().any(|seen| seen == key) {
            return Err(error(format!("`{key}` is given twice")));
        }
        seen.push(key.to_owned());
        match key {
            "timeout" => match duration(value) {
                Ok(0) => return Err(error("a timeout of 0 would end the pause at once".to_owned())),
                Ok(minutes) => approval.timeout_minutes = minutes,
                Err(why) => return Err(error(format!("`timeout`: {why}"))),
            },
            "on-timeout" => {
                approval.on_timeout = match value.to_ascii_lowercase().as_str() {
                    "rollback" => TimeoutAction::Rollback,
                    "continue" => TimeoutAction::Continue,
                    _ => return Err(error(format!("`{value}` is not `rollback` or `continue`"))),
                };
            }
            _ => return Err(error(format!("unknown key `{key}`; the keys are `timeout` and `on-timeout`"))),
        }
    }
    Ok(Some(approval))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "MAESTRO_APPROVAL";

    #[test]
    fn a_stage_with_ecs_defaults_and_overrides() {
        let approval = parse(VAR, "pre-production-traffic").unwrap().unwrap();
        assert_eq!(approval.stage, "PRE_PRODUCTION_TRAFFIC_SHIFT");
        assert_eq!((approval.timeout_minutes, approval.on_timeout), (1440, TimeoutAction::Rollback));
        let custom = parse(VAR, "Post-Scale-Up, timeout=2h, on-timeout=continue").unwrap().unwrap();
        assert_eq!(
            custom,
            Approval { stage: "POST_SCALE_UP", timeout_minutes: 120, on_timeout: TimeoutAction::Continue }
        );
        assert_eq!(custom.to_string(), "post-scale-up,timeout=2h,on-timeout=continue");
        assert_eq!(parse(VAR, &custom.to_string()).unwrap(), Some(custom));
        assert_eq!(parse(VAR, "off").unwrap(), None);
    }

    #[test]
    fn refuses_the_stages_ecs_cannot_pause_at() {
        for (bad, says, column) in [
            ("production-traffic", "cannot pause during `production-traffic`", 1),
            ("test-traffic", "cannot pause during", 1),
            ("later", "not a stage", 1),
            ("post-scale-up,timeout=0", "end the pause at once", 15),
            ("post-scale-up,timeout=30h", "24 hours", 15),
            ("post-scale-up,on-timeout=abort", "not `rollback` or `continue`", 15),
            ("post-scale-up,wait=1m", "unknown key `wait`", 15),
            ("post-scale-up,timeout=1m,timeout=2m", "twice", 26),
        ] {
            let error = parse(VAR, bad).unwrap_err();
            assert!(error.message.contains(says), "{bad}: {}", error.message);
            assert_eq!(error.column, Some(column), "{bad}");
        }
    }
}
