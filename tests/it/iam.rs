//! docs/iam.md's policy is least privilege, and enough: a whole build and deploy runs against the
//! emulator, which records every call with its parameters (tests/support/journal.py); each
//! authorisation AWS would make for those calls (`requests`) must be allowed by the documented
//! policy, filled in for the test's app (`policy::evaluate`). The review role's policy, on the
//! same calls made for the production branch, denies every one that touches production.
//!
//! Why not moto's own IAM enforcement: it judges every service but S3 on the resource `"*"`, knows
//! no conditions outside trust policies, and is one switch for the whole emulator (journal.py).

mod policy;
mod requests;

use serde_json::Value;

use crate::stand_ins::BuildTools;
use crate::support::{EXAMPLE_APP, EXAMPLE_ENV, maestro, repository_root, run};
use maestro_test_support::{TestAccount, journal, start_journal};
use policy::{Decision, Request, evaluate};

const SLUG: &str = "acme-shop-api";
const PRODUCTION: &str = "main";

/// The ```json blocks of docs/iam.md, in order: the deploy policy, then the review role's Deny.
fn json_blocks() -> Vec<String> {
    let doc = std::fs::read_to_string(repository_root().join("docs/iam.md")).unwrap();
    doc.split("```json\n").skip(1).map(|block| block.split("\n```").next().unwrap().to_owned()).collect()
}

/// `template` with docs/iam.md's placeholders filled in for the example app in `account`.
fn filled(template: &str, account: &str) -> Value {
    let cluster_hash = maestro_core::naming::schedule_rule_prefix(&format!("{SLUG}-{PRODUCTION}"), None);
    let text = [
        ("<region>", "us-east-1"),
        ("<account>", account),
        ("<slug>", SLUG),
        ("<lb-slug>", SLUG),
        ("<task-role>", "shop-task"),
        ("<execution-role>", "shop-execution"),
        ("<events-role>", "ecsEventsRole"),
        ("<infrastructure-role>", "ecsInfrastructureRoleForLoadBalancers"),
        ("<pull-secret>", "ghcr-pull"),
        ("<deploy-role>", "test"),
        ("<production>", PRODUCTION),
        ("<production-rules>", cluster_hash.trim_end_matches('-')),
    ]
    .iter()
    .fold(template.to_owned(), |text, (placeholder, value)| text.replace(placeholder, value));
    assert!(!text.contains("\"<") && !text.contains(":<") && !text.contains("/<"), "a placeholder left: {text}");
    serde_json::from_str(&text).unwrap()
}

fn deploy_policy(account: &str) -> Value {
    filled(&json_blocks()[0], account)
}

/// The deploy policy plus the review role's Deny statement.
fn review_policy(account: &str) -> Value {
    let mut policy = deploy_policy(account);
    let deny = filled(&json_blocks()[1], account);
    policy["Statement"].as_array_mut().unwrap().push(deny);
    policy
}

/// Every action an Allow statement of `policy` names.
fn allowed_actions(policy: &Value) -> Vec<String> {
    let statements = policy["Statement"].as_array().unwrap();
    let allows = statements.iter().filter(|statement| statement["Effect"] == "Allow");
    allows.flat_map(|statement| strings(&statement["Action"])).collect()
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(|item| item.as_str().unwrap().to_owned()).collect(),
        other => vec![other.as_str().unwrap().to_owned()],
    }
}

/// Calls a plain deploy does not make (failures, pruning, removed settings), each with the
/// adapter method that makes it, so the list follows the code. Only their action is checked:
/// no deploy here records them with their resources.
const OTHER_PATHS: &[(&str, &str, &str)] = &[
    ("ecs:DeleteService", "src/aws/ecs_services.rs", ".delete_service()"),
    ("ecs:ListTasks", "src/aws/ecs_tasks.rs", ".list_tasks()"),
    ("ecs:StopTask", "src/aws/ecs_tasks.rs", ".stop_task()"),
    // `maestro abort`, and a deploy cancelled with MAESTRO_ABORT_ON_CANCEL.
    ("ecs:StopServiceDeployment", "src/aws/ecs_service_deployments.rs", ".stop_service_deployment()"),
    // `maestro continue`, and `maestro abort` of a deployment paused for approval.
    ("ecs:ContinueServiceDeployment", "src/aws/ecs_service_deployments.rs", ".continue_service_deployment()"),
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
    ("ssm:DeleteParameter", "src/aws/ssm.rs", ".delete_parameter()"),
    // `maestro verify`.
    ("ec2:DescribeSubnets", "src/aws/ec2.rs", ".describe_subnets()"),
    ("ec2:DescribeSecurityGroups", "src/aws/ec2.rs", ".describe_security_groups()"),
    ("iam:GetRole", "src/aws/iam.rs", ".get_role()"),
    ("iam:SimulatePrincipalPolicy", "src/aws/iam.rs", ".simulate_principal_policy()"),
    ("acm:DescribeCertificate", "src/aws/acm.rs", ".describe_certificate()"),
];

