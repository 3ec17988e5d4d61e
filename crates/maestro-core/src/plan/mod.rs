//! The desired-state planner: request + settings + app → every AWS resource the app needs.
//!
//! Pure: no AWS call, no file, no environment. Cross-input checks that no single parser can make
//! (an `alb` target on a process without the load balancer, two schedules whose rule names
//! collide) are made here, before anything is written, and without an account (a listed process
//! missing from the Procfile is only a warning, as the bash maestro ignored it): [`plan`] gives a checked [`Plan`], and [`Plan::bind`] names what only
//! the account decides (the ECR registry, the scheduled tasks' cluster and role ARNs).

pub mod aws_values;
mod bind;
mod checks;
pub mod desired;
pub mod health_check;
mod image;
pub mod render;
mod task_definition;

use aws_values::{CapacityProvider, ListenerProtocol};
pub use bind::Plan;
use bind::Schedule;
use desired::{
    CapacityProviderWeight, Cluster, Listener, LoadBalancer, Network, Release, Rollout, ScalingPolicy, Service,
    ServiceConnect, TaskDefinition,
};
use task_definition::RenderInput;

use crate::app::App;
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::naming::Names;
use crate::preview::Preview;
use crate::request::{DeployRequest, Target};
use crate::settings::Settings;
use crate::spec::process_list::{Metric, ScalingTarget};
use crate::spec::{LAUNCHER_PROCESS, RELEASE_PROCESS, SCHEDULED_TASKS_PROCESS, WEB_PROCESS};

/// The builder a new environment gets when neither `MAESTRO_BUILDER` nor `project.toml` names
/// one; an environment built before keeps its own (`build::builder::choose`, at build time).
pub use crate::build::builder::DEFAULT_BUILDER;
/// What a service scales on when it has a range and no targets (the original README's promise).
pub const DEFAULT_SCALING: ScalingTarget = ScalingTarget { metric: Metric::Cpu, target: 55.0, disable_scale_in: false };

