//! Every CI scenario in `tests/fixtures/ci/`: a literal CI environment (and GitHub event payload)
//! run through `maestro detect --output json`, with every field of the request asserted.

use serde_json::Value;

use crate::support::{EXAMPLE_APP, Outcome, Scratch, maestro, repository_root, run};

const CANARIES: &[(&str, &str)] = &[
    ("ACTIONS_ID_TOKEN_REQUEST_TOKEN", "canary-request-token-7c1d"),
    ("GITHUB_TOKEN", "canary-github-token-2b9e"),
    ("CI_JOB_TOKEN", "canary-job-token-5a0f"),
    ("NEW_RELIC_API_KEY", "canary-new-relic-key-8e3a"),
    ("AWS_SECRET_ACCESS_KEY", "canary-aws-secret-4d6b"),
];

struct Scenario {
    name: String,
    fixture: Value,
}

fn scenarios() -> Vec<Scenario> {
    let dir = repository_root().join("tests/fixtures/ci");
    let mut scenarios: Vec<Scenario> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "json"))
        .map(|path| Scenario {
            name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            fixture: serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap(),
        })
        .collect();
    scenarios.sort_by(|a, b| a.name.cmp(&b.name));
    scenarios
}

/// Runs maestro with the scenario's environment; `app` is a folder outside any git checkout.
fn run_in(scenario: &Scenario, app: &Scratch, args: &[&str], extra: &[(&str, &str)]) -> Outcome {
    let mut command = maestro();
    command.args(args);
    for (name, value) in scenario.fixture["env"].as_object().unwrap() {
        command.env(name, value.as_str().unwrap());
    }
    if let Some(event) = scenario.fixture.get("event") {
        let path = app.join("event.json");
        std::fs::write(&path, event.to_string()).unwrap();
        command.env("GITHUB_EVENT_PATH", path);
    }
    // Secrets a CI job carries: none of them may appear in what maestro prints.
    command.envs(CANARIES.iter().map(|(name, value)| (*name, *value)));
    command.envs(extra.iter().copied());
    let outcome = run(&mut command);
    for (_, secret) in CANARIES {
        assert!(
            !outcome.stdout.contains(secret) && !outcome.stderr.contains(secret),
            "{}: `{secret}` was printed",
            scenario.name
        );
    }
    outcome
}

#[test]
fn every_ci_scenario_detects_the_right_request() {
    let scenarios = scenarios();
    assert!(scenarios.len() >= 25, "only {} scenarios", scenarios.len());
    for scenario in &scenarios {
        let app = Scratch::copy_of_example();
        let app_dir = app.path().to_string_lossy().into_owned();
        let outcome = run_in(scenario, &app, &["detect", "--output", "json", "--app", &app_dir], &[]);
        let name = &scenario.name;
        if let Some(error) = scenario.fixture.get("error").and_then(Value::as_str) {
            assert_eq!(outcome.code, Some(2), "{name}: {}", outcome.stderr);
            assert!(outcome.stderr.contains(error), "{name}: missing {error:?} in {}", outcome.stderr);
            continue;
        }
        assert_eq!(outcome.code, Some(0), "{name}: {}", outcome.stderr);
        let request: Value = serde_json::from_str(&outcome.stdout).unwrap();
        for (field, expected) in scenario.fixture["expect"].as_object().unwrap() {
            assert_eq!(&request[field], expected, "{name}: field `{field}`");
        }
        for (field, source) in scenario.fixture.get("sources").and_then(Value::as_object).into_iter().flatten() {
            assert_eq!(&request["sources"][field], source, "{name}: source of `{field}`");
        }
    }
}

#[test]
fn plan_uses_the_detected_request() {
    for scenario in scenarios().iter().filter(|scenario| scenario.fixture.get("expect").is_some()) {
        let app = Scratch::copy_of_example();
        let outcome = run_in(
            scenario,
            &app,
            &["plan", "--offline", "--output", "json", "--app", EXAMPLE_APP],
            &[
                ("AWS_ACCOUNT_ID", "123456789012"),
                // What any deploy needs, which the plan checks.
                ("ECS_EXECUTION_ROLE_ARN", "arn:aws:iam::123456789012:role/shop-execution"),
                ("ECS_SERVICE_SUBNETS", "subnet-0aaa1111"),
                ("WORKLOAD_VPC_ID", "vpc-0a1b2c3d"),
                ("ALB_SUBNETS", "subnet-0ccc3333,subnet-0ddd4444"),
            ],
        );
        let name = &scenario.name;
        let expect = &scenario.fixture["expect"];
        match scenario.fixture.get("plan_error").and_then(Value::as_str) {
            Some(error) => {
                assert_eq!(outcome.code, Some(2), "{name}: {}", outcome.stderr);
                assert!(outcome.stderr.contains(error), "{name}: missing {error:?} in {}", outcome.stderr);
                assert!(outcome.stderr.contains("MAESTRO_BRANCH_OVERRIDE"), "{name}: the fix names the override");
            }
            None => {
                assert_eq!(outcome.code, Some(0), "{name}: {}", outcome.stderr);
                let plan: Value = serde_json::from_str(&outcome.stdout).unwrap();
                let branch = maestro_core::naming::branch(expect["branch"].as_str().unwrap());
                let cluster = format!("{}-{branch}", expect["slug"].as_str().unwrap());
                assert_eq!(plan["cluster"]["name"], cluster.as_str(), "{name}");
                assert_eq!(plan["image"]["tag"], expect["short_sha"], "{name}");
                assert_eq!(plan["request"]["report_sha"], expect["report_sha"], "{name}");
            }
        }
    }
}

/// The core replays these scenarios without I/O, from a list of embedded files
/// (`crates/maestro-core/src/ci/scenarios_tests.rs`): that list must name every file here.
#[test]
fn the_core_replays_every_ci_scenario() {
    let list =
        std::fs::read_to_string(repository_root().join("crates/maestro-core/src/ci/scenarios_tests.rs")).unwrap();
    for scenario in scenarios() {
        assert!(
            list.contains(&format!("\"{}\",", scenario.name)),
            "the core's scenario list misses `{}`",
            scenario.name
        );
    }
}
