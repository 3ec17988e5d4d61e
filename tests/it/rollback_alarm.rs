//! `MAESTRO_ROLLBACK_ALARM` (issue 20, item 3): web's 5xx alarm, put before the services and
//! watched by ECS during each deploy; a deploy whose alarm goes into ALARM rolls back; turned off,
//! the watch goes off and the alarm is deleted; `maestro destroy` deletes it. The emulator computes
//! no alarm state from traffic: the test puts the alarm in ALARM with CloudWatch's SetAlarmState
//! (scripted, as docs/emulator.md says).

use aws_sdk_cloudwatch::types::StateValue;

use crate::deploy_cli::{command_in, maestro_in};
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, run};
use maestro_test_support::{TestAccount, Watched};

const NEXT: &str = "9e8d7c6b5a4f3e2d1c0b";

/// The plan's line under web, for people: a snapshot of what they read.
#[test]
fn the_plan_says_what_the_alarm_rolls_back_on() {
    let outcome = run(maestro()
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV])
        .env("MAESTRO_ROLLBACK_ALARM", "5xx:threshold=25,evaluations=3,datapoints=2"));
    let outcome = outcome.expect_code(0);
    let line: Vec<&str> = outcome.stdout.lines().filter(|line| line.contains("rolls back on alarm")).collect();
    insta::assert_snapshot!("rollback_alarm_plan_line", line.join("\n"));
    let canary = run(maestro()
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"])
        .env("MAESTRO_ROLLBACK_ALARM", "5xx")
        .env("MAESTRO_DEPLOY_STRATEGY", "canary"));
    let plan = canary.expect_code(0).json();
    let web = plan["services"].as_array().unwrap().iter().find(|service| service["process"] == "web").unwrap();
    assert_eq!(web["rollback_alarm"]["target_groups"].as_array().unwrap().len(), 2, "{web}");
    assert_eq!(web["rollback_alarm"]["metric"], "HTTPCode_Target_5XX_Count");
}

/// Malformed, it is bad input naming the variable and a fix, before anything is read.
#[test]
fn a_malformed_alarm_is_bad_input() {
    let outcome = run(maestro()
        .args(["plan", "--offline", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV])
        .env("MAESTRO_ROLLBACK_ALARM", "5xx:period=30s"));
    let outcome = outcome.expect_code(2);
    assert!(outcome.stderr.contains("MAESTRO_ROLLBACK_ALARM"), "{}", outcome.stderr);
    assert!(outcome.stderr.contains("under a minute"), "{}", outcome.stderr);
}

async fn alarm(account: &TestAccount, name: &str) -> Option<aws_sdk_cloudwatch::types::MetricAlarm> {
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&account.config);
    let found = cloudwatch.describe_alarms().alarm_names(name).send().await.unwrap();
    found.metric_alarms().first().cloned()
}