/// Checks every input against every other (no single parser can) and plans each resource, for
/// no account yet: [`Plan::bind`] then names the account's resources.
pub fn plan(request: &DeployRequest, target: &Target, settings: &Settings, app: &App) -> Result<Plan, InputErrors> {
    let preview = Preview::of(request, settings)?;
    let previewed;
    let settings = match &preview {
        Some(preview) => {
            previewed = preview.settings(settings);
            &previewed
        }
        None => settings,
    };
    let names = Names::new(
        &request.app_slug(),
        &target.branch.slug,
        settings.cluster_override.as_deref(),
        settings.load_balancer.name_override.as_deref(),
    )
    .for_app(request.app.as_deref());
    let mut errors = InputErrors::default();
    let mut warnings = settings.warnings.clone();
    warnings.extend(checks::listed_process_warnings(settings, app));
    warnings.extend(checks::sub_folder_without_app(request, settings));
    warnings.extend(app.image_source_note.clone());
    let service_processes = service_processes(settings, app);
    if let Some((what, name)) = names.too_long(app.procfile.names()) {
        errors.push(InputError::new(
            var::MAESTRO_REPO_OVERRIDE,
            format!("the {what} would be `{name}`, longer than the 255 characters ECS allows"),
            "use a shorter repository slug, branch or ECS_CLUSTER_ID",
        ));
    }

    checks::check_image_region(settings, target, &mut errors);
    checks::check_pull_secret(settings, &mut errors);
    let architecture = checks::architecture(settings, app, &mut errors);
    let runtime_platform = architecture.runtime_platform();
    let image = image::planned(request, settings, app, &names, architecture);
    if app.image_source.is_buildpacks() {
        checks::check_builder(&image.builder, &image.builder_source, architecture, app, &mut errors);
    }
    let render = |process: &str| {
        task_definition::render(&RenderInput {
            process,
            names: &names,
            settings: &settings.tasks,
            region: &target.region,
            size: settings.tasks.processes.get(process).and_then(|entry| entry.size),
            base: app.base_task_definitions.get(process),
            runtime_platform: runtime_platform.as_ref(),
            launch: app.image_source.launch(),
            // `scheduledtasks`' line names the schedule file: its commands come with each schedule.
            command: app
                .procfile
                .get(process)
                .filter(|line| line.name != SCHEDULED_TASKS_PROCESS)
                .and_then(|line| app.image_source.launch().process_command(&line.command)),
        })
    };
    let mut task_definitions: Vec<TaskDefinition> =
        app.procfile.processes.iter().filter_map(|process| errors.take(render(&process.name))).collect();
    checks::check_execution_role(settings, &task_definitions, &mut errors);
    if app.procfile.get(LAUNCHER_PROCESS).is_none()
        && let Some(launcher) = errors.take(render(LAUNCHER_PROCESS))
    {
        task_definitions.extend(launcher_family(settings, launcher, &mut warnings));
    }
    let services: Vec<Service> = service_processes
        .iter()
        .map(|process| {
            let exec = task_definitions
                .iter()
                .find(|definition| definition.process == *process)
                .is_some_and(TaskDefinition::has_task_role);
            service(process, settings, &names, exec)
        })
        .collect();
    for service in &services {
        checks::check_alb_target(service, settings, &mut errors);
    }
    let network = Network {
        subnets: settings.network.service_subnets.clone(),
        security_groups: settings.network.service_security_groups.clone(),
        assign_public_ip: false,
    };
    // A preview's schedules are created disabled unless MAESTRO_PREVIEW_SCHEDULES says otherwise.
    let schedules_enabled = preview.is_none() || settings.previews.schedules;
    let schedules = schedules(app, &names, schedules_enabled, &mut errors);
    let runs_tasks = !services.is_empty() || !schedules.is_empty() || app.procfile.get(RELEASE_PROCESS).is_some();
    checks::check_task_network(settings, runs_tasks, &mut errors);
    let shifting = services.iter().any(|service| service.rollout.is_some());
    let load_balancer = services.iter().any(|service| service.load_balanced).then(|| LoadBalancer {
        name: names.load_balancer().to_owned(),
        former_name: names.former_load_balancer(),
        shared: settings.load_balancer.name_override.is_some(),
        previews: preview.is_some(),
        scheme: settings.load_balancer.scheme,
        target_group: names.target_group(),
        former_target_group: names.former_target_group(),
        port: settings.tasks.port,
        health_check_path: settings.load_balancer.health_check_path.clone(),
        health_check: settings.load_balancer.health_check,
        deregistration_delay: settings.load_balancer.deregistration_delay,
        listener: match &settings.load_balancer.certificate_arn {
            Some(_) => Listener { protocol: ListenerProtocol::Https, port: 443 },
            None => Listener { protocol: ListenerProtocol::Http, port: 80 },
        },
        certificate_arn: settings.load_balancer.certificate_arn.clone(),
        host: settings.load_balancer.host.clone(),
        subnets: settings.load_balancer.subnets.clone(),
        security_groups: settings.load_balancer.security_groups.clone(),
        vpc_id: settings.network.vpc_id.clone(),
        alternate_target_group: shifting.then(|| names.alternate_target_group()),
        test_listener: shifting.then(|| test_listener(settings)),
    });
    if let Some(balancer) = &load_balancer {
        checks::check_load_balancer(balancer, &mut errors);
    }
    checks::check_strategy(&services, load_balancer.as_ref(), settings, &mut errors);
    errors.into_result()?;

    let release = app.procfile.get(RELEASE_PROCESS).map(|process| Release {
        process: process.name.clone(),
        family: names.family(&process.name),
        container: names.container().to_owned(),
        network: network.clone(),
    });
    Ok(Plan {
        request: request.clone(),
        region: target.region.clone(),
        cluster: Cluster {
            name: names.cluster().to_owned(),
            shared: settings.cluster_override.is_some(),
            schedule_rule_prefixes: names.schedule_rule_prefixes(),
            capacity_providers: vec![CapacityProvider::Fargate, CapacityProvider::FargateSpot],
            default_capacity_provider_strategy: vec![CapacityProviderWeight {
                capacity_provider: settings.tasks.capacity_provider,
                weight: 1,
            }],
        },
        image,
        secret: settings.tasks.secret_name.clone().unwrap_or_else(|| names.secret()),
        log_retention_days: settings.tasks.log_retention_days,
        log_groups: task_definitions.iter().filter_map(|definition| definition.log_group.clone()).collect(),
        task_definitions,
        services,
        load_balancer,
        schedules,
        events_role_arn: settings.events_role_arn.clone(),
        container: names.container().to_owned(),
        network,
        release,
        efs_volumes: settings.tasks.efs_volumes.clone(),
        tags: settings.tasks.tags.clone(),
        warnings,
        preview,
    })
}

