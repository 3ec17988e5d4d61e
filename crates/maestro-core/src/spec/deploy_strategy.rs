//! `MAESTRO_DEPLOY_STRATEGY`: how ECS moves the web service's traffic to a new revision.
//!
//! `rolling` (the default, ECS's rolling update), or one of ECS's shifting strategies (2025):
//! `blue-green`, `canary` and `linear`, each with its parameters after a colon:
//!
//! - `blue-green:bake=10m`: the whole production traffic moves at once; both revisions then run
//!   for the bake time, so a rollback is instant;
//! - `canary:10%,canary-bake=5m,bake=10m`: 10% of the traffic first, the rest after the canary bake;
//! - `linear:25%,step-bake=2m,bake=10m`: 25% more at each step, the step bake between steps.
//!
//! `bake` is always `bakeTimeInMinutes`, the time both revisions run once production traffic is
//! all on the new one. Durations are minutes (`5m`) or hours (`2h`), 0 to 24 hours, as ECS takes them.

use std::fmt;

use serde::Serialize;

use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

/// A percentage in tenths, as ECS takes it: "multiples of 0.1".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(into = "f64")]
pub struct Percent(pub u16);

impl Percent {
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl From<Percent> for f64 {
    fn from(percent: Percent) -> Self {
        percent.as_f64()
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}%", self.0 / 10)
        } else {
            write!(f, "{}.{}%", self.0 / 10, self.0 % 10)
        }
    }
}

/// The deployment strategy and its parameters, every one explicit (ECS's defaults filled in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Strategy {
    #[default]
    Rolling,
    BlueGreen {
        bake_minutes: u32,
    },
    Canary {
        percent: Percent,
        canary_bake_minutes: u32,
        bake_minutes: u32,
    },
    Linear {
        percent: Percent,
        step_bake_minutes: u32,
        bake_minutes: u32,
    },
}

/// maestro's bake time after the production shift: long enough to watch errors, short enough
/// that the old tasks do not run for long.
pub const DEFAULT_BAKE_MINUTES: u32 = 5;
/// ECS's defaults (CanaryConfiguration, LinearConfiguration).
pub const CANARY_PERCENT: Percent = Percent(50);
pub const CANARY_BAKE_MINUTES: u32 = 10;
pub const LINEAR_PERCENT: Percent = Percent(100);
pub const STEP_BAKE_MINUTES: u32 = 6;

impl Strategy {
    /// ECS's name for it (`DeploymentStrategy`).
    pub fn ecs_name(self) -> &'static str {
        match self {
            Self::Rolling => "ROLLING",
            Self::BlueGreen { .. } => "BLUE_GREEN",
            Self::Canary { .. } => "CANARY",
            Self::Linear { .. } => "LINEAR",
        }
    }

    /// Whether ECS moves traffic between two target groups (and so needs the alternate one, the
    /// listener rules and the infrastructure role).
    pub fn shifts_traffic(self) -> bool {
        !matches!(self, Self::Rolling)
    }

    /// `bakeTimeInMinutes`, for the shifting strategies.
    pub fn bake_minutes(self) -> Option<u32> {
        match self {
            Self::Rolling => None,
            Self::BlueGreen { bake_minutes }
            | Self::Canary { bake_minutes, .. }
            | Self::Linear { bake_minutes, .. } => Some(bake_minutes),
        }
    }

    /// The least time the deploy takes once the new tasks are healthy: every bake ECS waits.
    /// A linear step bake "is not applied after reaching 100 percent traffic" (LinearConfiguration).
    pub fn minimum_minutes(self) -> u32 {
        match self {
            Self::Rolling => 0,
            Self::BlueGreen { bake_minutes } => bake_minutes,
            Self::Canary { canary_bake_minutes, bake_minutes, .. } => canary_bake_minutes + bake_minutes,
            Self::Linear { percent, step_bake_minutes, bake_minutes } => {
                let steps = u32::from(1000u16.div_ceil(percent.0.max(1)));
                (steps - 1) * step_bake_minutes + bake_minutes
            }
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Rolling => write!(f, "rolling"),
            Self::BlueGreen { bake_minutes } => write!(f, "blue-green:bake={}", minutes(bake_minutes)),
            Self::Canary { percent, canary_bake_minutes, bake_minutes } => write!(
                f,
                "canary:{percent},canary-bake={},bake={}",
                minutes(canary_bake_minutes),
                minutes(bake_minutes)
            ),
            Self::Linear { percent, step_bake_minutes, bake_minutes } => {
                write!(f, "linear:{percent},step-bake={},bake={}", minutes(step_bake_minutes), minutes(bake_minutes))
            }
        }
    }
}

/// Minutes as the grammar writes them: `90m` stays `90m`, whole hours become `2h`.
pub fn minutes(minutes: u32) -> String {
    if minutes >= 60 && minutes.is_multiple_of(60) { format!("{}h", minutes / 60) } else { format!("{minutes}m") }
}

const HINT: &str = "write `rolling`, `blue-green:bake=10m`, `canary:10%,canary-bake=5m,bake=10m` or \
                    `linear:25%,step-bake=2m,bake=10m` (every parameter optional; durations in `m` or `h`)";

