//! A task definition's new revision against the live one, as ecspresso shows it: both in one
//! normal form (canonical lists and defaults, no ECS metadata, no unset values, keys sorted),
//! printed as JSON, so that the text differs only where the definitions do; and the same
//! difference as field changes for the JSON output.

use std::fmt::Write as _;

use serde_json::{Map, Value};
use similar::TextDiff;

use super::FieldChange;
use crate::provision::{canonical, compare};

/// A new revision and the live one it replaces, both in normal form and printable.
#[derive(Debug, Clone, PartialEq)]
pub struct DefinitionChange {
    /// `family:revision` of the live revision.
    pub live: String,
    pub family: String,
    pub old: Map<String, Value>,
    pub new: Map<String, Value>,
}

impl DefinitionChange {
    /// `live` and `new` in normal form; the `value` of an environment variable named like a key
    /// of the app's secret is hidden on both sides: such a value is a secret written in by hand,
    /// and would otherwise be printed to the CI log.
    pub fn new(
        live_arn: &str,
        family: &str,
        live: &Map<String, Value>,
        new: &Map<String, Value>,
        secret_keys: &[String],
    ) -> Self {
        let (mut old, mut new) = (normal(live), normal(new));
        hide_environment_values(&mut old, &mut new, secret_keys);
        Self { live: live_arn.rsplit('/').next().unwrap_or(live_arn).to_owned(), family: family.to_owned(), old, new }
    }

    /// The unified diff of the two documents: `context` lines around each change, or every line
    /// with `None` (`plan --diff`).
    pub fn unified(&self, context: Option<usize>) -> String {
        let (old, new) = (pretty(&self.old), pretty(&self.new));
        let diff = TextDiff::from_lines(&old, &new);
        let mut unified = diff.unified_diff();
        // A radius as long as the document puts every line in one hunk.
        unified.context_radius(context.unwrap_or_else(|| old.lines().count().max(new.lines().count())));
        let (live, next) = (format!("{} (live)", self.live), format!("{} (new revision)", self.family));
        let mut out = String::new();
        let _ = write!(out, "{}", unified.header(&live, &next));
        out
    }

    /// Each leaf that differs, by path (`containerDefinitions[web].cpu`); a list of plain values
    /// (a command) is one leaf.
    pub fn fields(&self) -> Vec<FieldChange> {
        let (mut old, mut new) = (Vec::new(), Vec::new());
        leaves("", &Value::Object(self.old.clone()), "", &mut old);
        leaves("", &Value::Object(self.new.clone()), "", &mut new);
        let mut changes: Vec<FieldChange> = Vec::new();
        for (path, before) in &old {
            let after = new.iter().find(|(other, _)| other == path).map(|(_, value)| value.clone());
            if after.as_ref() != Some(before) {
                changes.push(FieldChange::new(path.clone(), Some(before.clone()), after));
            }
        }
        for (path, after) in &new {
            if !old.iter().any(|(other, _)| other == path) {
                changes.push(FieldChange::new(path.clone(), None, Some(after.clone())));
            }
        }
        changes
    }
}

