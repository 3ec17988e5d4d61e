//! The planner's cross-input checks: what no single parser can see, and what AWS would refuse
//! only after earlier resources were written (so it is refused here, before any write).

use serde_json::Value;

use super::desired::{LoadBalancer, Service, TaskDefinition};
use crate::app::App;
use crate::build::repository::RegistryKind;
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::platform::Architecture;
use crate::request::{DeployRequest, Target};
use crate::settings::Settings;
use crate::spec::LAUNCHER_PROCESS;
use crate::spec::process_list::Metric;
use crate::text::suggest::closest;

/// `REPO_SUB_FOLDER` says the repository may hold several apps; without `MAESTRO_APP` they all
/// get the repository's names (today's, kept so an existing deploy is found again), so a second
/// app would replace the first one's services and deploy into its ECR repository.
pub(super) fn sub_folder_without_app(request: &DeployRequest, settings: &Settings) -> Option<String> {
    let folder = settings.build.sub_folder.as_deref().filter(|_| request.app.is_none())?;
    Some(format!(
        "{} is `{folder}` but {} is not set: this app gets the repository's names (`{}-…`), and any other app \
         of the repository deployed to this branch would share its cluster, services and ECR repository; set \
         {} (e.g. `{}`) to give each app its own names",
        var::REPO_SUB_FOLDER,
        var::MAESTRO_APP,
        request.slug,
        var::MAESTRO_APP,
        folder.rsplit('/').next().unwrap_or(folder),
    ))
}

/// A process listed in `ECS_SERVICE_TASK_PROCESSES` that the Procfile lacks is skipped with a
/// warning, not refused: the bash maestro ignored it, and maestro_infra's default list
/// (`web{1024;2048}:1-2,console{1024;2048}`) names a `console` most Procfiles lack, so refusing
/// it stopped every such project's first deploy. A misspelt name (`wrker`) gets the Procfile's
/// closest process.
pub(super) fn listed_process_warnings(settings: &Settings, app: &App) -> Vec<String> {
    let names = app.procfile.names();
    let list = &settings.tasks.processes;
    list.entries
        .iter()
        .filter(|entry| app.procfile.get(&entry.name).is_none())
        // `launcher{cpu;mem}` sizes the one-off tasks' family, which needs no Procfile line (the
        // original read its size the same way); a count or scaling on it still warns: no service runs it.
        .filter(|entry| !(entry.name == LAUNCHER_PROCESS && entry.count.is_none() && entry.scaling.is_empty()))
        .map(|entry| {
            let listed = format!(
                "{}: process `{}` is not in {}, so it is skipped",
                var::ECS_SERVICE_TASK_PROCESSES,
                entry.name,
                app.procfile_path
            );
            match closest(&entry.name, names.iter().copied()) {
                Some(meant) => format!("{listed}; did you mean `{meant}`?"),
                None => {
                    let known = names.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ");
                    format!("{listed} (the Procfile defines {known})")
                }
            }
        })
        .collect()
}

/// `alb` scales on the requests of this app's target group, which only `web` sits behind.
pub(super) fn check_alb_target(service: &Service, settings: &Settings, errors: &mut InputErrors) {
    if service.load_balanced || !service.scaling.iter().any(|policy| policy.metric == Metric::Alb) {
        return;
    }
    let list = &settings.tasks.processes;
    let span = list.get(&service.process).map_or(0..0, |entry| entry.name_span.clone());
    errors.push(InputError::at(
        var::ECS_SERVICE_TASK_PROCESSES,
        &list.source,
        span,
        format!("`{}` scales on `alb`, but only `web` is behind the load balancer", service.process),
        format!("scale `{}` on `cpu` or `mem` instead, e.g. `{}:1-4[cpu=60]`", service.process, service.process),
    ));
}

/// ECR is reached through the deploy's own region: an ECR repository elsewhere is refused early.
/// ECS pulls ECR images with the execution role; a pull secret is for other registries only.
pub(super) fn check_pull_secret(settings: &Settings, errors: &mut InputErrors) {
    let outside_ecr =
        settings.build.repository.as_ref().is_some_and(|repository| matches!(repository.kind(), RegistryKind::Oci));
    if settings.tasks.image_pull_secret.is_some() && !outside_ecr {
        errors.push(InputError::new(
            var::MAESTRO_IMAGE_PULL_SECRET,
            "the image is in ECR, which ECS pulls from with the execution role, not a pull secret",
            "unset MAESTRO_IMAGE_PULL_SECRET, or set MAESTRO_IMAGE_REPOSITORY to the registry the secret logs in to",
        ));
    }
}

