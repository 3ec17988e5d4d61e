//! docs/iam.md's policy allows every AWS call maestro makes: a whole build and deploy runs
//! against the emulator, and each operation it called must be in the policy.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, repository_root, run};
use maestro_test_support::TestAccount;

/// The actions the documented policy allows.
fn documented_actions() -> BTreeSet<String> {
    let doc = std::fs::read_to_string(repository_root().join("docs/iam.md")).unwrap();
    let json = doc.split("```json\n").nth(1).unwrap().split("\n```").next().unwrap();
    let policy: Value = serde_json::from_str(json).unwrap();
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|statement| {
            statement["Action"].as_array().unwrap().iter().map(|action| action.as_str().unwrap().to_owned())
        })
        .collect()
}

/// The IAM prefix of an SDK service name (`Metadata::service`).
fn prefix(service: &str) -> &'static str {
    match service {
        "ECS" => "ecs",
        "ECR" => "ecr",
        "Elastic Load Balancing v2" => "elasticloadbalancing",
        "Application Auto Scaling" => "application-autoscaling",
        "EventBridge" => "events",
        "CloudWatch Logs" => "logs",
        "Secrets Manager" => "secretsmanager",
        "STS" => "sts",
        other => panic!("no IAM prefix known for {other}: add it here and to docs/iam.md"),
    }
}

/// Calls a plain deploy does not make (failures, pruning, removed settings), each with the
/// adapter method that makes it, so the list follows the code.
const OTHER_PATHS: &[(&str, &str, &str)] = &[
    ("ecs:DeleteService", "src/aws/ecs_services.rs", ".delete_service()"),
    ("ecs:ListTasks", "src/aws/ecs_tasks.rs", ".list_tasks()"),
    ("ecs:StopTask", "src/aws/ecs_tasks.rs", ".stop_task()"),
    ("logs:GetLogEvents", "src/aws/logs.rs", ".get_log_events()"),
    ("logs:PutRetentionPolicy", "src/aws/logs.rs", ".put_retention_policy()"),
    ("events:DeleteRule", "src/aws/events.rs", ".delete_rule()"),
    ("events:RemoveTargets", "src/aws/events.rs", ".remove_targets()"),
    ("application-autoscaling:DeleteScalingPolicy", "src/aws/autoscaling.rs", ".delete_scaling_policy()"),
    ("application-autoscaling:DeregisterScalableTarget", "src/aws/autoscaling.rs", ".deregister_scalable_target()"),
    ("elasticloadbalancing:ModifyListener", "src/aws/elb.rs", ".modify_listener()"),
    ("elasticloadbalancing:ModifyRule", "src/aws/elb_rules.rs", ".modify_rule()"),
    ("elasticloadbalancing:ModifyTargetGroup", "src/aws/elb.rs", ".modify_target_group()"),
    ("elasticloadbalancing:SetSubnets", "src/aws/elb.rs", ".set_subnets()"),
    ("elasticloadbalancing:SetSecurityGroups", "src/aws/elb.rs", ".set_security_groups()"),
    ("ecs:PutClusterCapacityProviders", "src/aws/ecs.rs", ".put_cluster_capacity_providers()"),
    // `maestro stop` (its other writes, UpdateService and RegisterScalableTarget, a deploy makes).
    ("events:DisableRule", "src/aws/events.rs", ".disable_rule()"),
    // Outside the counted clients: the account check and the deploy lease.
    ("sts:GetCallerIdentity", "src/aws/identity.rs", ".get_caller_identity()"),
    ("ssm:PutParameter", "src/aws/ssm.rs", ".put_parameter()"),
    ("ssm:GetParametersByPath", "src/aws/ssm.rs", ".get_parameters_by_path()"),
    ("ssm:DeleteParameter", "src/aws/ssm.rs", ".delete_parameter()"),
];

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_documented_policy_allows_every_call_a_build_and_deploy_make() {
    let account = TestAccount::new("the_documented_policy_allows_every_call").await;
    let tools = BuildTools::new();
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(account.deploy_env().await).envs(tools.env()).env("MAESTRO_SKIP_BUILD", "false");
    let report = run(&mut command).expect_code(0).json();
    assert!(tools.record().is_some(), "the image was built");
    let allowed = documented_actions();
    let called: Vec<String> = report["aws_calls"]["by_operation"]
        .as_object()
        .unwrap()
        .keys()
        .map(|key| {
            let (service, operation) = key.rsplit_once('.').unwrap();
            format!("{}:{operation}", prefix(service))
        })
        .collect();
    assert!(called.len() >= 25, "a whole deploy: {called:?}");
    // The build and the observation share one read of the app's secret.
    assert_eq!(report["aws_calls"]["by_operation"]["Secrets Manager.GetSecretValue"], 1);
    let missing: Vec<&String> = called.iter().filter(|action| !allowed.contains(*action)).collect();
    assert!(missing.is_empty(), "docs/iam.md does not allow {missing:?}");

    for (action, file, call) in OTHER_PATHS {
        let source = std::fs::read_to_string(repository_root().join(file)).unwrap();
        assert!(source.contains(call), "{file} no longer calls {call}: update this list");
        assert!(allowed.contains(*action), "docs/iam.md does not allow {action}");
    }
    for push in [
        "ecr:InitiateLayerUpload",
        "ecr:UploadLayerPart",
        "ecr:CompleteLayerUpload",
        "ecr:PutImage",
        "ecr:BatchCheckLayerAvailability",
    ] {
        assert!(allowed.contains(push), "pack cannot push without {push}");
    }
}
