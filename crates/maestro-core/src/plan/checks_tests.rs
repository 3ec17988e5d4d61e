//! The checks that stop a deploy AWS would refuse half-way: each one alone, from the settings
//! a user writes, with the variable it names.

use crate::fixtures::{self, PROCFILE, app_with};
use crate::input::Location;
use crate::input_error::InputErrors;
use crate::plan::desired::DesiredState;

/// `pairs` on top of what a deploy needs; `("NAME", "")` unsets one of those.
fn planned(pairs: &[(&str, &str)], procfile: &str, bases: &[(&str, &str)]) -> Result<DesiredState, InputErrors> {
    let settings = fixtures::deployable(pairs).unwrap();
    fixtures::desired(&fixtures::staging(&[]), &settings, &app_with(procfile, bases))
}

/// The variables the errors of `pairs` name, with their messages.
fn refused(pairs: &[(&str, &str)], procfile: &str) -> Vec<(String, String)> {
    let errors = planned(pairs, procfile, &[]).unwrap_err();
    errors.0.iter().map(|error| (error.location.to_string(), error.message.clone())).collect()
}

fn variables(errors: &[(String, String)]) -> Vec<&str> {
    errors.iter().map(|(variable, _)| variable.as_str()).collect()
}

#[test]
fn the_execution_role_is_required_for_ecr_images_and_awslogs() {
    let errors = refused(&[("ECS_EXECUTION_ROLE_ARN", "")], PROCFILE);
    assert_eq!(variables(&errors), ["ECS_EXECUTION_ROLE_ARN"], "one error for every task definition");
    assert_eq!(
        errors[0].1,
        "the tasks need an execution role, which ECS uses to pull the image from ECR, send the logs to CloudWatch (awslogs)"
    );
    let error = &planned(&[("ECS_EXECUTION_ROLE_ARN", "")], PROCFILE, &[]).unwrap_err().0[0];
    assert!(error.hint.contains("set ECS_EXECUTION_ROLE_ARN") && error.hint.contains("docs/iam.md"), "{}", error.hint);
}

#[test]
fn the_execution_role_is_required_for_a_registry_login_and_a_base_files_secrets() {
    let outside_ecr =
        [("ECS_EXECUTION_ROLE_ARN", ""), ("MAESTRO_NO_LOG", "true"), ("MAESTRO_IMAGE_REPOSITORY", "ghcr.io/acme/shop")];
    // Logs off and a public image outside ECR: nothing needs the role.
    assert!(planned(&outside_ecr, PROCFILE, &[]).is_ok());
    let with_login: Vec<(&str, &str)> = outside_ecr
        .iter()
        .copied()
        .chain([("MAESTRO_IMAGE_PULL_SECRET", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ghcr-pull-AbCdEf")])
        .collect();
    assert_eq!(
        refused(&with_login, PROCFILE)[0].1,
        "the tasks need an execution role, which ECS uses to log in to the image's registry (MAESTRO_IMAGE_PULL_SECRET)"
    );
    let base = r#"{"containerDefinitions": [{"name": "acme-shop-api", "secrets": [{"name": "KEY", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/key"}]},
        {"name": "proxy", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/proxy:1"}]}"#;
    let errors = planned(&outside_ecr, "web: bin/web\n", &[("web", base)]).unwrap_err();
    assert_eq!(
        errors.0[0].message,
        "the tasks need an execution role, which ECS uses to read the containers' `secrets`, pull the image from ECR"
    );
    // A base file that names its own execution role needs none from the variable.
    let own_role = r#"{"executionRoleArn": "arn:aws:iam::123456789012:role/own", "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    assert!(planned(&[("ECS_EXECUTION_ROLE_ARN", "")], "web: bin/web\n", &[("web", own_role)]).is_ok());
}

#[test]
fn ecs_exec_is_on_only_with_a_task_role() {
    let state = planned(&[], PROCFILE, &[]).unwrap();
    assert!(state.services.iter().all(|service| !service.execute_command), "no task role, no ECS Exec");
    let state = planned(&[("ECS_TASK_ROLE_ARN", "arn:aws:iam::123456789012:role/shop-task")], PROCFILE, &[]).unwrap();
    assert!(state.services.iter().all(|service| service.execute_command));
    let own_role =
        r#"{"taskRoleArn": "arn:aws:iam::123456789012:role/web", "containerDefinitions": [{"name": "acme-shop-api"}]}"#;
    let state = planned(&[], PROCFILE, &[("web", own_role)]).unwrap();
    let exec: Vec<(&str, bool)> =
        state.services.iter().map(|service| (service.process.as_str(), service.execute_command)).collect();
    assert_eq!(exec, [("web", true), ("worker", false), ("clock", false)], "a base file's own task role counts");
    assert!(
        crate::plan::render::human(&state)
            .contains("ECS Exec      off for worker, clock: no task role (set ECS_TASK_ROLE_ARN to turn it on)")
    );
}

#[test]
fn tasks_need_a_subnet() {
    let errors = refused(&[("ECS_SERVICE_SUBNETS", "")], PROCFILE);
    assert_eq!(variables(&errors), ["ECS_SERVICE_SUBNETS"]);
    assert!(errors[0].1.contains("awsvpc mode, which needs at least one subnet"), "{}", errors[0].1);
    // The release alone runs a task too.
    assert_eq!(variables(&refused(&[("ECS_SERVICE_SUBNETS", "")], "release: bin/migrate\n")), ["ECS_SERVICE_SUBNETS"]);
}

#[test]
fn the_load_balancer_needs_the_vpc_and_two_subnets_of_its_own() {
    let errors = refused(&[("WORKLOAD_VPC_ID", ""), ("ALB_SUBNETS", "subnet-0ccc3333")], PROCFILE);
    assert_eq!(variables(&errors), ["WORKLOAD_VPC_ID", "ALB_SUBNETS"]);
    assert_eq!(
        errors[1].1,
        "a load balancer needs subnets in at least two Availability Zones, and ALB_SUBNETS lists 1"
    );
    // Without `web`, there is no load balancer and neither is needed.
    let no_web = [("WORKLOAD_VPC_ID", ""), ("ALB_SUBNETS", ""), ("ECS_SERVICE_TASK_PROCESSES", "worker")];
    assert!(planned(&no_web, PROCFILE, &[]).is_ok());
}

#[test]
fn a_shared_load_balancer_needs_the_apps_host_but_no_subnets() {
    let shared = [("ALB_NAME_OVERRIDE", "shared-alb"), ("ALB_SUBNETS", "")];
    let errors = refused(&shared, PROCFILE);
    assert_eq!(variables(&errors), ["MAESTRO_HOST"]);
    assert!(errors[0].1.contains("ECS refuses a service on a target group no load balancer uses"), "{}", errors[0].1);
    let with_host: Vec<(&str, &str)> = shared.iter().copied().chain([("MAESTRO_HOST", "shop.example.com")]).collect();
    assert!(planned(&with_host, PROCFILE, &[]).is_ok());
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors =
        planned(&[("ECS_EXECUTION_ROLE_ARN", ""), ("ECS_SERVICE_SUBNETS", ""), ("WORKLOAD_VPC_ID", "")], PROCFILE, &[])
            .unwrap_err();
    let named: Vec<&Location> = errors.0.iter().map(|error| &*error.location).collect();
    assert_eq!(named.len(), 3, "{named:?}");
}
