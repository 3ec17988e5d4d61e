use super::line::{JsonLine, Layout};
use super::since::{self, Since};
use super::sources::{self, Source};
use super::timestamp;
use super::{LogEvent, Seen, merge};
use crate::redact::Redactor;

fn event(process: &str, task: &str, timestamp: i64, id: &str, message: &str) -> LogEvent {
    LogEvent {
        process: process.to_owned(),
        stream: format!("ecs/app/{task}"),
        timestamp,
        event_id: id.to_owned(),
        message: message.to_owned(),
    }
}

#[test]
fn durations_count_back_from_now() {
    let now = 1_000_000_000_000;
    for (text, back) in [("30s", 30_000), ("10m", 600_000), ("2h", 7_200_000), ("1d", 86_400_000), ("0s", 0)] {
        let since = since::parse(text).unwrap();
        assert_eq!(since, Since::Ago(back), "{text}");
        assert_eq!(since.start_millis(now), now - back, "{text}");
    }
    assert_eq!(Since::Ago(5).start_millis(3), 0, "never before the epoch");
}

#[test]
fn rfc3339_times_are_read_in_utc_with_their_offset() {
    let at = |text: &str| match since::parse(text).unwrap() {
        Since::At(millis) => millis,
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(at("1970-01-01T00:00:00Z"), 0);
    assert_eq!(at("2026-11-30T09:00:00Z"), 1_796_029_200_000);
    assert_eq!(at("2026-11-30T10:00:00+01:00"), at("2026-11-30T09:00:00Z"));
    assert_eq!(at("2026-11-30T08:30:00-00:30"), at("2026-11-30T09:00:00Z"));
    assert_eq!(at("2026-11-30t09:00:00.25z"), at("2026-11-30T09:00:00Z") + 250);
    assert_eq!(at("2026-11-30T09:00:00.123456Z"), at("2026-11-30T09:00:00Z") + 123);
    assert_eq!(at("2024-02-29T00:00:00Z"), 1_709_164_800_000, "a leap day");
    assert_eq!(Since::At(42).start_millis(7), 42);
}

#[test]
fn a_bad_since_is_positioned_with_a_fix() {
    // (text, column, words of the message)
    let cases = [
        ("ten", 1, "expected a number"),
        ("10", 2, "no unit"),
        ("10w", 3, "unknown unit"),
        ("10mm", 4, "after the duration"),
        ("-5m", 1, "expected a number"),
        ("2026-13-01T00:00:00Z", 6, "month must be 1 to 12"),
        ("2026-02-30T00:00:00Z", 9, "has no day 30"),
        ("2026-11-30 09:00:00Z", 11, "`T`"),
        ("2026-11-30T25:00:00Z", 12, "hour must be 0 to 23"),
        ("2026-11-30T09:00:00", 19, "`Z` or an offset"),
        ("2026-11-30T09:00:00Zx", 21, "after the time"),
        ("2026-11-30T09:00:00.Z", 21, "digits after"),
        ("99999999999999999999d", 1, "too long"),
    ];
    for (text, column, words) in cases {
        let error = since::parse(text).unwrap_err();
        assert_eq!(error.column, Some(column), "{text}: {error}");
        assert!(error.message.contains(words), "{text}: {error}");
        assert_eq!(error.location.to_string(), "--since");
        assert!(error.hint.contains("`10m`") && error.hint.contains("RFC 3339"), "{}", error.hint);
    }
    assert!(since::parse("").unwrap_err().message.contains("empty"));
}

#[test]
fn timestamps_are_written_in_rfc3339_with_milliseconds() {
    assert_eq!(timestamp::format(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(timestamp::format(1_796_029_200_250), "2026-11-30T09:00:00.250Z");
    assert_eq!(timestamp::format(-1), "1970-01-01T00:00:00.000Z");
    for millis in [0, 951_782_400_000, 1_709_164_800_000, 4_102_444_799_999] {
        let Since::At(back) = since::parse(&timestamp::format(millis)).unwrap() else { panic!() };
        assert_eq!(back, millis, "formatting and parsing are inverse");
    }
}

#[test]
fn processes_merge_in_time_order_and_equal_times_keep_their_order() {
    let web = vec![
        event("web", "a", 1, "w1", "web 1"),
        event("web", "a", 3, "w3", "web 3"),
        event("web", "b", 3, "w3b", "web 3b"),
    ];
    let worker = vec![event("worker", "c", 2, "k2", "worker 2"), event("worker", "c", 3, "k3", "worker 3")];
    let merged: Vec<String> = merge(vec![web, worker]).into_iter().map(|event| event.message).collect();
    assert_eq!(merged, ["web 1", "worker 2", "web 3", "web 3b", "worker 3"]);
}

#[test]
fn a_follow_prints_each_event_once_and_forgets_what_cannot_come_back() {
    let mut seen = Seen::default();
    assert_eq!(seen.resume_from(500), 500, "nothing seen: the start");
    let first = seen
        .fresh(vec![event("web", "a", 1_000, "1", "one"), event("worker", "a", 1_000, "1", "same id, other group")]);
    assert_eq!(first.len(), 2, "ids are per log group");
    let again = seen.fresh(vec![event("web", "a", 1_000, "1", "one"), event("web", "a", 1_000, "2", "two")]);
    assert_eq!(again.iter().map(|event| event.message.as_str()).collect::<Vec<_>>(), ["two"]);
    assert_eq!(seen.resume_from(0), 0, "the overlap, never before the start");
    let later = 1_000 + super::events::FOLLOW_OVERLAP_MILLIS + 5_000;
    seen.fresh(vec![event("web", "b", later, "3", "three")]);
    assert_eq!(seen.resume_from(0), later - super::events::FOLLOW_OVERLAP_MILLIS);
    assert_eq!(seen.remembered(), 1, "the ids before the next start are forgotten");
    assert!(seen.fresh(vec![event("web", "b", later, "3", "three")]).is_empty());
}

#[test]
fn the_task_is_the_last_part_of_the_stream() {
    let mut line = event("web", "0123456789abcdef0123456789abcdef", 0, "1", "");
    assert_eq!(line.task(), "0123456789abcdef0123456789abcdef");
    line.stream = "custom-stream".to_owned();
    assert_eq!(line.task(), "custom-stream", "a stream maestro did not name is shown whole");
}

#[test]
fn human_lines_are_aligned_prefixed_redacted_and_inert() {
    let processes = ["web".to_owned(), "worker".to_owned()];
    let redactor = Redactor::new(["hunter2-secret"]);
    let layout = Layout::new(&processes, false);
    let web = event("web", "0123456789abcdef", 0, "1", "GET / password=hunter2-secret\n");
    let worker = event("worker", "fedcba9876543210", 0, "2", "line one\nline two");
    assert_eq!(layout.human(&web, &redactor), ["web/01234567     GET / password=***"]);
    assert_eq!(layout.human(&worker, &redactor), ["worker/fedcba98  line one", "worker/fedcba98  line two"]);
    let command = event("web", "0123456789abcdef", 0, "3", "::add-mask::x");
    assert!(!layout.human(&command, &redactor)[0].ends_with("  ::add-mask::x"), "a relayed line issues no command");
    let coloured = Layout::new(&processes, true).human(&worker, &redactor);
    assert_eq!(coloured[0], "\u{1b}[33mworker/fedcba98\u{1b}[0m  line one", "the label only, in the process's colour");
}

#[test]
fn json_lines_carry_the_whole_task_and_the_time() {
    let redactor = Redactor::new(["hunter2-secret"]);
    let line = JsonLine::of(&event("web", "0123456789abcdef", 1_796_029_200_250, "1", "a hunter2-secret\n"), &redactor);
    let json = serde_json::to_string(&line).unwrap();
    assert_eq!(
        json,
        r#"{"process":"web","task":"0123456789abcdef","timestamp":"2026-11-30T09:00:00.250Z","message":"a ***"}"#
    );
}

#[test]
fn processes_are_checked_before_any_call() {
    let known = [
        Source { process: "web".to_owned(), group: "/ecs/app-web".to_owned() },
        Source { process: "worker".to_owned(), group: "/ecs/app-worker".to_owned() },
    ];
    let names = |requested: &[&str]| {
        let requested: Vec<String> = requested.iter().map(|name| (*name).to_owned()).collect();
        sources::select(&requested, &known)
            .map(|found| found.into_iter().map(|source| source.process).collect::<Vec<_>>())
    };
    assert_eq!(names(&[]).unwrap(), ["web", "worker"]);
    assert_eq!(names(&["worker", "web", "worker"]).unwrap(), ["worker", "web"]);
    let errors = names(&["wrker", "cron"]).unwrap_err();
    assert_eq!(errors.0.len(), 2, "every unknown name at once");
    assert_eq!(errors.0[0].location.to_string(), "process `wrker`");
    assert!(errors.0[0].hint.contains("did you mean `worker`?") && errors.0[0].hint.contains("web, worker"));
    assert_eq!(errors.0[1].hint, "name one of the processes that log: web, worker");
    let none = sources::select(&[], &[]).unwrap_err();
    assert_eq!(none.0[0].location.to_string(), "MAESTRO_NO_LOG");
}
