//! `--since`: how far back `maestro logs` starts. A duration back from now (`30s`, `10m`, `2h`,
//! `1d`) or an RFC 3339 time (`2026-11-30T09:00:00Z`, `2026-11-30T10:00:00+01:00`); anything else
//! is bad input, positioned at the first character that cannot be read.

use super::timestamp::{days_from_civil, days_in_month};
use crate::input::Location;
use crate::input_error::InputError;

/// The flag, as errors name it.
pub const FLAG: &str = "--since";
/// What `maestro logs` reads when `--since` is not given.
pub const DEFAULT: &str = "10m";

const HINT: &str = "write a duration back from now (`30s`, `10m`, `2h`, `1d`) or an RFC 3339 time \
                    (`2026-11-30T09:00:00Z`)";

/// Where the read starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// This many milliseconds before now.
    Ago(i64),
    /// This time, in milliseconds since the Unix epoch.
    At(i64),
}

impl Since {
    /// FilterLogEvents' `startTime` when the clock reads `now` (milliseconds since the epoch).
    pub fn start_millis(self, now: i64) -> i64 {
        match self {
            Self::Ago(millis) => now.saturating_sub(millis).max(0),
            Self::At(millis) => millis,
        }
    }
}

/// Reads `--since`.
pub fn parse(text: &str) -> Result<Since, InputError> {
    let error = |at: usize, message: &str| InputError::at(Location::Flag(FLAG), text, at..at + 1, message, HINT);
    if text.is_empty() {
        return Err(InputError::new(Location::Flag(FLAG), "`--since` is empty", HINT));
    }
    let bytes = text.as_bytes();
    // A time starts with its four-digit year and a dash; a duration has a unit after its digits.
    if bytes.len() > 4 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' {
        return rfc3339(text).map(Since::At).map_err(|(at, message)| error(at, &message));
    }
    let digits = bytes.iter().take_while(|byte| byte.is_ascii_digit()).count();
    if digits == 0 {
        return Err(error(0, "expected a number of seconds, minutes, hours or days, or a time"));
    }
    let Some(&unit) = bytes.get(digits) else {
        return Err(error(digits.saturating_sub(1), "the duration has no unit (`s`, `m`, `h` or `d`)"));
    };
    let unit_millis: i64 = match unit {
        b's' => 1000,
        b'm' => 60_000,
        b'h' => 3_600_000,
        b'd' => 86_400_000,
        _ => return Err(error(digits, "unknown unit: use `s`, `m`, `h` or `d`")),
    };
    if digits + 1 < bytes.len() {
        return Err(error(digits + 1, "unexpected text after the duration"));
    }
    let millis = text[..digits].parse::<i64>().ok().and_then(|count| count.checked_mul(unit_millis));
    match millis {
        Some(millis) => Ok(Since::Ago(millis)),
        None => Err(InputError::at(Location::Flag(FLAG), text, 0..digits, "the duration is too long", HINT)),
    }
}

/// A cursor over an RFC 3339 time; each failure is the byte it is at and what was expected.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

type Failed = (usize, String);

impl Cursor<'_> {
    fn number(&mut self, width: usize, what: &str) -> Result<u32, Failed> {
        let start = self.at;
        for offset in 0..width {
            if !self.bytes.get(start + offset).is_some_and(u8::is_ascii_digit) {
                return Err((start + offset, format!("expected the {width}-digit {what}")));
            }
        }
        self.at += width;
        let digits = &self.bytes[start..self.at];
        Ok(digits.iter().fold(0, |value, digit| value * 10 + u32::from(digit - b'0')))
    }

    fn ranged(&mut self, width: usize, what: &str, range: std::ops::RangeInclusive<u32>) -> Result<u32, Failed> {
        let start = self.at;
        let value = self.number(width, what)?;
        match range.contains(&value) {
            true => Ok(value),
            false => Err((start, format!("the {what} must be {} to {}", range.start(), range.end()))),
        }
    }

    fn expect(&mut self, accepted: &[u8], what: &str) -> Result<u8, Failed> {
        match self.bytes.get(self.at) {
            Some(byte) if accepted.contains(byte) => {
                self.at += 1;
                Ok(*byte)
            }
            _ => Err((self.at.min(self.bytes.len().saturating_sub(1)), format!("expected {what}"))),
        }
    }
}

/// Milliseconds since the epoch of an RFC 3339 time (a fraction of a second beyond milliseconds
/// is dropped, as CloudWatch keeps milliseconds).
fn rfc3339(text: &str) -> Result<i64, Failed> {
    let mut cursor = Cursor { bytes: text.as_bytes(), at: 0 };
    let year = i64::from(cursor.number(4, "year")?);
    cursor.expect(b"-", "`-` after the year")?;
    let month = cursor.ranged(2, "month", 1..=12)?;
    cursor.expect(b"-", "`-` after the month")?;
    let day_at = cursor.at;
    let day = cursor.number(2, "day")?;
    if day == 0 || day > days_in_month(year, month) {
        return Err((day_at, format!("{year:04}-{month:02} has no day {day}")));
    }
    cursor.expect(b"Tt", "`T` between the date and the time")?;
    let hours = cursor.ranged(2, "hour", 0..=23)?;
    cursor.expect(b":", "`:` after the hour")?;
    let minutes = cursor.ranged(2, "minute", 0..=59)?;
    cursor.expect(b":", "`:` after the minutes")?;
    let seconds = cursor.ranged(2, "second", 0..=59)?;
    let mut millis = 0;
    if cursor.bytes.get(cursor.at) == Some(&b'.') {
        cursor.at += 1;
        let start = cursor.at;
        while cursor.bytes.get(cursor.at).is_some_and(u8::is_ascii_digit) {
            cursor.at += 1;
        }
        if cursor.at == start {
            return Err((start.min(cursor.bytes.len().saturating_sub(1)), "expected digits after `.`".to_owned()));
        }
        let fraction = format!("{:0<3}", &text[start..cursor.at.min(start + 3)]);
        millis = fraction.parse::<i64>().unwrap_or_default();
    }
    let offset_minutes = match cursor.expect(b"Zz+-", "`Z` or an offset such as `+01:00`")? {
        b'Z' | b'z' => 0,
        sign => {
            let hours = i64::from(cursor.ranged(2, "offset's hours", 0..=23)?);
            cursor.expect(b":", "`:` in the offset")?;
            let minutes = i64::from(cursor.ranged(2, "offset's minutes", 0..=59)?);
            if sign == b'-' { -(hours * 60 + minutes) } else { hours * 60 + minutes }
        }
    };
    if cursor.at < cursor.bytes.len() {
        return Err((cursor.at, "unexpected text after the time".to_owned()));
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + i64::from(hours) * 3600 + i64::from(minutes) * 60 + i64::from(seconds);
    Ok((seconds - offset_minutes * 60) * 1000 + millis)
}
