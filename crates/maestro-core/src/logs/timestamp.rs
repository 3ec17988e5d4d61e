//! RFC 3339 times and CloudWatch Logs' timestamps (milliseconds since the Unix epoch), both ways,
//! in UTC: `--since 2026-11-30T09:00:00Z` and the JSON lines' `timestamp`.

use crate::text::civil_date::civil_date;

const MILLIS_PER_DAY: i64 = 86_400_000;

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a timestamp in milliseconds (before 1970 reads as 1970).
pub fn format(millis: i64) -> String {
    let millis = millis.max(0);
    let days = u64::try_from(millis / MILLIS_PER_DAY).unwrap_or_default();
    let (year, month, day) = civil_date(days);
    let rest = millis % MILLIS_PER_DAY;
    let (hours, minutes, seconds, fraction) = (rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000);
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{fraction:03}Z")
}

/// Days from 1970-01-01 to a calendar date (Howard Hinnant's `days_from_civil`, the inverse of
/// `civil_date`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The number of days in `month` of `year`.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
