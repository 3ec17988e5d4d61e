//! EC2, for `maestro verify`: no strict rule is needed, since moto already answers these reads as
//! AWS documents; these tests pin the answers `src/aws/ec2.rs` relies on, so a moto upgrade that
//! changes them fails here rather than in a verify test (docs/emulator.md, EC2).

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;

use super::world::{World, refusal};

const UNKNOWN_SUBNET: &str = "subnet-0123456789abcdef0";
const UNKNOWN_GROUP: &str = "sg-0123456789abcdef0";

fn filter(name: &str, values: &[&str]) -> Filter {
    Filter::builder().name(name).set_values(Some(values.iter().map(|value| (*value).to_owned()).collect())).build()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn unknown_ids_are_refused_by_id_and_left_out_by_filter() {
    let world = World::new("strict_ec2_unknown_ids_are_refused_by_id").await;
    let ec2 = Client::new(&world.account.config);
    let (subnet, group) = (world.network.subnets[0].as_str(), world.network.security_group.as_str());
    // With ids, one unknown id fails the call: "InvalidSubnetID.NotFound" / "InvalidGroup.NotFound"
    // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
    let by_id = ec2.describe_subnets().subnet_ids(subnet).subnet_ids(UNKNOWN_SUBNET).send().await;
    assert_eq!(refusal(by_id).0, "InvalidSubnetID.NotFound");
    let by_id = ec2.describe_security_groups().group_ids(group).group_ids(UNKNOWN_GROUP).send().await;
    assert_eq!(refusal(by_id).0, "InvalidGroup.NotFound");
    // With the `subnet-id` and `group-id` filters, those that exist, in one answer: without
    // MaxResults, "all items are returned" (aws-sdk-ec2 DescribeSecurityGroups.max_results).
    let found = ec2.describe_subnets().filters(filter("subnet-id", &[subnet, UNKNOWN_SUBNET])).send().await.unwrap();
    let ids: Vec<&str> = found.subnets().iter().filter_map(|subnet| subnet.subnet_id()).collect();
    assert_eq!(ids, [subnet]);
    assert!(found.next_token().is_none(), "{found:?}");
    assert!(found.subnets()[0].vpc_id().is_some() && found.subnets()[0].availability_zone().is_some());
    let found =
        ec2.describe_security_groups().filters(filter("group-id", &[group, UNKNOWN_GROUP])).send().await.unwrap();
    let ids: Vec<&str> = found.security_groups().iter().filter_map(|group| group.group_id()).collect();
    assert_eq!(ids, [group]);
    assert_eq!(found.security_groups()[0].vpc_id(), Some(world.network.vpc_id.as_str()));
}
