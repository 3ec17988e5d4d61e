//! `maestro rollback` against the emulator: deploy commit A, then B; `rollback` returns every
//! service to A's revisions and records release 3 "rollback to 1"; `rollback --to <B's sha>`
//! goes forward again (release 4). A release that names nothing is bad input; a target whose
//! image is gone fails naming it, with no service changed.

use std::collections::BTreeMap;

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::deploy_cli::maestro_in;
use maestro_test_support::TestAccount;

/// Its own branch, so its families are its own (the emulator's task plans hold across accounts).
const BRANCH: (&str, &str) = ("MAESTRO_BRANCH_OVERRIDE", "rollback-ab");
const REPOSITORY: &str = "acme-shop-api-rollback-ab";
/// The example app's commit (examples/shop/maestro.env), then the next one.
const COMMIT_A: &str = "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c";
const COMMIT_B: &str = "9e8d7c6b5a4f3e2d1c0b9e8d7c6b5a4f3e2d1c0b";
const SERVICES: [&str; 3] = ["web", "worker", "clock"];

/// Each service's task definition, `family:revision`, as ECS describes it.
async fn revisions(account: &TestAccount) -> BTreeMap<String, String> {
    let ecs = aws_sdk_ecs::Client::new(&account.config);
    let clusters = ecs.list_clusters().send().await.unwrap();
    let cluster = clusters.cluster_arns().iter().find(|arn| arn.ends_with("/acme-shop-api-rollback-ab")).unwrap();
    let names = SERVICES.map(|process| format!("{REPOSITORY}-{process}")).to_vec();
    let described = ecs.describe_services().cluster(cluster).set_services(Some(names)).send().await.unwrap();
    described
        .services()
        .iter()
        .map(|service| {
            let arn = service.task_definition().unwrap_or_default();
            let revision = arn.rsplit('/').next().unwrap_or_default();
            (service.service_name().unwrap().to_owned(), revision.to_owned())
        })
        .collect()
}

