//! `DEPLOYMENT_CIRCUIT_BREAKER_RULE`: `enable=true,rollback=true`, and since ECS made the
//! breaker configurable (July 2026) `threshold=count:2` (or `percent:50`, `unbounded-percent:150`)
//! and `reset-on-healthy=false`.
//!
//! The original spliced the raw text into AWS CLI shorthand; here it is two booleans, each
//! defaulting to `true` when left out, and the two settings ECS added, each left to the plan's
//! defaults when left out (`for_service`).

use serde::Serialize;

use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
    /// How many failed tasks trip the breaker (ThresholdConfiguration); ECS's own when `None`.
    pub threshold: Option<Threshold>,
    /// Whether a task that turns healthy resets the failure count (`resetOnHealthyTask`); ECS's
    /// own (`true`) when `None`.
    pub reset_on_healthy: Option<bool>,
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        Self { enable: true, rollback: true, threshold: None, reset_on_healthy: None }
    }
}

/// ECS's ThresholdConfiguration: "For the percentage types (BOUNDED_PERCENT and
/// UNBOUNDED_PERCENT), Amazon ECS multiplies value by the latest service desired count. For
/// COUNT, Amazon ECS uses value directly as the threshold."
/// (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ThresholdConfiguration.html)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Threshold {
    Count(u32),
    /// A percentage of the desired count, clamped to 3–200 (ECS's default type, at 50).
    BoundedPercent(u32),
    UnboundedPercent(u32),
}

/// ECS's default threshold: "a type of BOUNDED_PERCENT with a value of 50".
pub const ECS_THRESHOLD: Threshold = Threshold::BoundedPercent(50);

impl Threshold {
    /// The failed tasks that trip the breaker of a deployment of `desired` tasks.
    pub fn failures(self, desired: u32) -> u32 {
        let percent = |value: u32| (u64::from(value) * u64::from(desired)).div_ceil(100);
        match self {
            Self::Count(count) => count,
            Self::BoundedPercent(value) => u32::try_from(percent(value).clamp(3, 200)).unwrap_or(200),
            Self::UnboundedPercent(value) => u32::try_from(percent(value)).unwrap_or(u32::MAX),
        }
    }

    /// The type as ECS names it.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Count(_) => "COUNT",
            Self::BoundedPercent(_) => "BOUNDED_PERCENT",
            Self::UnboundedPercent(_) => "UNBOUNDED_PERCENT",
        }
    }

    pub fn value(self) -> u32 {
        match self {
            Self::Count(value) | Self::BoundedPercent(value) | Self::UnboundedPercent(value) => value,
        }
    }

    /// The threshold of ECS's type name and value, as DescribeServices answers them.
    pub fn of(kind: &str, value: u32) -> Option<Self> {
        match kind {
            "COUNT" => Some(Self::Count(value)),
            "BOUNDED_PERCENT" => Some(Self::BoundedPercent(value)),
            "UNBOUNDED_PERCENT" => Some(Self::UnboundedPercent(value)),
            _ => None,
        }
    }
}

/// At most this many tasks: a service this small gets `COUNT` 2 by default, since ECS's
/// bounded default lets 3 of its tasks fail before it trips (half of 1 or 2, raised to 3).
pub const SMALL_SERVICE: u32 = 2;

impl CircuitBreaker {
    /// The breaker of a service of `min` to `max` tasks: the rule's settings, and where it leaves
    /// them out maestro's defaults: `COUNT` 2 for a service of at most two tasks, and no reset on
    /// a healthy task for a process without the load balancer (a worker that crashes after a
    /// while flaps healthy and unhealthy, which a reset would never count to the threshold).
    pub fn for_service(self, min: u32, max: Option<u32>, load_balanced: bool) -> Self {
        if !self.enable {
            return self;
        }
        let small = max.unwrap_or(min) <= SMALL_SERVICE;
        Self {
            threshold: self.threshold.or(small.then_some(Threshold::Count(2))),
            reset_on_healthy: self.reset_on_healthy.or((!load_balanced).then_some(false)),
            ..self
        }
    }

