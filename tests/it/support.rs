//! Running the real `maestro` binary: the shared helpers (`maestro_test_support::cli`) with this
//! crate's binary, whose path only an integration test knows.

use std::collections::BTreeSet;
use std::process::Command;

pub(crate) use maestro_test_support::{
    EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, Scratch, cancel_when, repository_root, run,
};

/// The binary with an empty environment (only PATH), run from the repository root.
pub(crate) fn maestro() -> Command {
    maestro_test_support::cli::command(env!("CARGO_BIN_EXE_maestro"))
}

/// The active services of `cluster` (a deleted one stays described, inactive), every page read.
pub(crate) async fn active_services(account: &maestro_test_support::TestAccount, cluster: &str) -> BTreeSet<String> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let mut arns = Vec::new();
    let mut pages = ecs.list_services().cluster(cluster).into_paginator().send();
    while let Some(page) = pages.next().await {
        arns.extend(page.unwrap().service_arns().iter().cloned());
    }
    let mut active = BTreeSet::new();
    for batch in arns.chunks(10) {
        let described = ecs.describe_services().cluster(cluster).set_services(Some(batch.to_vec())).send();
        let described = described.await.unwrap();
        let names = described.services().iter().filter(|service| service.status() == Some("ACTIVE"));
        active.extend(names.map(|service| service.service_name().unwrap().to_owned()));
    }
    active
}

/// Every call `account` made since its journal started is a read, and none read a secret's value.
pub(crate) async fn only_reads(account: &maestro_test_support::TestAccount) {
    let calls = maestro_test_support::journal(&account.id).await;
    assert!(!calls.is_empty(), "the journal recorded nothing");
    for call in calls {
        let action = call["action"].as_str().unwrap();
        let read = ["Describe", "Get", "List"].iter().any(|prefix| action.starts_with(prefix));
        assert!(read && action != "GetSecretValue", "verify wrote or read a secret value: {call}");
    }
}
