use super::*;

const GITHUB: &str = "https://token.actions.githubusercontent.com";

fn claims(sub: &str) -> BTreeMap<String, Value> {
    [("iss", GITHUB), ("aud", "sts.amazonaws.com"), ("sub", sub)]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), Value::String(value.to_owned())))
        .collect()
}

fn policy(conditions: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",
        "Principal":{{"Federated":"arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}},
        "Action":"sts:AssumeRoleWithWebIdentity","Condition":{conditions}}}]}}"#
    )
}

const NAME_FORM: &str = r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},
    "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/shop-api:*"}}"#;

#[test]
fn a_policy_for_the_name_form_refuses_an_immutable_sub_and_names_the_claim() {
    let verdict = evaluate(&policy(NAME_FORM), GITHUB, &claims("repo:acme@12/shop-api@34:ref:refs/heads/main"));
    let Verdict::Refused { mismatches, provider_named: true } = verdict else { panic!("{verdict:?}") };
    assert_eq!(mismatches.len(), 1);
    let mismatch = &mismatches[0];
    assert_eq!((mismatch.claim(), mismatch.operator.as_str()), ("sub", "StringLike"));
    assert_eq!(mismatch.expected, ["repo:acme/shop-api:*"]);
    assert_eq!(mismatch.actual, ["repo:acme@12/shop-api@34:ref:refs/heads/main"]);
    let accepted = evaluate(&policy(NAME_FORM), GITHUB, &claims("repo:acme/shop-api:ref:refs/heads/main"));
    assert_eq!(accepted, Verdict::Accepted { index: 0 });
}

#[test]
fn the_audience_an_environment_and_a_wildcard_under_string_equals() {
    let mut other_audience = claims("repo:acme/shop-api:ref:refs/heads/main");
    other_audience.insert("aud".into(), Value::String("https://github.com/acme".into()));
    let Verdict::Refused { mismatches, .. } = evaluate(&policy(NAME_FORM), GITHUB, &other_audience) else { panic!() };
    assert_eq!(mismatches[0].claim(), "aud");
    // `StringEquals` takes `*` literally: a classic mistake.
    let literal = r#"{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/shop-api:*"}}"#;
    assert!(matches!(
        evaluate(&policy(literal), GITHUB, &claims("repo:acme/shop-api:environment:production")),
        Verdict::Refused { .. }
    ));
    let main_only =
        r#"{"StringEquals":{"token.actions.githubusercontent.com:sub":"repo:acme/shop-api:ref:refs/heads/main"}}"#;
    let environment = evaluate(&policy(main_only), GITHUB, &claims("repo:acme/shop-api:environment:production"));
    assert!(matches!(environment, Verdict::Refused { ref mismatches, .. } if mismatches[0].claim() == "sub"));
}

#[test]
fn another_provider_lists_and_deny_and_unknown_operators() {
    let gitlab = policy(NAME_FORM).replace("token.actions.githubusercontent.com\"}", "gitlab.com\"}");
    let verdict = evaluate(&gitlab, GITHUB, &claims("repo:acme/shop-api:ref:refs/heads/main"));
    assert_eq!(verdict, Verdict::Refused { mismatches: vec![], provider_named: false });
    let both = r#"{"StringLike":{"token.actions.githubusercontent.com:sub":["repo:acme/shop-api:*","repo:acme@12/shop-api@34:*"]}}"#;
    assert_eq!(
        evaluate(&policy(both), GITHUB, &claims("repo:acme@12/shop-api@34:pull_request")),
        Verdict::Accepted { index: 0 }
    );
    let deny = format!(
        r#"{{"Statement":[{},{}]}}"#,
        policy(both).split_once("[").unwrap().1.rsplit_once("]").unwrap().0,
        r#"{"Effect":"Deny","Principal":{"Federated":"arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringLike":{"token.actions.githubusercontent.com:sub":"*:pull_request"}}}"#
    );
    assert_eq!(
        evaluate(&deny, GITHUB, &claims("repo:acme/shop-api:pull_request")),
        Verdict::Denied { index: 1 },
        "the Allow comes first in the document, but a matching Deny wins"
    );
    let odd = r#"{"DateGreaterThan":{"token.actions.githubusercontent.com:iat":"2026-01-01"}}"#;
    let Verdict::Refused { mismatches, .. } = evaluate(&policy(odd), GITHUB, &claims("repo:a/b:x")) else { panic!() };
    assert!(mismatches[0].not_evaluated);
    assert!(matches!(evaluate("{", GITHUB, &claims("x")), Verdict::Unreadable(_)));
}

#[test]
fn string_like_wildcards() {
    for (pattern, value, expected) in [
        ("repo:acme/*:*", "repo:acme/shop:ref:refs/heads/main", true),
        ("repo:acme/shop:ref:refs/heads/ma?n", "repo:acme/shop:ref:refs/heads/main", true),
        ("repo:acme/shop:*", "repo:acme/shop-api:ref", false),
        ("*", "", true),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY", false),
    ] {
        assert_eq!(like(pattern, value), expected, "{pattern} ~ {value}");
    }
}