fn on_revision(revision: u32) -> BTreeMap<String, String> {
    SERVICES
        .iter()
        .map(|process| (format!("{REPOSITORY}-{process}"), format!("{REPOSITORY}-{process}:{revision}")))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn rollback_returns_to_the_previous_release_then_forward_and_a_gone_image_changes_nothing() {
    let account = TestAccount::new("rollback_returns_to_the_previous_release").await;
    // The commit maestro runs as does not matter to a rollback: B's, so A's image is not seeded again.
    let on_b = [BRANCH, ("MAESTRO_COMMIT_OVERRIDE", COMMIT_B)];
    let none = maestro_in(&account, "rollback", "human", &on_b).await;
    none.expect_code(2).expect_stderr(&["no releases of this environment are recorded", "deploy first"]);

    maestro_in(&account, "deploy", "json", &[BRANCH]).await.expect_code(0).expect_stderr(&["recorded release 1"]);
    let only_one = maestro_in(&account, "rollback", "human", &on_b).await;
    only_one.expect_code(2).expect_stderr(&["only one release recorded", "maestro releases"]);
    maestro_in(&account, "deploy", "json", &on_b).await.expect_code(0).expect_stderr(&["recorded release 2"]);
    assert_eq!(revisions(&account).await, on_revision(2));

    // Back to A: every service on release 1's revisions, waited for, recorded as release 3.
    let back = maestro_in(&account, "rollback", "json", &on_b).await.expect_code(0).json();
    assert_eq!(back["target"]["number"], 1, "{back}");
    assert_eq!(back["target"]["commit"], COMMIT_A);
    assert_eq!(back["recorded"], 3);
    assert_eq!(back["aws_calls"]["by_operation"]["ECS.UpdateService"], 3, "{}", back["aws_calls"]);
    let states: Vec<(&str, &str)> = back["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| (service["process"].as_str().unwrap(), service["state"].as_str().unwrap()))
        .collect();
    assert_eq!(states, [("web", "deployed"), ("worker", "deployed"), ("clock", "deployed")]);
    let moved = &back["moved"][0];
    assert_eq!(
        (&moved["from"], &moved["to"]),
        (&json!(format!("{REPOSITORY}-web:2")), &json!(format!("{REPOSITORY}-web:1")))
    );
    assert_eq!(revisions(&account).await, on_revision(1));

    let listed = maestro_in(&account, "releases", "json", &on_b).await.expect_code(0).json();
    assert_eq!(listed["current"], 3);
    let three = &listed["releases"][0];
    assert_eq!((&three["kind"], &three["to"], &three["commit"]), (&json!("rollback"), &json!(1), &json!(COMMIT_A)));
    assert_eq!(three["task_definitions"]["web"], format!("{REPOSITORY}-web:1"));
    let human = maestro_in(&account, "releases", "human", &on_b).await;
    human.expect_code(0).expect_stdout(&["rollback to 1"]);

    // Forward again, by B's commit: release 2's revisions, recorded as release 4, reported to
    // GitHub as a deployment of B's commit (maestro itself runs as A's here).
    let github = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 77})))
        .mount(&github)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!([]))).mount(&github).await;
    let forward = [
        BRANCH,
        ("MAESTRO_COMMIT_OVERRIDE", COMMIT_A),
        ("GITHUB_TOKEN", "fake-token"),
        ("GITHUB_API_URL", &github.uri()),
    ];
    let mut command = crate::deploy_cli::command_in(&account, "rollback", "human", &forward).await;
    let again = crate::support::run(command.args(["--to", &COMMIT_B[..10]]));
    again.expect_code(0).expect_stdout(&["to release 2 (9e8d7c6b)", "recorded release 4 (rollback to 2)"]);
    assert_eq!(revisions(&account).await, on_revision(2));
    let requests = github.received_requests().await.unwrap();
    let posted: Vec<(String, serde_json::Value)> = requests
        .iter()
        .filter(|request| request.method.as_str() == "POST")
        .map(|request| (request.url.path().to_owned(), serde_json::from_slice(&request.body).unwrap_or_default()))
        .collect();
    let deployment = posted.iter().find(|(path, _)| path == "/repos/acme/shop-api/deployments");
    assert_eq!(deployment.map(|(_, body)| &body["ref"]), Some(&json!(COMMIT_B)), "{posted:?}");
    let statuses: Vec<&str> = posted
        .iter()
        .filter(|(path, _)| path.ends_with(&format!("/statuses/{COMMIT_B}")))
        .map(|(_, body)| body["state"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses.last(), Some(&"success"), "{posted:?}");
    assert!(!posted.iter().any(|(path, _)| path.contains(COMMIT_A)), "nothing reported on A: {posted:?}");

    // The current release named: said, nothing written.
    let mut command = crate::deploy_cli::command_in(&account, "rollback", "json", &on_b).await;
    let current = crate::support::run(command.args(["--to", "4"])).expect_code(0).json();
    assert_eq!(current["already_current"], 4);
    assert_eq!(current["aws_calls"]["by_operation"].get("ECS.UpdateService"), None, "{}", current["aws_calls"]);

    // No release 99: bad input naming --to, listing the releases.
    let mut command = crate::deploy_cli::command_in(&account, "rollback", "human", &on_b).await;
    let missing = crate::support::run(command.args(["--to", "99"]));
    missing.expect_code(2).expect_stderr(&["maestro rollback --to", "there is no release 99", "4, 3, 2, 1"]);

    // A's image deleted (retention): the rollback to release 3 fails naming it; nothing changes.
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    let images = ecr.describe_images().repository_name(REPOSITORY).send().await.unwrap();
    let a = images.image_details().iter().find(|image| image.image_tags().iter().any(|tag| tag == &COMMIT_A[..8]));
    let digest = a.unwrap().image_digest().unwrap().to_owned();
    let id = aws_sdk_ecr::types::ImageIdentifier::builder().image_digest(&digest).build();
    ecr.batch_delete_image().repository_name(REPOSITORY).image_ids(id).send().await.unwrap();
    let gone = maestro_in(&account, "rollback", "human", &on_b).await;
    gone.expect_code(1).expect_stderr(&[
        "the image of release 3",
        &format!("{REPOSITORY}@{digest}"),
        "is no longer in its registry",
        "nothing was changed",
        "maestro deploy --sha 3f2a9c1d",
    ]);
    assert_eq!(revisions(&account).await, on_revision(2), "no service changed");
    let listed = maestro_in(&account, "releases", "json", &on_b).await.expect_code(0).json();
    assert_eq!(listed["current"], 4, "nothing recorded");
}
