//! What AWS authorises for each call the emulator recorded (tests/support/journal.py): the IAM
//! action and the ARN of the resource it acts on, as the Service Authorization Reference lists
//! them per service (https://docs.aws.amazon.com/service-authorization/latest/reference/
//! list_amazonelasticcontainerservice.html, list_amazonelasticcontainerregistry.html,
//! list_elasticloadbalancingv2.html, list_amazoncloudwatchlogs.html, list_amazoneventbridge.html,
//! list_awssecretsmanager.html, list_awssystemsmanager.html, list_applicationautoscaling.html,
//! list_awsidentityandaccessmanagementiam.html, list_awscertificatemanager.html, list_amazoncloudwatch.html).
//! An action whose "Resource types" column is empty is authorised on `*`; so is a read the
//! policy grants on `*` anyway (Describe*, List*), which keeps this table to the writes.
//!
//! Some calls need more than their own action:
//! - a task definition naming roles, and an EventBridge target with a role, pass those roles:
//!   `iam:PassRole` with `iam:PassedToService` (https://docs.aws.amazon.com/IAM/latest/UserGuide/
//!   id_roles_use_passrole.html; the ECS task execution role page: "iam:PassRole" for
//!   RegisterTaskDefinition; EventBridge: "the iam:PassRole permission" for PutTargets);
//! - a create with tags also needs the service's tagging action on the new resource ("tag on
//!   create": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html,
//!   https://docs.aws.amazon.com/elasticloadbalancing/latest/application/tagging-resources-iam-policies.html).

use serde_json::Value;

use super::policy::Request;

/// A resource id that stands for the one AWS generates on create (the ARN the policy is asked
/// about holds it, the name before it is what the policy can limit).
const NEW_ID: &str = "0123456789abcdef";

/// The IAM prefix of moto's service name.
fn prefix(service: &str) -> &'static str {
    match service {
        "acm" => "acm",
        "ec2" => "ec2",
        "iam" => "iam",
        "ecs" => "ecs",
        "ecr" => "ecr",
        "elbv2" => "elasticloadbalancing",
        "application-autoscaling" => "application-autoscaling",
        "cloudwatch" => "cloudwatch",
        "events" => "events",
        "logs" => "logs",
        "secretsmanager" => "secretsmanager",
        "ssm" => "ssm",
        "sts" => "sts",
        other => panic!("no IAM prefix known for the emulator's {other}: add it here and to docs/iam.md"),
    }
}

fn text<'a>(params: &'a Value, key: &str) -> &'a str {
    params[key].as_str().unwrap_or_else(|| panic!("no {key} in {params}"))
}

