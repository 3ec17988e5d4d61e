//! The documented shapes the three notifications must have, checked on what a loopback server
//! received: Slack's incoming webhook with Block Kit (https://api.slack.com/messaging/webhooks,
//! https://api.slack.com/reference/block-kit/blocks), a Teams workflow's message with an
//! Adaptive Card (https://learn.microsoft.com/en-us/power-automate/teams/overview-adaptive-cards),
//! and the generic one against docs/notify.schema.json, through a validator of the JSON Schema
//! keywords that file uses (an unknown keyword fails the test, so the two stay in step); the
//! same validator checks `--output ndjson`'s lines against docs/ndjson.schema.json (ndjson.rs).

use serde_json::Value;

use crate::support::repository_root;

pub(crate) fn schema() -> Value {
    let text = std::fs::read_to_string(repository_root().join("docs/notify.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every way `value` breaks `schema`, each with its JSON path.
pub(crate) fn violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(schema, value, "$", &mut found);
    found
}

fn check(schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let mut fail = |problem: String| found.push(format!("{at}: {problem}"));
    let mut nested = Vec::new();
    for (keyword, rule) in schema.as_object().expect("a schema is an object") {
        match keyword.as_str() {
            "$schema" | "$id" | "title" | "description" => {}
            "type" => {
                let types: Vec<&str> = match rule {
                    Value::Array(types) => types.iter().filter_map(Value::as_str).collect(),
                    other => vec![other.as_str().unwrap()],
                };
                if !types.iter().any(|kind| is(kind, value)) {
                    fail(format!("{value} is not {types:?}"));
                }
            }
            "const" if value != rule => fail(format!("{value} is not {rule}")),
            "enum" if !rule.as_array().unwrap().contains(value) => fail(format!("{value} is not one of {rule}")),
            "const" | "enum" => {}
            "required" => {
                for name in rule.as_array().unwrap().iter().filter_map(Value::as_str) {
                    if value.as_object().is_some_and(|object| !object.contains_key(name)) {
                        fail(format!("`{name}` is missing"));
                    }
                }
            }
            "properties" => {
                let Some(object) = value.as_object() else { continue };
                for (name, property) in rule.as_object().unwrap() {
                    if let Some(field) = object.get(name) {
                        nested.push((property, field, format!("{at}.{name}")));
                    }
                }
            }
            "additionalProperties" => {
                assert_eq!(rule, &Value::Bool(false), "only `additionalProperties: false` is checked");
                let known = schema["properties"].as_object().unwrap();
                for name in value.as_object().into_iter().flat_map(|object| object.keys()) {
                    if !known.contains_key(name) {
                        fail(format!("`{name}` is not in the schema"));
                    }
                }
            }
            "items" => {
                for (index, item) in value.as_array().into_iter().flatten().enumerate() {
                    nested.push((rule, item, format!("{at}[{index}]")));
                }
            }
            "minimum" if value.as_f64().is_some_and(|number| number < rule.as_f64().unwrap()) => {
                fail(format!("{value} is below {rule}"));
            }
            "minLength" | "maxLength" => {
                let (length, limit) = (value.as_str().map(|text| text.chars().count() as u64), rule.as_u64().unwrap());
                let broken = if keyword == "minLength" {
                    length.is_some_and(|n| n < limit)
                } else {
                    length.is_some_and(|n| n > limit)
                };
                if broken {
                    fail(format!("{value}: {keyword} {limit}"));
                }
            }
            "minimum" => {}
            other => panic!("the schema uses `{other}`, which this validator does not check"),
        }
    }
    for (rule, field, path) in nested {
        check(rule, field, &path, found);
    }
}

fn is(kind: &str, value: &Value) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_u64() || value.is_i64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("unknown type `{other}`"),
    }
}

/// A `mrkdwn` text object within Slack's `limit`.
fn slack_text(text: &Value, limit: usize, at: &str) {
    assert_eq!(text["type"], "mrkdwn", "{at}: {text}");
    let words = text["text"].as_str().unwrap_or_else(|| panic!("{at}: no text"));
    assert!(!words.is_empty() && words.chars().count() <= limit, "{at}: {words}");
}

/// An incoming webhook's message: a `text` fallback and section or context blocks.
pub(crate) fn slack(body: &Value) {
    let text = body["text"].as_str().expect("Slack's `text`, the notification's line");
    assert!(!text.is_empty() && text.chars().count() <= 3000);
    let blocks = body["blocks"].as_array().expect("`blocks`");
    assert!(!blocks.is_empty() && blocks.len() <= 50, "{blocks:?}");
    for (index, block) in blocks.iter().enumerate() {
        let at = format!("blocks[{index}]");
        match block["type"].as_str() {
            Some("section") => {
                slack_text(&block["text"], 3000, &at);
                let fields = block.get("fields").map_or(&[][..], |fields| fields.as_array().unwrap().as_slice());
                assert!(fields.len() <= 10, "{at}: at most 10 fields");
                for field in fields {
                    slack_text(field, 2000, &at);
                }
            }
            Some("context") => {
                let elements = block["elements"].as_array().unwrap();
                assert!(!elements.is_empty() && elements.len() <= 10, "{at}");
                for element in elements {
                    slack_text(element, 2000, &at);
                }
            }
            other => panic!("{at}: an unexpected block {other:?}"),
        }
    }
}

/// A Teams workflow's message: one Adaptive Card 1.4 of text blocks and fact sets.
pub(crate) fn teams(body: &Value) {
    assert_eq!(body["type"], "message");
    let attachments = body["attachments"].as_array().expect("`attachments`");
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0]["contentType"], "application/vnd.microsoft.card.adaptive");
    let card = &attachments[0]["content"];
    assert_eq!((card["type"].as_str(), card["version"].as_str()), (Some("AdaptiveCard"), Some("1.4")));
    for element in card["body"].as_array().expect("the card's `body`") {
        match element["type"].as_str() {
            Some("TextBlock") => assert!(element["text"].as_str().is_some_and(|text| !text.is_empty()), "{element}"),
            Some("FactSet") => {
                for fact in element["facts"].as_array().unwrap() {
                    assert!(fact["title"].is_string() && fact["value"].is_string(), "{fact}");
                }
            }
            other => panic!("an unexpected element {other:?}"),
        }
    }
    for action in card.get("actions").and_then(Value::as_array).into_iter().flatten() {
        assert_eq!(action["type"], "Action.OpenUrl");
        assert!(action["title"].is_string() && action["url"].as_str().is_some_and(|url| url.starts_with("http")));
    }
}

/// The generic notification: valid against docs/notify.schema.json.
pub(crate) fn generic(body: &Value) {
    let problems = violations(&schema(), body);
    assert!(problems.is_empty(), "{problems:#?}\n{body:#}");
}
