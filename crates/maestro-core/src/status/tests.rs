use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::fixtures::{self, PROCFILE, app_with};
use crate::provision::observed::ObservedRuleTarget;
use crate::rollout::{ObservedDeployment, ServiceEvent};

fn desired() -> DesiredState {
    let settings = fixtures::deployable(&[("ECS_SERVICE_TASK_PROCESSES", "web:2-5[cpu=60], worker, scheduledtasks")]);
    fixtures::desired(&fixtures::staging(&[]), &settings.unwrap(), &app_with(PROCFILE, &[])).unwrap()
}

fn live(task_definition: &str, desired_count: u32) -> ObservedService {
    fixtures::live_service(task_definition, desired_count)
}

fn deployment(id: &str, status: &str, state: &str, running: u32, desired: u32) -> ObservedDeployment {
    ObservedDeployment {
        id: id.into(),
        status: status.into(),
        rollout_state: state.into(),
        desired,
        running,
        ..ObservedDeployment::default()
    }
}

struct Account {
    services: BTreeMap<String, Option<ObservedService>>,
    draining: BTreeSet<String>,
    rollouts: Vec<ObservedRollout>,
    service_deployments: BTreeMap<String, Option<ObservedServiceDeployment>>,
    task_definitions: BTreeMap<String, ObservedTaskDefinition>,
    targets: BTreeMap<String, ObservedScalableTarget>,
    rules: BTreeMap<String, ObservedRule>,
    releases: Vec<Numbered>,
}

impl Account {
    fn seen(&self) -> Seen<'_> {
        Seen {
            services: &self.services,
            draining: &self.draining,
            rollouts: &self.rollouts,
            service_deployments: &self.service_deployments,
            task_definitions: &self.task_definitions,
            scalable_targets: &self.targets,
            rules: &self.rules,
            url: Some("http://shop.elb.example"),
            releases: &self.releases,
            now: 1_796_080_811_000,
        }
    }
}

fn empty(desired: &DesiredState) -> Account {
    Account {
        services: desired.services.iter().map(|service| (service.name.clone(), None)).collect(),
        draining: BTreeSet::new(),
        rollouts: Vec::new(),
        service_deployments: BTreeMap::new(),
        task_definitions: BTreeMap::new(),
        targets: BTreeMap::new(),
        rules: BTreeMap::new(),
        releases: Vec::new(),
    }
}

#[test]
fn nothing_deployed_is_an_error_naming_the_cluster() {
    let desired = desired();
    let error = status(&desired, empty(&desired).seen(), &Redactor::default()).unwrap_err();
    assert_eq!(error.cluster, desired.cluster.name);
}

#[test]
fn a_deployed_environment_reads_per_process() {
    let desired = desired();
    let web = desired.services.iter().find(|service| service.process == "web").unwrap();
    let container = desired.task_definitions.iter().find(|definition| definition.family == web.task_definition);
    let arn = format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{}:4", web.task_definition);
    let mut account = empty(&desired);
    account.services.insert(web.name.clone(), Some(live(&arn, 2)));
    let worker = desired.services.iter().find(|service| service.process == "worker").unwrap();
    account.draining.insert(worker.name.clone());
    let definition = serde_json::json!({"containerDefinitions": [
        {"name": container.unwrap().container, "image": "1.dkr.ecr.us-east-1.amazonaws.com/shop@sha256:0123456789abcdef99"}
    ]});
    account.task_definitions.insert(
        arn.clone(),
        ObservedTaskDefinition { arn: arn.clone(), definition: definition.as_object().unwrap().clone() },
    );
    account.rollouts.push(ObservedRollout {
        service: web.name.clone(),
        deployments: vec![
            deployment("ecs-svc/new", "PRIMARY", "IN_PROGRESS", 1, 2),
            deployment("ecs-svc/old", "ACTIVE", "COMPLETED", 2, 2),
        ],
        events: (0..5)
            .map(|index| ServiceEvent {
                id: index.to_string(),
                message: format!("::error::event {index} with s3cr3t-value"),
                created_at: Some(1_796_080_811_000 - index * 1000),
            })
            .collect(),
    });
    let resource_id = crate::naming::scalable_target_of(&desired.cluster.name, &web.name);
    account.targets.insert(resource_id.clone(), ObservedScalableTarget { resource_id, min: 2, max: 5 });
    let schedule = &desired.schedules[0];
    account.rules.insert(
        schedule.rule.clone(),
        ObservedRule {
            name: schedule.rule.clone(),
            arn: String::new(),
            expression: schedule.expression.clone(),
            enabled: false,
            tags: Vec::new(),
            targets: Vec::<ObservedRuleTarget>::new(),
        },
    );

    let status = status(&desired, account.seen(), &Redactor::new(["s3cr3t-value"])).unwrap();
    let web_status = &status.processes[0];
    assert_eq!((web_status.state, web_status.desired, web_status.running), (ServiceLife::Active, 2, 3));
    assert_eq!(web_status.image.as_ref().unwrap().digest.as_deref(), Some("sha256:0123456789abcdef99"));
    let rolling = web_status.deployment.as_ref().unwrap();
    assert_eq!(
        (rolling.id.as_str(), rolling.rollout_state.as_str(), rolling.draining_deployments),
        ("ecs-svc/new", "IN_PROGRESS", 1)
    );
    assert_eq!(web_status.scaling, Some(ScalingBounds { min: 2, max: 5 }));
    assert_eq!(web_status.url.as_deref(), Some("http://shop.elb.example"));
    assert_eq!(web_status.events.len(), EVENTS_SHOWN, "only the newest");
    let first = &web_status.events[0].message;
    assert!(first.contains("***") && !first.contains("s3cr3t") && !first.starts_with("::"), "{first}");
    assert_eq!(status.processes[1].state, ServiceLife::Draining);
    assert_eq!(status.processes[1].url, None);
    assert_eq!(status.schedules[0].enabled, Some(false));
    assert_eq!(status.schedules[1].enabled, None, "a missing rule");
    assert_eq!((&status.schedules[0].next_run, &status.schedules[1].next_run), (&None, &None), "disabled, missing");
    assert_eq!(status.current_release, None, "no release records yet");
    account.releases = [(3, "acme-shop-api-staging-web:1"), (4, &family_revision(&arn))]
        .into_iter()
        .map(|(number, web)| Numbered { number, release: recorded(web) })
        .collect();
    let with_records = super::status(&desired, account.seen(), &Redactor::new(["s3cr3t-value"])).unwrap();
    let current = with_records.current_release.as_ref().expect("release 4 runs");
    assert_eq!((current.number, current.kind.as_str(), current.time), (4, "deploy", 1_796_080_000));
    assert!(render::human("t", &with_records).contains("release 4 (deploy, commit 3f2a9c1d, 2026-"));

    let text = render::human("acme/shop-api @ staging", &status);
    assert!(text.contains("├── revision ") && text.contains("IN_PROGRESS 1/2 running"), "{text}");
    assert!(text.contains("scaling  2-5 tasks") && text.contains("shop sha256:0123456789ab"), "{text}");
    assert!(text.contains("DRAINING") && text.contains("disabled") && text.contains("missing"), "{text}");
}