/// Actions the Service Authorization Reference lists with no resource type (so `*` is the only
/// resource a policy can give them), and reads that reveal no secret and no log line.
fn may_be_on_any_resource(action: &str) -> bool {
    const ONLY_STAR: &[&str] = &[
        "sts:GetCallerIdentity",
        "ecr:GetAuthorizationToken",
        "ecs:CreateCluster",
        "ecs:RegisterTaskDefinition",
        "ecs:DeregisterTaskDefinition",
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeleteScalingPolicy",
        "iam:CreateServiceLinkedRole",
    ];
    let operation = action.split_once(':').unwrap().1;
    ONLY_STAR.contains(&action) || operation.starts_with("Describe") || operation.starts_with("List")
}

#[test]
fn the_documented_policy_gives_no_secret_and_no_write_on_every_resource() {
    let policy = deploy_policy("123456789012");
    for statement in policy["Statement"].as_array().unwrap() {
        let resources = strings(&statement["Resource"]);
        let actions = strings(&statement["Action"]);
        if resources.iter().any(|resource| resource == "*") {
            let broad: Vec<&String> = actions.iter().filter(|action| !may_be_on_any_resource(action)).collect();
            assert!(broad.is_empty(), "{} allows {broad:?} on every resource", statement["Sid"]);
        }
        assert!(!actions.iter().any(|action| action.contains('*')), "an action wildcard in {}", statement["Sid"]);
        if actions.contains(&"iam:PassRole".to_owned()) {
            let service = &statement["Condition"]["StringEquals"]["iam:PassedToService"];
            assert!(service.is_string(), "{}: iam:PassRole without iam:PassedToService", statement["Sid"]);
        }
    }
    let secret = |name: &str| {
        Request::new(
            "secretsmanager:GetSecretValue",
            &format!("arn:aws:secretsmanager:us-east-1:123456789012:secret:{name}"),
        )
    };
    assert_eq!(evaluate(&policy, &secret("staging/acme-shop-api-AbC123")), Decision::Allow);
    assert_eq!(evaluate(&policy, &secret("prod/database-master-AbC123")), Decision::ImplicitDeny);
    assert_eq!(evaluate(&policy, &secret("staging/acme-shop-api-v2-AbC123")), Decision::ImplicitDeny);
}

/// The core's list of grants (`maestro_core::permissions::GRANTS`, which names the statement in an
/// AccessDenied and picks what `maestro verify` simulates) is the documented policy's, statement
/// by statement.
#[test]
fn the_core_knows_every_action_of_the_documented_policy_with_its_statement() {
    let policy = deploy_policy("123456789012");
    let documented: std::collections::BTreeSet<(String, String)> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|statement| {
            let sid = statement["Sid"].as_str().unwrap().to_owned();
            strings(&statement["Action"]).into_iter().map(move |action| (action, sid.clone()))
        })
        .collect();
    let core: std::collections::BTreeSet<(String, String)> = maestro_core::permissions::GRANTS
        .iter()
        .map(|grant| (grant.action.to_owned(), grant.statement.sid().to_owned()))
        .collect();
    assert_eq!(core, documented, "crates/maestro-core/src/permissions/mod.rs and docs/iam.md disagree");
}

