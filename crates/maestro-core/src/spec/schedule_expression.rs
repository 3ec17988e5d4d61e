//! EventBridge schedule expressions: `rate(value unit)` and `cron(6 fields)`.
//!
//! Checked here with EventBridge's own rules so a typo fails before any rule is written.

use std::ops::Range;

/// A problem inside an expression; `span` is relative to the expression text.
#[derive(Debug, PartialEq, Eq)]
pub struct ExpressionError {
    pub span: Range<usize>,
    pub message: String,
    pub hint: String,
}

fn fail(span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> ExpressionError {
    ExpressionError { span, message: message.into(), hint: hint.into() }
}

/// Checks a whole expression such as `rate(3 hours)` or `cron(0 3 * * ? *)`.
pub fn check(expression: &str) -> Result<(), ExpressionError> {
    let Some(inner) = expression.strip_suffix(')') else {
        return Err(fail(0..expression.len(), "the expression must end with `)`", EXAMPLES));
    };
    if let Some(body) = inner.strip_prefix("rate(") {
        check_rate(body, 5)
    } else if let Some(body) = inner.strip_prefix("cron(") {
        check_cron(body, 5)
    } else {
        Err(fail(
            0..expression.find('(').unwrap_or(expression.len()),
            "only `rate(...)` and `cron(...)` schedules are supported",
            EXAMPLES,
        ))
    }
}

const EXAMPLES: &str =
    "write `rate(3 hours)` or `cron(0 3 * * ? *)` (minutes hours day-of-month month day-of-week year)";

fn check_rate(body: &str, offset: usize) -> Result<(), ExpressionError> {
    let whole = offset..offset + body.len().max(1);
    let words: Vec<&str> = body.split_whitespace().collect();
    let [value, unit] = words.as_slice() else {
        return Err(fail(
            whole,
            "a rate is a number and a unit",
            "write e.g. `rate(5 minutes)`, `rate(1 hour)` or `rate(7 days)`",
        ));
    };
    let value_start = offset + body.find(value).unwrap_or(0);
    let count: u64 = match value.parse() {
        Ok(count) if count > 0 => count,
        _ => {
            return Err(fail(
                value_start..value_start + value.len(),
                format!("`{value}` is not a positive whole number"),
                "write e.g. `rate(5 minutes)`",
            ));
        }
    };
    let unit_start = offset + body.rfind(unit).unwrap_or(0);
    let unit_span = unit_start..unit_start + unit.len();
    let (singular, plural) = match *unit {
        "minute" | "minutes" => ("minute", "minutes"),
        "hour" | "hours" => ("hour", "hours"),
        "day" | "days" => ("day", "days"),
        _ => {
            return Err(fail(
                unit_span,
                format!("unknown rate unit `{unit}`"),
                "the units are `minute(s)`, `hour(s)` and `day(s)`",
            ));
        }
    };
    let expected = if count == 1 { singular } else { plural };
    if *unit != expected {
        return Err(fail(
            unit_span,
            format!("EventBridge requires `{count} {expected}`, not `{count} {unit}`"),
            format!("write `rate({count} {expected})`"),
        ));
    }
    Ok(())
}

struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    /// `?` and `L` are allowed (the day fields).
    is_day: bool,
}

const FIELDS: [Field; 6] = [
    Field { name: "minutes", min: 0, max: 59, names: &[], is_day: false },
    Field { name: "hours", min: 0, max: 23, names: &[], is_day: false },
    Field { name: "day-of-month", min: 1, max: 31, names: &[], is_day: true },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        is_day: false,
    },
    Field {
        name: "day-of-week",
        min: 1,
        max: 7,
        names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        is_day: true,
    },
    Field { name: "year", min: 1970, max: 2199, names: &[], is_day: false },
];

