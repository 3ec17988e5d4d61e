//! ECS's documented request rates: a token bucket per account, Region and category of actions,
//! whose capacity is the burst and which refills at the sustained rate each second
//! (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html). The table
//! is that page's, as data; the emulator's (tests/support/strict/ecs_throttling.py) is the same.

/// A bucket's size and refill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// The calls that may go at once from a full bucket.
    pub burst: u32,
    /// The calls a second the bucket refills by.
    pub per_second: u32,
}

/// A category of ECS actions sharing one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EcsCategory {
    ClusterModify,
    ClusterRead,
    TaskDefinitionModify,
    TaskDefinitionRead,
    TaskDefinitionDeletion,
    CapacityProviderModify,
    CapacityProviderRead,
    TagModify,
    TagRead,
    SettingModify,
    SettingRead,
    ClusterResourceModify,
    ClusterResourceRead,
    AgentModify,
    ServiceModify,
    ServiceRead,
    ServiceDeployment,
    ServiceRevision,
    TaskProtection,
    ClusterServiceResourceRead,
}

use EcsCategory::*;

/// The reference's table, row by row: the category, its burst and sustained rate, its actions.
const TABLE: [(EcsCategory, u32, u32, &[&str]); 20] = [
    (
        ClusterModify,
        20,
        1,
        &["CreateCluster", "DeleteCluster", "PutClusterCapacityProviders", "UpdateCluster", "UpdateClusterSettings"],
    ),
    (ClusterRead, 50, 20, &["DescribeClusters", "ListClusters"]),
    (TaskDefinitionModify, 20, 1, &["DeregisterTaskDefinition", "RegisterTaskDefinition"]),
    (TaskDefinitionRead, 50, 20, &["DescribeTaskDefinition", "ListTaskDefinitions", "ListTaskDefinitionFamilies"]),
    (TaskDefinitionDeletion, 5, 1, &["DeleteTaskDefinitions"]),
    (CapacityProviderModify, 10, 1, &["CreateCapacityProvider", "DeleteCapacityProvider", "UpdateCapacityProvider"]),
    (CapacityProviderRead, 50, 20, &["DescribeCapacityProviders"]),
    (TagModify, 20, 10, &["TagResource", "UntagResource"]),
    (TagRead, 50, 20, &["ListTagsForResource"]),
    (SettingModify, 10, 1, &["DeleteAccountSetting", "PutAccountSetting", "PutAccountSettingDefault"]),
    (SettingRead, 50, 20, &["ListAccountSettings"]),
    (
        ClusterResourceModify,
        100,
        40,
        &[
            "DeleteAttributes",
            "DeregisterContainerInstance",
            "ExecuteCommand",
            "PutAttributes",
            "RunTask",
            "StartTask",
            "StopTask",
            "UpdateContainerAgent",
            "UpdateContainerInstancesStates",
        ],
    ),
    (
        ClusterResourceRead,
        100,
        20,
        &["DescribeContainerInstances", "DescribeTasks", "ListAttributes", "ListContainerInstances", "ListTasks"],
    ),
    (
        AgentModify,
        200,
        120,
        &[
            "RegisterContainerInstance",
            "SubmitAttachmentStateChanges",
            "SubmitContainerStateChange",
            "SubmitTaskStateChange",
        ],
    ),
    (ServiceModify, 50, 5, &["CreateService", "DeleteService", "UpdateService"]),
    (ServiceRead, 100, 20, &["DescribeServices", "ListServices"]),
    (ServiceDeployment, 50, 20, &["DescribeServiceDeployments", "ListServiceDeployments"]),
    (ServiceRevision, 50, 20, &["DescribeServiceRevisions"]),
    (TaskProtection, 200, 80, &["UpdateTaskProtection", "GetTaskProtection"]),
    (ClusterServiceResourceRead, 10, 1, &["ListServicesByNamespace"]),
];

impl EcsCategory {
    /// The category of ECS action `action` (`RegisterTaskDefinition`); `None` for an action the
    /// table does not list (StopServiceDeployment), which is not paced.
    pub fn of(action: &str) -> Option<Self> {
        TABLE.iter().find(|(_, _, _, actions)| actions.contains(&action)).map(|(category, ..)| *category)
    }

    /// The category's bucket.
    pub fn rate(self) -> Rate {
        TABLE
            .iter()
            .find(|(category, ..)| *category == self)
            .map(|(_, burst, per_second, _)| Rate { burst: *burst, per_second: *per_second })
            .unwrap_or(Rate { burst: 1, per_second: 1 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_category_is_in_the_table_once_and_each_action_in_one_category() {
        for (index, (category, ..)) in TABLE.iter().enumerate() {
            assert!(TABLE[index + 1..].iter().all(|(other, ..)| other != category), "{category:?} twice");
        }
        let actions: Vec<&str> = TABLE.iter().flat_map(|(.., actions)| actions.iter().copied()).collect();
        for (index, action) in actions.iter().enumerate() {
            assert!(!actions[index + 1..].contains(action), "{action} in two categories");
        }
        assert_eq!(actions.len(), 53);
    }

    #[test]
    fn the_calls_a_deploy_makes_have_the_documented_rates() {
        let rate = |action| EcsCategory::of(action).map(EcsCategory::rate);
        assert_eq!(rate("RegisterTaskDefinition"), Some(Rate { burst: 20, per_second: 1 }));
        assert_eq!(rate("DeregisterTaskDefinition"), rate("RegisterTaskDefinition"));
        assert_eq!(rate("CreateService"), Some(Rate { burst: 50, per_second: 5 }));
        assert_eq!(rate("DescribeServices"), Some(Rate { burst: 100, per_second: 20 }));
        assert_eq!(rate("RunTask"), Some(Rate { burst: 100, per_second: 40 }));
        assert_eq!(rate("DeleteTaskDefinitions"), Some(Rate { burst: 5, per_second: 1 }));
        assert_eq!(rate("TagResource"), Some(Rate { burst: 20, per_second: 10 }));
        assert_eq!(rate("StopServiceDeployment"), None);
    }
}