/// The `launcher` family the bash maestro registered on every run for one-off commands: kept
/// current so `aws ecs run-task --task-definition <slug>-<branch>-launcher` runs the commit just
/// deployed, not the last image the bash maestro deployed. A Procfile process named `launcher` is
/// that family already. It is a convenience, so it never stops a deploy: when it would need an
/// execution role the app's processes get from their own base files, it is left out with a warning.
fn launcher_family(
    settings: &Settings,
    launcher: TaskDefinition,
    warnings: &mut Vec<String>,
) -> Option<TaskDefinition> {
    let needs = checks::execution_role_needs(settings, std::slice::from_ref(&launcher));
    if needs.is_empty() {
        return Some(launcher);
    }
    warnings.push(format!(
        "task definition {} (for one-off commands) is not registered: it has no execution role, which ECS uses to {}; set {} or ship task-definition-{LAUNCHER_PROCESS}.json with one",
        launcher.family,
        needs.join(", "),
        var::ECS_EXECUTION_ROLE_ARN,
    ));
    None
}

/// Processes that run as services: the listed ones, or every one when none is listed, never
/// the one-off `release` and `scheduledtasks` (the original made services of them).
fn service_processes<'a>(settings: &Settings, app: &'a App) -> Vec<&'a str> {
    let listed = &settings.tasks.processes;
    app.procfile
        .processes
        .iter()
        .map(|process| process.name.as_str())
        .filter(|name| *name != RELEASE_PROCESS && *name != SCHEDULED_TASKS_PROCESS)
        .filter(|name| listed.entries.is_empty() || listed.get(name).is_some())
        .collect()
}

fn service(process: &str, settings: &Settings, names: &Names, execute_command: bool) -> Service {
    let entry = settings.tasks.processes.get(process);
    let count = entry.and_then(|entry| entry.count);
    let min = count.map_or(1, |count| count.min);
    let max = count.and_then(|count| count.max);
    let targets = match (max, entry.map(|entry| entry.scaling.as_slice())) {
        (None, _) => Vec::new(),
        (Some(_), Some(targets)) if !targets.is_empty() => targets.to_vec(),
        (Some(_), _) => vec![DEFAULT_SCALING],
    };
    let is_web = process == WEB_PROCESS;
    Service {
        process: process.to_owned(),
        name: names.service(process),
        task_definition: names.family(process),
        desired_count: min,
        min,
        max,
        scaling: targets
            .iter()
            .map(|target| ScalingPolicy {
                metric: target.metric,
                target: target.target,
                disable_scale_in: target.disable_scale_in,
                policy_name: names.scaling_policy(process, target.metric),
                predefined_metric_type: target.metric.predefined_metric_type().to_owned(),
            })
            .collect(),
        scalable_target: max.map(|_| names.scalable_target(process)),
        load_balanced: is_web,
        // Only `web` has a named port, which Service Connect needs; the original configured it
        // for every process and ECS rejected the others.
        service_connect: settings.service_connect_namespace.as_ref().filter(|_| is_web).map(|namespace| {
            ServiceConnect {
                namespace: namespace.clone(),
                port_name: names.port_name(process),
                discovery_name: names.discovery_name(process),
                dns_name: names.client_alias(process),
                port: settings.tasks.port,
            }
        }),
        network: Network {
            subnets: settings.network.service_subnets.clone(),
            security_groups: settings.network.service_security_groups.clone(),
            assign_public_ip: false,
        },
        circuit_breaker: settings.circuit_breaker.for_service(min, max, is_web),
        execute_command,
        capacity_provider_strategy: vec![CapacityProviderWeight {
            capacity_provider: settings.tasks.capacity_provider,
            weight: 1,
        }],
        health_check_grace_period: is_web.then_some(settings.load_balancer.health_check_grace_period),
        rollout: rollout(settings).filter(|_| is_web),
        // Deferred cleanup is safe behind the load balancer, which stops sending requests to the
        // old tasks before they stop; a worker's old tasks would go on consuming meanwhile.
        early_success: is_web && settings.rollout.early_success && !settings.rollout.strategy.shifts_traffic(),
        rollback_alarm: settings.rollout.rollback_alarm.as_ref().filter(|_| is_web).map(|alarm| {
            let mut groups = vec![names.target_group()];
            groups.extend(settings.rollout.strategy.shifts_traffic().then(|| names.alternate_target_group()));
            crate::provision::rollback_alarm::planned(
                names.rollback_alarm(process),
                names.load_balancer(),
                groups,
                alarm,
            )
        }),
    }
}