    /// What ECS applies: an unset threshold or reset is ECS's default, and a disabled breaker's
    /// settings apply to nothing. Two breakers are the same when these are.
    pub fn effective(self) -> Self {
        if !self.enable {
            return Self { threshold: None, reset_on_healthy: None, ..self };
        }
        Self {
            threshold: Some(self.threshold.unwrap_or(ECS_THRESHOLD)),
            reset_on_healthy: Some(self.reset_on_healthy.unwrap_or(true)),
            ..self
        }
    }
}

const HINT: &str = "write `enable=true,rollback=true`, each `true` or `false`, and optionally \
                    `threshold=count:2` (or `percent:50`, `unbounded-percent:150`) and `reset-on-healthy=false`";

pub fn parse(input: impl Into<Location>, text: &str) -> Result<CircuitBreaker, InputError> {
    let input = &input.into();
    let mut rule = CircuitBreaker::default();
    let mut seen: Vec<&str> = Vec::new();
    if text.trim().is_empty() {
        return Ok(rule);
    }
    for (span, piece) in split_with_spans(text, ',') {
        let span = trimmed_span(piece, span);
        let item = &text[span.clone()];
        let error = |message: String| InputError::at(input, text, span.clone(), message, HINT);
        let Some((key, value)) = item.split_once('=') else {
            return Err(error(format!("`{item}` is not `key=value`")));
        };
        let (key, value) = (key.trim(), value.trim());
        if seen.contains(&key) {
            return Err(error(format!("`{key}` is given twice")));
        }
        seen.push(key);
        let boolean = || match value.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(error(format!("`{value}` is not `true` or `false`"))),
        };
        match key {
            "enable" => rule.enable = boolean()?,
            "rollback" => rule.rollback = boolean()?,
            "reset-on-healthy" => rule.reset_on_healthy = Some(boolean()?),
            "threshold" => rule.threshold = Some(threshold(value).map_err(error)?),
            _ => {
                return Err(error(format!(
                    "unknown key `{key}`; the keys are `enable`, `rollback`, `threshold` and `reset-on-healthy`"
                )));
            }
        }
    }
    Ok(rule)
}

