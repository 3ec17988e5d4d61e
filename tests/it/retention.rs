//! Image retention: each release's image tagged `release-<n>` in ECR, and the repository's
//! lifecycle policy following `MAESTRO_IMAGE_RETENTION` (a write only when it changes).
//! The emulator does not evaluate lifecycle policies: what a policy expires is the core's model's
//! test (crates/maestro-core/src/build/lifecycle_tests.rs).

use serde_json::{Value, json};

use crate::deploy_cli::maestro_in;
use maestro_core::build::lifecycle::{self, Retention};
use maestro_test_support::TestAccount;

/// Its own branch, hence its own families and repository (the emulator's task plans are kept
/// per family across accounts).
const BRANCH: (&str, &str) = ("MAESTRO_BRANCH_OVERRIDE", "retention-ab");
const REPOSITORY: &str = "acme-shop-api-retention-ab";
/// The example app's commit (examples/shop/maestro.env), then the next one.
const COMMIT_A: &str = "3f2a9c1d7e4b5a6c8d9e0f1a2b3c4d5e6f7a8b9c";
const COMMIT_B: &str = "9e8d7c6b5a4f3e2d1c0b9e8d7c6b5a4f3e2d1c0b";

/// The policy an earlier maestro gave the repositories it created: no rule for releases.
fn earlier_policy() -> String {
    let rule = |priority: u32, selection: Value| {
        json!({"rulePriority": priority, "description": format!("maestro: rule {priority}"), "selection": selection,
            "action": {"type": "expire"}})
    };
    let rules = [
        rule(
            1,
            json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}),
        ),
        rule(
            2,
            json!({"tagStatus": "tagged", "tagPatternList": ["latest"], "countType": "imageCountMoreThan", "countNumber": 1}),
        ),
        rule(
            3,
            json!({"tagStatus": "tagged", "tagPatternList": ["cache"], "countType": "imageCountMoreThan", "countNumber": 1}),
        ),
        rule(4, json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30})),
    ];
    json!({ "rules": rules }).to_string()
}

async fn live_policy(ecr: &aws_sdk_ecr::Client) -> Value {
    let policy = ecr.get_lifecycle_policy().repository_name(REPOSITORY).send().await.unwrap();
    serde_json::from_str(policy.lifecycle_policy_text().unwrap()).unwrap()
}

fn policy(images: u32) -> Value {
    serde_json::from_str(&lifecycle::policy(Retention::new(images).unwrap())).unwrap()
}

/// The tags of the image tagged `tag`.
async fn tags_of(ecr: &aws_sdk_ecr::Client, tag: &str) -> Vec<String> {
    let (mut tags, mut token) = (None, None);
    loop {
        let page = ecr.describe_images().repository_name(REPOSITORY).set_next_token(token).send().await.unwrap();
        for image in page.image_details() {
            if image.image_tags().iter().any(|t| t == tag) {
                tags = Some(image.image_tags().to_vec());
            }
        }
        token = page.next_token().map(str::to_owned);
        if token.is_none() {
            return tags.unwrap_or_else(|| panic!("no image tagged {tag}"));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn release_images_are_tagged_and_the_policy_follows_the_retention() {
    let account = TestAccount::new("release_images_are_tagged_and_the_policy_follows").await;
    let ecr = aws_sdk_ecr::Client::new(&account.config);
    // A repository an earlier maestro created, with its policy.
    ecr.create_repository().repository_name(REPOSITORY).send().await.unwrap();
    let put = ecr.put_lifecycle_policy().repository_name(REPOSITORY);
    put.clone().lifecycle_policy_text(earlier_policy()).send().await.unwrap();

    // A bad retention is bad input, before any AWS write.
    let refused = maestro_in(&account, "deploy", "json", &[BRANCH, ("MAESTRO_IMAGE_RETENTION", "0")]).await;
    refused.expect_code(2).expect_stderr(&["MAESTRO_IMAGE_RETENTION", "1 to 100000"]);
    assert_eq!(live_policy(&ecr).await, serde_json::from_str::<Value>(&earlier_policy()).unwrap());

    // A, then B: two releases, each image tagged with its number; the policy became today's.
    let first = maestro_in(&account, "deploy", "json", &[BRANCH]).await;
    let report = first.expect_code(0).json();
    first.expect_stderr(&["recorded release 1", "tagged the release's image release-1"]);
    assert_eq!(report["aws_calls"]["by_operation"]["ECR.PutLifecyclePolicy"], 1, "{}", report["aws_calls"]);
    assert_eq!(live_policy(&ecr).await, policy(30));
    let next = [BRANCH, ("MAESTRO_COMMIT_OVERRIDE", COMMIT_B)];
    let second = maestro_in(&account, "deploy", "json", &next).await;
    second.expect_code(0).expect_stderr(&["recorded release 2", "tagged the release's image release-2"]);
    let a = tags_of(&ecr, &COMMIT_A[..8]).await;
    let b = tags_of(&ecr, &COMMIT_B[..8]).await;
    assert!(a.contains(&"release-1".to_owned()) && !a.contains(&"release-2".to_owned()), "{a:?}");
    assert!(b.contains(&"release-2".to_owned()) && !b.contains(&"release-1".to_owned()), "{b:?}");
    let live = live_policy(&ecr).await;
    let releases = live["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["selection"]["tagPatternList"] == json!(["release-*"]));
    assert_eq!(releases.unwrap()["selection"]["countNumber"], 30, "{live}");

    // Another retention: the policy is updated, and nothing else is written.
    let retention = [BRANCH, ("MAESTRO_COMMIT_OVERRIDE", COMMIT_B), ("MAESTRO_IMAGE_RETENTION", "12")];
    let report = maestro_in(&account, "deploy", "json", &retention).await.expect_code(0).json();
    assert_eq!(report["actions"], json!([]));
    assert_eq!(report["aws_calls"]["writes"], 1, "{}", report["aws_calls"]);
    assert_eq!(report["aws_calls"]["by_operation"]["ECR.PutLifecyclePolicy"], 1, "{}", report["aws_calls"]);
    assert_eq!(live_policy(&ecr).await, policy(12));
    // The same again: zero writes, one read of the policy.
    let report = maestro_in(&account, "deploy", "json", &retention).await.expect_code(0).json();
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", report["aws_calls"]);
    assert_eq!(report["aws_calls"]["by_operation"]["ECR.GetLifecyclePolicy"], 1, "{}", report["aws_calls"]);

    // A policy the owner wrote is theirs: kept, whatever the setting.
    let owners = json!({"rules": [{"rulePriority": 1, "description": "keep 500", "selection": {"tagStatus": "any",
        "countType": "imageCountMoreThan", "countNumber": 500}, "action": {"type": "expire"}}]});
    put.lifecycle_policy_text(owners.to_string()).send().await.unwrap();
    let report = maestro_in(&account, "deploy", "json", &retention).await.expect_code(0).json();
    assert_eq!(report["aws_calls"]["writes"], 0, "{}", report["aws_calls"]);
    assert_eq!(live_policy(&ecr).await, owners);
}
