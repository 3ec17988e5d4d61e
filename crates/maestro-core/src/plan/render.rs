//! The human form of a plan: a tree a person can read top to bottom.

use crate::build::source::Source;
use std::fmt::Write;

use super::desired::{DesiredState, LoadBalancer, Rollout, ScalingPolicy, Service, TaskDefinition};
use crate::request::DeployRequest;
use crate::spec::LAUNCHER_PROCESS;
use crate::spec::approval::TimeoutAction;
use crate::spec::deploy_strategy::{Strategy, minutes};
use crate::spec::process_list::Metric;

/// A branch of the tree: a line, and lines under it.
struct Node {
    line: String,
    children: Vec<String>,
}

fn tree(out: &mut String, title: &str, nodes: &[Node]) {
    let _ = writeln!(out, "\n{title}");
    for (index, node) in nodes.iter().enumerate() {
        let last = index + 1 == nodes.len();
        let _ = writeln!(out, "{} {}", if last { "└──" } else { "├──" }, node.line);
        for (child_index, child) in node.children.iter().enumerate() {
            let child_last = child_index + 1 == node.children.len();
            let _ =
                writeln!(out, "{}   {} {child}", if last { " " } else { "│" }, if child_last { "└──" } else { "├──" });
        }
    }
}

fn field(out: &mut String, name: &str, value: &str) {
    let _ = writeln!(out, "{name:<14}{value}");
}

/// What is deployed and where, in one line: `acme/shop @ staging (3f2a9c1d) in account
/// 123456789012, us-east-1`. The plan's title and the deploy's first line.
pub fn headline(request: &DeployRequest) -> String {
    format!(
        "{} @ {} ({}) in account {}, {}",
        request.repository,
        request.branch.as_deref().unwrap_or_default(),
        request.short_sha,
        request.account_id.as_deref().unwrap_or_default(),
        request.region.as_deref().unwrap_or_default()
    )
}

pub fn human(state: &DesiredState) -> String {
    format!("{}{}", title(state), body(state))
}

/// `Plan for <headline>` and a blank line.
pub fn title(state: &DesiredState) -> String {
    format!("Plan for {}\n\n", headline(&state.request))
}

/// Where the image comes from, on the line under it.
fn image_source(image: &crate::plan::desired::Image) -> String {
    match &image.source {
        Source::Buildpacks => {
            let source = match image.builder_source.as_str() {
                crate::build::builder::DEFAULT_SOURCE => "default; an environment built before keeps its builder",
                source => source,
            };
            format!("built from `{}` with {} ({source})", image.source_dir, image.builder)
        }
        Source::Dockerfile(build) => format!(
            "built from `{}` with docker buildx, {}{} ({})",
            image.source_dir,
            build.file,
            build.target.as_ref().map(|target| format!(" target `{target}`")).unwrap_or_default(),
            if build.detected { "detected: a Dockerfile and no project.toml" } else { "set" }
        ),
        Source::Prebuilt(_) => "built elsewhere (MAESTRO_IMAGE): no build; its digest is pinned".to_owned(),
    }
}