/// docs/iam.md's "Switching from the bash maestro" adds exactly the actions the documented policy
/// has and maestro_infra's CodeBuild policy lacks (the optional VerifyPermissions aside), each on
/// no resource the documented policy does not give it.
#[test]
fn the_switch_from_the_bash_maestro_adds_exactly_what_its_role_lacks() {
    let fixture = repository_root().join("tests/fixtures/maestro-infra-codebuild-policy.json");
    let infra: Value = serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let infra_actions = allowed_actions(&infra);
    let policy = deploy_policy("123456789012");
    let statements = policy["Statement"].as_array().unwrap();
    // Optional, and said so in docs/iam.md: `maestro verify`'s simulation and `maestro destroy`'s deletes.
    let optional = |statement: &&Value| {
        ["VerifyPermissions", "Destroy", "DestroyTaskDefinitions"].iter().any(|sid| statement["Sid"] == *sid)
    };
    let lacking: std::collections::BTreeSet<String> = statements
        .iter()
        .filter(|statement| !optional(statement))
        .flat_map(|statement| strings(&statement["Action"]))
        .filter(|action| !infra_actions.contains(action))
        .collect();
    let switch = json_blocks().into_iter().find(|block| block.contains("BashMaestroRoleOnAnyResource")).unwrap();
    let switch = filled(&switch, "123456789012");
    let added: Vec<String> =
        switch.as_array().unwrap().iter().flat_map(|statement| strings(&statement["Action"])).collect();
    assert_eq!(added.len(), lacking.len(), "an action twice in the switch statements");
    let added: std::collections::BTreeSet<String> = added.into_iter().collect();
    assert_eq!(added, lacking, "docs/iam.md's switch statements and the policy minus maestro_infra's disagree");
    assert!(lacking.contains("ssm:PutParameter") && lacking.contains("ecr:DescribeImages"));
    for statement in switch.as_array().unwrap() {
        let given = strings(&statement["Resource"]);
        for action in strings(&statement["Action"]) {
            let documented =
                statements.iter().find(|statement| strings(&statement["Action"]).contains(&action)).unwrap();
            let documented = strings(&documented["Resource"]);
            if given == ["*"] {
                assert_eq!(documented, ["*"], "the switch gives {action} every resource, the policy does not");
            } else {
                assert!(!given.contains(&"*".to_owned()), "{}: `*` beside narrow resources", statement["Sid"]);
                let missing: Vec<&String> = documented.iter().filter(|resource| !given.contains(resource)).collect();
                assert!(missing.is_empty(), "the switch does not give {action} {missing:?}");
            }
        }
    }
    let doc = std::fs::read_to_string(repository_root().join("docs/iam.md")).unwrap();
    assert!(doc.contains(&format!("{} of the actions above", lacking.len())), "the count in the text");
}

/// Deploys the example app as `branch` in a fresh account, building its image, and returns the
/// recorded calls and the JSON report; `extra` variables set too.
async fn recorded_deploy(test: &str, branch: &str, extra: &[(&str, &str)]) -> (TestAccount, Vec<Value>, Value) {
    let account = TestAccount::new(test).await;
    let env = account.deploy_env().await;
    // The roles the deploy hands to ECS exist: it verifies them first (iam:GetRole).
    let (task, execution) = (
        account.role("shop-task", "ecs-tasks.amazonaws.com").await,
        account.role("shop-execution", "ecs-tasks.amazonaws.com").await,
    );
    // From here on, only maestro's calls (deploy_env's own EC2 reads are the test's).
    start_journal(&account.id).await;
    let tools = BuildTools::new();
    let mut command = maestro();
    command.args(["deploy", "--app", EXAMPLE_APP, "--env-file", EXAMPLE_ENV, "--output", "json"]);
    command.envs(env).envs(tools.env()).env("MAESTRO_SKIP_BUILD", "false");
    command.env("ECS_TASK_ROLE_ARN", task).env("ECS_EXECUTION_ROLE_ARN", execution);
    command.env("MAESTRO_BRANCH_OVERRIDE", branch).envs(extra.iter().copied());
    let report = run(&mut command).expect_code(0).json();
    assert!(tools.record().is_some(), "the image was built");
    let calls = journal(&account.id).await;
    (account, calls, report)
}