pub(super) fn check_image_region(settings: &Settings, target: &Target, errors: &mut InputErrors) {
    if let Some(repository) = &settings.build.repository
        && let RegistryKind::Ecr { region, .. } = repository.kind()
        && region != target.region.as_str()
    {
        errors.push(InputError::new(
            var::MAESTRO_IMAGE_REPOSITORY,
            format!("the ECR repository is in {region}, but the app deploys to {}", target.region),
            "use an ECR repository of the deploy's region (or leave MAESTRO_IMAGE_REPOSITORY unset for `<slug>-<branch>`)",
        ));
    }
}

/// Fargate tasks run in awsvpc mode, which needs a subnet: CreateService answers "subnets can
/// not be empty" and RunTask likewise, after the cluster and the task definitions exist.
pub(super) fn check_task_network(settings: &Settings, runs_tasks: bool, errors: &mut InputErrors) {
    if runs_tasks && settings.network.service_subnets.is_empty() {
        errors.push(InputError::new(
            var::ECS_SERVICE_SUBNETS,
            "no subnet for the tasks: Fargate tasks run in awsvpc mode, which needs at least one subnet",
            "set ECS_SERVICE_SUBNETS to the subnets the tasks run in, e.g. `subnet-0aaa,subnet-0bbb`",
        ));
    }
}

/// The target group needs its VPC ("Otherwise, this parameter is required": CreateTargetGroup's
/// `VpcId`), a load balancer of its own needs subnets "from at least two Availability Zones"
/// (CreateLoadBalancer's `Subnets`), and on a shared one only a host rule can send requests to
/// the app: ECS refuses a service on a target group no load balancer uses.
pub(super) fn check_load_balancer(balancer: &LoadBalancer, errors: &mut InputErrors) {
    if balancer.vpc_id.is_none() {
        errors.push(InputError::new(
            var::WORKLOAD_VPC_ID,
            "`web` is behind a load balancer, and its target group needs the VPC id",
            "set WORKLOAD_VPC_ID to the VPC of the subnets, e.g. `vpc-0a1b2c3d`",
        ));
    }
    if !balancer.shared && balancer.subnets.len() < 2 {
        errors.push(InputError::new(
            var::ALB_SUBNETS,
            format!(
                "a load balancer needs subnets in at least two Availability Zones, and ALB_SUBNETS lists {}",
                balancer.subnets.len()
            ),
            "set ALB_SUBNETS to two or more subnets in different Availability Zones (public ones for an \
             internet-facing load balancer)",
        ));
    }
    if balancer.shared && balancer.host.is_none() {
        errors.push(InputError::new(
            var::MAESTRO_HOST,
            format!(
                "load balancer {} is shared (ALB_NAME_OVERRIDE), and without MAESTRO_HOST no rule sends requests \
                 to target group {}: ECS refuses a service on a target group no load balancer uses",
                balancer.name, balancer.target_group
            ),
            "set MAESTRO_HOST to the app's host name (maestro adds a host-header rule for it to the shared \
             listener), or unset ALB_NAME_OVERRIDE to give the app a load balancer of its own",
        ));
    }
}

/// Fargate refuses to register a task definition without an execution role when ECS must pull
/// an ECR image, send logs with awslogs, resolve `secrets` or log in to a registry for it
/// (RegisterTaskDefinition: "Fargate requires task definition to have execution role ARN to
/// support log driver awslogs", "... to support ECR images"). The bash maestro needed one too.
pub(super) fn check_execution_role(settings: &Settings, definitions: &[TaskDefinition], errors: &mut InputErrors) {
    let needs = execution_role_needs(settings, definitions);
    if needs.is_empty() {
        return;
    }
    errors.push(InputError::new(
        var::ECS_EXECUTION_ROLE_ARN,
        format!("the tasks need an execution role, which ECS uses to {}", needs.join(", ")),
        "set ECS_EXECUTION_ROLE_ARN to a role that ecs-tasks.amazonaws.com can assume, with the \
         AmazonECSTaskExecutionRolePolicy managed policy (and secretsmanager:GetSecretValue on the app's secret); \
         docs/iam.md#the-execution-role shows one",
    ));
}

