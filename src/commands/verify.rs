//! `maestro verify`: the inputs checked against the account, with reads only. Each way the account
//! contradicts an input is an input error (exit 2) naming the input, the resource and the fix.
//! The checks are `engine::verify`'s, which `deploy` and `plan` also run first; docs/verify.md
//! says what is checked. The permissions check (IAM's policy simulator, `engine::permissions`)
//! is `verify`'s own: it asks about every action of the deploy, which a deploy need not pay for
//! on each run, and a refusal mid-deploy names its action anyway (`aws::failure`).

use serde::Serialize;

use super::prepare;
use crate::aws::calls::CallLog;
use crate::cli::AppArgs;
use crate::engine;
use crate::error::Error;
use crate::output::Report;
use maestro_core::env::Env;
use maestro_core::verify::NotChecked;
use maestro_core::verify::network::ObservedNetwork;
use maestro_core::verify::permissions::{self, Outcome};

/// What the account holds of what the inputs name, once every check passed, and what was not
/// checked, with why.
#[derive(Serialize)]
pub(super) struct Verified {
    vpc_id: Option<String>,
    network: ObservedNetwork,
    checked: Vec<String>,
    not_checked: Vec<NotChecked>,
    permissions: Outcome,
}

pub(super) async fn run(args: &AppArgs, env: Env) -> Result<Verified, Error> {
    let inputs = prepare::validate(args, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let (network, mut verdict) =
        Box::pin(engine::verify::verify(&to.clients, &inputs.settings, &to.desired, &inputs.env, true)).await?;
    let permissions = engine::permissions::check(&to.session, &log, &to.caller_arn, &to.region, &to.desired).await?;
    match &permissions {
        Outcome::Checked { role, actions } => verdict
            .checked
            .push(format!("{role} may make the deploy's calls ({actions} simulated; {})", permissions::LEFT_TO_AWS)),
        Outcome::NotChecked { why } => verdict.not_checked("the caller's permissions", why.clone()),
    }
    Ok(Verified {
        vpc_id: inputs.settings.network.vpc_id.clone(),
        network,
        checked: verdict.checked,
        not_checked: verdict.not_checked,
        permissions,
    })
}

impl Report for Verified {
    fn human(&self) -> String {
        let vpc = self.vpc_id.as_deref().unwrap_or("(WORKLOAD_VPC_ID not set: not judged)");
        let mut text = format!("verified: VPC {vpc}\n");
        for line in &self.checked {
            text.push_str(&format!("  ok  {line}\n"));
        }
        if !self.not_checked.is_empty() {
            text.push_str("not checked:\n");
            for skipped in &self.not_checked {
                text.push_str(&format!("  --  {}: {}\n", skipped.what, skipped.why));
            }
        }
        text
    }
}
