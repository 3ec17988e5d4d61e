//! `MAESTRO_ROLLBACK_ALARM`: a CloudWatch alarm on the web service's 5xx responses that ECS
//! watches during a deployment (`deploymentConfiguration.alarms`) and rolls back on.
//!
//! `5xx` alone, or with parameters after a colon: `5xx:threshold=10,period=1m,evaluations=2`,
//! and `datapoints=<n>` for an "M out of N" alarm. Off when empty or `off`.
//!
//! - `threshold`: the least number of 5xx answers from the app's tasks
//!   (`HTTPCode_Target_5XX_Count`, summed) in one period that breaches (default 10);
//! - `period`: how long one period is, `<n>m` or `<n>h` (default `1m`); whole minutes, since the
//!   load balancer publishes its metrics once a minute and a shorter period would mostly see none;
//! - `evaluations`: how many recent periods the alarm looks at (default 2);
//! - `datapoints`: how many of those must breach (default: all of them).

use std::fmt;

use serde::Serialize;

use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

/// The alarm's parameters, every one explicit (maestro's defaults filled in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RollbackAlarm {
    /// 5xx answers in one period at which the alarm breaches (`GreaterThanOrEqualToThreshold`).
    pub threshold: u32,
    pub period_minutes: u32,
    /// `EvaluationPeriods`, the N of "M out of N".
    pub evaluations: u32,
    /// `DatapointsToAlarm`, the M.
    pub datapoints: u32,
}

/// A handful of errors is noise on a busy app; ten in a minute, twice in a row, is a release
/// that broke something.
pub const DEFAULT_THRESHOLD: u32 = 10;
pub const DEFAULT_PERIOD_MINUTES: u32 = 1;
pub const DEFAULT_EVALUATIONS: u32 = 2;

impl Default for RollbackAlarm {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_THRESHOLD,
            period_minutes: DEFAULT_PERIOD_MINUTES,
            evaluations: DEFAULT_EVALUATIONS,
            datapoints: DEFAULT_EVALUATIONS,
        }
    }
}

impl RollbackAlarm {
    /// CloudWatch's `Period`, in seconds.
    pub fn period_seconds(&self) -> u32 {
        self.period_minutes * 60
    }
}

impl fmt::Display for RollbackAlarm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "5xx:threshold={},period={},evaluations={},datapoints={}",
            self.threshold,
            super::deploy_strategy::minutes(self.period_minutes),
            self.evaluations,
            self.datapoints
        )
    }
}

const HINT: &str = "write `5xx`, or `5xx:threshold=10,period=1m,evaluations=2` (every parameter optional; \
                    `datapoints=<n>` for M out of N; `off` for none)";

/// PutMetricAlarm: "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds.
/// For alarms with a period of less than one hour (3,600 seconds), the total evaluation period
/// can't be longer than one day (86,400 seconds)."
const ONE_DAY_MINUTES: u32 = 24 * 60;
const SEVEN_DAYS_MINUTES: u32 = 7 * ONE_DAY_MINUTES;

/// `None` for `off` or an empty value. Columns in errors count from 1.
pub fn parse(input: impl Into<Location>, text: &str) -> Result<Option<RollbackAlarm>, InputError> {
    let input = &input.into();
    if text.trim().is_empty() || text.trim().eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    let (kind, parameters) = match text.split_once(':') {
        Some((kind, parameters)) => (kind, Some(parameters)),
        None => (text, None),
    };
    if !kind.trim().eq_ignore_ascii_case("5xx") {
        let span = trimmed_span(kind, 0..kind.len());
        let why = format!("`{}` is not an alarm maestro makes: the one it makes is `5xx`", kind.trim());
        return Err(InputError::at(input, text, span, why, HINT));
    }
    let whole = |message: String| InputError::at(input, text, 0..text.len(), message, HINT);
    let offset = kind.len() + 1;
    let mut alarm = RollbackAlarm::default();
    let mut datapoints: Option<u32> = None;
    let mut seen: Vec<&str> = Vec::new();
    let parameters = parameters.unwrap_or_default();
    let pieces = if parameters.trim().is_empty() { Vec::new() } else { split_with_spans(parameters, ',') };
    for (span, piece) in pieces {
        let span = trimmed_span(piece, span);
        let item = &parameters[span.clone()];
        let span = span.start + offset..span.end + offset;
        let error = |message: String| InputError::at(input, text, span.clone(), message, HINT);
        let Some((key, value)) = item.split_once('=') else {
            return Err(error(format!("`{item}` is not `key=value`")));
        };
        let (key, value) = (key.trim(), value.trim());
        if seen.contains(&key) {
            return Err(error(format!("`{key}` is given twice")));
        }
        seen.push(key);
        let count = |least: u32| -> Result<u32, InputError> {
            match value.parse::<u32>() {
                Ok(number) if number >= least => Ok(number),
                _ => Err(error(format!("`{key}`: `{value}` is not a whole number from {least}"))),
            }
        };
        match key {
            "threshold" => alarm.threshold = count(1)?,
            "evaluations" => alarm.evaluations = count(1)?,
            "datapoints" => datapoints = Some(count(1)?),
            "period" => alarm.period_minutes = period(value).map_err(|why| error(format!("`period`: {why}")))?,
            _ => {
                return Err(error(format!(
                    "unknown key `{key}`; the keys are `threshold`, `period`, `evaluations` and `datapoints`"
                )));
            }
        }
    }
    alarm.datapoints = datapoints.unwrap_or(alarm.evaluations);
    // PutMetricAlarm refuses DatapointsToAlarm above EvaluationPeriods.
    if alarm.datapoints > alarm.evaluations {
        return Err(whole(format!(
            "{} breaching periods out of {} cannot happen: `datapoints` is at most `evaluations`",
            alarm.datapoints, alarm.evaluations
        )));
    }
    let total = alarm.period_minutes.saturating_mul(alarm.evaluations);
    let limit = if alarm.period_minutes < 60 { ONE_DAY_MINUTES } else { SEVEN_DAYS_MINUTES };
    if total > limit {
        return Err(whole(format!(
            "{} periods of {} look back further than CloudWatch allows ({} for a period {} an hour)",
            alarm.evaluations,
            super::deploy_strategy::minutes(alarm.period_minutes),
            super::deploy_strategy::minutes(limit),
            if alarm.period_minutes < 60 { "under" } else { "of at least" },
        )));
    }
    Ok(Some(alarm))
}