/// What the definitions without an execution role would need one for (none: they need none).
pub(super) fn execution_role_needs(settings: &Settings, definitions: &[TaskDefinition]) -> Vec<&'static str> {
    let image_in_ecr =
        settings.build.repository.as_ref().is_none_or(|repository| !matches!(repository.kind(), RegistryKind::Oci));
    let mut needs: Vec<&'static str> = Vec::new();
    let mut add = |need: &'static str| {
        if !needs.contains(&need) {
            needs.push(need);
        }
    };
    for definition in definitions.iter().filter(|definition| !definition.has_execution_role()) {
        for container in containers(&definition.definition) {
            let is_app = container.get("name").and_then(Value::as_str) == Some(definition.container.as_str());
            let image = container.get("image").and_then(Value::as_str).unwrap_or_default();
            if (is_app && image_in_ecr) || image.contains(".dkr.ecr.") {
                add("pull the image from ECR");
            }
            if container.get("logConfiguration").and_then(|logs| logs.get("logDriver")).and_then(Value::as_str)
                == Some("awslogs")
            {
                add("send the logs to CloudWatch (awslogs)");
            }
            if container.get("secrets").and_then(Value::as_array).is_some_and(|secrets| !secrets.is_empty()) {
                add("read the containers' `secrets`");
            }
            if container.get("repositoryCredentials").is_some_and(|credentials| !credentials.is_null()) {
                add("log in to the image's registry (MAESTRO_IMAGE_PULL_SECRET)");
            }
        }
    }
    needs
}

fn containers(document: &serde_json::Map<String, Value>) -> impl Iterator<Item = &serde_json::Map<String, Value>> {
    document.get("containerDefinitions").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_object)
}

/// The tasks' architecture: `MAESTRO_CPU_ARCHITECTURE` against the base files' `runtimePlatform`
/// (`platform::resolve`); x86_64, unchosen, when they disagree (the error is collected).
pub(super) fn architecture(settings: &Settings, app: &App, errors: &mut InputErrors) -> Architecture {
    let variable = settings.tasks.cpu_architecture.map(|cpu| (cpu, Location::variable(var::MAESTRO_CPU_ARCHITECTURE)));
    let bases = app.base_task_definitions.values().map(|base| (base.path.as_str(), &base.document));
    errors.take(crate::platform::resolve(variable, bases)).unwrap_or_default()
}

/// A pinned builder that cannot build for the tasks' architecture, named where it was pinned.
/// (An unpinned one is chosen at build time, `build::builder::choose`, and checked there.)
pub(super) fn check_builder(
    builder: &str,
    source: &str,
    architecture: Architecture,
    app: &App,
    errors: &mut InputErrors,
) {
    let Some((message, hint)) = crate::build::builder::unfit(builder, architecture.cpu) else { return };
    let location = match source {
        var::MAESTRO_BUILDER => Location::variable(var::MAESTRO_BUILDER),
        _ if app.source_dir == "." => Location::file("project.toml"),
        _ => Location::file(format!("{}/project.toml", app.source_dir)),
    };
    errors.push(InputError::new(location, message, hint));
}

#[cfg(test)]
#[path = "checks_tests.rs"]
mod tests;

/// A blue-green, canary or linear deploy moves the load balancer's traffic: without a service
/// behind it there is nothing to move. Its test listener needs a port of its own.
pub(super) fn check_strategy(
    services: &[Service],
    balancer: Option<&LoadBalancer>,
    settings: &Settings,
    errors: &mut InputErrors,
) {
    let strategy = settings.rollout.strategy;
    if strategy.shifts_traffic() && services.iter().all(|service| !service.load_balanced) {
        errors.push(InputError::new(
            var::MAESTRO_DEPLOY_STRATEGY,
            format!(
                "a {} deploy shifts the load balancer's traffic, but no service is behind the load balancer",
                strategy.ecs_name().to_ascii_lowercase().replace('_', "-")
            ),
            format!("add a `web` process to the Procfile, or set {}=rolling", var::MAESTRO_DEPLOY_STRATEGY),
        ));
    }
    if settings.rollout.rollback_alarm.is_some() && services.iter().all(|service| !service.load_balanced) {
        errors.push(InputError::new(
            var::MAESTRO_ROLLBACK_ALARM,
            "the rollback alarm watches the 5xx answers of the service behind the load balancer, but no service is behind it",
            format!("add a `web` process to the Procfile, or leave {} empty", var::MAESTRO_ROLLBACK_ALARM),
        ));
    }
    let Some((balancer, test)) =
        balancer.and_then(|balancer| balancer.test_listener.as_ref().map(|test| (balancer, test)))
    else {
        return;
    };
    // With a certificate, HTTP:80 is the redirect listener.
    let taken = [Some(balancer.listener.port), balancer.certificate_arn.as_ref().map(|_| 80)];
    if taken.contains(&Some(test.port)) {
        errors.push(InputError::new(
            var::MAESTRO_TEST_LISTENER_PORT,
            format!("port {} is the load balancer's production listener", test.port),
            format!("set {} to a free port, e.g. 8443 or 8080", var::MAESTRO_TEST_LISTENER_PORT),
        ));
    }
}
