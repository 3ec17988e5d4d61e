//! `maestro verify`: the inputs checked against the account, with reads only. Each way the account
//! contradicts an input is an input error (exit 2) naming the input, the resource and the fix.
//! This first slice checks the network (`engine::verify`), which `deploy` and `plan` also run
//! first; docs/verify.md says what is checked.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::CallLog;
use crate::cli::AppArgs;
use crate::engine;
use crate::error::Error;
use crate::output::Report;
use maestro_core::env::Env;
use maestro_core::verify::network;

/// What `verify` does not judge yet, said so rather than passed over in silence.
const NOT_CHECKED: &[&str] = &[
    "roles",
    "app secret",
    "certificate",
    "shared load balancer",
    "image",
    "permissions (iam:SimulatePrincipalPolicy)",
];

/// What the account holds of what the inputs name, once every check passed.
#[derive(Serialize)]
pub(super) struct Verified {
    vpc_id: Option<String>,
    network: network::ObservedNetwork,
    not_checked: &'static [&'static str],
}

pub(super) async fn run(args: &AppArgs, env: Env) -> Result<Verified, Error> {
    let inputs = prepare::validate(args, env)?;
    let to = inputs.connect(&CallLog::default()).await?;
    let network = engine::verify::network(&to.clients, &inputs.settings, &to.desired).await?;
    Ok(Verified { vpc_id: inputs.settings.network.vpc_id.clone(), network, not_checked: NOT_CHECKED })
}

impl Report for Verified {
    fn human(&self) -> String {
        let vpc = self.vpc_id.as_deref().unwrap_or("(WORKLOAD_VPC_ID not set: not judged)");
        let mut text = format!("verified: VPC {vpc}\n");
        for (id, subnet) in &self.network.subnets {
            text.push_str(&format!("  ok  subnet {id} in {} ({})\n", subnet.vpc_id, subnet.availability_zone));
        }
        for (id, vpc_id) in &self.network.security_groups {
            text.push_str(&format!("  ok  security group {id} in {vpc_id}\n"));
        }
        text.push_str(&format!("not checked yet: {}\n", self.not_checked.join(", ")));
        text
    }
}
