use super::*;

#[test]
fn every_action_is_listed_once_per_statement_and_spelled_service_colon_operation() {
    let mut seen = std::collections::BTreeSet::new();
    for grant in GRANTS {
        let (service, operation) = grant.action.split_once(':').expect("service:Operation");
        assert!(!service.is_empty() && operation.starts_with(|c: char| c.is_ascii_uppercase()), "{}", grant.action);
        assert!(seen.insert((grant.action, grant.statement)), "{} twice in {:?}", grant.action, grant.statement);
    }
}

#[test]
fn a_grant_is_found_whatever_the_case() {
    assert_eq!(grant_of("SSM:putparameter").map(|grant| grant.statement), Some(Statement::DeployLease));
    assert_eq!(grant_of("iam:PassRole").map(|grant| grant.statement), Some(Statement::PassTheTaskRoles));
    assert_eq!(grant_of("s3:GetObject"), None);
}

#[test]
fn the_denied_resource_is_read_from_aws_message() {
    let message = "User: arn:aws:sts::123456789012:assumed-role/deploy/run is not authorized to perform: \
                   ssm:PutParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter/maestro/locks/a-b/0000000001 \
                   because no identity-based policy allows the ssm:PutParameter action";
    assert_eq!(
        denied_resource(message),
        Some("arn:aws:ssm:us-east-1:123456789012:parameter/maestro/locks/a-b/0000000001")
    );
    assert_eq!(denied_resource("User: x is not authorized to perform: ecr:GetAuthorizationToken"), None);
    assert_eq!(denied_resource("… on resource: arn:aws:ecs:r:1:cluster/x."), Some("arn:aws:ecs:r:1:cluster/x"));
}

#[test]
fn a_denial_names_the_action_the_resource_and_the_statement() {
    let message =
        "User: u is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:r:1:parameter/p because …";
    let denial = denial("ssm:PutParameter", Some(message));
    assert_eq!(denial.detail, "the role may not call ssm:PutParameter on arn:aws:ssm:r:1:parameter/p");
    assert!(
        denial.hint.contains("statement `DeployLease` of docs/iam.md#the-permissions-maestro-needs"),
        "{}",
        denial.hint
    );
    assert!(denial.hint.contains("docs/iam.md#switching-from-the-bash-maestro"), "{}", denial.hint);
    let unknown = super::denial("s3:GetObject", None);
    assert_eq!(unknown.detail, "the role may not call s3:GetObject");
    assert!(unknown.hint.starts_with("allow s3:GetObject in the role's policy"), "{}", unknown.hint);
}

#[test]
fn the_codes_of_a_refused_permission_are_known_per_protocol() {
    for code in ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"] {
        assert!(is_access_denied(code), "{code}");
    }
    assert!(!is_access_denied("ThrottlingException"));
}

#[test]
fn a_denial_names_the_statement_covering_the_refused_resource() {
    let on = |resource: &str| {
        format!("User: u is not authorized to perform: ssm:PutParameter on resource: {resource} because …")
    };
    let records = on("arn:aws:ssm:eu-west-1:123456789012:parameter/maestro/releases/acme-shop-main");
    assert!(denial("ssm:PutParameter", Some(&records)).hint.contains("statement `Releases`"));
    let lease = on("arn:aws:ssm:eu-west-1:123456789012:parameter/maestro/locks/acme-shop-main/0000000001");
    assert!(denial("ssm:PutParameter", Some(&lease)).hint.contains("statement `DeployLease`"));
    // A resource neither covers, or none named: the action's first statement.
    let elsewhere = on("arn:aws:ssm:eu-west-1:123456789012:parameter/other");
    assert!(denial("ssm:PutParameter", Some(&elsewhere)).hint.contains("statement `DeployLease`"));
    assert!(denial("ssm:PutParameter", None).hint.contains("statement `DeployLease`"));
}

#[test]
fn a_statement_covers_its_resources_with_placeholders_as_wildcards() {
    let arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/acme-shop-main-web:7";
    assert!(Statement::Containers.covers(arn));
    assert!(!Statement::Logs.covers(arn));
    assert!(Statement::Logs.covers("arn:aws:logs:eu-west-1:1:log-group:/ecs/acme-shop-main-web:*"));
    assert!(!Statement::Logs.covers("arn:aws:logs:eu-west-1:1:log-group:/other/acme"));
    assert!(Statement::ReadsWithoutResourceLimits.covers("anything"));
}
