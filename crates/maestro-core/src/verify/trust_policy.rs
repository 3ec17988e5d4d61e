//! A role's trust policy, read far enough to say whether a service may assume the role.
//!
//! IAM returns `AssumeRolePolicyDocument` URL-encoded: "The policy that grants an entity
//! permission to assume the role. ... URL-encoded compliant with RFC 3986"
//! (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html).

use serde_json::Value;

/// Whether the policy lets `service` (e.g. `ecs-tasks.amazonaws.com`) call `sts:AssumeRole`:
/// an `Allow` statement with the action and the service among its principals, and no `Deny`
/// statement naming them. A `Condition` (e.g. `aws:SourceAccount`) is the owner's narrowing and
/// does not stop the service. `Err` when the document is not a JSON policy.
pub fn trusts(document: &str, service: &str) -> Result<bool, String> {
    let text = if document.trim_start().starts_with('{') { document.to_owned() } else { percent_decode(document)? };
    let policy: Value =
        serde_json::from_str(&text).map_err(|error| format!("the trust policy is not JSON: {error}"))?;
    let statements = match &policy["Statement"] {
        Value::Array(statements) => statements.iter().collect(),
        statement @ Value::Object(_) => vec![statement],
        _ => return Err("the trust policy has no Statement".to_owned()),
    };
    let applies =
        |statement: &Value| names_assume_role(&statement["Action"]) && names_service(&statement["Principal"], service);
    let effect = |wanted: &str| statements.iter().any(|statement| applies(statement) && statement["Effect"] == wanted);
    Ok(effect("Allow") && !effect("Deny"))
}

/// One of the action or its list is `sts:AssumeRole`, or a wildcard covering it.
fn names_assume_role(action: &Value) -> bool {
    strings(action).any(|action| ["sts:assumerole", "sts:*", "*"].contains(&action.to_ascii_lowercase().as_str()))
}

/// `"Principal": "*"`, or `{"Service": …}` naming the service (a string or a list).
fn names_service(principal: &Value, service: &str) -> bool {
    principal == "*" || strings(&principal["Service"]).any(|named| named == service)
}

fn strings(value: &Value) -> impl Iterator<Item = &str> {
    let list: Vec<&str> = match value {
        Value::String(text) => vec![text.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    list.into_iter()
}

/// RFC 3986 percent-decoding (`+` is a plus sign there, not a space).
fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok());
            decoded.push(hex.ok_or_else(|| format!("the trust policy has a bad escape at {index}"))?);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| "the trust policy is not UTF-8 once decoded".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ECS: &str = "ecs-tasks.amazonaws.com";

    #[test]
    fn the_url_encoded_document_iam_returns_is_read() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C\
                       %22Principal%22%3A%7B%22Service%22%3A%22ecs-tasks.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
        assert_eq!(trusts(encoded, ECS), Ok(true));
        assert_eq!(trusts(encoded, "events.amazonaws.com"), Ok(false));
    }

    #[test]
    fn a_list_of_services_a_single_statement_and_a_condition_still_trust() {
        let policy = r#"{"Statement": {"Effect": "Allow", "Principal": {"Service": ["events.amazonaws.com", "ecs-tasks.amazonaws.com"]},
            "Action": ["sts:AssumeRole"], "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}}}}"#;
        assert_eq!(trusts(policy, ECS), Ok(true));
    }

    #[test]
    fn another_principal_another_action_or_a_deny_do_not_trust() {
        let account = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}"#;
        assert_eq!(trusts(account, ECS), Ok(false));
        let web = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        assert_eq!(trusts(web, ECS), Ok(false));
        let denied = r#"{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:*"}]}"#;
        assert_eq!(trusts(denied, ECS), Ok(false));
    }

    #[test]
    fn a_document_that_is_no_policy_is_an_error() {
        assert!(trusts("%7B%22Version", ECS).is_err());
        assert!(trusts("%ZZ", ECS).is_err());
        assert!(trusts(r#"{"Version": "2012-10-17"}"#, ECS).is_err());
    }
}
