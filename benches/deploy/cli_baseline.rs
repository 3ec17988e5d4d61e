//! The baseline: the bash maestro's AWS CLI calls for the same deploy, run through the real aws
//! CLI against the emulator, so the speed-up is measured against what the original does.

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use crate::{Account, REGION, SHA};

/// The bash maestro's AWS CLI calls for the same deploy, in its order (one process at a time).
fn cli_script(account: &Account, processes: usize, fresh: bool, endpoint: &str) -> String {
    let mut names: Vec<String> = vec!["web".into()];
    names.extend((1..processes).map(|index| format!("worker{index}")));
    names.push("launcher".into());
    let cluster = "bench-app-staging";
    let image = format!("{}.dkr.ecr.{REGION}.amazonaws.com/bench-app-staging:{}", account.id, &SHA[..8]);
    // The original passed the user's roles; AWS (and the emulator's strict layer) needs an execution
    // role for an ECR image and a task role for ECS Exec.
    let roles = format!("arn:aws:iam::{}:role/bench-", account.id);
    let mut script = format!(
        "set -euo pipefail\nexport AWS_DEFAULT_REGION={REGION} AWS_PAGER=''\naws() {{ \"$AWS_CLI\" --endpoint-url {endpoint} \"$@\" >/dev/null; }}\n"
    );
    script.push_str("aws secretsmanager get-secret-value --secret-id staging/bench-app\n");
    for (index, name) in names.iter().enumerate() {
        let family = format!("{cluster}-{name}");
        let log_group = format!("/ecs/{family}");
        let _ = writeln!(script, "aws secretsmanager get-secret-value --secret-id staging/bench-app");
        // The web process listens on the load balancer's port: AWS refuses a service whose load
        // balancer names a container port the task definition does not map.
        let ports = if name == "web" { ",\"portMappings\":[{\"containerPort\":3000}]" } else { "" };
        let _ = writeln!(
            script,
            "aws ecs register-task-definition --family {family} --requires-compatibilities FARGATE --network-mode awsvpc --cpu 256 --memory 512 --execution-role-arn {roles}execution --task-role-arn {roles}task --container-definitions '[{{\"name\":\"bench-app\",\"image\":\"{image}\",\"cpu\":256,\"memory\":512,\"essential\":true{ports}}}]' --tags key=workload,value=bench"
        );
        let _ = writeln!(script, "aws logs describe-log-groups --log-group-name-prefix {log_group}");
        if fresh {
            let _ = writeln!(script, "aws logs create-log-group --log-group-name {log_group} --tags workload=bench");
        }
        let _ = writeln!(
            script,
            "aws ecs describe-clusters --clusters {cluster}\naws ecs describe-clusters --clusters {cluster}"
        );
        if fresh && index == 0 {
            let _ = writeln!(script, "aws ecs create-cluster --cluster-name {cluster} --tags key=workload,value=bench");
        }
        if name == "web" {
            let _ = writeln!(script, "aws elbv2 describe-load-balancers --names {cluster} || true");
            if fresh {
                let _ = writeln!(
                    script,
                    "aws elbv2 create-load-balancer --name {cluster} --subnets {} --security-groups {} --type application",
                    account.subnets.replace(',', " "),
                    account.security_group
                );
            }
            let _ = writeln!(
                script,
                "lb=$(\"$AWS_CLI\" --endpoint-url {endpoint} elbv2 describe-load-balancers --names {cluster} --query 'LoadBalancers[0].LoadBalancerArn' --output text)"
            );
            let _ = writeln!(script, "aws elbv2 describe-target-groups --names {cluster} || true");
            if fresh {
                let _ = writeln!(
                    script,
                    "aws elbv2 create-target-group --name {cluster} --protocol HTTP --port 3000 --vpc-id {} --target-type ip",
                    account.vpc
                );
            }
            let _ = writeln!(
                script,
                "tg=$(\"$AWS_CLI\" --endpoint-url {endpoint} elbv2 describe-target-groups --names {cluster} --query 'TargetGroups[0].TargetGroupArn' --output text)"
            );
            let _ = writeln!(script, "aws elbv2 describe-listeners --load-balancer-arn \"$lb\"");
            if fresh {
                let _ = writeln!(
                    script,
                    "aws elbv2 create-listener --load-balancer-arn \"$lb\" --protocol HTTP --port 80 --default-actions Type=forward,TargetGroupArn=\"$tg\""
                );
            }
        }
        if index == 0 {
            let _ = writeln!(script, "aws ecs list-services --cluster {cluster}");
        }
        if name == "launcher" {
            continue;
        }
        let service = format!("{cluster}-{name}");
        let network = format!(
            "awsvpcConfiguration={{subnets=[{}],securityGroups=[{}]}}",
            account.subnets, account.security_group
        );
        if fresh {
            let balancer = if name == "web" {
                " --load-balancers targetGroupArn=\"$tg\",containerName=bench-app,containerPort=3000"
            } else {
                ""
            };
            let _ = writeln!(
                script,
                "aws ecs create-service --cluster {cluster} --service-name {service} --task-definition {family} --desired-count 1 --network-configuration '{network}' --enable-execute-command --propagate-tags TASK_DEFINITION{balancer}"
            );
        } else {
            let _ = writeln!(
                script,
                "aws ecs update-service --cluster {cluster} --service {service} --task-definition {family} --network-configuration '{network}' --enable-execute-command --propagate-tags TASK_DEFINITION --force-new-deployment"
            );
        }
        if name == "web" {
            let resource = format!("service/{cluster}/{service}");
            let register = format!(
                "aws application-autoscaling register-scalable-target --service-namespace ecs --resource-id {resource} --scalable-dimension ecs:service:DesiredCount --min-capacity 1 --max-capacity 3"
            );
            // Right after create-service, AWS may not know the service yet ("ECS service doesn't
            // exist"), as the emulator answers once: the baseline tries again, on a line of its own.
            if fresh {
                let _ = writeln!(script, "{register} 2>/dev/null || \\");
            }
            let _ = writeln!(script, "{register}");
            let _ = writeln!(
                script,
                "aws application-autoscaling describe-scaling-policies --service-namespace ecs --policy-names {service}-cpu-scaling-policy"
            );
            let _ = writeln!(
                script,
                "aws application-autoscaling put-scaling-policy --service-namespace ecs --policy-name {service}-cpu-scaling-policy --resource-id {resource} --scalable-dimension ecs:service:DesiredCount --policy-type TargetTrackingScaling --target-tracking-scaling-policy-configuration 'TargetValue=60,PredefinedMetricSpecification={{PredefinedMetricType=ECSServiceAverageCPUUtilization}},ScaleOutCooldown=300,ScaleInCooldown=300,DisableScaleIn=false'"
            );
        }
    }
    script
}

pub(crate) fn cli(account: &Account, processes: usize, fresh: bool, endpoint: &str, aws: &str) -> (f64, usize) {
    let script = cli_script(account, processes, fresh, endpoint);
    let calls = script.lines().filter(|line| line.starts_with("aws ") || line.contains("\"$AWS_CLI\"")).count() - 1;
    let started = Instant::now();
    let output = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("AWS_CLI", aws)
        .envs(account.keys.iter().map(|(name, value)| (name.as_str(), value.as_str())))
        .output()
        .unwrap();
    assert!(output.status.success(), "the CLI baseline failed: {}", String::from_utf8_lossy(&output.stderr));
    (started.elapsed().as_secs_f64(), calls)
}