/// The web service's shifting deploy, when the settings ask for one. A preview's settings never
/// do (`Preview::settings`): one task on a shared load balancer, rolled.
fn rollout(settings: &Settings) -> Option<Rollout> {
    let strategy = settings.rollout.strategy;
    strategy.shifts_traffic().then(|| Rollout {
        strategy,
        minimum_minutes: strategy.minimum_minutes(),
        approval: settings.rollout.approval,
        infrastructure_role_arn: settings.rollout.infrastructure_role_arn.clone(),
    })
}

/// The test listener: the production listener's protocol (and certificate) on
/// `MAESTRO_TEST_LISTENER_PORT`, else 8443 for HTTPS and 8080 for HTTP.
fn test_listener(settings: &Settings) -> Listener {
    let https = settings.load_balancer.certificate_arn.is_some();
    Listener {
        protocol: if https { ListenerProtocol::Https } else { ListenerProtocol::Http },
        port: settings.rollout.test_listener_port.unwrap_or(if https { 8443 } else { 8080 }),
    }
}

fn schedules(app: &App, names: &Names, enabled: bool, errors: &mut InputErrors) -> Vec<Schedule> {
    let Some(file) = &app.schedule_file else { return Vec::new() };
    let mut planned: Vec<(usize, Schedule)> = Vec::new();
    for schedule in &file.schedules {
        let rule = names.schedule_rule(&schedule.name);
        if let Some((line, first)) = planned.iter().find(|(_, planned)| planned.rule == rule) {
            errors.push(InputError::new(
                Location::line(&file.path, schedule.line),
                format!(
                    "schedules `{}` and `{}` (line {line}) both become rule `{rule}` once cut to 64 characters",
                    schedule.name, first.name
                ),
                "shorten one of the names so they differ within their first 57 characters",
            ));
            continue;
        }
        planned.push((
            schedule.line,
            Schedule {
                name: schedule.name.clone(),
                rule,
                expression: schedule.expression.clone(),
                command: schedule.command.clone(),
                task_definition: names.family(SCHEDULED_TASKS_PROCESS),
                enabled,
            },
        ));
    }
    planned.into_iter().map(|(_, schedule)| schedule).collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "launcher_tests.rs"]
mod launcher_tests;

#[cfg(test)]
#[path = "image_source_tests.rs"]
mod image_source_tests;

#[cfg(test)]
#[path = "app_tests.rs"]
mod app_tests;

#[cfg(test)]
#[path = "rollout_tests.rs"]
mod rollout_tests;

#[cfg(test)]
#[path = "platform_tests.rs"]
mod platform_tests;