#[test]
fn a_settled_deployment_is_not_in_progress() {
    let settled = ObservedRollout {
        service: "web".into(),
        deployments: vec![deployment("ecs-svc/1", "PRIMARY", "COMPLETED", 2, 2)],
        events: Vec::new(),
    };
    assert_eq!(in_progress(Some(&settled)), None);
    let mut starting = settled.clone();
    starting.deployments[0].running = 1;
    assert!(in_progress(Some(&starting)).is_some(), "completed, its tasks still starting");
}

#[test]
fn a_deployment_paused_for_approval_says_so_with_its_stage() {
    let desired = desired();
    let web = desired.services.iter().find(|service| service.process == "web").unwrap();
    let mut account = empty(&desired);
    account.services.insert(web.name.clone(), Some(live("arn:td/web:5", 1)));
    let hook = crate::rollout::service_deployment::PausedHook {
        hook_id: "h-1".into(),
        expires_at: None,
        timeout_action: crate::spec::approval::TimeoutAction::Rollback,
    };
    let paused = ObservedServiceDeployment {
        arn: "arn:sd/web".into(),
        status: "IN_PROGRESS".into(),
        reason: None,
        stage: Some("PRE_PRODUCTION_TRAFFIC_SHIFT".into()),
        pause: Some(hook),
    };
    account.service_deployments.insert(web.name.clone(), Some(paused.clone()));
    let paused_status = super::status(&desired, account.seen(), &Redactor::new(["unused"])).unwrap();
    let text = render::human("acme/shop-api @ staging", &paused_status);
    assert!(
        text.contains(
            "├── ecs      IN_PROGRESS at PRE_PRODUCTION_TRAFFIC_SHIFT: awaiting approval (`maestro continue` or `maestro abort`)"
        ),
        "{text}"
    );
    // A finished one is history, not news.
    let done = ObservedServiceDeployment { status: "SUCCESSFUL".into(), pause: None, ..paused };
    account.service_deployments.insert(web.name.clone(), Some(done));
    let settled = super::status(&desired, account.seen(), &Redactor::new(["unused"])).unwrap();
    assert!(settled.processes.iter().all(|process| process.service_deployment.is_none()));
}

/// A release record whose `web` ran `revision`.
fn recorded(revision: &str) -> crate::history::Release {
    crate::history::Release {
        schema_version: crate::history::SCHEMA_VERSION,
        kind: crate::history::Kind::Deploy,
        commit: "3f2a9c1d7e4b5a6c3f2a9c1d7e4b5a6c3f2a9c1d".to_owned(),
        image: None,
        task_definitions: [("web".to_owned(), revision.to_owned())].into_iter().collect(),
        who: None,
        run_url: None,
        time: 1_796_080_000,
        outcome: crate::history::Outcome::Succeeded,
        built_with: None,
    }
}

#[test]
fn an_enabled_schedule_says_when_it_runs_next() {
    let desired = desired();
    let mut account = empty(&desired);
    for (schedule, expression) in desired.schedules.iter().zip(["cron(0 3 * * ? *)", "rate(5 minutes)"]) {
        let rule = ObservedRule {
            name: schedule.rule.clone(),
            arn: String::new(),
            expression: expression.to_owned(),
            enabled: true,
            tags: Vec::new(),
            targets: Vec::<ObservedRuleTarget>::new(),
        };
        account.rules.insert(schedule.rule.clone(), rule);
    }
    let status = status(&desired, account.seen(), &Redactor::default()).unwrap();
    // Now is 2026-11-30 23:20:11Z: 03:00 UTC next comes the day after.
    assert_eq!(status.schedules[0].next_run, Some(NextRun::At { millis: 1_796_094_000_000 }));
    assert_eq!(status.schedules[1].next_run, Some(NextRun::Every { every: "every 5 minutes".to_owned() }));
    let text = render::human("t", &status);
    assert!(text.contains("next 2026-12-01 03:00:00Z"), "{text}");
    assert!(text.contains("every 5 minutes"), "{text}");
}