fn list<'a>(params: &'a Value, key: &str) -> Vec<&'a str> {
    params[key].as_array().map(|items| items.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

/// Every authorisation one recorded call needs.
pub(super) fn requests(call: &Value, account: &str) -> Vec<Request> {
    let service = prefix(call["service"].as_str().unwrap());
    let operation = call["action"].as_str().unwrap();
    let region = call["region"].as_str().unwrap();
    let params = &call["params"];
    let action = format!("{service}:{operation}");
    let arn = |service: &str, rest: &str| format!("arn:aws:{service}:{region}:{account}:{rest}");
    let either = |value: &str, rest: String| if value.starts_with("arn:") { value.to_owned() } else { rest };
    let on = |resources: Vec<String>| -> Vec<Request> { resources.iter().map(|r| Request::new(&action, r)).collect() };
    let mut extra = Vec::new();
    let tagged = |params: &Value, key: &str| params[key].as_array().is_some_and(|tags| !tags.is_empty());
    let resources: Vec<String> = match (service, operation) {
        ("ecs", "CreateService" | "UpdateService" | "DeleteService") => {
            let cluster = params["cluster"].as_str().unwrap_or("default");
            let name = params["serviceName"].as_str().unwrap_or_else(|| text(params, "service"));
            let name = name.rsplit('/').next().unwrap();
            let resource = arn("ecs", &format!("service/{}/{name}", cluster.rsplit('/').next().unwrap()));
            if tagged(params, "tags") {
                extra.push(Request::new("ecs:TagResource", &resource));
            }
            // A blue-green, canary or linear deploy's infrastructure role, passed to ECS itself
            // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
            for balancer in params["loadBalancers"].as_array().into_iter().flatten() {
                if let Some(role) = balancer["advancedConfiguration"]["roleArn"].as_str() {
                    extra.push(Request::new("iam:PassRole", role).with("iam:PassedToService", "ecs.amazonaws.com"));
                }
            }
            vec![resource]
        }
        // A service deployment is its own resource type: `service-deployment/<cluster>/<service>/<id>`.
        ("ecs", "StopServiceDeployment" | "ContinueServiceDeployment") => {
            vec![text(params, "serviceDeploymentArn").to_owned()]
        }
        ("ecs", "PutClusterCapacityProviders") => {
            vec![either(text(params, "cluster"), arn("ecs", &format!("cluster/{}", text(params, "cluster"))))]
        }
        ("ecs", "CreateCluster") => {
            if tagged(params, "tags") {
                extra.push(Request::new(
                    "ecs:TagResource",
                    &arn("ecs", &format!("cluster/{}", text(params, "clusterName"))),
                ));
            }
            vec!["*".to_owned()]
        }
        ("ecs", "RegisterTaskDefinition") => {
            for role in ["taskRoleArn", "executionRoleArn"] {
                if let Some(role) = params[role].as_str() {
                    extra.push(
                        Request::new("iam:PassRole", role).with("iam:PassedToService", "ecs-tasks.amazonaws.com"),
                    );
                }
            }
            if tagged(params, "tags") {
                let family = text(params, "family");
                extra.push(Request::new("ecs:TagResource", &arn("ecs", &format!("task-definition/{family}:1"))));
            }
            vec!["*".to_owned()]
        }
        ("ecs", "RunTask") => {
            let definition = text(params, "taskDefinition");
            let definition = definition.rsplit('/').next().unwrap();
            let definition = if definition.contains(':') { definition.to_owned() } else { format!("{definition}:1") };
            vec![arn("ecs", &format!("task-definition/{definition}"))]
        }
        ("ecs", "StopTask") => {
            let cluster = params["cluster"].as_str().unwrap_or("default");
            let task = text(params, "task");
            vec![either(task, arn("ecs", &format!("task/{}/{task}", cluster.rsplit('/').next().unwrap())))]
        }
        ("ecs" | "ecr" | "logs", "TagResource") => vec![text(params, "resourceArn").trim_end_matches(":*").to_owned()],
        ("ecr", "GetAuthorizationToken" | "DescribeRepositories") => vec!["*".to_owned()],
        ("ecr", _) => {
            let repository = text(params, "repositoryName");
            if operation == "CreateRepository" && tagged(params, "tags") {
                extra.push(Request::new("ecr:TagResource", &arn("ecr", &format!("repository/{repository}"))));
            }
            vec![arn("ecr", &format!("repository/{repository}"))]
        }
        ("logs", "CreateLogGroup" | "PutRetentionPolicy") => {
            let group = text(params, "logGroupName");
            if params["tags"].as_object().is_some_and(|tags| !tags.is_empty()) {
                extra.push(Request::new("logs:TagResource", &arn("logs", &format!("log-group:{group}"))));
            }
            vec![arn("logs", &format!("log-group:{group}"))]
        }
        ("logs", "GetLogEvents") => {
            let group = params["logGroupName"].as_str().unwrap_or_else(|| text(params, "logGroupIdentifier"));
            let group = either(group, arn("logs", &format!("log-group:{group}")));
            vec![format!("{}:log-stream:{}", group.trim_end_matches(":*"), text(params, "logStreamName"))]
        }
        ("events", "PutRule" | "DeleteRule" | "DisableRule") => {
            if operation == "PutRule" && tagged(params, "Tags") {
                extra.push(Request::new(
                    "events:TagResource",
                    &arn("events", &format!("rule/{}", text(params, "Name"))),
                ));
            }
            vec![arn("events", &format!("rule/{}", text(params, "Name")))]
        }
        ("events", "PutTargets" | "RemoveTargets" | "ListTargetsByRule") => {
            for target in params["Targets"].as_array().into_iter().flatten() {
                if let Some(role) = target["RoleArn"].as_str() {
                    extra.push(Request::new("iam:PassRole", role).with("iam:PassedToService", "events.amazonaws.com"));
                }
            }
            vec![arn("events", &format!("rule/{}", text(params, "Rule")))]
        }
        ("events", "TagResource" | "ListTagsForResource") => vec![text(params, "ResourceARN").to_owned()],
        // CloudWatch's alarm ARN is `alarm:<name>`; a PutMetricAlarm with tags also needs
        // cloudwatch:TagResource (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html).
        ("cloudwatch", "PutMetricAlarm") => {
            let resource = arn("cloudwatch", &format!("alarm:{}", text(params, "AlarmName")));
            if tagged(params, "Tags") {
                extra.push(Request::new("cloudwatch:TagResource", &resource));
            }
            vec![resource]
        }
        ("cloudwatch", "DeleteAlarms") => {
            list(params, "AlarmNames").into_iter().map(|name| arn("cloudwatch", &format!("alarm:{name}"))).collect()
        }
        ("cloudwatch", "ListTagsForResource" | "TagResource") => vec![text(params, "ResourceARN").to_owned()],
        // IAM's ARNs have no region (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
        ("iam", "GetRole") => vec![format!("arn:aws:iam::{account}:role/{}", text(params, "RoleName"))],
        ("acm", "DescribeCertificate") => vec![text(params, "CertificateArn").to_owned()],
        ("secretsmanager", "GetSecretValue" | "DescribeSecret") => {
            let id = text(params, "SecretId");
            // A secret's ARN ends with `-` and six characters Secrets Manager adds.
            vec![either(id, arn("secretsmanager", &format!("secret:{id}-AbC123")))]
        }
        // GetParametersByPath is authorised on the path itself (`parameter/<path>`).
        ("ssm", "GetParametersByPath") => vec![arn("ssm", &format!("parameter{}", text(params, "Path")))],
        ("ssm", _) => vec![arn("ssm", &format!("parameter{}", text(params, "Name")))],
        ("elasticloadbalancing", "CreateLoadBalancer" | "CreateTargetGroup") => {
            let kind = if operation == "CreateLoadBalancer" { "loadbalancer/app" } else { "targetgroup" };
            let resource = arn("elasticloadbalancing", &format!("{kind}/{}/{NEW_ID}", text(params, "Name")));
            if tagged(params, "Tags") {
                extra.push(Request::new("elasticloadbalancing:AddTags", &resource));
            }
            vec![resource]
        }
        ("elasticloadbalancing", "SetSubnets" | "SetSecurityGroups" | "CreateListener") => {
            vec![text(params, "LoadBalancerArn").to_owned()]
        }
        ("elasticloadbalancing", "ModifyTargetGroup" | "ModifyTargetGroupAttributes") => {
            vec![text(params, "TargetGroupArn").to_owned()]
        }
        ("elasticloadbalancing", "ModifyListener" | "CreateRule") => vec![text(params, "ListenerArn").to_owned()],
        ("elasticloadbalancing", "ModifyRule") => vec![text(params, "RuleArn").to_owned()],
        ("elasticloadbalancing", "AddTags") => list(params, "ResourceArns").into_iter().map(str::to_owned).collect(),
        // Reads granted on `*`, Application Auto Scaling (its scalable-target ARN holds an id AWS
        // generates, not the service's name) and STS GetCallerIdentity (no resource type).
        _ => vec!["*".to_owned()],
    };
    let mut all = on(resources);
    all.extend(extra);
    all
}
