use base64::Engine;

use super::*;

fn token(payload: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{}.{}.sig", engine.encode(r#"{"alg":"RS256"}"#), engine.encode(payload))
}

const ROLE: &str = "arn:aws:iam::123456789012:role/maestro-deploy";

fn immutable() -> TokenClaims {
    TokenClaims::decode(&token(
        r#"{"iss":"https://token.actions.githubusercontent.com","aud":"sts.amazonaws.com","sub":"repo:acme@12/shop-api@34:ref:refs/heads/main","repository":"acme/shop-api","repository_id":"34","repository_owner_id":"12","run_id":"9"}"#,
    ))
    .unwrap()
}

#[test]
fn an_immutable_token_is_explained_with_the_statement_that_accepts_it() {
    let explanation = Explanation::of(ROLE, &immutable());
    let names: Vec<&str> = explanation.claims.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["iss", "aud", "sub", "repository", "repository_id", "repository_owner_id"], "run_id is noise");
    assert_eq!(explanation.sub_form, "GitHub's immutable form (owner and repository ids)");
    assert_eq!(explanation.not_matched_by.as_deref(), Some("repo:acme/shop-api:*"));
    let condition = &explanation.statement["Condition"];
    assert_eq!(condition["StringLike"]["token.actions.githubusercontent.com:sub"], "repo:acme@12/shop-api@34:*");
    assert_eq!(condition["StringEquals"]["token.actions.githubusercontent.com:aud"], "sts.amazonaws.com");
    assert_eq!(
        explanation.statement["Principal"]["Federated"],
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    );
    // What the statement says accepts the token, by the evaluator's reading.
    let policy = json!({"Version": "2012-10-17", "Statement": [explanation.statement]}).to_string();
    let verdict = evaluate::evaluate(&policy, "https://token.actions.githubusercontent.com", &immutable().0);
    assert_eq!(verdict, evaluate::Verdict::Accepted { index: 0 });
}

#[test]
fn a_refusal_names_the_claim_it_points_at() {
    let claims = immutable();
    let denied =
        Diagnosis::of("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", ROLE, &claims);
    assert_eq!(denied.claim, Some("sub"));
    assert!(
        denied.hint.contains("a condition written for `repo:acme/shop-api:*` does not match it"),
        "{}",
        denied.hint
    );
    assert!(denied.hint.contains("repo:acme@12/shop-api@34:*"), "{}", denied.hint);
    let audience = Diagnosis::of("InvalidIdentityToken", "Incorrect token audience", ROLE, &claims);
    assert_eq!(audience.claim, Some("aud"));
    let provider = Diagnosis::of("InvalidIdentityToken", "No OpenIDConnect provider found", ROLE, &claims);
    assert_eq!(provider.claim, Some("iss"));
    assert_eq!(Diagnosis::of("ValidationError", "DurationSeconds", ROLE, &claims).claim, None);
}

#[test]
fn gitlab_tokens_and_audience_lists() {
    let gitlab = TokenClaims::decode(&token(
        r#"{"iss":"https://gitlab.example.com/","aud":["https://gitlab.example.com"],"sub":"project_path:acme/shop:ref_type:branch:ref:main","project_path":"acme/shop","ref_protected":"true"}"#,
    ))
    .unwrap();
    let explanation = Explanation::of(ROLE, &gitlab);
    assert_eq!(explanation.statement["Condition"]["StringLike"]["gitlab.example.com:sub"], "project_path:acme/shop:*");
    assert_eq!(
        explanation.statement["Condition"]["StringEquals"]["gitlab.example.com:aud"],
        json!(["https://gitlab.example.com"])
    );
    assert_eq!(explanation.not_matched_by, None);
    assert!(TokenClaims::decode("not-a-jwt").is_none());
}

#[test]
fn an_assumed_roles_principal_is_its_role() {
    assert_eq!(
        principal_of("arn:aws:sts::123456789012:assumed-role/codebuild-shop-service-role/AWSCodeBuild-8c1f"),
        "arn:aws:iam::123456789012:role/codebuild-shop-service-role"
    );
    assert_eq!(principal_of("arn:aws:iam::123456789012:user/ci"), "arn:aws:iam::123456789012:user/ci");
    assert_eq!(principal_of("garbage"), "garbage");
}