/// The desired state, resource by resource (what `plan` prints after its changes).
pub fn body(state: &DesiredState) -> String {
    let mut out = String::new();
    let cluster = &state.cluster;
    let strategy = cluster
        .default_capacity_provider_strategy
        .iter()
        .map(|item| item.capacity_provider.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let providers = cluster.capacity_providers.iter().map(|provider| provider.as_str()).collect::<Vec<_>>().join(", ");
    field(&mut out, "cluster", &format!("{} ({providers}; tasks run on {strategy})", cluster.name));
    field(&mut out, "image", &state.image.uri);
    field(&mut out, "", &image_source(&state.image));
    if state.image.architecture.chosen {
        let cpu = state.image.architecture.cpu;
        field(&mut out, "", &format!("for {} ({}): the tasks run on {}", cpu.platform(), cpu.as_str(), cpu.ecs_name()));
    }
    field(&mut out, "secret", &format!("{} (each key becomes a container variable)", state.secret));
    // Every plan with services has their subnets (the planner refuses one without).
    if let Some(network) = state.services.first().map(|service| &service.network) {
        field(
            &mut out,
            "network",
            &format!(
                "subnets {}; security groups {}; no public IP",
                network.subnets.join(", "),
                list_or_none(&network.security_groups)
            ),
        );
    }
    match &state.release {
        Some(release) => {
            field(&mut out, "release", &format!("{} runs first; services roll only if it exits 0", release.family))
        }
        None => field(&mut out, "release", "none (no `release` process)"),
    }

    if let Some(line) = exec_line(&state.services) {
        field(&mut out, "ECS Exec", &line);
    }

    let definitions: Vec<Node> = state.task_definitions.iter().map(task_definition_node).collect();
    tree(&mut out, "task definitions", &definitions);

    let services: Vec<Node> = state.services.iter().map(service_node).collect();
    if services.is_empty() {
        let _ = writeln!(out, "\nservices\n└── none");
    } else {
        tree(&mut out, "services", &services);
    }

    if let Some(balancer) = &state.load_balancer {
        let title = format!(
            "load balancer {} ({}{})",
            balancer.name,
            balancer.scheme,
            if balancer.shared { ", shared" } else { "" }
        );
        let listener = if balancer.shared {
            format!("rule on the shared load balancer's listener → target group {}", balancer.target_group)
        } else {
            format!(
                "listener {}:{} → target group {}",
                balancer.listener.protocol, balancer.listener.port, balancer.target_group
            )
        };
        tree(
            &mut out,
            &title,
            &[
                Node { line: listener, children: Vec::new() },
                Node {
                    line: format!("target group {} → container port {}", balancer.target_group, balancer.port),
                    children: Vec::new(),
                },
            ]
            .into_iter()
            .chain(shifting_nodes(balancer))
            .collect::<Vec<_>>(),
        );
    }

    if !state.schedules.is_empty() {
        let width = state.schedules.iter().map(|task| task.rule.len()).max().unwrap_or(0);
        let expression_width = state.schedules.iter().map(|task| task.expression.len()).max().unwrap_or(0);
        let nodes: Vec<Node> = state
            .schedules
            .iter()
            .map(|task| Node {
                line: format!("{:<width$}  {:<expression_width$}  {}", task.rule, task.expression, task.command),
                children: Vec::new(),
            })
            .collect();
        let family = state.schedules.first().map_or("", |task| task.task_definition.as_str());
        tree(&mut out, &format!("schedules (EventBridge rules running {family})"), &nodes);
    }

    if !state.efs_volumes.is_empty() {
        let nodes: Vec<Node> = state
            .efs_volumes
            .iter()
            .map(|volume| Node {
                line: format!(
                    "{}: {}:{} at {}{}{}",
                    volume.name,
                    volume.file_system_id,
                    volume.root_directory,
                    volume.container_path,
                    if volume.transit_encryption { ", encrypted in transit" } else { ", not encrypted in transit" },
                    if volume.read_only { ", read-only" } else { "" },
                ),
                children: Vec::new(),
            })
            .collect();
        tree(&mut out, "EFS volumes (in every task)", &nodes);
    }

    out.push('\n');
    let tags = state.tags.iter().map(|tag| format!("{}={}", tag.key, tag.value)).collect::<Vec<_>>().join(", ");
    field(&mut out, "tags", if tags.is_empty() { "none" } else { &tags });
    out
}

/// ECS Exec needs a task role: whether the services have it, and what turns it on when not.
/// A shifting deploy's alternate target group and test listener.
fn shifting_nodes(balancer: &LoadBalancer) -> Vec<Node> {
    let mut nodes = Vec::new();
    if let Some(alternate) = &balancer.alternate_target_group {
        nodes.push(Node {
            line: format!(
                "target group {alternate} → container port {} (alternate: ECS shifts traffic between the two)",
                balancer.port
            ),
            children: Vec::new(),
        });
    }
    if let Some(test) = &balancer.test_listener {
        nodes.push(Node {
            line: format!("test listener {}:{} → the new revision during a deploy", test.protocol, test.port),
            children: Vec::new(),
        });
    }
    nodes
}

fn exec_line(services: &[Service]) -> Option<String> {
    let off: Vec<&str> =
        services.iter().filter(|service| !service.execute_command).map(|service| service.process.as_str()).collect();
    if services.is_empty() {
        None
    } else if off.is_empty() {
        Some("on (`aws ecs execute-command` reaches the tasks)".to_owned())
    } else if off.len() == services.len() {
        Some("off: the tasks have no task role (set ECS_TASK_ROLE_ARN to turn it on)".to_owned())
    } else {
        Some(format!("off for {}: no task role (set ECS_TASK_ROLE_ARN to turn it on)", off.join(", ")))
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

fn task_definition_node(definition: &TaskDefinition) -> Node {
    let runs = match (&definition.command, definition.entry_point.is_empty()) {
        (_, false) => format!("entry point `{}`", definition.entry_point.join(" ")),
        // The shell form's line, as the Procfile wrote it.
        (Some(command), true) => format!("command `{}`", command.last().map_or("", String::as_str)),
        (None, true) => "the image's own command".to_owned(),
    };
    let mut line = format!("{} ({} cpu, {} MiB, {runs}", definition.family, definition.cpu, definition.memory);
    if let Some(port) = definition.port {
        let _ = write!(line, ", port {port}");
    }
    if definition.process == LAUNCHER_PROCESS {
        line.push_str(", for one-off commands");
    }
    line.push(')');
    let mut children = Vec::new();
    if let Some(group) = &definition.log_group {
        children.push(format!("logs to {group}"));
    }
    if let Some(file) = &definition.base_file {
        children.push(format!("based on {file}"));
    }
    Node { line, children }
}

fn service_node(service: &Service) -> Node {
    let count = match service.max {
        Some(max) => format!("{} to {max} tasks", service.min),
        None if service.min == 1 => "1 task".to_owned(),
        None => format!("{} tasks", service.min),
    };
    let mut line = format!("{} ({count}", service.name);
    if service.load_balanced {
        line.push_str(", behind the load balancer");
    }
    if let Some(connect) = &service.service_connect {
        let _ = write!(line, ", Service Connect `{}:{}` in {}", connect.dns_name, connect.port, connect.namespace);
    }
    line.push(')');
    let mut children: Vec<String> = service.rollout.iter().flat_map(rollout_lines).collect();
    children.extend(service.rollback_alarm.iter().map(crate::provision::rollback_alarm::describe));
    children.extend(service.scaling.iter().map(policy_line));
    Node { line, children }
}

/// The strategy in words with the least time it takes, and the approval pause.
fn rollout_lines(rollout: &Rollout) -> Vec<String> {
    let shift = match rollout.strategy {
        Strategy::Rolling => "rolling update".to_owned(),
        Strategy::BlueGreen { bake_minutes } => {
            format!("blue-green: all traffic at once, bake {}", minutes(bake_minutes))
        }
        Strategy::Canary { percent, canary_bake_minutes, bake_minutes } => format!(
            "canary: {percent} of traffic for {}, then the rest, bake {}",
            minutes(canary_bake_minutes),
            minutes(bake_minutes)
        ),
        Strategy::Linear { percent, step_bake_minutes, bake_minutes } => {
            format!("linear: {percent} more every {}, bake {}", minutes(step_bake_minutes), minutes(bake_minutes))
        }
    };
    let mut lines =
        vec![format!("deploys {shift} (at least {} once the new tasks are healthy)", minutes(rollout.minimum_minutes))];
    if let Some(approval) = &rollout.approval {
        let on_timeout = match approval.on_timeout {
            TimeoutAction::Rollback => "rolls back",
            TimeoutAction::Continue => "continues",
        };
        lines.push(format!(
            "pauses for approval at {} (`maestro continue` or `maestro abort`; {on_timeout} after {} unanswered)",
            approval.stage_name(),
            minutes(approval.timeout_minutes)
        ));
    }
    lines
}

fn policy_line(policy: &ScalingPolicy) -> String {
    let target = match policy.metric {
        Metric::Cpu => format!("cpu at {}%", policy.target),
        Metric::Mem => format!("memory at {}%", policy.target),
        Metric::Alb => format!("{} requests per target", policy.target),
    };
    let scale_in = if policy.disable_scale_in { ", never scales in" } else { "" };
    format!("scale on {target}{scale_in} ({})", policy.policy_name)
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