pub fn parse(input: impl Into<Location>, text: &str) -> Result<Strategy, InputError> {
    let input = &input.into();
    let whole = |message: String| InputError::at(input, text, 0..text.len(), message, HINT);
    let (kind, parameters) = match text.split_once(':') {
        Some((kind, parameters)) => (kind, Some(parameters)),
        None => (text, None),
    };
    let offset = kind.len() + 1;
    let mut percent: Option<Percent> = None;
    let mut bakes: Vec<(&str, u32)> = Vec::new();
    for (span, piece) in parameters.map(|p| split_with_spans(p, ',')).unwrap_or_default() {
        let span = trimmed_span(piece, span);
        let item = &parameters.unwrap_or_default()[span.clone()];
        let span = span.start + offset..span.end + offset;
        let error = |message: String| InputError::at(input, text, span.clone(), message, HINT);
        if let Some(number) = item.strip_suffix('%') {
            if percent.is_some() {
                return Err(error("the percentage is given twice".to_owned()));
            }
            percent = Some(
                tenths(number).ok_or_else(|| error(format!("`{item}` is not a percentage like `10%` or `2.5%`")))?,
            );
            continue;
        }
        let Some((key, value)) = item.split_once('=') else {
            return Err(error(format!("`{item}` is not `key=value` or a percentage")));
        };
        let key = key.trim();
        if bakes.iter().any(|(seen, _)| *seen == key) {
            return Err(error(format!("`{key}` is given twice")));
        }
        let value = duration(value.trim()).map_err(|why| error(format!("`{key}`: {why}")))?;
        bakes.push((key, value));
    }
    let bake = |key: &str, default: u32| bakes.iter().find(|(seen, _)| *seen == key).map_or(default, |(_, v)| *v);
    let allow = |keys: &[&str], with_percent: bool| -> Result<(), InputError> {
        if let Some((key, _)) = bakes.iter().find(|(key, _)| !keys.contains(key)) {
            let known = keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ");
            return Err(whole(format!("`{key}` is not a parameter of `{}`; it takes {known}", kind.trim())));
        }
        if percent.is_some() && !with_percent {
            return Err(whole(format!("`{}` takes no percentage: it moves all traffic at once", kind.trim())));
        }
        Ok(())
    };
    let strategy = match kind.trim().to_ascii_lowercase().as_str() {
        "rolling" if parameters.is_none() => Strategy::Rolling,
        "rolling" => return Err(whole("`rolling` takes no parameters".to_owned())),
        "blue-green" => {
            allow(&["bake"], false)?;
            Strategy::BlueGreen { bake_minutes: bake("bake", DEFAULT_BAKE_MINUTES) }
        }
        "canary" => {
            allow(&["canary-bake", "bake"], true)?;
            let percent = percent.unwrap_or(CANARY_PERCENT);
            // CanaryConfiguration.canaryPercent: "multiples of 0.1 from 0.1 to 100.0".
            if !(1..=1000).contains(&percent.0) {
                return Err(whole(format!("a canary of {percent} is outside 0.1% to 100%")));
            }
            Strategy::Canary {
                percent,
                canary_bake_minutes: bake("canary-bake", CANARY_BAKE_MINUTES),
                bake_minutes: bake("bake", DEFAULT_BAKE_MINUTES),
            }
        }
        "linear" => {
            allow(&["step-bake", "bake"], true)?;
            let percent = percent.unwrap_or(LINEAR_PERCENT);
            // LinearConfiguration.stepPercent: "multiples of 0.1 from 3.0 to 100.0".
            if !(30..=1000).contains(&percent.0) {
                return Err(whole(format!("a step of {percent} is outside 3% to 100%")));
            }
            Strategy::Linear {
                percent,
                step_bake_minutes: bake("step-bake", STEP_BAKE_MINUTES),
                bake_minutes: bake("bake", DEFAULT_BAKE_MINUTES),
            }
        }
        other => {
            return Err(InputError::at(
                input,
                text,
                0..kind.len(),
                format!("`{}` is not a deployment strategy", other),
                HINT,
            ));
        }
    };
    Ok(strategy)
}

/// `10`, `2.5`: a percentage with at most one decimal, in tenths.
fn tenths(number: &str) -> Option<Percent> {
    let number = number.trim();
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    if whole.is_empty() || fraction.len() != 1 || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let value = whole.parse::<u16>().ok()?.checked_mul(10)?.checked_add(fraction.parse::<u16>().ok()?)?;
    Some(Percent(value))
}

/// `5m`, `2h` or `0`: whole minutes from 0 to 1440 ("Valid values are 0 to 1440 minutes (24 hours)").
pub fn duration(value: &str) -> Result<u32, String> {
    let parsed = if value == "0" {
        Some(0)
    } else if let Some(number) = value.strip_suffix('m') {
        number.parse::<u32>().ok()
    } else if let Some(number) = value.strip_suffix('h') {
        number.parse::<u32>().ok().and_then(|hours| hours.checked_mul(60))
    } else {
        None
    };
    match parsed {
        Some(minutes) if minutes <= 1440 => Ok(minutes),
        Some(_) => Err(format!("`{value}` is longer than ECS's 24 hours")),
        None => Err(format!("`{value}` is not a duration like `5m` or `2h`")),
    }
}

#[cfg(test)]
#[path = "deploy_strategy_tests.rs"]
mod tests;
