use super::*;
use crate::logs::timestamp::format;

/// Milliseconds of `YYYY-MM-DDTHH:MM` UTC.
fn at(text: &str) -> i64 {
    let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap();
    let days = days_from_civil(i64::from(number(0..4)), number(5..7), number(8..10));
    days * DAY + i64::from(number(11..13)) * 3_600_000 + i64::from(number(14..16)) * MINUTE
}

fn next(expression: &str, now: &str) -> String {
    match next_run(expression, at(now)) {
        Some(NextRun::At { millis }) => format(millis),
        other => format!("{other:?}"),
    }
}

#[test]
fn a_cron_runs_next_at_its_first_matching_minute_after_now() {
    // Daily at 03:00, asked at 02:07 and at 03:00 exactly (strictly after: tomorrow's).
    assert_eq!(next("cron(0 3 * * ? *)", "2026-12-01T02:07"), "2026-12-01T03:00:00.000Z");
    assert_eq!(next("cron(0 3 * * ? *)", "2026-12-01T03:00"), "2026-12-02T03:00:00.000Z");
    // Lists, and the year's end.
    assert_eq!(next("cron(5,35 14 * * ? *)", "2026-12-01T14:05"), "2026-12-01T14:35:00.000Z");
    assert_eq!(next("cron(0 0 1 JAN ? *)", "2026-12-01T00:00"), "2027-01-01T00:00:00.000Z");
    // Steps and ranges on working days, asked on a Saturday.
    assert_eq!(next("cron(0/15 8-18 ? * MON-FRI *)", "2026-12-05T10:00"), "2026-12-07T08:00:00.000Z");
    assert_eq!(next("cron(0/15 8-18 ? * MON-FRI *)", "2026-12-07T08:01"), "2026-12-07T08:15:00.000Z");
    assert_eq!(next("cron(0/15 8-18 ? * MON-FRI *)", "2026-12-07T18:45"), "2026-12-08T08:00:00.000Z");
    // A range across the week's end: Friday to Monday.
    assert_eq!(next("cron(0 6 ? * FRI-MON *)", "2026-12-01T07:00"), "2026-12-04T06:00:00.000Z");
}

#[test]
fn the_special_day_characters_follow_eventbridge() {
    // L: the month's last day (a leap year's February too).
    assert_eq!(next("cron(0 12 L * ? *)", "2026-02-10T00:00"), "2026-02-28T12:00:00.000Z");
    assert_eq!(next("cron(0 12 L * ? *)", "2028-02-10T00:00"), "2028-02-29T12:00:00.000Z");
    // 6L: the month's last Friday; 2#1: its first Monday.
    assert_eq!(next("cron(15 10 ? * 6L 2022-2030)", "2026-12-01T00:00"), "2026-12-25T10:15:00.000Z");
    assert_eq!(next("cron(0 0 ? * 2#1 *)", "2026-12-08T00:00"), "2027-01-04T00:00:00.000Z");
    // 15W: the weekday nearest the 15th (a Saturday: the Friday; a Sunday: the Monday).
    assert_eq!(next("cron(0 9 15W jan,JUL ? *)", "2028-01-01T00:00"), "2028-01-14T09:00:00.000Z");
    assert_eq!(next("cron(0 9 15W jan,JUL ? *)", "2029-07-01T00:00"), "2029-07-16T09:00:00.000Z");
    assert_eq!(next("cron(0 9 1W * ? *)", "2028-03-20T00:00"), "2028-04-03T09:00:00.000Z");
    // LW: the month's last weekday (31 January 2027 is a Sunday).
    assert_eq!(next("cron(0 18 LW * ? *)", "2027-01-20T00:00"), "2027-01-29T18:00:00.000Z");
}

#[test]
fn a_rate_says_how_often_and_a_past_year_never_comes() {
    assert_eq!(next_run("rate(5 minutes)", 0), Some(NextRun::Every { every: "every 5 minutes".to_owned() }));
    assert_eq!(next_run("rate(1 hour)", 0), Some(NextRun::Every { every: "every hour".to_owned() }));
    assert_eq!(next_run("rate(7 days)", 0), Some(NextRun::Every { every: "every 7 days".to_owned() }));
    assert_eq!(next_run("cron(0 0 1 1 ? 2020)", at("2026-12-01T00:00")), Some(NextRun::Never));
    assert_eq!(next_run("at(2026-12-01T00:00:00)", 0), None);
}
