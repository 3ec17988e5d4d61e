//! `maestro whoami --explain`: the OIDC doctor's reading of this job's sign-in. The token's claims
//! (never the token), the form of its `sub`, a trust policy statement that accepts it, and with
//! `--trust-policy` the condition of the role's own policy that refuses it. A refused exchange
//! gets all of it as the error's details; for role chaining, the statement the role needs for the
//! job's own identity.

use std::path::Path;

use serde::Serialize;
use serde_json::{Value, json};

use crate::aws;
use crate::error::{Error, Failure};
use crate::workflow::Masker;
use maestro_core::account_guard::AccountGuard;
use maestro_core::credentials::CredentialPlan;
use maestro_core::env::Env;
use maestro_core::oidc_doctor::evaluate::{self, Verdict};
use maestro_core::oidc_doctor::{Explanation, TokenClaims, principal_of};

#[derive(Debug, Clone, Serialize)]
pub(super) struct Explained {
    /// Each claim a trust policy or a person looks at, in order.
    pub claims: Vec<(String, String)>,
    pub sub_form: Option<&'static str>,
    /// GitHub's other `sub` form for this repository, which the token does not match.
    pub not_matched_by: Option<String>,
    /// A statement of the role's trust policy that accepts this sign-in.
    pub statement: Value,
    /// `--trust-policy`'s verdict, said.
    pub trust_policy: Option<String>,
}

impl Explained {
    /// The lines people read, after whoami's own.
    pub(super) fn human(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.claims {
            out.push_str(&format!("  {name:<12}{value}\n"));
        }
        if let Some(form) = self.sub_form {
            out.push_str(&format!("sub form      {form}\n"));
        }
        if let Some(old) = &self.not_matched_by {
            out.push_str(&format!("              a condition written for `{old}` does not match it\n"));
        }
        if let Some(verdict) = &self.trust_policy {
            out.push_str(&format!("trust policy  {verdict}\n"));
        }
        let statement = serde_json::to_string_pretty(&self.statement).unwrap_or_default();
        out.push_str(&format!("a statement that accepts this sign-in:\n{statement}\n"));
        out
    }

    /// `failure` (a refused sign-in) with the explanation as its details.
    pub(super) fn onto(&self, error: Error) -> Error {
        let Error::Failed(failure) = error else { return error };
        let mut failure: Failure = failure;
        for (name, value) in &self.claims {
            failure = failure.detail(format!("claim {name}: {value}"));
        }
        if let Some(form) = self.sub_form {
            failure = failure.detail(format!("sub form: {form}"));
        }
        if let Some(verdict) = &self.trust_policy {
            failure = failure.detail(format!("trust policy: {verdict}"));
        }
        failure.detail(format!("a statement that accepts this sign-in: {}", self.statement)).into()
    }
}

/// The explanation of `plan`'s sign-in, before it is tried.
pub(super) async fn prepare(
    plan: &CredentialPlan,
    env: &Env,
    region: &str,
    policy: Option<&Path>,
) -> Result<Explained, Error> {
    let policy = policy
        .map(|path| {
            std::fs::read_to_string(path).map_err(|error| {
                Failure::new(format!("cannot read the trust policy `{}`: {error}", path.display()))
                    .hint("give the role's trust policy document as a JSON file (`aws iam get-role --role-name <name> --query Role.AssumeRolePolicyDocument`)")
            })
        })
        .transpose()?;
    let Some(token) = aws::oidc::job_token(plan, Masker::for_env(env)).await? else {
        let CredentialPlan::Chained { external_id, .. } = plan else { return Ok(nothing_assumed()) };
        // The job's own identity, which the role's trust policy must name.
        let own = aws::connect(&CredentialPlan::DefaultChain, region, env, &AccountGuard::default()).await?;
        let caller = aws::identity::caller(&own).await?;
        return Ok(chained(&principal_of(&caller.arn), external_id.is_some()));
    };
    let claims = TokenClaims::decode(token.expose()).unwrap_or_default();
    let role = plan.role().map(|role| role.role_arn.to_string()).unwrap_or_default();
    let explanation = Explanation::of(&role, &claims);
    let trust_policy = policy.map(|policy| said(&evaluate::evaluate(&policy, &claims.issuer(), &claims.0)));
    Ok(Explained {
        claims: explanation.claims,
        sub_form: Some(explanation.sub_form),
        not_matched_by: explanation.not_matched_by,
        statement: explanation.statement,
        trust_policy,
    })
}

/// Role chaining: the statement the role's trust policy needs for the job's own identity, with
/// the external ID's condition (its value is not repeated here).
fn chained(principal: &str, external_id: bool) -> Explained {
    let mut statement = json!({"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"});
    if external_id {
        statement["Condition"] = json!({"StringEquals": {"sts:ExternalId": "<MAESTRO_ROLE_EXTERNAL_ID>"}});
    }
    let claims = vec![("principal".to_owned(), principal.to_owned())];
    Explained { claims, sub_form: None, not_matched_by: None, statement, trust_policy: None }
}

/// The default chain as it is: no role, so no trust policy is involved.
fn nothing_assumed() -> Explained {
    let statement = json!({"note": "no role is assumed: the credentials are the SDK's default chain's, as they are"});
    Explained { claims: Vec::new(), sub_form: None, not_matched_by: None, statement, trust_policy: None }
}

fn said(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Accepted { index } => format!("statement {} accepts this token", index + 1),
        Verdict::Denied { index } => format!("statement {} (a Deny) refuses this token", index + 1),
        Verdict::Unreadable(why) => format!("not read: {why}"),
        Verdict::Refused { provider_named: false, .. } => {
            "no Allow statement names this token's provider (Principal.Federated) with sts:AssumeRoleWithWebIdentity"
                .to_owned()
        }
        Verdict::Refused { mismatches, .. } => mismatches
            .iter()
            .map(|mismatch| {
                let state = if mismatch.not_evaluated { "is not evaluated here" } else { "does not hold" };
                format!(
                    "statement {}: `{}` {} {:?} {state} for the claim `{}` = {:?}",
                    mismatch.statement + 1,
                    mismatch.operator,
                    mismatch.key,
                    mismatch.expected,
                    mismatch.claim(),
                    mismatch.actual
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
    }
}
