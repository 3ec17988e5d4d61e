//! A small IAM policy evaluator: enough of AWS's evaluation logic to judge docs/iam.md's
//! policies over the calls a deploy made (moto's own enforcement asks about `"*"` only, see
//! tests/support/journal.py).
//!
//! What it models, from the IAM User Guide's "Policy evaluation logic"
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
//! "an explicit deny in any policy overrides any allows"; without an Allow the request is
//! implicitly denied. Action names match case-insensitively, resources case-sensitively, both with
//! the wildcards `*` (any run of characters) and `?` (one character)
//! (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
//! Conditions: `StringEquals` and `StringLike`, a list of values meaning any of them; a key absent
//! from the request fails the condition (reference_policies_elements_condition_operators.html).
//! Anything else (NotAction, NotResource, other operators) panics, so a policy never passes
//! for a reason this evaluator does not understand.

use std::collections::BTreeMap;

use serde_json::Value;

/// One authorisation AWS makes for a call: an action on one resource, with its context keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Request {
    pub(super) action: String,
    pub(super) resource: String,
    pub(super) context: BTreeMap<String, String>,
}

impl Request {
    pub(super) fn new(action: &str, resource: &str) -> Self {
        Self { action: action.to_owned(), resource: resource.to_owned(), context: BTreeMap::new() }
    }

    pub(super) fn with(mut self, key: &str, value: &str) -> Self {
        self.context.insert(key.to_owned(), value.to_owned());
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decision {
    Allow,
    /// No statement allows it.
    ImplicitDeny,
    /// A Deny statement matches it.
    ExplicitDeny,
}

/// `pattern` with IAM's `*` and `?` matches all of `text`.
pub(super) fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // Classic two-pointer glob match with backtracking to the last `*`.
    let (mut p, mut t, mut star, mut mark) = (0, 0, None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

/// A string or a list of strings, as IAM allows for Action, Resource and condition values.
fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(one) => vec![one.as_str()],
        Value::Array(many) => many.iter().map(|v| v.as_str().expect("a string")).collect(),
        other => panic!("expected a string or a list of strings, got {other}"),
    }
}

fn condition_holds(condition: Option<&Value>, request: &Request) -> bool {
    let Some(condition) = condition else { return true };
    condition.as_object().expect("Condition is an object").iter().all(|(operator, keys)| {
        keys.as_object().expect("a condition operator holds keys").iter().all(|(key, values)| {
            let Some(actual) = request.context.get(key) else { return false };
            strings(values).iter().any(|expected| match operator.as_str() {
                "StringEquals" => expected == actual,
                "StringLike" => wildcard_match(expected, actual),
                other => panic!("the evaluator does not know the condition operator {other}"),
            })
        })
    })
}

fn statement_matches(statement: &Value, request: &Request) -> bool {
    for unknown in ["NotAction", "NotResource", "NotPrincipal", "Principal"] {
        assert!(statement.get(unknown).is_none(), "the evaluator does not know {unknown}");
    }
    let action = request.action.to_ascii_lowercase();
    strings(&statement["Action"]).iter().any(|pattern| wildcard_match(&pattern.to_ascii_lowercase(), &action))
        && strings(&statement["Resource"]).iter().any(|pattern| wildcard_match(pattern, &request.resource))
        && condition_holds(statement.get("Condition"), request)
}

/// What `policy` decides for `request`.
pub(super) fn evaluate(policy: &Value, request: &Request) -> Decision {
    let statements = policy["Statement"].as_array().expect("Statement is a list");
    let matching = |effect: &str| {
        statements.iter().any(|statement| statement["Effect"] == effect && statement_matches(statement, request))
    };
    if matching("Deny") {
        Decision::ExplicitDeny
    } else if matching("Allow") {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn policy() -> Value {
        json!({"Statement": [
            {"Effect": "Allow", "Action": "ecs:Describe*", "Resource": "*"},
            {"Effect": "Allow", "Action": ["ecs:UpdateService"], "Resource": "arn:aws:ecs:*:1:service/*/shop-*"},
            {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
             "Resource": "arn:aws:secretsmanager:*:1:secret:*/shop-??????"},
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::1:role/task",
             "Condition": {"StringEquals": {"iam:PassedToService": ["ecs-tasks.amazonaws.com"]}}},
            {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:ecs:*:1:service/shop-main/*"},
        ]})
    }

    #[test]
    fn wildcards_match_any_run_or_one_character() {
        assert!(wildcard_match("a*c", "abbbc"));
        assert!(wildcard_match("a*c", "ac"));
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "abbc"));
        assert!(!wildcard_match("a*c", "abcd"));
        assert!(wildcard_match("*/shop-*", "staging/shop-x"));
        assert!(!wildcard_match("shop", "shop-x"));
    }

    #[test]
    fn actions_match_without_case_and_with_wildcards() {
        let describe = Request::new("ECS:DescribeServices", "arn:aws:ecs:us-east-1:1:service/c/s");
        assert_eq!(evaluate(&policy(), &describe), Decision::Allow);
        let list = Request::new("ecs:ListServices", "*");
        assert_eq!(evaluate(&policy(), &list), Decision::ImplicitDeny);
    }

    #[test]
    fn resources_limit_the_allow() {
        let ours = Request::new("ecs:UpdateService", "arn:aws:ecs:us-east-1:1:service/shop-x/shop-x-web");
        let theirs = Request::new("ecs:UpdateService", "arn:aws:ecs:us-east-1:1:service/bank-x/bank-x-web");
        assert_eq!(evaluate(&policy(), &ours), Decision::Allow);
        assert_eq!(evaluate(&policy(), &theirs), Decision::ImplicitDeny);
        let secret = Request::new("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:1:secret:dev/shop-AbCdEf");
        let longer =
            Request::new("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:1:secret:dev/shop-v2-AbCdEf");
        assert_eq!(evaluate(&policy(), &secret), Decision::Allow);
        assert_eq!(evaluate(&policy(), &longer), Decision::ImplicitDeny, "another app whose slug starts alike");
    }

    #[test]
    fn an_explicit_deny_wins_over_an_allow() {
        let production = Request::new("ecs:UpdateService", "arn:aws:ecs:us-east-1:1:service/shop-main/shop-main-web");
        assert_eq!(evaluate(&policy(), &production), Decision::ExplicitDeny);
    }

    #[test]
    fn conditions_need_the_key_with_a_listed_value() {
        let pass = Request::new("iam:PassRole", "arn:aws:iam::1:role/task");
        assert_eq!(evaluate(&policy(), &pass), Decision::ImplicitDeny, "no iam:PassedToService");
        let to_ecs = pass.clone().with("iam:PassedToService", "ecs-tasks.amazonaws.com");
        assert_eq!(evaluate(&policy(), &to_ecs), Decision::Allow);
        let to_lambda = pass.with("iam:PassedToService", "lambda.amazonaws.com");
        assert_eq!(evaluate(&policy(), &to_lambda), Decision::ImplicitDeny);
    }

    #[test]
    #[should_panic(expected = "does not know NotResource")]
    fn an_unknown_element_is_refused_not_ignored() {
        let policy = json!({"Statement": [{"Effect": "Allow", "Action": "*", "NotResource": "x", "Resource": "*"}]});
        evaluate(&policy, &Request::new("ecs:ListServices", "*"));
    }
}
