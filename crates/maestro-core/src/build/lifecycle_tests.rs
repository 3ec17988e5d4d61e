//! The policy, and what it expires: a model of ECR's lifecycle evaluation (the emulator does not
//! evaluate policies) applied to a repository's images.

use std::collections::BTreeSet;

use super::*;

/// Time in tenths of a day, so that no two pushes tie.
const DAY: u32 = 10;

/// One image: its tags and when it was pushed (in tenths of a day; larger is newer).
struct Image {
    name: &'static str,
    tags: Vec<String>,
    pushed: u32,
}

fn image(name: &'static str, tags: &[&str], pushed: u32) -> Image {
    Image { name, tags: tags.iter().map(|tag| (*tag).to_owned()).collect(), pushed }
}

/// `*` matches any run of characters, as in a `tagPatternList` entry.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            text.starts_with(head) && (0..=text.len() - head.len()).any(|skip| glob(rest, &text[head.len() + skip..]))
        }
    }
}

/// Whether `rule`'s selection takes `image`, by tags: `any` takes every image, `untagged` the
/// images without a tag, `tagged` those with a tag matching each pattern ("If you specify
/// multiple tags, only the images with all specified tags are selected").
fn selects(rule: &Value, image: &Image) -> bool {
    let selection = &rule["selection"];
    match selection["tagStatus"].as_str().unwrap() {
        "any" => true,
        "untagged" => image.tags.is_empty(),
        "tagged" => {
            let patterns: Vec<String> = match selection.get("tagPatternList") {
                Some(list) => list.as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect(),
                None => selection["tagPrefixList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| format!("{}*", p.as_str().unwrap()))
                    .collect(),
            };
            !image.tags.is_empty() && patterns.iter().all(|pattern| image.tags.iter().any(|tag| glob(pattern, tag)))
        }
        other => panic!("tagStatus {other}"),
    }
}

/// ECR's evaluation (Amazon ECR User Guide, "How lifecycle policies work" and "Examples of
/// lifecycle policies"): rules by ascending priority; each marks, among the images its selection
/// takes (counted whether or not an earlier rule took them), those beyond `countNumber` newest,
/// or pushed more than `countNumber` days before `today`; a marked image is expired unless a
/// rule of higher priority selected it ("An image that matches the tagging requirements of a
/// rule cannot be expired by a rule with a lower priority"). The names of the expired images.
fn expired(policy: &str, images: &[Image], today: u32) -> BTreeSet<&'static str> {
    let policy: Value = serde_json::from_str(policy).unwrap();
    let mut rules = policy["rules"].as_array().unwrap().clone();
    rules.sort_by_key(|rule| rule["rulePriority"].as_u64().unwrap());
    let mut taken = vec![false; images.len()];
    let mut gone = BTreeSet::new();
    for rule in &rules {
        let mut selected: Vec<usize> = (0..images.len()).filter(|&i| selects(rule, &images[i])).collect();
        selected.sort_by_key(|&i| std::cmp::Reverse(images[i].pushed));
        let count = rule["selection"]["countNumber"].as_u64().unwrap() as usize;
        let marked: Vec<usize> = match rule["selection"]["countType"].as_str().unwrap() {
            "imageCountMoreThan" => selected.iter().skip(count).copied().collect(),
            "sinceImagePushed" => {
                selected.iter().filter(|&&i| ((today - images[i].pushed) / DAY) as usize > count).copied().collect()
            }
            other => panic!("countType {other}"),
        };
        for i in marked {
            if !taken[i] {
                gone.insert(images[i].name);
            }
        }
        for i in selected {
            taken[i] = true;
        }
    }
    gone
}

/// 40 commits' images pushed a day apart (`c1` oldest, `c40` the newest, also `latest`), the
/// last 5 releases deployed the old commits `c2`, `c4`, `c6`, `c8`, `c10`, the build cache, and
/// two replaced caches (untagged), one 27 days old, one 5.
fn repository() -> Vec<Image> {
    const NAMES: [&str; 40] = [
        "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12", "c13", "c14", "c15", "c16", "c17",
        "c18", "c19", "c20", "c21", "c22", "c23", "c24", "c25", "c26", "c27", "c28", "c29", "c30", "c31", "c32", "c33",
        "c34", "c35", "c36", "c37", "c38", "c39", "c40",
    ];
    let mut images: Vec<Image> = NAMES
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let day = index as u32 + 1;
            let sha = format!("sha{day}");
            let mut tags = vec![sha];
            if let Some(release) = [2, 4, 6, 8, 10].iter().position(|&commit| commit == day) {
                tags.push(release_tag(release as u64 + 1));
            }
            if day == 40 {
                tags.push(LATEST_TAG.to_owned());
            }
            Image { name, tags, pushed: day * DAY }
        })
        .collect();
    images.push(image("cache", &[CACHE_TAG], 401));
    images.push(image("old-cache", &[], 140));
    images.push(image("recent-cache", &[], 351));
    images
}

/// Day 41.
const TODAY: u32 = 41 * DAY;

#[test]
fn the_policy_expires_only_unprotected_images_beyond_the_retention() {
    let gone = expired(&policy(Retention::default()), &repository(), TODAY);
    // The last rule counts every image: the newest 30 are the cache, c14 to c40 and both
    // untagged ones; of the 13 older commits, the releases' images are kept by their rule, and
    // the old untagged image, though counted among the 30, goes by age.
    assert_eq!(gone, BTreeSet::from(["c1", "c3", "c5", "c7", "c9", "c11", "c12", "c13", "old-cache"]));
}

