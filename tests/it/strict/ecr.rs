//! ECR: the lifecycle policy's documented rules between fields, which moto's schema check lets
//! through (tests/support/strict/ecr.py), and maestro's own policy accepted by all of them.

use aws_sdk_ecr::Client;
use serde_json::{Value, json};

use super::world::refusal;
use maestro_core::build::lifecycle::{self, Retention};
use maestro_test_support::TestAccount;

fn rule(priority: Value, selection: Value) -> Value {
    json!({"rulePriority": priority, "description": "a rule of this test", "selection": selection,
        "action": {"type": "expire"}})
}

fn count(status: &str, number: u32) -> Value {
    json!({"tagStatus": status, "countType": "imageCountMoreThan", "countNumber": number})
}

fn tagged(patterns: &[&str]) -> Value {
    json!({"tagStatus": "tagged", "tagPatternList": patterns, "countType": "imageCountMoreThan", "countNumber": 3})
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the AWS emulator: bash scripts/test.sh"]
async fn a_lifecycle_policy_follows_the_documented_rules() {
    let account = TestAccount::new("strict_a_lifecycle_policy_follows_the_documented_rules").await;
    let ecr = Client::new(&account.config);
    ecr.create_repository().repository_name("strict").send().await.unwrap();
    let put = |rules: Vec<Value>| {
        let text = json!({ "rules": rules }).to_string();
        ecr.put_lifecycle_policy().repository_name("strict").lifecycle_policy_text(text).send()
    };
    let refused = |(code, message): (String, String), says: &str| {
        assert_eq!(code, "InvalidParameterException", "{message}");
        assert!(message.contains(says), "{message}");
    };

    // maestro's own, for every retention, is accepted.
    for images in [1, 30, 100_000] {
        let text = lifecycle::policy(Retention::new(images).unwrap());
        ecr.put_lifecycle_policy().repository_name("strict").lifecycle_policy_text(text).send().await.unwrap();
    }
    // Priorities: positive, unique; `any` last and alone.
    refused(refusal(put(vec![rule(json!(0), count("any", 1))]).await), "positive");
    refused(refusal(put(vec![rule(json!(2), tagged(&["a*"])), rule(json!(2), tagged(&["b*"]))]).await), "unique");
    refused(refusal(put(vec![rule(json!(1), count("any", 5)), rule(json!(2), tagged(&["a*"]))]).await), "any");
    refused(refusal(put(vec![rule(json!(1), count("any", 5)), rule(json!(2), count("any", 6))]).await), "any");
    // tagged needs a tag list, untagged has none; at most four wildcards a pattern.
    refused(refusal(put(vec![rule(json!(1), count("tagged", 1))]).await), "tagPatternList");
    let untagged =
        json!({"tagStatus": "untagged", "tagPrefixList": ["a"], "countType": "imageCountMoreThan", "countNumber": 1});
    refused(refusal(put(vec![rule(json!(1), untagged)]).await), "omitted");
    put(vec![rule(json!(1), tagged(&["a*b*c*d*"]))]).await.unwrap();
    refused(refusal(put(vec![rule(json!(1), tagged(&["*a*b*c*d*"]))]).await), "wildcards");
    // countUnit with sinceImagePushed only; countNumber at least 1 (moto's own check).
    let since = json!({"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 14});
    refused(refusal(put(vec![rule(json!(1), since)]).await), "countUnit");
    let unit = json!({"tagStatus": "any", "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 3});
    refused(refusal(put(vec![rule(json!(1), unit)]).await), "countUnit");
    refused(refusal(put(vec![rule(json!(1), count("any", 0))]).await), "minimum");
    // The text: 100 to 30720 characters.
    let long: Vec<Value> = (1..=200).map(|priority| rule(json!(priority), tagged(&["a*"]))).collect();
    refused(refusal(put(long).await), "length");
    let short = ecr.put_lifecycle_policy().repository_name("strict").lifecycle_policy_text(r#"{"rules":[]}"#);
    refused(refusal(short.send().await), "length");
    // A refused policy left the last accepted one in place.
    let live = ecr.get_lifecycle_policy().repository_name("strict").send().await.unwrap();
    assert!(live.lifecycle_policy_text().unwrap().contains("a*b*c*d*"));
}
