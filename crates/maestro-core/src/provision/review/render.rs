//! The changes as people read them, terraform's way: a sign per action (`+` create, `~` update,
//! `-` delete), each field as `field: old → new`, a task definition's new revision as a unified
//! diff of the live one, a count line, and the services the plan no longer has (`!`). Plain text,
//! with ANSI colours only when the caller says the terminal shows them.

use std::fmt::Write as _;

use serde_json::Value;

use super::{Change, ChangeKind};

/// How the changes are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours: red deletions, yellow updates, green creations and diff lines.
    pub colour: bool,
    /// Lines of context around each change of a task definition; `None`, the whole documents
    /// (`plan --diff`).
    pub context: Option<usize>,
}

impl Style {
    /// Three lines of context, as `diff -u`.
    pub const DEFAULT_CONTEXT: usize = 3;

    pub fn plain() -> Self {
        Self { colour: false, context: Some(Self::DEFAULT_CONTEXT) }
    }
}

/// Whether the changes are to be made (`plan`) or were made (`deploy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Plan,
    Done,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// The changes, the count line, then the orphans: services of this environment the plan no
/// longer has, which only `deploy --prune` deletes.
pub fn changes(changes: &[Change], orphans: &[String], tense: Tense, style: Style) -> String {
    let paint = |colour: &str, text: &str| match style.colour {
        true => format!("{colour}{text}{RESET}"),
        false => text.to_owned(),
    };
    let mut out = String::new();
    for change in changes {
        let kind = change.detail.kind;
        let colour = match kind {
            ChangeKind::Create => GREEN,
            ChangeKind::Update => YELLOW,
            ChangeKind::Delete => RED,
        };
        let _ = writeln!(out, "  {}", paint(colour, &format!("{} {}", kind.sign(), change.action)));
        // A new revision's fields are its diff's lines: the JSON carries them as fields.
        let fields = if change.detail.definition.is_some() { &[][..] } else { &change.detail.fields[..] };
        for field in fields {
            let _ =
                writeln!(out, "      {}: {} → {}", field.field, shown(field.old.as_ref()), shown(field.new.as_ref()));
        }
        if let Some(definition) = &change.detail.definition {
            for line in definition.unified(style.context).lines() {
                let colour = match line.as_bytes().first() {
                    Some(b'+') => GREEN,
                    Some(b'-') => RED,
                    Some(b'@') => CYAN,
                    _ => "",
                };
                let line = if colour.is_empty() { line.to_owned() } else { paint(colour, line) };
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    match (changes.is_empty(), orphans.is_empty()) {
        (true, true) => out.push_str("no changes: everything already matches the plan\n"),
        (true, false) => out.push_str("no changes to make, but services of this environment are no longer planned:\n"),
        (false, _) => {
            let _ = writeln!(out, "{}", count(changes, tense));
        }
    }
    for orphan in orphans {
        let line =
            format!("! orphan service {orphan}: no longer in the plan, still running (deploy --prune deletes it)");
        let _ = writeln!(out, "  {}", paint(YELLOW, &line));
    }
    out
}

/// `Plan: 1 to create, 2 to update, 0 to delete.`, or what a deploy did.
fn count(changes: &[Change], tense: Tense) -> String {
    let of = |kind: ChangeKind| changes.iter().filter(|change| change.detail.kind == kind).count();
    let (create, update, delete) = (of(ChangeKind::Create), of(ChangeKind::Update), of(ChangeKind::Delete));
    match tense {
        Tense::Plan => format!("Plan: {create} to create, {update} to update, {delete} to delete."),
        Tense::Done => format!("Changed: {create} created, {update} updated, {delete} deleted."),
    }
}

/// A value as people read it: text without quotes, a list as `a, b`, nothing as `(none)`.
fn shown(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "(none)".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) if items.is_empty() => "(none)".to_owned(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
        }
        // `55.0` as the sentences write it, `55`: a target is a float to AWS, not to people.
        Some(Value::Number(number)) => match number.as_f64() {
            Some(float) if float.fract() == 0.0 && float.abs() < 1e15 => format!("{float:.0}"),
            _ => number.to_string(),
        },
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