/// `count:<n>`, `percent:<n>` or `unbounded-percent:<n>`, `n` a whole number from 1: a threshold of
/// 0 would fail every deployment before its first task.
fn threshold(value: &str) -> Result<Threshold, String> {
    let Some((kind, number)) = value.split_once(':') else {
        return Err(format!("`{value}` is not `count:<n>`, `percent:<n>` or `unbounded-percent:<n>`"));
    };
    let number: u32 = match number.trim().parse() {
        Ok(number) if number >= 1 => number,
        _ => return Err(format!("`{}` is not a whole number from 1", number.trim())),
    };
    match kind.trim().to_ascii_lowercase().as_str() {
        "count" => Ok(Threshold::Count(number)),
        "percent" => Ok(Threshold::BoundedPercent(number)),
        "unbounded-percent" => Ok(Threshold::UnboundedPercent(number)),
        other => Err(format!("`{other}` is not a threshold type; use `count`, `percent` or `unbounded-percent`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "DEPLOYMENT_CIRCUIT_BREAKER_RULE";

    #[test]
    fn parses_the_readme_value_and_variants() {
        let breaker = |enable, rollback| CircuitBreaker { enable, rollback, ..CircuitBreaker::default() };
        assert_eq!(parse(VAR, "enable=true,rollback=true").unwrap(), breaker(true, true));
        assert_eq!(parse(VAR, " rollback=FALSE , enable=true").unwrap(), breaker(true, false));
        assert_eq!(parse(VAR, "enable=false").unwrap(), breaker(false, true));
        assert_eq!(parse(VAR, "").unwrap(), CircuitBreaker::default());
    }

    #[test]
    fn rejects_what_the_cli_shorthand_would_have_swallowed() {
        assert!(parse(VAR, "enable=yes").unwrap_err().message.contains("not `true` or `false`"));
        assert!(parse(VAR, "enabled=true").unwrap_err().message.contains("unknown key `enabled`"));
        assert!(parse(VAR, "enable").unwrap_err().message.contains("not `key=value`"));
        let error = parse(VAR, "enable=true,enable=false").unwrap_err();
        assert!(error.message.contains("twice"));
        assert_eq!(error.column, Some(13));
    }

    #[test]
    fn a_threshold_and_the_reset_as_ecs_takes_them() {
        let rule = parse(VAR, "enable=true,threshold=count:2,reset-on-healthy=false").unwrap();
        assert_eq!((rule.threshold, rule.reset_on_healthy), (Some(Threshold::Count(2)), Some(false)));
        assert_eq!(parse(VAR, "threshold=percent:40").unwrap().threshold, Some(Threshold::BoundedPercent(40)));
        let unbounded = parse(VAR, "threshold=Unbounded-Percent:150").unwrap().threshold;
        assert_eq!(unbounded, Some(Threshold::UnboundedPercent(150)));
        for (bad, says) in [
            ("threshold=2", "not `count:<n>`"),
            ("threshold=count:0", "from 1"),
            ("threshold=count:x", "from 1"),
            ("threshold=ratio:2", "not a threshold type"),
            ("reset-on-healthy=no", "not `true` or `false`"),
        ] {
            let error = parse(VAR, bad).unwrap_err();
            assert!(error.message.contains(says), "{bad}: {}", error.message);
        }
    }

    #[test]
    fn ecs_counts_the_failures_each_threshold_allows() {
        // BOUNDED_PERCENT: "clamping the result to a minimum of 3 and a maximum of 200".
        let bounded: Vec<u32> = [1, 6, 7, 8, 399, 1000].map(|desired| ECS_THRESHOLD.failures(desired)).to_vec();
        assert_eq!(bounded, [3, 3, 4, 4, 200, 200]);
        assert_eq!(Threshold::UnboundedPercent(50).failures(1000), 500);
        assert_eq!(Threshold::UnboundedPercent(50).failures(1), 1);
        assert_eq!(Threshold::Count(2).failures(1000), 2);
    }

    #[test]
    fn small_services_trip_at_two_and_workers_never_reset() {
        let rule = CircuitBreaker::default();
        let web_of_one = rule.for_service(1, None, true);
        assert_eq!((web_of_one.threshold, web_of_one.reset_on_healthy), (Some(Threshold::Count(2)), None));
        let scaling_web = rule.for_service(2, Some(10), true);
        assert_eq!((scaling_web.threshold, scaling_web.reset_on_healthy), (None, None));
        let worker = rule.for_service(3, None, false);
        assert_eq!((worker.threshold, worker.reset_on_healthy), (None, Some(false)));
        // What the rule says wins; a disabled breaker gets nothing.
        let given = parse(VAR, "threshold=percent:30,reset-on-healthy=true").unwrap().for_service(1, None, false);
        assert_eq!((given.threshold, given.reset_on_healthy), (Some(Threshold::BoundedPercent(30)), Some(true)));
        let off = parse(VAR, "enable=false").unwrap().for_service(1, None, false);
        assert_eq!((off.threshold, off.reset_on_healthy), (None, None));
    }

    #[test]
    fn ecs_defaults_and_a_disabled_breaker_compare_as_what_ecs_applies() {
        let unset = CircuitBreaker::default();
        let explicit = CircuitBreaker { threshold: Some(ECS_THRESHOLD), reset_on_healthy: Some(true), ..unset };
        assert_eq!(unset.effective(), explicit.effective());
        let off = CircuitBreaker { enable: false, ..explicit };
        assert_eq!(off.effective(), CircuitBreaker { enable: false, ..CircuitBreaker::default() });
        assert_ne!(CircuitBreaker { threshold: Some(Threshold::Count(2)), ..unset }.effective(), unset.effective());
    }
}
