//! A schedule's next run, for `maestro status`: EventBridge's `cron(...)` evaluated in UTC (the
//! expressions `spec::schedule_expression` accepts: lists, ranges, steps, names, `?`, `L`, `W`,
//! `LW`, `nL` and `n#k`), and a `rate(...)` said as such: its runs count from when the rule was
//! created or last enabled, which EventBridge does not tell.
//! (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)

use serde::Serialize;

use crate::logs::timestamp::{days_from_civil, days_in_month};
use crate::text::civil_date::civil_date;

const MINUTE: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// EventBridge's last year.
const LAST_YEAR: i64 = 2199;

/// When a schedule runs next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NextRun {
    /// A cron's next fire time, milliseconds since the Unix epoch.
    At { millis: i64 },
    /// A rate: `every 5 minutes`.
    Every { every: String },
    /// A cron whose years have all passed.
    Never,
}

/// The next run of `expression` strictly after `now` (milliseconds); `None` for an expression
/// this does not read (EventBridge holds it, so it was valid there: say nothing rather than guess).
pub fn next_run(expression: &str, now: i64) -> Option<NextRun> {
    let inner = expression.trim().strip_suffix(')')?;
    if let Some(body) = inner.strip_prefix("rate(") {
        let (value, unit) = body.trim().split_once(' ')?;
        let value: u64 = value.parse().ok()?;
        let unit = unit.trim().trim_end_matches('s');
        return Some(NextRun::Every {
            every: if value == 1 { format!("every {unit}") } else { format!("every {value} {unit}s") },
        });
    }
    let cron = Cron::parse(inner.strip_prefix("cron(")?)?;
    Some(cron.after(now).map_or(NextRun::Never, |millis| NextRun::At { millis }))
}

/// `1` (Sunday) to `7` (Saturday), as EventBridge numbers the days of the week.
fn weekday(days: i64) -> u32 {
    (days + 4).rem_euclid(7) as u32 + 1
}

struct Cron {
    minutes: Vec<bool>,
    hours: Vec<bool>,
    /// `None`: `?`.
    month_days: Option<Vec<DayPart>>,
    months: Vec<bool>,
    week_days: Option<Vec<DayPart>>,
    /// Indexed from 1970.
    years: Vec<bool>,
}

/// One comma-separated part of a day field.
enum DayPart {
    /// Values of the field (a day of the month, or of the week).
    Values(Vec<bool>),
    /// `L` in day-of-month: the month's last day.
    LastDay,
    /// `LW`: the month's last weekday.
    LastWeekday,
    /// `15W`: the weekday nearest the 15th, within the month.
    Nearest(u32),
    /// `6L`: the month's last Friday.
    LastOf(u32),
    /// `2#1`: the month's first Monday.
    Nth(u32, u32),
}

const MONTHS: [&str; 12] = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

impl Cron {
    fn parse(body: &str) -> Option<Self> {
        let fields: Vec<&str> = body.split_whitespace().collect();
        let [minutes, hours, month_days, months, week_days, years] = fields.as_slice() else { return None };
        Some(Self {
            minutes: values(minutes, 0, 59, &[])?,
            hours: values(hours, 0, 23, &[])?,
            month_days: day_parts(month_days, 1, 31, &[])?,
            months: values(months, 1, 12, &MONTHS)?,
            week_days: day_parts(week_days, 1, 7, &DAYS)?,
            years: values(years, 1970, LAST_YEAR as u32, &[])?,
        })
    }

    /// The first minute strictly after `now` that matches, up to EventBridge's last year.
    fn after(&self, now: i64) -> Option<i64> {
        let start = (now.div_euclid(MINUTE) + 1) * MINUTE;
        let first_day = start.div_euclid(DAY);
        for days in first_day..=days_from_civil(LAST_YEAR, 12, 31) {
            let (year, month, day) = civil_date(u64::try_from(days).ok()?);
            let in_year = usize::try_from(year - 1970).ok().and_then(|index| self.years.get(index)) == Some(&true);
            if !in_year || !self.months[month as usize] || !self.day_matches(days, year, month, day) {
                continue;
            }
            let from = if days == first_day { (start - days * DAY) / MINUTE } else { 0 };
            for minute_of_day in from..24 * 60 {
                if self.hours[(minute_of_day / 60) as usize] && self.minutes[(minute_of_day % 60) as usize] {
                    return Some(days * DAY + minute_of_day * MINUTE);
                }
            }
        }
        None
    }

