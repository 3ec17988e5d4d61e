use super::network::{NetworkInputs, ObservedNetwork, ObservedSubnet, judge};
use crate::input::vars as var;

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|id| (*id).to_owned()).collect()
}

/// The inputs of an app with a load balancer of its own in vpc-a.
fn inputs() -> NetworkInputs {
    NetworkInputs {
        vpc: Some("vpc-a".to_owned()),
        subnets: vec![
            (var::ECS_SERVICE_SUBNETS, ids(&["subnet-1"])),
            (var::ALB_SUBNETS, ids(&["subnet-1", "subnet-2"])),
        ],
        security_groups: vec![(var::ECS_SERVICE_SECURITY_GROUPS, ids(&["sg-1"]))],
        own_load_balancer: true,
    }
}

/// An account where everything `inputs()` names exists, in vpc-a, over two zones.
fn account() -> ObservedNetwork {
    let subnet = |zone: &str| ObservedSubnet { vpc_id: "vpc-a".to_owned(), availability_zone: zone.to_owned() };
    ObservedNetwork {
        subnets: [("subnet-1".to_owned(), subnet("az-1")), ("subnet-2".to_owned(), subnet("az-2"))].into(),
        security_groups: [("sg-1".to_owned(), "vpc-a".to_owned())].into(),
    }
}

#[test]
fn a_network_that_matches_its_inputs_has_no_finding() {
    assert_eq!(judge(&inputs(), &account()), []);
}

#[test]
fn a_missing_subnet_is_named_with_every_input_that_lists_it() {
    let mut observed = account();
    observed.subnets.remove("subnet-1");
    let found = judge(&inputs(), &observed);
    let named: Vec<(&str, &str)> = found.iter().map(|finding| (finding.input, finding.resource.as_str())).collect();
    assert_eq!(named, [(var::ECS_SERVICE_SUBNETS, "subnet subnet-1"), (var::ALB_SUBNETS, "subnet subnet-1")]);
    assert!(found[0].problem.contains("does not exist"), "{found:?}");
    assert!(found[0].fix.contains("ECS_SERVICE_SUBNETS"), "{found:?}");
}

#[test]
fn a_subnet_of_another_vpc_names_both_vpcs() {
    let mut observed = account();
    observed.subnets.get_mut("subnet-2").unwrap().vpc_id = "vpc-b".to_owned();
    let found = judge(&inputs(), &observed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].input, found[0].resource.as_str()), (var::ALB_SUBNETS, "subnet subnet-2"));
    assert_eq!(found[0].problem, "is in vpc-b, not in WORKLOAD_VPC_ID vpc-a");
}

#[test]
fn without_a_vpc_input_the_vpc_is_not_judged() {
    let mut observed = account();
    observed.subnets.get_mut("subnet-2").unwrap().vpc_id = "vpc-b".to_owned();
    observed.security_groups.insert("sg-1".to_owned(), "vpc-c".to_owned());
    let inputs = NetworkInputs { vpc: None, ..inputs() };
    assert_eq!(judge(&inputs, &observed), []);
}

#[test]
fn load_balancer_subnets_in_one_zone_are_a_finding_only_for_its_own_load_balancer() {
    let mut observed = account();
    observed.subnets.get_mut("subnet-2").unwrap().availability_zone = "az-1".to_owned();
    let found = judge(&inputs(), &observed);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].input, var::ALB_SUBNETS);
    assert!(found[0].problem.contains("all in Availability Zone az-1"), "{found:?}");
    let shared = NetworkInputs { own_load_balancer: false, ..inputs() };
    assert_eq!(judge(&shared, &observed), []);
}

#[test]
fn a_missing_subnet_does_not_also_count_as_a_single_zone() {
    let mut observed = account();
    observed.subnets.remove("subnet-2");
    let found = judge(&inputs(), &observed);
    let problems: Vec<&str> = found.iter().map(|finding| finding.problem.as_str()).collect();
    assert_eq!(problems, ["does not exist in this account and region"]);
}

#[test]
fn security_groups_must_exist_in_the_vpc() {
    let mut observed = account();
    observed.security_groups.insert("sg-1".to_owned(), "vpc-b".to_owned());
    let mut inputs = inputs();
    inputs.security_groups.push((var::ALB_SECURITY_GROUPS, ids(&["sg-9"])));
    let found = judge(&inputs, &observed);
    let named: Vec<(&str, &str)> = found.iter().map(|finding| (finding.input, finding.resource.as_str())).collect();
    assert_eq!(
        named,
        [(var::ECS_SERVICE_SECURITY_GROUPS, "security group sg-1"), (var::ALB_SECURITY_GROUPS, "security group sg-9")]
    );
    assert!(found[1].fix.contains("describe-security-groups"), "{found:?}");
}

#[test]
fn ids_to_read_are_each_read_once() {
    assert_eq!(inputs().subnet_ids(), ["subnet-1", "subnet-2"]);
    assert_eq!(inputs().security_group_ids(), ["sg-1"]);
}

#[test]
fn findings_become_input_errors_naming_the_input() {
    let mut observed = account();
    observed.subnets.remove("subnet-2");
    let errors = super::as_errors(&judge(&inputs(), &observed)).unwrap_err();
    assert_eq!(errors.0.len(), 1);
    let text = errors.0[0].to_string();
    assert!(text.contains("ALB_SUBNETS") && text.contains("subnet subnet-2 does not exist"), "{text}");
    assert!(super::as_errors(&[]).is_ok());
}
