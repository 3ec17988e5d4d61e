use super::*;

const VAR: &str = "ECS_SERVICE_TASK_PROCESSES";

fn ok(text: &str) -> ProcessList {
    parse(VAR, text).unwrap_or_else(|error| panic!("{text}: {}", error.render()))
}

fn err(text: &str) -> InputError {
    parse(VAR, text).expect_err(text)
}

fn target(metric: Metric, target: f64, disable_scale_in: bool) -> ScalingTarget {
    ScalingTarget { metric, target, disable_scale_in }
}

#[test]
fn readme_full_example() {
    let list = ok("web{1024;2048}:2-5[mem=55&nosclin;cpu=60;alb=1000]");
    let web = list.get("web").unwrap();
    assert_eq!(web.size, Some(TaskSize { cpu: 1024, memory: 2048 }));
    assert_eq!(web.count, Some(TaskCount { min: 2, max: Some(5) }));
    assert_eq!(
        web.scaling,
        [target(Metric::Mem, 55.0, true), target(Metric::Cpu, 60.0, false), target(Metric::Alb, 1000.0, false)]
    );
}

#[test]
fn readme_two_process_example() {
    let list = ok("web{512;1024}:2,worker{1024;2048}:1-3");
    let web = list.get("web").unwrap();
    assert_eq!(web.count, Some(TaskCount { min: 2, max: None }));
    let worker = list.get("worker").unwrap();
    assert_eq!(worker.size, Some(TaskSize { cpu: 1024, memory: 2048 }));
    assert_eq!(worker.count, Some(TaskCount { min: 1, max: Some(3) }));
    // The default `cpu=55` for a range without targets is applied by the planner.
    assert!(worker.scaling.is_empty());
}

#[test]
fn readme_short_examples() {
    assert_eq!(ok("web").entries.len(), 1);
    let names: Vec<String> = ok("web,worker").entries.into_iter().map(|entry| entry.name).collect();
    assert_eq!(names, ["web", "worker"]);
    let list = ok("test:2-5,scheduledtasks");
    assert_eq!(list.get("test").unwrap().count, Some(TaskCount { min: 2, max: Some(5) }));
    assert_eq!(list.get("scheduledtasks").unwrap().size, None);
}

#[test]
fn readme_fully_disclosed_example_is_not_a_fargate_size() {
    // The README's `test{512;512}` cannot run on Fargate; AWS would reject it at deploy time.
    let error = err("test{512;512}:2-5[cpu=55],scheduledtasks{256;512}");
    assert_eq!(error.column, Some(5));
    assert!(error.message.contains("512 cpu units with 512 MiB"), "{}", error.message);
    assert!(error.hint.contains("1024 to 4096 in steps of 1024"), "{}", error.hint);
}

#[test]
fn empty_value_lists_nothing() {
    assert!(ok("").entries.is_empty());
    assert!(ok("   ").entries.is_empty());
}

#[test]
fn original_bug_substring_match_is_fixed() {
    // The original's `=~ worker` matched `sidekiq_worker:2` and gave `worker` 2 tasks.
    let list = ok("sidekiq_worker:2");
    assert!(list.get("worker").is_none());
    assert_eq!(list.get("sidekiq_worker").unwrap().count, Some(TaskCount { min: 2, max: None }));
}

#[test]
fn original_bug_uppercase_metric_is_understood() {
    // The original silently ignored `CPU=50`.
    assert_eq!(ok("web:2-5[CPU=50]").entries[0].scaling, [target(Metric::Cpu, 50.0, false)]);
    assert_eq!(ok("web:2-5[Mem=40&NOSCLIN]").entries[0].scaling, [target(Metric::Mem, 40.0, true)]);
}

#[test]
fn original_bug_decimal_target_is_kept() {
    // The original truncated `cpu=50.5` to 50.
    assert_eq!(ok("web:2-5[cpu=50.5]").entries[0].scaling, [target(Metric::Cpu, 50.5, false)]);
}

#[test]
fn original_bug_whitespace_no_longer_breaks_items() {
    // The original dropped the targets of `web{1024;2048}:2-5 [cpu=60]`.
    let list = ok(" web { 1024 ; 2048 } : 2 - 5 [ cpu = 60 ; mem=70 ] , worker ");
    let web = list.get("web").unwrap();
    assert_eq!(web.size, Some(TaskSize { cpu: 1024, memory: 2048 }));
    assert_eq!(web.count, Some(TaskCount { min: 2, max: Some(5) }));
    assert_eq!(web.scaling, [target(Metric::Cpu, 60.0, false), target(Metric::Mem, 70.0, false)]);
    assert!(list.get("worker").is_some());
}

#[test]
fn original_bug_empty_target_list_is_an_error() {
    // `web:2-5[]` replaced the default policy with none in the original.
    let error = err("web:2-5[]");
    assert!(error.message.contains("empty scaling target list"));
    assert_eq!(error.column, Some(8));
}