fn check_cron(body: &str, offset: usize) -> Result<(), ExpressionError> {
    let mut fields: Vec<(Range<usize>, &str)> = Vec::new();
    let mut start = None;
    for (index, character) in body.char_indices().chain([(body.len(), ' ')]) {
        match (character.is_whitespace(), start) {
            (false, None) => start = Some(index),
            (true, Some(from)) => {
                fields.push((offset + from..offset + index, &body[from..index]));
                start = None;
            }
            _ => {}
        }
    }
    if fields.len() != 6 {
        return Err(fail(
            offset..offset + body.len().max(1),
            format!("a cron expression has 6 fields, this one has {}", fields.len()),
            "write `cron(minutes hours day-of-month month day-of-week year)`, e.g. `cron(0 3 * * ? *)`",
        ));
    }
    for ((span, text), field) in fields.iter().zip(&FIELDS) {
        check_field(text, field).map_err(|message| {
            fail(span.clone(), format!("{} field `{text}`: {message}", field.name), field_hint(field))
        })?;
    }
    let (day_of_month, day_of_week) = (fields[2].1, fields[4].1);
    if (day_of_month == "?") == (day_of_week == "?") {
        return Err(fail(
            fields[2].0.start..fields[4].0.end,
            "exactly one of day-of-month and day-of-week must be `?`",
            "EventBridge cannot combine both day fields: e.g. `cron(0 3 * * ? *)` (every day) or `cron(0 3 ? * MON *)`",
        ));
    }
    Ok(())
}

fn field_hint(field: &Field) -> String {
    let mut hint = format!("{} take values {} to {}", field.name, field.min, field.max);
    if !field.names.is_empty() {
        hint.push_str(&format!(" or {}-{}", field.names[0], field.names[field.names.len() - 1]));
    }
    hint.push_str(", with `,` lists, `-` ranges, `*` and `/` steps");
    if field.is_day {
        hint.push_str(", and `?` or `L`");
    }
    hint
}

fn check_field(text: &str, field: &Field) -> Result<(), String> {
    if field.is_day && (text == "?" || text == "L") {
        return Ok(());
    }
    for part in text.split(',') {
        check_part(part, field)?;
    }
    Ok(())
}

fn check_part(part: &str, field: &Field) -> Result<(), String> {
    if field.is_day && field.max == 31 {
        if part == "LW" {
            return Ok(());
        }
        if let Some(day) = part.strip_suffix('W') {
            return value(day, field);
        }
    }
    if field.is_day && field.max == 7 {
        if let Some((day, nth)) = part.split_once('#') {
            value(day, field)?;
            return match nth.parse::<u32>() {
                Ok(1..=5) => Ok(()),
                _ => Err(format!("`#{nth}` must be 1 to 5")),
            };
        }
        if let Some(day) = part.strip_suffix('L') {
            return value(day, field);
        }
    }
    let (base, step) = match part.split_once('/') {
        Some((base, step)) => (base, Some(step)),
        None => (part, None),
    };
    if let Some(step) = step {
        match step.parse::<u32>() {
            Ok(step) if step >= 1 && step <= field.max => {}
            _ => return Err(format!("step `{step}` must be a whole number from 1 to {}", field.max)),
        }
    }
    if base == "*" {
        return Ok(());
    }
    match base.split_once('-') {
        Some((from, to)) => {
            value(from, field)?;
            value(to, field)?;
            Ok(())
        }
        None => value(base, field),
    }
}

