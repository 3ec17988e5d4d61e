//! SSM Parameter Store, for the deploy lease and the release records: reads by path that page as
//! AWS warns they may, the hierarchy's depth, create-if-absent, a Standard value's size, and
//! GetParameterHistory's bounds, pages and last 100 versions (tests/support/strict/ssm.py).

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

/// Every version of `name` GetParameterHistory holds, read to the last page, as (version, value).
async fn history(ssm: &Client, name: &str) -> (Vec<(i64, String)>, usize) {
    let (mut versions, mut pages, mut token) = (Vec::new(), 0, None);
    loop {
        let page = ssm.get_parameter_history().name(name).max_results(50).set_next_token(token).send().await.unwrap();
        pages += 1;
        versions.extend(page.parameters().iter().map(|p| (p.version(), p.value().unwrap_or_default().to_owned())));
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return (versions, pages);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_standard_value_holds_at_most_4096_characters() {
    let world = World::new("strict_a_standard_value_holds_at_most_4096").await;
    let ssm = Client::new(&world.account.config);
    let put = |value: String| {
        ssm.put_parameter().name("/releases/app").value(value).r#type(ParameterType::String).overwrite(true)
    };
    put("x".repeat(4096)).send().await.unwrap();
    let (code, message) = refusal(put("x".repeat(4097)).send().await);
    assert_eq!(code, "ValidationException");
    assert!(message.contains("4096 characters"), "{message}");
    // Characters, not bytes: 4096 two-byte characters fit.
    put("é".repeat(4096)).send().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn parameter_history_comes_in_bounded_pages_of_the_last_100_versions() {
    let world = World::new("strict_parameter_history_comes_in_pages").await;
    let ssm = Client::new(&world.account.config);
    let name = "/releases/app";
    for n in 1..=103 {
        let put = ssm.put_parameter().name(name).value(format!("v{n}")).r#type(ParameterType::String);
        put.overwrite(true).send().await.unwrap();
    }
    let read = ssm.get_parameter_history().name(name);
    for bad in [0, 51] {
        assert_eq!(refusal(read.clone().max_results(bad).send().await).0, "ValidationException", "{bad}");
    }
    let first = read.clone().max_results(50).send().await.unwrap();
    assert!(first.parameters().len() < 50 && first.next_token().is_some(), "small pages: {first:?}");
    let (versions, pages) = history(&ssm, name).await;
    assert!(pages > 2, "{pages}");
    // SSM keeps the newest 100 versions; the three oldest are gone, the numbers go on.
    let numbers: Vec<i64> = versions.iter().map(|(version, _)| *version).collect();
    assert_eq!(numbers, (4..=103).collect::<Vec<_>>());
    assert_eq!(versions.last().unwrap().1, "v103");
    assert_eq!(refusal(read.clone().next_token("not ours").send().await).0, "InvalidNextToken");
    assert_eq!(refusal(ssm.get_parameter_history().name("/releases/none").send().await).0, "ParameterNotFound");
}
