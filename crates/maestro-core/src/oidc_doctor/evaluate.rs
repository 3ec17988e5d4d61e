//! A role's trust policy (its JSON document) read against a token's claims the way IAM reads it
//! for `sts:AssumeRoleWithWebIdentity`, to name the condition that refuses the token: an Allow
//! statement for the token's provider must have every condition hold, and no Deny may match.
//! The condition operators IAM's OIDC keys are used with are evaluated (`StringEquals`,
//! `StringLike`, their `Not` and `IgnoreCase` forms, `ForAnyValue:`/`ForAllValues:`, `…IfExists`);
//! any other is reported as not evaluated, never guessed
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).

use std::collections::BTreeMap;

use serde_json::Value;

/// Why the document accepts or refuses the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Statement `index` (from 0) allows it.
    Accepted { index: usize },
    /// No statement allows it: for each Allow statement of the token's provider, the first
    /// condition that does not hold. Empty when no statement names the provider.
    Refused { mismatches: Vec<Mismatch>, provider_named: bool },
    /// Deny statement `index` matches the token.
    Denied { index: usize },
    /// The document is not a policy this reads.
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub statement: usize,
    /// The condition key, e.g. `token.actions.githubusercontent.com:sub`.
    pub key: String,
    pub operator: String,
    pub expected: Vec<String>,
    /// The claim's value(s) in the token; empty when the token lacks it.
    pub actual: Vec<String>,
    /// Set when the operator is one this does not evaluate.
    pub not_evaluated: bool,
}

impl Mismatch {
    /// The claim the key names (`sub` for `<host>:sub`).
    pub fn claim(&self) -> &str {
        self.key.rsplit(':').next().unwrap_or(&self.key)
    }
}

/// `policy` against `claims` (the token's payload), for the provider at `issuer`'s host.
pub fn evaluate(policy: &str, issuer: &str, claims: &BTreeMap<String, Value>) -> Verdict {
    let document: Value = match serde_json::from_str(policy) {
        Ok(document) => document,
        Err(error) => return Verdict::Unreadable(format!("not JSON: {error}")),
    };
    let statements = match document.get("Statement") {
        Some(Value::Array(statements)) => statements.clone(),
        Some(statement @ Value::Object(_)) => vec![statement.clone()],
        _ => return Verdict::Unreadable("no `Statement`".to_owned()),
    };
    let host = issuer.trim_start_matches("https://").trim_end_matches('/');
    let (mut mismatches, mut provider_named, mut allowed) = (Vec::new(), false, None);
    for (index, statement) in statements.iter().enumerate() {
        if !names_provider(statement, host) || !names_action(statement) {
            continue;
        }
        let failed = first_failing_condition(index, statement, host, claims);
        match (statement.get("Effect").and_then(Value::as_str), failed) {
            // An explicit deny wins over any allow, wherever it is in the document.
            (Some("Deny"), None) => return Verdict::Denied { index },
            (Some("Allow"), None) => allowed = allowed.or(Some(index)),
            (Some("Allow"), Some(mismatch)) => {
                provider_named = true;
                mismatches.push(mismatch);
            }
            _ => {}
        }
    }
    match allowed {
        Some(index) => Verdict::Accepted { index },
        None => Verdict::Refused { mismatches, provider_named },
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(text)) => vec![text.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::Bool(flag)) => vec![flag.to_string()],
        _ => Vec::new(),
    }
}

fn names_provider(statement: &Value, host: &str) -> bool {
    let federated = strings(statement.get("Principal").and_then(|principal| principal.get("Federated")));
    federated.iter().any(|arn| arn.ends_with(&format!(":oidc-provider/{host}")) || arn == host)
}

fn names_action(statement: &Value) -> bool {
    strings(statement.get("Action")).iter().any(|action| {
        ["sts:AssumeRoleWithWebIdentity", "sts:*", "*"].iter().any(|known| action.eq_ignore_ascii_case(known))
    })
}

fn first_failing_condition(
    index: usize,
    statement: &Value,
    host: &str,
    claims: &BTreeMap<String, Value>,
) -> Option<Mismatch> {
    let conditions = statement.get("Condition")?.as_object()?;
    for (operator, keys) in conditions {
        let Some(keys) = keys.as_object() else { continue };
        for (key, expected) in keys {
            let claim = key.strip_prefix(&format!("{host}:")).unwrap_or(key);
            let actual = strings(claims.get(claim));
            let expected = strings(Some(expected));
            let holds = holds(operator, &expected, &actual);
            if holds != Some(true) {
                let (key, operator) = (key.clone(), operator.clone());
                return Some(Mismatch {
                    statement: index,
                    key,
                    operator,
                    expected,
                    actual,
                    not_evaluated: holds.is_none(),
                });
            }
        }
    }
    None
}

/// Whether `operator` holds between the policy's values and the claim's; `None` for an operator
/// this does not evaluate.
fn holds(operator: &str, expected: &[String], actual: &[String]) -> Option<bool> {
    let (set, rest) = match operator.split_once(':') {
        Some((set @ ("ForAnyValue" | "ForAllValues"), rest)) => (Some(set), rest),
        _ => (None, operator),
    };
    let (base, if_exists) = rest.strip_suffix("IfExists").map_or((rest, false), |base| (base, true));
    const KNOWN: [&str; 6] = [
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ];
    if !KNOWN.contains(&base) {
        return None;
    }
    if actual.is_empty() {
        return Some(if_exists || set == Some("ForAllValues") || base.starts_with("StringNot"));
    }
    let one = |value: &str| -> Option<bool> {
        let any = |matches: &dyn Fn(&str) -> bool| expected.iter().any(|pattern| matches(pattern));
        Some(match base {
            "StringEquals" => any(&|pattern| pattern == value),
            "StringNotEquals" => !any(&|pattern| pattern == value),
            "StringEqualsIgnoreCase" => any(&|pattern| pattern.eq_ignore_ascii_case(value)),
            "StringNotEqualsIgnoreCase" => !any(&|pattern| pattern.eq_ignore_ascii_case(value)),
            "StringLike" => any(&|pattern| like(pattern, value)),
            "StringNotLike" => !any(&|pattern| like(pattern, value)),
            _ => return None,
        })
    };
    let results: Option<Vec<bool>> = actual.iter().map(|value| one(value)).collect();
    let results = results?;
    Some(match set {
        Some("ForAllValues") => results.iter().all(|held| *held),
        // A single-valued key with a plain operator: IAM compares its one value; a multivalued
        // one (an `aud` list) under a plain operator matches when any value does, as ForAnyValue.
        _ => results.iter().any(|held| *held),
    })
}

/// IAM's `StringLike`: `*` any run of characters, `?` any one, case-sensitive.
fn like(pattern: &str, value: &str) -> bool {
    let (pattern, value): (Vec<char>, Vec<char>) = (pattern.chars().collect(), value.chars().collect());
    let (mut p, mut v, mut star, mut mark) = (0, 0, None, 0);
    while v < value.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == value[v]) {
            (p, v) = (p + 1, v + 1);
        } else if p < pattern.len() && pattern[p] == '*' {
            (star, mark, p) = (Some(p), v, p + 1);
        } else if let Some(at) = star {
            (p, mark, v) = (at + 1, mark + 1, mark + 1);
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
