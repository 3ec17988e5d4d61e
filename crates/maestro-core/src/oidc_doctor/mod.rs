//! The OIDC doctor (`maestro whoami --explain`, and the diagnosis of a refused exchange): a
//! token's claims (never the token), the form of its `sub`, the trust policy statement that
//! accepts it, which claim a refusal points at, and, given the role's trust policy, the condition
//! that refuses the token ([`evaluate`]).

pub mod evaluate;
pub mod subject;

use std::collections::BTreeMap;

use base64::Engine;
use serde::Serialize;
use serde_json::{Value, json};

pub use subject::Subject;

/// The claims a trust policy or a person looks at, in this order, when the token has them.
const SHOWN: &[&str] = &[
    "iss",
    "aud",
    "sub",
    "repository",
    "repository_id",
    "repository_owner",
    "repository_owner_id",
    "ref",
    "environment",
    "event_name",
    "job_workflow_ref",
    "project_path",
    "project_id",
    "ref_type",
    "ref_protected",
    "pipeline_source",
];

/// A token's payload, decoded without checking its signature (AWS does that).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TokenClaims(pub BTreeMap<String, Value>);

impl TokenClaims {
    pub fn decode(token: &str) -> Option<Self> {
        let payload = token.split('.').nth(1)?;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let bytes = engine.decode(payload.trim_end_matches('=')).ok()?;
        serde_json::from_slice(&bytes).ok().map(Self)
    }

    fn text(&self, name: &str) -> String {
        match self.0.get(name) {
            Some(Value::String(text)) => text.clone(),
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }

    pub fn issuer(&self) -> String {
        self.text("iss")
    }

    /// The provider's host, as IAM's condition keys and provider ARNs name it.
    pub fn host(&self) -> String {
        self.issuer().trim_start_matches("https://").trim_end_matches('/').to_owned()
    }

    pub fn subject(&self) -> Subject {
        Subject::parse(&self.text("sub"))
    }
}

/// What `whoami --explain` says of a token: the claims, the `sub`'s form, and a statement that
/// accepts the token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub claims: Vec<(String, String)>,
    pub sub_form: &'static str,
    /// The pattern of GitHub's other `sub` form, which this token does not match.
    pub not_matched_by: Option<String>,
    pub statement: Value,
}

impl Explanation {
    pub fn of(role_arn: &str, claims: &TokenClaims) -> Self {
        let subject = claims.subject();
        let host = claims.host();
        let account = role_arn.split(':').nth(4).unwrap_or("<account>");
        let audience = claims.0.get("aud").cloned().unwrap_or(Value::String(String::new()));
        let statement = json!({
            "Effect": "Allow",
            "Principal": {"Federated": format!("arn:aws:iam::{account}:oidc-provider/{host}")},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {format!("{host}:aud"): audience},
                "StringLike": {format!("{host}:sub"): subject.repository_pattern()},
            },
        });
        let shown = SHOWN.iter().filter(|name| claims.0.contains_key(**name));
        Self {
            claims: shown.map(|name| ((*name).to_owned(), claims.text(name))).collect(),
            sub_form: subject.form(),
            not_matched_by: subject.other_form(),
            statement,
        }
    }
}

/// The principal a trust policy names for a caller: an assumed role's session
/// (`arn:aws:sts::<account>:assumed-role/<name>/<session>`) is its role,
/// `arn:aws:iam::<account>:role/<name>` (a role with a path needs it inserted: STS's ARN omits it);
/// a user or a root is itself.
pub fn principal_of(caller_arn: &str) -> String {
    let parts: Vec<&str> = caller_arn.splitn(6, ':').collect();
    match parts.as_slice() {
        [arn, partition, "sts", "", account, resource] => match resource.strip_prefix("assumed-role/") {
            Some(rest) => format!("{arn}:{partition}:iam::{account}:role/{}", rest.split('/').next().unwrap_or(rest)),
            None => caller_arn.to_owned(),
        },
        _ => caller_arn.to_owned(),
    }
}

/// A refused exchange said as the claim it points at and the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// `iss`, `aud` or `sub`; `None` when the refusal is not about the token's claims.
    pub claim: Option<&'static str>,
    pub hint: String,
}

impl Diagnosis {
    /// STS's `code` and `message` for `AssumeRoleWithWebIdentity` of `role_arn` with a token of
    /// these claims.
    pub fn of(code: &str, message: &str, role_arn: &str, claims: &TokenClaims) -> Self {
        let (iss, aud) = (claims.issuer(), claims.text("aud"));
        match code {
            "InvalidIdentityToken" if message.contains("audience") => Self {
                claim: Some("aud"),
                hint: format!("the claim `aud` (`{aud}`) is not an audience of the IAM OIDC provider for `{iss}`: add it there, or set the audience maestro requests (`audience` / MAESTRO_OIDC_AUDIENCE)"),
            },
            "InvalidIdentityToken" => Self {
                claim: Some("iss"),
                hint: format!("the claim `iss` (`{iss}`) has no IAM OIDC provider in the role's account, or AWS cannot reach its keys: create the provider for that URL"),
            },
            "AccessDenied" => {
                let subject = claims.subject();
                let sub = claims.text("sub");
                let statement = Explanation::of(role_arn, claims).statement;
                let other = subject.other_form().map_or_else(String::new, |old| {
                    format!(" GitHub gives this repository immutable ids, so a condition written for `{old}` does not match it: trust both forms while you move")
                });
                Self {
                    claim: Some("sub"),
                    hint: format!("the trust policy of `{role_arn}` does not accept the claim `sub` (`{sub}`) or `aud` (`{aud}`). A statement that accepts this token: {statement}. `maestro whoami --explain --trust-policy <file>` names the condition that refuses it.{other}"),
                }
            }
            _ => Self { claim: None, hint: "see the AWS message above; the role's trust policy and maximum session duration are the usual causes".to_owned() },
        }
    }
}

#[cfg(test)]
#[path = "doctor_tests.rs"]
mod tests;