    fn day_matches(&self, days: i64, year: i64, month: u32, day: u32) -> bool {
        let last = days_in_month(year, month);
        let week_day = weekday(days);
        let is_weekday = |day: u32| (2..=6).contains(&weekday(days_from_civil(year, month, day)));
        let month_day = |part: &DayPart| match part {
            DayPart::Values(set) => set[day as usize],
            DayPart::LastDay => day == last,
            DayPart::LastWeekday => day == (1..=last).rev().find(|&d| is_weekday(d)).unwrap_or(0),
            DayPart::Nearest(target) => {
                *target <= last && {
                    let candidates = [*target, target.wrapping_sub(1), target + 1, target.wrapping_sub(2), target + 2];
                    // The target itself when a weekday; else the Friday before or the Monday
                    // after, without leaving the month.
                    let nearest = candidates.into_iter().find(|&d| (1..=last).contains(&d) && is_weekday(d));
                    nearest == Some(day)
                }
            }
            DayPart::LastOf(_) | DayPart::Nth(..) => false,
        };
        let week = |part: &DayPart| match part {
            DayPart::Values(set) => set[week_day as usize],
            DayPart::LastDay => week_day == 7,
            DayPart::LastOf(wanted) => week_day == *wanted && day + 7 > last,
            DayPart::Nth(wanted, nth) => week_day == *wanted && (day - 1) / 7 + 1 == *nth,
            DayPart::LastWeekday | DayPart::Nearest(_) => false,
        };
        self.month_days.as_ref().is_none_or(|parts| parts.iter().any(month_day))
            && self.week_days.as_ref().is_none_or(|parts| parts.iter().any(week))
    }
}

/// A number or one of `names` (1-based from `min`).
fn value(text: &str, min: u32, max: u32, names: &[&str]) -> Option<u32> {
    let number = match names.iter().position(|name| name.eq_ignore_ascii_case(text)) {
        Some(index) => min + index as u32,
        None => text.parse().ok()?,
    };
    (min..=max).contains(&number).then_some(number)
}

/// A plain field: `*`, values, `a-b` ranges (wrapping past `max`), `/` steps, `,` lists; the set
/// indexed by value (from `min` for years).
fn values(text: &str, min: u32, max: u32, names: &[&str]) -> Option<Vec<bool>> {
    let offset = if min >= 1970 { min } else { 0 };
    let mut set = vec![false; (max - offset + 1) as usize];
    for part in text.split(',') {
        let (base, step) = match part.split_once('/') {
            Some((base, step)) => (base, step.parse::<u32>().ok().filter(|step| *step > 0)?),
            None => (part, 1),
        };
        let (from, to) = match base.split_once('-') {
            _ if base == "*" => (min, max),
            Some((from, to)) => (value(from, min, max, names)?, value(to, min, max, names)?),
            None => {
                let from = value(base, min, max, names)?;
                (from, if part.contains('/') { max } else { from })
            }
        };
        let span = if to >= from { to - from } else { max - from + 1 + to - min };
        for index in (0..=span).step_by(step as usize) {
            let mut number = from + index;
            if number > max {
                number = number - max - 1 + min;
            }
            set[(number - offset) as usize] = true;
        }
    }
    Some(set)
}

/// A day field: `?` (`None`), or its parts.
fn day_parts(text: &str, min: u32, max: u32, names: &[&str]) -> Option<Option<Vec<DayPart>>> {
    if text == "?" {
        return Some(None);
    }
    let week = max == 7;
    let mut parts = Vec::new();
    for part in text.split(',') {
        parts.push(match part {
            "L" => DayPart::LastDay,
            "LW" if !week => DayPart::LastWeekday,
            _ if !week && part.ends_with('W') => DayPart::Nearest(value(&part[..part.len() - 1], min, max, names)?),
            _ if week && part.contains('#') => {
                let (day, nth) = part.split_once('#')?;
                DayPart::Nth(value(day, min, max, names)?, nth.parse().ok().filter(|nth| (1..=5).contains(nth))?)
            }
            _ if week && part.len() > 1 && part.ends_with('L') => {
                DayPart::LastOf(value(&part[..part.len() - 1], min, max, names)?)
            }
            _ => DayPart::Values(values(part, min, max, names)?),
        });
    }
    Some(Some(parts))
}

#[cfg(test)]
#[path = "next_run_tests.rs"]
mod tests;