/// Whether `text` is one value of the field: a number in its range, or one of its names. Only
/// the check matters: EventBridge reads the expression itself.
fn value(text: &str, field: &Field) -> Result<(), String> {
    if field.names.iter().any(|name| name.eq_ignore_ascii_case(text)) {
        return Ok(());
    }
    match text.parse::<u32>() {
        Ok(number) if (field.min..=field.max).contains(&number) => Ok(()),
        Ok(number) => Err(format!("{number} is outside {} to {}", field.min, field.max)),
        Err(_) if text.is_empty() => Err("a value is missing".into()),
        Err(_) => Err(format!("`{text}` is not a value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_expressions() {
        for expression in [
            "rate(3 hours)",
            "rate(1 minute)",
            "rate(12 hours)",
            "rate(1 day)",
            "cron(0 3 * * ? *)",
            "cron(0/15 8-18 ? * MON-FRI *)",
            "cron(0 12 L * ? 2030)",
            "cron(15 10 ? * 6L 2022-2030)",
            "cron(0 0 ? * 2#1 *)",
            "cron(0 9 15W jan,JUL ? *)",
            "cron(5,35 14 * * ? *)",
        ] {
            assert_eq!(check(expression), Ok(()), "{expression}");
        }
    }

    #[test]
    fn rejects_invalid_expressions_with_positions() {
        let cases = [
            ("rate(3 hour)", "requires `3 hours`", 7..11),
            ("rate(1 hours)", "requires `1 hour`", 7..12),
            ("rate(0 minutes)", "not a positive", 5..6),
            ("rate(3 weeks)", "unknown rate unit", 7..12),
            ("rate(3)", "a number and a unit", 5..6),
            ("cron(0 3 * * *)", "has 6 fields, this one has 5", 5..14),
            ("cron(0 3 * * * *)", "exactly one of", 9..14),
            ("cron(0 3 ? * ? *)", "exactly one of", 9..14),
            ("cron(60 3 * * ? *)", "minutes field `60`: 60 is outside 0 to 59", 5..7),
            ("cron(0 24 * * ? *)", "hours field", 7..9),
            ("cron(0 3 * 13 ? *)", "month field", 11..13),
            ("cron(0 3 ? * FUN *)", "day-of-week field `FUN`", 13..16),
            ("cron(0 3 ? * 1#6 *)", "must be 1 to 5", 13..16),
            ("cron(0 3 * * ? 1969)", "year field", 15..19),
            ("cron(0/0 3 * * ? *)", "step `0`", 5..8),
            ("at(2030-01-01T00:00:00)", "only `rate(...)` and `cron(...)`", 0..2),
            ("rate(5 minutes", "must end with `)`", 0..14),
            // Blanks inside the parentheses move the value and the unit.
            ("rate(  0 minutes)", "not a positive", 7..8),
            ("rate( 2  hour )", "requires `2 hours`", 9..13),
        ];
        for (expression, message, span) in cases {
            let error = check(expression).expect_err(expression);
            assert!(error.message.contains(message), "{expression}: {}", error.message);
            assert_eq!(error.span, span, "{expression}");
        }
    }

    /// The special day values belong to their own field: `LW` and `W` to the day of the month,
    /// `#` and a trailing `L` to the day of the week.
    #[test]
    fn special_day_values_only_in_their_field() {
        for expression in ["cron(0 12 LW * ? *)", "cron(0 12 L * ? *)", "cron(0 12 ? * L *)", "cron(0 12 ? * 5L *)"] {
            assert_eq!(check(expression), Ok(()), "{expression}");
        }
        for (expression, message) in [
            ("cron(0 12 32 * ? *)", "day-of-month field `32`: 32 is outside 1 to 31"),
            ("cron(0 12 5L * ? *)", "day-of-month field `5L`: `5L` is not a value"),
            ("cron(0 12 1#2 * ? *)", "day-of-month field `1#2`: `1#2` is not a value"),
            ("cron(0 12 ? * LW *)", "day-of-week field `LW`: `LW` is not a value"),
            ("cron(0 12 ? * 5W *)", "day-of-week field `5W`: `5W` is not a value"),
            ("cron(0 12 * 1- ? *)", "month field `1-`: a value is missing"),
            ("cron(0 12 * FUN ? *)", "month field `FUN`: `FUN` is not a value"),
        ] {
            assert_eq!(check(expression).expect_err(expression).message, message, "{expression}");
        }
    }

    /// The hint names the field's range, its names if it has any, and `?` and `L` for the days.
    #[test]
    fn each_field_hint_says_what_the_field_takes() {
        let hint = |expression: &str| check(expression).expect_err(expression).hint;
        assert_eq!(
            hint("cron(60 3 * * ? *)"),
            "minutes take values 0 to 59, with `,` lists, `-` ranges, `*` and `/` steps"
        );
        assert_eq!(
            hint("cron(0 3 * 13 ? *)"),
            "month take values 1 to 12 or JAN-DEC, with `,` lists, `-` ranges, `*` and `/` steps"
        );
        assert_eq!(
            hint("cron(0 3 ? * 8 *)"),
            "day-of-week take values 1 to 7 or SUN-SAT, with `,` lists, `-` ranges, `*` and `/` steps, and `?` or `L`"
        );
    }
}