#[test]
fn beyond_the_last_n_releases_a_release_image_expires_too() {
    let gone = expired(&policy(Retention::new(3).unwrap()), &repository(), TODAY);
    let kept: BTreeSet<&str> =
        repository().iter().map(|image| image.name).filter(|name| !gone.contains(name)).collect();
    // The newest 3 (cache, c40 also `latest`, c39), the untagged image not yet old, and the last
    // 3 releases' images (c6, c8, c10); release-1 and release-2 (c2, c4) are beyond them.
    assert_eq!(kept, BTreeSet::from(["cache", "c40", "c39", "recent-cache", "c6", "c8", "c10"]));
}

#[test]
fn an_image_taken_by_a_rule_cannot_be_expired_by_a_later_one() {
    // The ECR User Guide's example "Filtering on multiple rules": A (beta-1, prod-1), B (beta-2,
    // prod-2), C (beta-3); prod* keeps 1, then beta* keeps 1. Only A is expired: B is prod's one.
    let rule = |priority: u32, pattern: &str| {
        json!({"rulePriority": priority, "selection": {"tagStatus": "tagged", "tagPatternList": [pattern],
            "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}})
    };
    let policy = json!({"rules": [rule(1, "prod*"), rule(2, "beta*")]}).to_string();
    let images =
        [image("A", &["beta-1", "prod-1"], 1), image("B", &["beta-2", "prod-2"], 2), image("C", &["beta-3"], 3)];
    assert_eq!(expired(&policy, &images, 10 * DAY), BTreeSet::from(["A"]));
}

#[test]
fn latest_cache_and_releases_are_kept_before_the_images_are_counted() {
    let policy: Value = serde_json::from_str(&policy(Retention::new(12).unwrap())).unwrap();
    let rules = policy["rules"].as_array().unwrap();
    let priorities: Vec<u64> = rules.iter().map(|rule| rule["rulePriority"].as_u64().unwrap()).collect();
    assert_eq!(priorities, [1, 2, 3, 4, 5]);
    let selections: Vec<&Value> = rules.iter().map(|rule| &rule["selection"]).collect();
    assert_eq!(selections[0]["tagStatus"], "untagged");
    assert_eq!((&selections[1]["tagPatternList"], &selections[1]["countNumber"]), (&json!(["latest"]), &json!(1)));
    assert_eq!((&selections[2]["tagPatternList"], &selections[2]["countNumber"]), (&json!(["cache"]), &json!(1)));
    assert_eq!((&selections[3]["tagPatternList"], &selections[3]["countNumber"]), (&json!(["release-*"]), &json!(12)));
    // `any` must come last, and counts every image.
    assert_eq!((&selections[4]["tagStatus"], &selections[4]["countNumber"]), (&json!("any"), &json!(12)));
    assert!(rules.iter().all(|rule| rule["action"]["type"] == "expire"));
    assert!(rules.iter().all(|rule| rule["description"].as_str().unwrap().starts_with("maestro: ")));
}

#[test]
fn the_retention_is_a_count_ecr_accepts() {
    assert_eq!(Retention::default().images(), 30);
    assert_eq!(Retention::new(0), None);
    assert_eq!(Retention::new(100_001), None);
    assert_eq!(Retention::new(1).map(Retention::images), Some(1));
    assert_eq!(release_tag(7), "release-7");
}

#[test]
fn the_policy_follows_the_setting_on_maestros_policy_only() {
    let wanted = policy(Retention::default());
    // ECR answers the text reformatted, and perhaps with the rules in another order.
    let mut reordered: Value = serde_json::from_str(&wanted).unwrap();
    reordered["rules"].as_array_mut().unwrap().reverse();
    let pretty = serde_json::to_string_pretty(&reordered).unwrap();
    assert_eq!(follow(Some(&pretty), &wanted), Follow::Same);
    assert_eq!(follow(Some(&policy(Retention::new(12).unwrap())), &wanted), Follow::Update);
    // An older maestro's policy (no release rule) is maestro's too.
    let older = json!({"rules": [{"rulePriority": 1, "description": "maestro: the last 30 commits' images",
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 30}, "action": {"type": "expire"}}]});
    assert_eq!(follow(Some(&older.to_string()), &wanted), Follow::Update);
    let owners = json!({"rules": [{"rulePriority": 1, "description": "keep 500",
        "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 500}, "action": {"type": "expire"}}]});
    assert_eq!(follow(Some(&owners.to_string()), &wanted), Follow::Owners);
    assert_eq!(follow(None, &wanted), Follow::Owners);
}

#[test]
fn a_release_image_is_tagged_only_in_ecr_by_digest() {
    let digest = format!("sha256:{}", "a".repeat(64));
    let image = EcrImage::parse(&format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-shop-staging@{digest}"));
    assert_eq!(
        image,
        Some(EcrImage {
            registry_id: "123456789012".to_owned(),
            region: "eu-west-1".to_owned(),
            repository: "acme-shop-staging".to_owned(),
            digest: digest.clone(),
        })
    );
    assert_eq!(EcrImage::parse(&format!("ghcr.io/acme/shop@{digest}")), None);
    assert_eq!(EcrImage::parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme-shop-staging:abc1234"), None);
}
