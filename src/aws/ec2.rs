//! EC2: the subnets and security groups the inputs name, read for `maestro verify`.
//!
//! Ids are asked for with a filter, not `SubnetIds`/`GroupIds`: with ids, one unknown id fails the
//! whole call ("InvalidSubnetID.NotFound", "InvalidGroup.NotFound"), naming only one of them; with
//! the `subnet-id` and `group-id` filters, AWS answers with those that exist, so one read names
//! every missing id (DescribeSubnets and DescribeSecurityGroups' `Filter.N`,
//! https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html).

use aws_sdk_ec2::Client;
use aws_sdk_ec2::types::Filter;

use super::failure::failure;
use crate::error::Failure;
use maestro_core::verify::network::{ObservedNetwork, ObservedSubnet};

#[derive(Debug, Clone)]
pub(crate) struct Ec2(pub(crate) Client);

impl Ec2 {
    /// Those of `subnets` and `security_groups` that exist, each with its VPC (and a subnet's zone).
    pub(crate) async fn network(
        &self,
        subnets: &[String],
        security_groups: &[String],
    ) -> Result<ObservedNetwork, Failure> {
        // The subnets and the security groups are read at once: neither needs the other.
        let (subnet_vpcs, group_vpcs) = tokio::join!(
            async {
                let mut found = std::collections::BTreeMap::new();
                if subnets.is_empty() {
                    return Ok(found);
                }
                let filter = Filter::builder().name("subnet-id").set_values(Some(subnets.to_vec())).build();
                let mut pages = self.0.describe_subnets().filters(filter).into_paginator().send();
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|error| failure("read the subnets", &error))?;
                    for subnet in page.subnets() {
                        let (Some(id), Some(vpc_id)) = (subnet.subnet_id(), subnet.vpc_id()) else { continue };
                        let availability_zone = subnet.availability_zone().unwrap_or_default().to_owned();
                        found.insert(id.to_owned(), ObservedSubnet { vpc_id: vpc_id.to_owned(), availability_zone });
                    }
                }
                Ok::<_, Failure>(found)
            },
            async {
                let mut found = std::collections::BTreeMap::new();
                if security_groups.is_empty() {
                    return Ok(found);
                }
                let filter = Filter::builder().name("group-id").set_values(Some(security_groups.to_vec())).build();
                let mut pages = self.0.describe_security_groups().filters(filter).into_paginator().send();
                while let Some(page) = pages.next().await {
                    let page = page.map_err(|error| failure("read the security groups", &error))?;
                    for group in page.security_groups() {
                        let (Some(id), Some(vpc_id)) = (group.group_id(), group.vpc_id()) else { continue };
                        found.insert(id.to_owned(), vpc_id.to_owned());
                    }
                }
                Ok::<_, Failure>(found)
            },
        );
        // The subnets' failure said first, whichever answers first.
        Ok(ObservedNetwork { subnets: subnet_vpcs?, security_groups: group_vpcs? })
    }
}
