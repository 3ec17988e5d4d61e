//! `maestro whoami`: get AWS credentials the way a deploy does, and say whose they are.
//!
//! On GitHub and GitLab with a role, that is the OIDC exchange; with `role-chaining`, the
//! default chain's credentials assuming the role; elsewhere the SDK's default chain. Nothing secret is printed: not the token, not the keys.

use serde::Serialize;

use super::whoami_explain::{self, Explained};
use crate::aws;
use crate::cli::WhoamiArgs;
use crate::error::Error;
use crate::output::Report;
use crate::workflow::Masker;
use maestro_core::account_guard::AccountGuard;
use maestro_core::ci::{self, Ci, CiInput};
use maestro_core::credentials;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::input_error::InputError;

#[derive(Serialize)]
pub(super) struct Whoami {
    account_id: String,
    arn: String,
    user_id: String,
    /// How the credentials were obtained.
    credentials: &'static str,
    role_arn: Option<String>,
    session_name: Option<String>,
    region: String,
    /// `--explain`: the OIDC doctor's reading of the sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<Explained>,
}

pub(super) async fn run(args: &WhoamiArgs, env: Env) -> Result<Whoami, Error> {
    let env = env.merge(args.region.as_env());
    let region =
        env.first_of(&[var::AWS_REGION, var::AWS_DEFAULT_REGION]).map(|(_, region)| region.to_owned()).ok_or_else(
            || InputError::new(var::AWS_REGION, "no AWS region given", "pass `--region us-east-1` or set AWS_REGION"),
        )?;
    let ci = Ci::detect(&env);
    // The OIDC choice needs only the CI's facts (run id, fork), not a full deploy request.
    let facts = ci::facts(ci, &CiInput { env: &env, event: None, git: None })?;
    let plan = credentials::plan(&env, ci, facts.fork, facts.run_id.as_ref().map(|fact| fact.value.as_str()), &region)?;
    let guard = AccountGuard::from_env(&env)?;
    let explain = match args.explain {
        true => Some(whoami_explain::prepare(&plan, &env, &region, args.trust_policy.as_deref()).await?),
        false => None,
    };
    // A refused sign-in carries the explanation in its details.
    let explained = |error: Error| match &explain {
        Some(explain) => explain.onto(error),
        None => error,
    };
    let config = aws::connect(&plan, &region, &env, &guard).await.map_err(explained)?;
    let identity = aws::identity::confirmed(&config, &guard, &Masker::for_env(&env)).await?;
    let role = plan.role();
    Ok(Whoami {
        account_id: identity.account_id,
        arn: identity.arn,
        user_id: identity.user_id,
        credentials: plan.describe(),
        role_arn: role.map(|role| role.role_arn.to_string()),
        session_name: role.map(|role| role.session_name.clone()),
        region,
        explain,
    })
}

impl Report for Whoami {
    fn human(&self) -> String {
        let explained = self.explain.as_ref().map(Explained::human).unwrap_or_default();
        format!(
            "account       {}\nidentity      {}\ncredentials   {}\nregion        {}\n{explained}",
            self.account_id, self.arn, self.credentials, self.region
        )
    }
}
