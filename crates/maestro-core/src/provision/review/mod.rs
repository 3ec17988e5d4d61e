//! What each action changes, as values: its kind (terraform's `+ create`, `~ update`,
//! `- delete`) and every field's old and new value, the old read from what was observed; for a
//! task definition's new revision, the live revision it is compared with (the unified diff).
//! `plan` and `deploy` print it (`render`) and carry it in their JSON (docs/plan-json.md).

pub mod definition;
mod fields;
pub mod render;
mod service_fields;

use serde::{Serialize, Serializer};
use serde_json::Value;

use super::action::Action;
use super::observed::Observed;
pub use definition::DefinitionChange;

/// What an action does to its resource, in terraform's words and signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Create,
    Update,
    Delete,
}

impl ChangeKind {
    pub fn sign(self) -> &'static str {
        match self {
            Self::Create => "+",
            Self::Update => "~",
            Self::Delete => "-",
        }
    }
}

/// One field an action changes: `None` is "not set" (the resource or the field does not exist
/// yet, or no longer will).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl FieldChange {
    pub fn new(field: String, old: Option<Value>, new: Option<Value>) -> Self {
        Self { field, old, new }
    }

    /// A field whose old and new values are both known.
    pub(crate) fn of(field: &str, old: impl Into<Value>, new: impl Into<Value>) -> Self {
        Self::new(field.to_owned(), Some(old.into()), Some(new.into()))
    }
}

/// What one action changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    pub kind: ChangeKind,
    pub fields: Vec<FieldChange>,
    /// A new task definition revision: the live one (`family:revision`) and both documents.
    #[serde(rename = "live_revision", serialize_with = "live_revision", skip_serializing_if = "Option::is_none")]
    pub definition: Option<DefinitionChange>,
}

fn live_revision<S: Serializer>(definition: &Option<DefinitionChange>, serializer: S) -> Result<S::Ok, S::Error> {
    definition.as_ref().map(|definition| &definition.live).serialize(serializer)
}

/// An action with what it changes, as the JSON outputs carry it: the action's own fields, then
/// `kind`, `fields` and, for a new revision, `live_revision`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    #[serde(flatten)]
    pub action: Action,
    #[serde(flatten)]
    pub detail: Detail,
}

/// What each of `actions` changes, judged against `observed` (the state the diff read), in order.
pub fn details(actions: &[Action], observed: &Observed) -> Vec<Detail> {
    let registered: Vec<&str> = actions
        .iter()
        .filter_map(|action| match action {
            Action::RegisterTaskDefinition { family, .. } => Some(family.as_str()),
            _ => None,
        })
        .collect();
    actions.iter().map(|action| detail(action, observed, &registered)).collect()
}

fn detail(action: &Action, observed: &Observed, registered: &[&str]) -> Detail {
    let (kind, fields) = fields::of(action, observed, registered);
    let definition = match action {
        Action::RegisterTaskDefinition { family, definition, .. } => {
            observed.task_definitions.get(family).and_then(Option::as_ref).map(|live| {
                let keys = observed.secret.as_ref().map(|secret| secret.keys.clone()).unwrap_or_default();
                DefinitionChange::new(&live.arn, family, &live.definition, definition, &keys)
            })
        }
        _ => None,
    };
    let fields = match &definition {
        Some(change) => change.fields(),
        None => fields,
    };
    Detail { kind, fields, definition }
}
