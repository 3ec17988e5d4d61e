use super::*;

const VAR: &str = "MAESTRO_DEPLOY_STRATEGY";

#[test]
fn each_strategy_with_ecs_defaults_filled_in() {
    assert_eq!(parse(VAR, "rolling").unwrap(), Strategy::Rolling);
    assert_eq!(parse(VAR, "blue-green").unwrap(), Strategy::BlueGreen { bake_minutes: 5 });
    assert_eq!(
        parse(VAR, "canary").unwrap(),
        Strategy::Canary { percent: Percent(50), canary_bake_minutes: 10, bake_minutes: 5 }
    );
    assert_eq!(
        parse(VAR, "linear").unwrap(),
        Strategy::Linear { percent: Percent(100), step_bake_minutes: 6, bake_minutes: 5 }
    );
}

#[test]
fn the_issue_examples_parse_as_written() {
    assert_eq!(
        parse(VAR, "canary:10%,bake=5m").unwrap(),
        Strategy::Canary { percent: Percent(100), canary_bake_minutes: 10, bake_minutes: 5 }
    );
    assert_eq!(
        parse(VAR, "linear:25%, step-bake=2m").unwrap(),
        Strategy::Linear { percent: Percent(250), step_bake_minutes: 2, bake_minutes: 5 }
    );
    assert_eq!(parse(VAR, "blue-green:bake=1h").unwrap(), Strategy::BlueGreen { bake_minutes: 60 });
    assert_eq!(
        parse(VAR, "canary:2.5%,canary-bake=0,bake=90m").unwrap(),
        Strategy::Canary { percent: Percent(25), canary_bake_minutes: 0, bake_minutes: 90 }
    );
}

#[test]
fn it_prints_back_in_its_own_grammar() {
    for text in
        ["rolling", "blue-green:bake=10m", "canary:2.5%,canary-bake=5m,bake=2h", "linear:25%,step-bake=2m,bake=0m"]
    {
        let strategy = parse(VAR, text).unwrap();
        assert_eq!(strategy.to_string(), text);
        assert_eq!(parse(VAR, &strategy.to_string()).unwrap(), strategy);
    }
}

#[test]
fn the_minimum_duration_counts_every_bake() {
    assert_eq!(parse(VAR, "rolling").unwrap().minimum_minutes(), 0);
    assert_eq!(parse(VAR, "blue-green:bake=10m").unwrap().minimum_minutes(), 10);
    assert_eq!(parse(VAR, "canary:10%,canary-bake=5m,bake=10m").unwrap().minimum_minutes(), 15);
    // 25% steps: 25, 50, 75, 100; a step bake after the first three only.
    assert_eq!(parse(VAR, "linear:25%,step-bake=2m,bake=10m").unwrap().minimum_minutes(), 16);
    // 30% steps: 30, 60, 90, 100.
    assert_eq!(parse(VAR, "linear:30%,step-bake=1m,bake=0").unwrap().minimum_minutes(), 3);
}

#[test]
fn refuses_what_ecs_would_with_the_position() {
    for (bad, says, column) in [
        ("red-black", "not a deployment strategy", Some(1)),
        ("canary:0%", "outside 0.1% to 100%", Some(1)),
        ("canary:101%", "outside 0.1% to 100%", Some(1)),
        ("linear:2%", "outside 3% to 100%", Some(1)),
        ("canary:10.25%", "not a percentage", Some(8)),
        ("canary:10%,bake=25h", "longer than ECS's 24 hours", Some(12)),
        ("canary:10%,bake=5", "not a duration", Some(12)),
        ("canary:bake=5m,bake=6m", "given twice", Some(16)),
        ("blue-green:10%", "takes no percentage", Some(1)),
        ("blue-green:step-bake=1m", "not a parameter of `blue-green`", Some(1)),
        ("rolling:bake=1m", "takes no parameters", Some(1)),
        ("linear:25%,5m", "not `key=value`", Some(12)),
    ] {
        let error = parse(VAR, bad).unwrap_err();
        assert!(error.message.contains(says), "{bad}: {}", error.message);
        assert_eq!(error.column, column, "{bad}");
        assert!(error.hint.contains("canary:10%"), "{bad}");
    }
}
