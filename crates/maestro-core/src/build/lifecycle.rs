//! What the ECR repository maestro creates keeps: every image a deploy may still need, and not
//! every commit's forever (a repository holds at most 20,000 images, and each is billed).
//!
//! The build skips `pack` when the commit's image exists; an expired one is simply built again,
//! so the skip keeps working. The policy is set only on a repository maestro creates: one that
//! exists keeps whatever policy its owner gave it.

use serde_json::{Value, json};

use super::pack::{CACHE_TAG, LATEST_TAG};

/// The commits' images kept (each deploy pushes one, tagged with its short sha).
pub const KEPT_IMAGES: u32 = 30;

/// Days an untagged image is kept: pack's previous cache image, once `cache` moves on.
pub const UNTAGGED_DAYS: u32 = 14;

/// The lifecycle policy's text, for PutLifecyclePolicy. Rules apply in `rulePriority` order, and
/// "an image that matches the tagging requirements of a rule cannot be expired by a rule with a
/// lower priority" (Amazon ECR User Guide, Lifecycle policies): the rules for `latest` and
/// `cache` each keep their one image, so the last rule, which counts every image ("A rule with a
/// tagStatus value of any must have the highest value for rulePriority"), never expires them.
/// Each tag has its own rule because a pattern list selects only images with all its tags.
pub fn policy() -> String {
    let keep_one = |priority: u32, tag: &str| {
        json!({
            "rulePriority": priority,
            "description": format!("maestro: keep the image tagged {tag}"),
            "selection": {"tagStatus": "tagged", "tagPatternList": [tag], "countType": "imageCountMoreThan", "countNumber": 1},
            "action": {"type": "expire"}
        })
    };
    let rules: Vec<Value> = vec![
        json!({
            "rulePriority": 1,
            "description": format!("maestro: untagged images (replaced build caches) after {UNTAGGED_DAYS} days"),
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": UNTAGGED_DAYS},
            "action": {"type": "expire"}
        }),
        keep_one(2, LATEST_TAG),
        keep_one(3, CACHE_TAG),
        json!({
            "rulePriority": 4,
            "description": format!("maestro: the last {KEPT_IMAGES} commits' images"),
            "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": KEPT_IMAGES},
            "action": {"type": "expire"}
        }),
    ];
    json!({ "rules": rules }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_and_cache_are_kept_before_the_commits_are_counted() {
        let policy: Value = serde_json::from_str(&policy()).unwrap();
        let rules = policy["rules"].as_array().unwrap();
        let priorities: Vec<u64> = rules.iter().map(|rule| rule["rulePriority"].as_u64().unwrap()).collect();
        assert_eq!(priorities, [1, 2, 3, 4]);
        let selections: Vec<&Value> = rules.iter().map(|rule| &rule["selection"]).collect();
        assert_eq!(selections[0]["tagStatus"], "untagged");
        assert_eq!((&selections[1]["tagPatternList"], &selections[1]["countNumber"]), (&json!(["latest"]), &json!(1)));
        assert_eq!((&selections[2]["tagPatternList"], &selections[2]["countNumber"]), (&json!(["cache"]), &json!(1)));
        // `any` must come last, and counts what the earlier rules did not keep.
        assert_eq!((&selections[3]["tagStatus"], &selections[3]["countNumber"]), (&json!("any"), &json!(30)));
        assert!(rules.iter().all(|rule| rule["action"]["type"] == "expire"));
    }
}