/// The definition as compared: canonical, without what ECS adds (metadata, unset values, tags,
/// which are compared on their own), keys sorted.
fn normal(definition: &Map<String, Value>) -> Map<String, Value> {
    let mut canonical = canonical::task_definition(definition);
    canonical.retain(|key, _| !compare::ECS_METADATA.contains(&key.as_str()));
    // ECS describes the task's size as text whichever way it was sent (`compare` agrees).
    for key in ["cpu", "memory"] {
        if let Some(Value::Number(number)) = canonical.get(key) {
            let text = number.to_string();
            canonical.insert(key.into(), Value::String(text));
        }
    }
    let mut value = Value::Object(canonical);
    tidy(&mut value);
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Drops unset values from objects and sorts their keys, at every depth.
fn tidy(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            entries.retain(|(_, item)| !compare::is_unset(item));
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            for (key, mut item) in entries {
                tidy(&mut item);
                map.insert(key, item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

/// Hides every environment value of both documents: a plan is pasted into pull requests and CI
/// logs, and a value set in a base task definition file, the console or another tool may be a
/// password that no app secret names. A change stays visible: the new value reads
/// `*** (changed)` or `*** (new)` where it differs from the live one of that container and name.
/// Names that are keys of the app's secret say so, since their value should not be there at all.
fn hide_environment_values(old: &mut Map<String, Value>, new: &mut Map<String, Value>, secret_keys: &[String]) {
    let live: Vec<(String, String, Value)> =
        environment(old).map(|(container, name, value)| (container, name, value.clone())).collect();
    for (_, name, value) in environment(old) {
        *value = Value::String(hidden(&name, secret_keys, ""));
    }
    for (container, name, value) in environment(new) {
        let before = live.iter().find(|(c, n, _)| *c == container && *n == name).map(|(_, _, value)| value);
        let note = match before {
            Some(before) if before == value => "",
            Some(_) => " (changed)",
            None => " (new)",
        };
        *value = Value::String(hidden(&name, secret_keys, note));
    }
}

fn hidden(name: &str, secret_keys: &[String], note: &str) -> String {
    let secret = if secret_keys.iter().any(|key| key == name) { ", a key of the app's secret" } else { "" };
    format!("***{note}{secret}")
}

/// Each environment variable's container, name and value.
fn environment(definition: &mut Map<String, Value>) -> impl Iterator<Item = (String, String, &mut Value)> {
    let containers = definition.get_mut("containerDefinitions").and_then(Value::as_array_mut);
    containers.into_iter().flatten().flat_map(|container| {
        let name = container.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
        let environment = container.get_mut("environment").and_then(Value::as_array_mut);
        environment.into_iter().flatten().filter_map(move |variable| {
            let key = variable.get("name").and_then(Value::as_str)?.to_owned();
            Some((name.clone(), key, variable.get_mut("value")?))
        })
    })
}

fn pretty(definition: &Map<String, Value>) -> String {
    let mut text = serde_json::to_string_pretty(definition).unwrap_or_default();
    text.push('\n');
    text
}

/// Flattens `value` into `(path, leaf)`; an element of a list ECS keys (containers, variables,
/// ports) is named by its key, any other by its index.
fn leaves(path: &str, value: &Value, list: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let inner = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                leaves(&inner, item, key, out);
            }
        }
        Value::Array(items) if items.iter().any(Value::is_object) => {
            let key = canonical::KEYED_LISTS.iter().find(|(name, ..)| *name == list).map(|(_, key, _)| *key);
            for (index, item) in items.iter().enumerate() {
                let name = key.and_then(|key| item.get(key)).map_or_else(|| index.to_string(), plain);
                leaves(&format!("{path}[{name}]"), item, "", out);
            }
        }
        leaf => out.push((path.to_owned(), leaf.clone())),
    }
}

/// A key's value as written, without JSON's quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    fn live() -> Map<String, Value> {
        object(json!({
            "taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/shop-worker:3", "revision": 3,
            "status": "ACTIVE", "family": "shop-worker", "cpu": "256", "memory": "512", "volumes": [],
            "containerDefinitions": [{"name": "app", "image": "shop:1", "cpu": 0, "essential": true,
                "command": ["node", "bin/worker.js"], "mountPoints": [],
                "environment": [{"name": "PORT", "value": "3000"}, {"name": "DATABASE_URL", "value": "postgres://u:canary-pw@db"}]}],
        }))
    }

    fn new() -> Map<String, Value> {
        object(json!({
            "family": "shop-worker", "memory": "1024", "cpu": "512",
            "containerDefinitions": [{"name": "app", "image": "shop:1", "command": ["node", "bin/worker.js", "--fast"],
                "environment": [{"name": "DATABASE_URL", "value": "postgres://u:canary-pw2@db"}, {"name": "PORT", "value": "3000"}]}],
            "tags": [{"key": "maestro:app", "value": "shop"}],
        }))
    }

    fn change() -> DefinitionChange {
        DefinitionChange::new(
            "arn:aws:ecs:us-east-1:1:task-definition/shop-worker:3",
            "shop-worker",
            &live(),
            &new(),
            &["DATABASE_URL".to_owned()],
        )
    }

    #[test]
    fn the_unified_diff_shows_only_what_differs_with_context() {
        let text = change().unified(Some(1));
        assert!(text.starts_with("--- shop-worker:3 (live)\n+++ shop-worker (new revision)\n@@"), "{text}");
        for line in ["+        \"--fast\"", "-  \"cpu\": \"256\",", "+  \"cpu\": \"512\",", "+  \"memory\": \"1024\""] {
            assert!(text.lines().any(|found| found == line), "{line} in\n{text}");
        }
        // What ECS adds (metadata, defaults, empty lists) and the tags are not differences.
        for absent in ["\"revision\"", "ACTIVE", "volumes", "mountPoints", "essential", "maestro:app"] {
            assert!(!text.contains(absent), "{absent} in\n{text}");
        }
        assert!(!text.contains("\"image\""), "one line of context only:\n{text}");
        let full = change().unified(None);
        assert!(full.lines().any(|line| line == "       \"image\": \"shop:1\","), "--diff shows every line:\n{full}");
    }

    #[test]
    fn a_task_size_written_as_a_number_is_the_text_ecs_describes() {
        let live = object(json!({"family": "f", "cpu": "256", "memory": "512"}));
        let new = object(json!({"family": "f", "cpu": 256, "memory": 512}));
        let change = DefinitionChange::new("arn:task-definition/f:1", "f", &live, &new, &[]);
        assert_eq!(change.fields(), []);
        assert!(!change.unified(None).lines().any(|line| line.starts_with(['+', '-']) && line.contains("cpu")));
    }

    #[test]
    fn environment_values_named_like_a_secret_key_are_never_shown() {
        let change = change();
        let text = format!("{}{:?}", change.unified(None), change.fields());
        assert!(!text.contains("canary-pw"), "{text}");
        assert!(text.contains("\"value\": \"***"), "{text}");
    }

    /// A value no secret names (a base file's, the console's) is hidden too, and its change shows.
    #[test]
    fn every_environment_value_is_hidden_and_a_changed_one_says_so() {
        let container = |value: &str| {
            json!({"family": "f", "containerDefinitions": [{"name": "app",
            "environment": [{"name": "DB_PASSWORD", "value": value}, {"name": "MODE", "value": "web"}]}]})
        };
        let change = DefinitionChange::new(
            "arn:task-definition/f:1",
            "f",
            &object(container("hunter2")),
            &object(container("hunter3")),
            &[],
        );
        let text = format!("{}{:?}", change.unified(None), change.fields());
        assert!(!text.contains("hunter") && !text.contains("\"web\""), "{text}");
        assert!(
            text.lines().any(|line| line.starts_with('+') && line.contains("\"value\": \"*** (changed)\"")),
            "{text}"
        );
        assert_eq!(change.fields().len(), 1, "MODE is unchanged: {text}");
    }

    #[test]
    fn each_differing_leaf_is_a_field_change_named_by_its_path() {
        let fields = change().fields();
        let named = |path: &str| fields.iter().find(|field| field.field == path).cloned();
        assert_eq!(named("cpu"), Some(FieldChange::new("cpu".into(), Some(json!("256")), Some(json!("512")))));
        assert_eq!(
            named("containerDefinitions[app].command"),
            Some(FieldChange::new(
                "containerDefinitions[app].command".into(),
                Some(json!(["node", "bin/worker.js"])),
                Some(json!(["node", "bin/worker.js", "--fast"]))
            ))
        );
        assert!(named("containerDefinitions[app].environment[PORT].value").is_none(), "unchanged: {fields:?}");
        // A changed value is a change, said without its value.
        let hidden = named("containerDefinitions[app].environment[DATABASE_URL].value").map(|field| field.new);
        assert_eq!(hidden, Some(Some(json!("*** (changed), a key of the app's secret"))));
        assert_eq!(fields.len(), 4, "{fields:?}");
    }
}