async fn web(account: &TestAccount, cluster: &str, web: &str) -> aws_sdk_ecs::types::Service {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let described = ecs.describe_services().cluster(cluster).services(web).send().await.unwrap();
    described.services()[0].clone()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_alarm_is_put_watched_and_a_no_change_redeploy_writes_nothing() {
    let account = TestAccount::new("the_rollback_alarm_is_put_and_watched").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "alarmed");
    let (cluster, name) = ("acme-shop-api-alarmed", "acme-shop-api-alarmed-web");
    let on = ("MAESTRO_ROLLBACK_ALARM", "5xx:threshold=25");
    maestro_in(&account, "deploy", "json", &[branch, on]).await.expect_code(0);
    let put = alarm(&account, "acme-shop-api-alarmed-web-5xx").await.expect("the alarm exists");
    assert_eq!(
        (put.namespace(), put.metric_name(), put.statistic().map(|s| s.as_str())),
        (Some("AWS/ApplicationELB"), Some("HTTPCode_Target_5XX_Count"), Some("Sum"))
    );
    let dimensions: Vec<(&str, &str)> =
        put.dimensions().iter().map(|d| (d.name().unwrap(), d.value().unwrap())).collect();
    assert_eq!(dimensions.len(), 2, "{dimensions:?}");
    assert!(
        dimensions[0] == ("LoadBalancer", dimensions[0].1) && dimensions[0].1.starts_with("app/"),
        "{dimensions:?}"
    );
    assert!(dimensions[1].0 == "TargetGroup" && dimensions[1].1.starts_with("targetgroup/"), "{dimensions:?}");
    assert_eq!((put.threshold(), put.treat_missing_data()), (Some(25.0), Some("notBreaching")));
    let service = web(&account, cluster, name).await;
    let alarms = service.deployment_configuration().and_then(|config| config.alarms()).expect("ECS watches it");
    assert_eq!(
        (alarms.alarm_names(), alarms.enable(), alarms.rollback()),
        (&["acme-shop-api-alarmed-web-5xx".to_owned()][..], true, true)
    );
    // Nothing changed: nothing written.
    let again = maestro_in(&account, "deploy", "json", &[branch, on]).await.expect_code(0).json();
    assert_eq!(again["aws_calls"]["writes"], 0, "{again}");

    // Turned off: the watch goes off once, the alarm is deleted; then nothing more.
    let off = maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0).json();
    assert!(alarm(&account, "acme-shop-api-alarmed-web-5xx").await.is_none(), "{off}");
    let service = web(&account, cluster, name).await;
    let alarms = service.deployment_configuration().and_then(|config| config.alarms());
    assert!(alarms.is_none_or(|alarms| !alarms.enable()), "{alarms:?}");
    let settled = maestro_in(&account, "deploy", "json", &[branch]).await.expect_code(0).json();
    assert_eq!(settled["aws_calls"]["writes"], 0, "{settled}");

    // On again, then destroy deletes it with the environment.
    maestro_in(&account, "deploy", "json", &[branch, on]).await.expect_code(0);
    let destroy = || async { command_in(&account, "destroy", "json", &[branch, on]).await };
    let listed = run(&mut destroy().await).expect_code(2).json();
    assert!(listed.to_string().contains("acme-shop-api-alarmed-web-5xx"), "destroy lists the alarm: {listed}");
    let destroyed = run(destroy().await.args(["--confirm", "acme-shop-api-alarmed"])).expect_code(0).json();
    let steps: Vec<&str> =
        destroyed["steps"].as_array().unwrap().iter().map(|s| s["step"]["step"].as_str().unwrap()).collect();
    assert!(steps.contains(&"delete_alarm"), "{steps:?}");
    assert!(alarm(&account, "acme-shop-api-alarmed-web-5xx").await.is_none(), "deleted with the environment");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_canary_whose_alarm_fires_rolls_back_and_the_deploy_fails_naming_it() {
    let account = TestAccount::new("a_canary_whose_alarm_fires_rolls_back").await;
    let branch = ("MAESTRO_BRANCH_OVERRIDE", "alarmcanary");
    let (cluster, name) = ("acme-shop-api-alarmcanary", "acme-shop-api-alarmcanary-web");
    let alarm_name = "acme-shop-api-alarmcanary-web-5xx";
    // The first deploy bakes briefly (ECS's looks slow down to one every 15 s); the next one's long
    // canary bake (one look a minute) gives the test time to set the alarm while it bakes.
    let quick = ("MAESTRO_DEPLOY_STRATEGY", "canary:10%,canary-bake=1m,bake=0");
    let strategy = ("MAESTRO_DEPLOY_STRATEGY", "canary:10%,canary-bake=30m,bake=1m");
    let (on, fast) = (("MAESTRO_ROLLBACK_ALARM", "5xx"), ("MAESTRO_POLL_INTERVAL", "0.1"));
    maestro_in(&account, "deploy", "json", &[branch, quick, on, fast]).await.expect_code(0);
    let previous = web(&account, cluster, name).await.task_definition().unwrap().to_owned();
    let shape = alarm(&account, alarm_name).await.expect("the alarm exists");
    assert_eq!(shape.metrics().len(), 3, "both target groups and their sum: {shape:?}");

    let next = [branch, strategy, on, fast, ("MAESTRO_COMMIT_OVERRIDE", NEXT)];
    let mut command = command_in(&account, "deploy", "human", &next).await;
    let watched = Watched::until(&mut command, |line| line.contains("ECS at PRODUCTION_TRAFFIC_SHIFT"));
    // Scripted: the emulator has no traffic to compute the alarm's state from.
    let cloudwatch = aws_sdk_cloudwatch::Client::new(&account.config);
    let set = cloudwatch.set_alarm_state().alarm_name(alarm_name).state_value(StateValue::Alarm);
    set.state_reason("scripted by the test: 5xx answers during the canary").send().await.unwrap();
    let (code, seen, rest) = watched.end();
    assert_eq!(code, Some(1), "{seen}{rest}");
    assert!(rest.contains(&format!("{name} failed")) && rest.contains(alarm_name), "{seen}{rest}");
    assert_eq!(
        web(&account, cluster, name).await.task_definition(),
        Some(previous.as_str()),
        "on its previous revision"
    );
}
