//! SSM Parameter Store, for the deploy lease: reads by path that page as AWS warns they may, the
//! hierarchy's depth, and create-if-absent (tests/support/strict/ssm.py).

use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::ParameterType;

use super::world::{World, refusal};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn parameters_by_path_come_in_pages_that_may_be_empty() {
    let world = World::new("strict_parameters_by_path_come_in_pages").await;
    let ssm = Client::new(&world.account.config);
    for name in ["/locks/app/1", "/locks/app/2", "/locks/app/3", "/locks/other/1"] {
        ssm.put_parameter().name(name).value("x").r#type(ParameterType::String).send().await.unwrap();
    }
    let read = ssm.get_parameters_by_path().path("/locks/app");
    assert_eq!(refusal(read.clone().max_results(11).send().await).0, "ValidationException");
    let first = read.clone().max_results(10).send().await.unwrap();
    assert!(first.parameters().is_empty() && first.next_token().is_some(), "{first:?}");
    let (mut names, mut token) = (Vec::new(), first.next_token().map(str::to_owned));
    while let Some(next) = token {
        let page = read.clone().next_token(next).send().await.unwrap();
        names.extend(page.parameters().iter().filter_map(|parameter| parameter.name()).map(str::to_owned));
        token = page.next_token().map(str::to_owned);
    }
    assert_eq!(names, ["/locks/app/1", "/locks/app/2", "/locks/app/3"]);
    assert_eq!(refusal(read.clone().next_token("not ours").send().await).0, "InvalidNextToken");
    let nothing = ssm.get_parameters_by_path().path("/locks/none").send().await.unwrap();
    assert!(nothing.parameters().is_empty() && nothing.next_token().is_none(), "{nothing:?}");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_parameter_is_created_once_in_at_most_fifteen_levels() {
    let world = World::new("strict_a_parameter_is_created_once").await;
    let ssm = Client::new(&world.account.config);
    let put = |name: &str| ssm.put_parameter().name(name).value("x").r#type(ParameterType::String);
    let deep = format!("{}/x", "/l".repeat(15));
    assert_eq!(refusal(put(&deep).send().await).0, "HierarchyLevelLimitExceededException");
    put(&"/l".repeat(15)).send().await.unwrap();
    // The lease's one atomic write: a second create of a name is refused.
    put("/locks/app/1").overwrite(false).send().await.unwrap();
    assert_eq!(refusal(put("/locks/app/1").overwrite(false).send().await).0, "ParameterAlreadyExists");
}
