//! `maestro detect`: the normalised deploy request, with where each field came from.

use crate::cli::AppArgs;
use crate::detection;
use crate::error::Error;
use crate::output::Report;
use maestro_core::env::Env;
use maestro_core::request::{DeployRequest, Need};

pub(super) fn run(args: &AppArgs, env: Env) -> Result<DeployRequest, Error> {
    let env = env.merge(args.request.as_env());
    Ok(detection::request(&env, &args.app, Need::Facts)?)
}

/// The request itself is the report: its JSON, or each field with its source.
impl Report for DeployRequest {
    fn human(&self) -> String {
        human(self)
    }
}

fn human(request: &DeployRequest) -> String {
    let pull_request = request.pull_request.map(|number| number.to_string());
    let fields: [(&str, Option<&str>); 18] = [
        ("repository", Some(&request.repository)),
        ("slug", Some(&request.slug)),
        ("sha", Some(&request.sha)),
        ("report_sha", Some(&request.report_sha)),
        ("short_sha", Some(&request.short_sha)),
        ("branch", request.branch.as_deref()),
        ("head_branch", request.head_branch.as_deref()),
        ("base_branch", request.base_branch.as_deref()),
        ("pull_request", pull_request.as_deref()),
        ("event", request.event.as_deref()),
        ("tag", request.tag.as_deref()),
        ("run_id", request.run_id.as_deref()),
        ("run_url", request.run_url.as_deref()),
        ("actor", request.actor.as_deref()),
        ("workspace", request.workspace.as_deref()),
        ("region", request.region.as_deref()),
        ("account_id", request.account_id.as_deref()),
        ("fork", Some(if request.fork { "true" } else { "false" })),
    ];
    let ci =
        serde_json::to_value(request.ci).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default();
    let mut out = format!("ci            {ci}\n");
    for (name, value) in fields {
        let source = request.sources.get(name).map(|source| format!("  ({source})")).unwrap_or_default();
        out.push_str(&format!("{name:<14}{}{source}\n", value.unwrap_or("-")));
    }
    if let Some(reason) = request.branch.is_none().then_some(request.branch_unknown.as_deref()).flatten() {
        out.push_str(&format!("\nno branch: {reason}; deploying needs `--branch` or MAESTRO_BRANCH_OVERRIDE\n"));
    }
    out
}
