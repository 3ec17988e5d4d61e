use super::permissions::*;
use crate::fixtures;

#[test]
fn the_principal_is_the_role_behind_an_assumed_role() {
    assert_eq!(
        principal("arn:aws:sts::123456789012:assumed-role/acme-maestro/codebuild-run-1"),
        Principal::Role("acme-maestro".to_owned())
    );
    let user = "arn:aws:iam::123456789012:user/ci/deployer";
    assert_eq!(principal(user), Principal::User(user.to_owned()));
    let root = "arn:aws:iam::123456789012:root";
    assert_eq!(principal(root), Principal::Other(root.to_owned()));
}

#[test]
fn the_questions_name_the_deploys_own_resources() {
    let app = fixtures::app_with(fixtures::PROCFILE, &[]);
    let desired = fixtures::desired(&fixtures::staging(&[]), &fixtures::deployable(&[]).unwrap(), &app).unwrap();
    assert!(!desired.log_groups.is_empty());
    let place = Place { partition: "aws", region: "us-east-1", account: "123456789012" };
    let asked = questions(&desired, place);
    let on = |resource: &str| asked.iter().find(|question| question.resource == resource);
    let everywhere = on("*").expect("the actions with no resource type");
    assert!(
        everywhere.actions.contains(&"sts:GetCallerIdentity")
            && everywhere.actions.contains(&"ecs:RegisterTaskDefinition")
    );
    assert!(everywhere.actions.contains(&"application-autoscaling:RegisterScalableTarget"));
    let lease = asked.iter().find(|question| question.actions.contains(&"ssm:PutParameter")).unwrap();
    assert!(lease.resource.starts_with("arn:aws:ssm:us-east-1:123456789012:parameter/maestro/locks/"), "{lease:?}");
    assert!(lease.resource.ends_with("/0000000001"), "{lease:?}");
    let listing = asked.iter().find(|question| question.actions == ["ssm:GetParametersByPath"]).unwrap();
    assert_eq!(format!("{}/0000000001", listing.resource), lease.resource);
    let releases = asked.iter().find(|question| question.actions.contains(&"ssm:GetParameterHistory")).unwrap();
    assert_eq!(
        releases.resource,
        "arn:aws:ssm:us-east-1:123456789012:parameter/maestro/releases/acme-shop-api-staging"
    );
    assert_eq!(releases.actions, ["ssm:PutParameter", "ssm:GetParameterHistory"]);
    for group in &desired.log_groups {
        let logs = on(&format!("arn:aws:logs:us-east-1:123456789012:log-group:{group}")).expect("each log group");
        assert!(logs.actions.contains(&"logs:CreateLogGroup"));
    }
    let asked_actions: Vec<&str> = asked.iter().flat_map(|question| question.actions.iter().copied()).collect();
    for left in ["iam:PassRole", "elasticloadbalancing:CreateListener", "secretsmanager:GetSecretValue", "iam:GetRole"]
    {
        assert!(!asked_actions.contains(&left), "{left} is left to AWS");
    }
}

#[test]
fn every_denied_action_is_a_finding_naming_its_statement() {
    let answer = |action: &str, resource: &str, decision| Answer {
        action: action.to_owned(),
        resource: resource.to_owned(),
        decision,
    };
    let answers = [
        answer("sts:GetCallerIdentity", "*", Decision::Allowed),
        answer("ssm:PutParameter", "arn:aws:ssm:r:1:parameter/maestro/locks/a/0000000001", Decision::ImplicitDeny),
        answer("ecs:CreateCluster", "*", Decision::ExplicitDeny),
    ];
    let findings = judge("arn:aws:iam::1:role/deploy", &answers);
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[0].input, INPUT);
    assert_eq!(findings[0].resource, "arn:aws:iam::1:role/deploy");
    assert_eq!(
        findings[0].problem,
        "may not call ssm:PutParameter on arn:aws:ssm:r:1:parameter/maestro/locks/a/0000000001 (no statement allows it)"
    );
    assert_eq!(
        findings[0].fix,
        "allow ssm:PutParameter in its policy: statement `DeployLease` of docs/iam.md#the-permissions-maestro-needs"
    );
    assert_eq!(findings[1].problem, "may not call ecs:CreateCluster (a Deny statement matches it)");
    assert!(judge("r", &answers[..1]).is_empty());
}