fn decisions(policy: &Value, calls: &[Value], account: &str) -> Vec<(Request, Decision)> {
    let requests = calls.iter().flat_map(|call| requests::requests(call, account));
    requests.map(|request| (request.clone(), evaluate(policy, &request))).collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_documented_policy_allows_every_call_a_build_and_deploy_make() {
    let (account, calls, report) = recorded_deploy("the_documented_policy_allows_every_call", "staging", &[]).await;
    let counted: u64 =
        report["aws_calls"]["by_operation"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum();
    assert!(calls.len() as u64 >= counted, "the journal holds every call maestro counted: {} < {counted}", calls.len());
    // The build and the observation share one read of the app's secret.
    assert_eq!(report["aws_calls"]["by_operation"]["Secrets Manager.GetSecretValue"], 1);
    let judged = decisions(&deploy_policy(&account.id), &calls, &account.id);
    let operations: std::collections::BTreeSet<&str> =
        judged.iter().map(|(request, _)| request.action.as_str()).collect();
    assert!(operations.len() >= 25, "a whole deploy: {operations:?}");
    for needed in
        ["iam:PassRole", "secretsmanager:GetSecretValue", "ecs:CreateService", "elasticloadbalancing:CreateListener"]
    {
        assert!(operations.contains(needed), "the deploy was judged on {needed}: {operations:?}");
    }
    let denied: Vec<&Request> =
        judged.iter().filter(|(_, decision)| *decision != Decision::Allow).map(|(request, _)| request).collect();
    assert!(denied.is_empty(), "docs/iam.md denies {denied:#?}");
    // The review role deploys review branches as the production role does.
    let judged = decisions(&review_policy(&account.id), &calls, &account.id);
    let denied: Vec<&Request> =
        judged.iter().filter(|(_, decision)| *decision != Decision::Allow).map(|(request, _)| request).collect();
    assert!(denied.is_empty(), "the review role cannot deploy staging: {denied:#?}");

    let allowed = allowed_actions(&deploy_policy(&account.id));
    for (action, file, call) in OTHER_PATHS {
        let source = std::fs::read_to_string(repository_root().join(file)).unwrap();
        assert!(source.contains(call), "{file} no longer calls {call}: update this list");
        assert!(allowed.iter().any(|allowed| allowed == action), "docs/iam.md does not allow {action}");
    }
    // pack pushes through the registry API, which the emulator does not serve.
    for push in ["ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"] {
        assert!(allowed.iter().any(|allowed| allowed == push), "pack cannot push without {push}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_review_role_cannot_touch_production() {
    let (account, calls, _) = recorded_deploy("the_review_role_cannot_touch_production", PRODUCTION, &[]).await;
    let judged = decisions(&review_policy(&account.id), &calls, &account.id);
    let rules = maestro_core::naming::schedule_rule_prefix(&format!("{SLUG}-{PRODUCTION}"), None);
    let production = |resource: &str| {
        resource.contains(&format!("{SLUG}-{PRODUCTION}"))
            || resource.contains(&format!("secret:{PRODUCTION}/{SLUG}"))
            || resource.contains(&format!(":rule/{rules}"))
    };
    let on_production: Vec<&(Request, Decision)> =
        judged.iter().filter(|(request, _)| production(&request.resource)).collect();
    let allowed: Vec<&Request> = on_production
        .iter()
        .filter(|(_, decision)| *decision != Decision::ExplicitDeny)
        .map(|(request, _)| request)
        .collect();
    assert!(allowed.is_empty(), "the review role may still do {allowed:#?}");
    let actions: std::collections::BTreeSet<&str> =
        on_production.iter().map(|(request, _)| request.action.as_str()).collect();
    for write in [
        "secretsmanager:GetSecretValue",
        "ecr:DescribeImages",
        "ecs:CreateService",
        "ecs:RunTask",
        "logs:CreateLogGroup",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:CreateListener",
        "events:PutTargets",
        "ssm:PutParameter",
    ] {
        assert!(actions.contains(write), "the production deploy made no {write} to deny: {actions:?}");
    }
    // The same calls pass the production role's policy: the Deny is what stops them.
    let judged = decisions(&deploy_policy(&account.id), &calls, &account.id);
    assert!(judged.iter().all(|(_, decision)| *decision == Decision::Allow));
}

/// The rollback alarm's calls (DescribeAlarms, ListTagsForResource, PutMetricAlarm with its tags)
/// are allowed by the `RollbackAlarm` statement, for the production role and the review role alike.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn the_documented_policy_allows_the_rollback_alarms_calls() {
    let alarm = [("MAESTRO_ROLLBACK_ALARM", "5xx")];
    let (account, calls, _) =
        recorded_deploy("the_documented_policy_allows_the_rollback_alarm", "staging", &alarm).await;
    let judged = decisions(&deploy_policy(&account.id), &calls, &account.id);
    let alarms: Vec<&Request> =
        judged.iter().map(|(request, _)| request).filter(|request| request.action.starts_with("cloudwatch:")).collect();
    let actions: std::collections::BTreeSet<&str> = alarms.iter().map(|request| request.action.as_str()).collect();
    assert!(actions.contains("cloudwatch:PutMetricAlarm") && actions.contains("cloudwatch:TagResource"), "{actions:?}");
    let denied: Vec<&Request> =
        judged.iter().filter(|(_, decision)| *decision != Decision::Allow).map(|(request, _)| request).collect();
    assert!(denied.is_empty(), "docs/iam.md denies {denied:#?}");
    let judged = decisions(&review_policy(&account.id), &calls, &account.id);
    assert!(judged.iter().all(|(_, decision)| *decision == Decision::Allow), "the review role deploys staging's alarm");
}