/// `1m`, `5m`, `1h`: whole minutes from one minute to one day.
fn period(value: &str) -> Result<u32, String> {
    let minutes = if let Some(number) = value.strip_suffix('m') {
        number.parse::<u32>().ok()
    } else if let Some(number) = value.strip_suffix('h') {
        number.parse::<u32>().ok().and_then(|hours| hours.checked_mul(60))
    } else {
        None
    };
    match minutes {
        Some(0) => Err("a period of 0 measures nothing".to_owned()),
        Some(minutes) if minutes <= ONE_DAY_MINUTES => Ok(minutes),
        Some(_) => Err(format!("`{value}` is longer than a day")),
        None if value.ends_with('s') => {
            Err(format!("`{value}` is under a minute: the load balancer publishes its metrics once a minute"))
        }
        None => Err(format!("`{value}` is not a period like `1m` or `1h`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "MAESTRO_ROLLBACK_ALARM";

    #[test]
    fn off_unless_set() {
        for text in ["", "  ", "off", "OFF"] {
            assert_eq!(parse(VAR, text).unwrap(), None, "{text:?}");
        }
    }

    #[test]
    fn defaults_and_overrides() {
        let alarm = parse(VAR, "5xx").unwrap().unwrap();
        assert_eq!(alarm, RollbackAlarm { threshold: 10, period_minutes: 1, evaluations: 2, datapoints: 2 });
        assert_eq!(alarm.period_seconds(), 60);
        let alarm = parse(VAR, "5XX: threshold=25, period=5m, evaluations=3").unwrap().unwrap();
        assert_eq!(alarm, RollbackAlarm { threshold: 25, period_minutes: 5, evaluations: 3, datapoints: 3 });
        let alarm = parse(VAR, "5xx:evaluations=5,datapoints=3,period=1h").unwrap().unwrap();
        assert_eq!((alarm.datapoints, alarm.period_seconds()), (3, 3600));
        assert_eq!(alarm.to_string(), "5xx:threshold=10,period=1h,evaluations=5,datapoints=3");
        assert_eq!(parse(VAR, &alarm.to_string()).unwrap(), Some(alarm));
    }

    #[test]
    fn malformed_values_point_at_the_piece() {
        for (text, column, message) in [
            ("latency", 1, "`latency` is not an alarm"),
            ("5xx:threshold=0", 5, "not a whole number from 1"),
            ("5xx:threshold=ten", 5, "not a whole number"),
            ("5xx:period=30s", 5, "under a minute"),
            ("5xx:period=2d", 5, "not a period"),
            ("5xx:period=0m", 5, "measures nothing"),
            ("5xx:threshold=5,threshold=6", 17, "given twice"),
            ("5xx:colour=red", 5, "unknown key `colour`"),
            ("5xx:10", 5, "not `key=value`"),
            ("5xx:evaluations=2,datapoints=3", 1, "at most `evaluations`"),
            ("5xx:period=1m,evaluations=1441", 1, "further than CloudWatch allows (24h"),
            ("5xx:period=2h,evaluations=85", 1, "(168h for a period of at least an hour"),
        ] {
            let error = parse(VAR, text).unwrap_err();
            assert!(error.message.contains(message), "{text}: {}", error.message);
            assert_eq!(error.column, Some(column), "{text}");
            assert!(error.hint.contains("5xx:threshold=10"), "{text}");
        }
    }
}
