use serde_json::{Map, Value, json};

use super::*;
use crate::provision::action::Action;
use crate::provision::review::{DefinitionChange, Detail, FieldChange};

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn change(action: Action, kind: ChangeKind, fields: Vec<FieldChange>) -> Change {
    Change { action, detail: Detail { kind, fields, definition: None } }
}

fn sample() -> Vec<Change> {
    let live = object(json!({"family": "shop-worker", "cpu": "256", "memory": "512"}));
    let new = object(json!({"family": "shop-worker", "cpu": "512", "memory": "512"}));
    let definition =
        DefinitionChange::new("arn:aws:ecs:r:1:task-definition/shop-worker:1", "shop-worker", &live, &new, &[]);
    vec![
        change(Action::CreateLogGroup { name: "/ecs/shop".into(), tags: vec![] }, ChangeKind::Create, vec![]),
        Change {
            action: Action::RegisterTaskDefinition {
                process: "worker".into(),
                family: "shop-worker".into(),
                definition: new.clone(),
            },
            detail: Detail { kind: ChangeKind::Update, fields: definition.fields(), definition: Some(definition) },
        },
        change(
            Action::RegisterScalableTarget { resource_id: "service/shop/shop-worker".into(), min: 2, max: 6 },
            ChangeKind::Update,
            vec![FieldChange::of("min", 1, 2), FieldChange::of("max", 3, 6)],
        ),
        change(
            Action::DeleteRule { name: "2b419b-update-feed".into(), target_ids: vec![] },
            ChangeKind::Delete,
            vec![FieldChange::new("expression".into(), Some(json!("rate(3 hours)")), None)],
        ),
    ]
}

#[test]
fn each_change_has_its_sign_its_fields_old_to_new_and_a_count_line() {
    let text = changes(&sample(), &[], Tense::Plan, Style::plain());
    let expected = "  + create log group /ecs/shop
  ~ register a new revision of task definition shop-worker
      --- shop-worker:1 (live)
      +++ shop-worker (new revision)
      @@ -1,5 +1,5 @@
       {
      -  \"cpu\": \"256\",
      +  \"cpu\": \"512\",
         \"family\": \"shop-worker\",
         \"memory\": \"512\"
       }
  ~ scale service/shop/shop-worker between 2 and 6 tasks
      min: 1 → 2
      max: 3 → 6
  - delete schedule rule 2b419b-update-feed (its line is gone)
      expression: rate(3 hours) → (none)
Plan: 1 to create, 2 to update, 1 to delete.
";
    assert_eq!(text, expected);
    let done = changes(&sample(), &[], Tense::Done, Style::plain());
    assert!(done.ends_with("Changed: 1 created, 2 updated, 1 deleted.\n"), "{done}");
}

#[test]
fn colour_marks_deletions_red_updates_yellow_and_the_diff_lines_only_when_asked() {
    assert!(!changes(&sample(), &[], Tense::Plan, Style::plain()).contains('\x1b'));
    let coloured = changes(&sample(), &[], Tense::Plan, Style { colour: true, ..Style::plain() });
    assert!(
        coloured.contains("\x1b[31m- delete schedule rule 2b419b-update-feed (its line is gone)\x1b[0m"),
        "{coloured}"
    );
    assert!(coloured.contains("\x1b[33m~ scale service/shop/shop-worker"), "{coloured}");
    assert!(coloured.contains("\x1b[32m+ create log group /ecs/shop\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[31m-  \"cpu\": \"256\",\x1b[0m"), "{coloured}");
    assert!(coloured.contains("\x1b[32m+  \"cpu\": \"512\",\x1b[0m"), "{coloured}");
}

#[test]
fn orphans_are_listed_and_never_hidden_behind_no_changes() {
    let orphans = ["shop-clock".to_owned()];
    let none = changes(&[], &[], Tense::Plan, Style::plain());
    assert_eq!(none, "no changes: everything already matches the plan\n");
    let only_orphans = changes(&[], &orphans, Tense::Plan, Style::plain());
    assert!(!only_orphans.contains("everything already matches"), "{only_orphans}");
    assert!(
        only_orphans.ends_with(
            "  ! orphan service shop-clock: no longer in the plan, still running (deploy --prune deletes it)\n"
        ),
        "{only_orphans}"
    );
    let both = changes(&sample(), &orphans, Tense::Plan, Style::plain());
    assert!(both.contains("delete.\n  ! orphan service shop-clock"), "{both}");
}

#[test]
fn values_read_as_text_lists_and_none() {
    assert_eq!(shown(None), "(none)");
    assert_eq!(shown(Some(&json!(null))), "(none)");
    assert_eq!(shown(Some(&json!([]))), "(none)");
    assert_eq!(shown(Some(&json!("rate(6 hours)"))), "rate(6 hours)");
    assert_eq!(shown(Some(&json!(["subnet-a", "subnet-b"]))), "subnet-a, subnet-b");
    assert_eq!(shown(Some(&json!(60.5))), "60.5");
    assert_eq!(shown(Some(&json!(55.0))), "55");
    assert_eq!(shown(Some(&json!(true))), "true");
}