#[test]
fn original_bug_max_below_min_is_an_error() {
    let error = err("worker:5-2");
    assert!(error.message.contains("below the minimum 5"), "{}", error.message);
    assert_eq!(error.column, Some(10));
}

#[test]
fn original_bug_unknown_metric_is_an_error_before_anything_is_deployed() {
    let error = err("web{1024;2048}:2-5[gpu=50]");
    assert_eq!(error.message, "unknown scaling metric `gpu`");
    assert_eq!((error.column, error.width), (Some(20), 3));
}

#[test]
fn minimum_of_zero_is_allowed() {
    assert_eq!(ok("worker:0-3").entries[0].count, Some(TaskCount { min: 0, max: Some(3) }));
    assert_eq!(ok("worker:0").entries[0].count, Some(TaskCount { min: 0, max: None }));
}

#[test]
fn targets_out_of_range_are_errors() {
    assert!(err("web:1-2[cpu=0]").message.contains("out of range"));
    assert!(err("web:1-2[mem=101]").message.contains("out of range"));
    assert!(err("web:1-2[alb=0.5]").message.contains("out of range"));
    assert!(err("web:1-2[cpu=.5]").message.contains("expected a number"));
    assert!(err("web:1-2[cpu=5..0]").message.contains("expected a number"));
}

#[test]
fn targets_without_a_range_are_errors() {
    let error = err("web:2[cpu=60]");
    assert!(error.message.contains("need a task range"));
    assert!(error.hint.contains("`web:1-4[cpu=60]`"));
    assert!(err("web[cpu=60]").message.contains("need a task range"));
}

#[test]
fn one_off_processes_take_no_count() {
    assert!(err("release:2").message.contains("one-off task"));
    assert!(err("scheduledtasks:1-2").message.contains("one-off task"));
    assert_eq!(ok("release{512;1024}").entries[0].size, Some(TaskSize { cpu: 512, memory: 1024 }));
}

#[test]
fn structural_errors_point_at_the_character() {
    let cases = [
        ("web,,worker", "empty item", 4),
        ("web,", "empty item", 4),
        ("web{1024}", "expected `;`", 9),
        ("web{1024;2048", "expected `}`", 14),
        ("web:x", "expected a whole number", 5),
        ("web:1-", "expected a whole number", 7),
        ("web:1-3[cpu=60", "expected `;` or `]`", 15),
        ("web:1-3[cpu60]", "expected `=`", 12),
        ("web:1-3[cpu=60&always]", "unknown target flag", 15),
        ("web:1-3[cpu=6;cpu=7]", "given twice", 15),
        ("web:1-3 x", "unexpected `x`", 9),
        ("web.1", "unexpected `.`", 4),
        ("{256;512}", "expected a process name", 1),
        ("web,web:2", "listed twice", 5),
        ("web{300;512}", "not a Fargate cpu size", 5),
        ("web:99999999999", "number too large", 5),
    ];
    for (text, message, column) in cases {
        let error = err(text);
        assert!(error.message.contains(message), "{text}: {}", error.message);
        assert_eq!(error.column, Some(column), "{text}: {}", error.render());
        assert_eq!(error.location.to_string(), VAR);
        assert!(!error.hint.is_empty());
    }
}

#[test]
fn fargate_memory_error_lists_the_valid_values() {
    let error = err("web{256;4096}");
    assert!(error.hint.contains("512, 1024, 2048"), "{}", error.hint);
}

/// Where each name stands in the variable, which later checks (an unknown process) point at.
#[test]
fn names_keep_their_place_in_the_variable() {
    let list = ok("web:2,  sidekiq_worker{256;512}");
    let spans: Vec<_> = list.entries.iter().map(|entry| entry.name_span.clone()).collect();
    assert_eq!(spans, [0..3, 8..22]);
    let twice = err("web, web:2");
    assert_eq!((twice.column, twice.width), (Some(6), 3));
}

#[test]
fn a_range_may_be_a_single_count() {
    assert_eq!(ok("worker:2-2").entries[0].count, Some(TaskCount { min: 2, max: Some(2) }));
}

/// Carets that span more than one character: the whole offending part is underlined.
#[test]
fn carets_cover_the_whole_offending_part() {
    for (text, column, width) in [
        ("web:2-5[]", 8, 2),
        ("web:2-5[ ]", 8, 3),
        ("web:1-3[cpu=60&always]", 15, 7),
        ("web:1-3[cpu=60& ]", 15, 2),
        ("web:1-3[cpu=60&]", 15, 1),
        ("web éxyz", 5, 1),
    ] {
        let error = err(text);
        assert_eq!((error.column, error.width), (Some(column), width), "{text}: {}", error.render());
    }
}
