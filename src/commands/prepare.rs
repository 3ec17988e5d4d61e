//! What `plan` (against AWS) and `deploy` share: every input checked before the first AWS call,
//! then credentials, the account from AWS, and the plan for that account.

use crate::aws::{self, Session};
use crate::cli::AppArgs;
use crate::detection;
use crate::error::{Error, Failure};
use crate::workflow::Masker;
use crate::workspace;
use maestro_core::app::App;
use maestro_core::credentials::{self, CredentialPlan};
use maestro_core::env::Env;
use maestro_core::input_error::InputErrors;
use maestro_core::plan::{self, desired::DesiredState};
use maestro_core::report::Context;
use maestro_core::request::{DeployRequest, Need, Target};
use maestro_core::settings::Settings;

/// Stands in for the account while the plan is checked before any AWS call.
const ACCOUNT_FOR_CHECKS: &str = "000000000000";

/// Inputs that passed every check.
pub(super) struct Checked {
    pub(super) env: Env,
    pub(super) settings: Settings,
    request: DeployRequest,
    pub(super) app: App,
    branch_slug: String,
    region: String,
    credentials: CredentialPlan,
    /// The cluster's name, known before any AWS call.
    cluster: String,
}

/// The flags layered over the environment, the settings and the request, checked together so
/// one run lists every problem.
pub(super) fn settings_and_request(
    args: &AppArgs,
    env: Env,
    need: Need,
) -> Result<(Env, Settings, DeployRequest), Error> {
    let env = env.overlay(args.request.as_env());
    let settings = Settings::from_env(&env);
    let request = detection::request(&env, &args.app, need);
    match (settings, request) {
        (Ok(settings), Ok(request)) => Ok((env, settings, request)),
        (settings, request) => {
            let mut errors = InputErrors::default();
            for problems in [settings.err(), request.err()].into_iter().flatten() {
                errors.0.extend(problems.0);
            }
            Err(errors.into())
        }
    }
}

pub(super) fn check(args: &AppArgs, env: Env) -> Result<Checked, Error> {
    let (env, settings, request) = settings_and_request(args, env, Need::Facts)?;
    let (Some(branch_slug), Some(region)) = (request.branch_slug.clone(), request.region.clone()) else {
        // The account is not needed: it comes from AWS.
        let mut probe = request.clone();
        probe.account_id.get_or_insert_with(|| ACCOUNT_FOR_CHECKS.to_owned());
        return Err(probe.target().err().unwrap_or_default().into());
    };
    let app = workspace::load(&args.app, settings.build.sub_folder.as_deref())?;
    // The whole plan is checked (unknown processes, colliding rules, base files) before AWS is called.
    let check =
        Target { branch_slug: branch_slug.clone(), account_id: ACCOUNT_FOR_CHECKS.to_owned(), region: region.clone() };
    let cluster = plan::plan(&request, &check, &settings, &app)?.cluster.name;
    let credentials = credentials::plan(&env, request.ci, request.fork, request.run_id.as_deref(), &region)?;
    Ok(Checked { env, settings, request, app, branch_slug, region, credentials, cluster })
}

/// Signs in, takes the account from AWS (refusing a different `AWS_ACCOUNT_ID`), and plans for it.
impl Checked {
    pub(super) fn waiting(&self) -> maestro_core::settings::WaitSettings {
        self.settings.waiting
    }

    /// What the reporters know of the deploy: the environment is `MAESTRO_ENVIRONMENT`, else the branch.
    pub(super) fn report_context(&self) -> Context {
        let environment = self.settings.reporting.environment.clone().or_else(|| self.request.branch.clone());
        Context {
            request: self.request.clone(),
            environment: environment.unwrap_or_else(|| "default".to_owned()),
            cluster: self.cluster.clone(),
        }
    }
}

pub(super) async fn connect(checked: &Checked) -> Result<(Session, DesiredState), Error> {
    let attempts = aws::attempts(&checked.env);
    let config = aws::connect(&checked.credentials, &checked.region, Masker::for_env(&checked.env), attempts).await?;
    let identity = aws::identity::caller(&config).await?;
    if let Some(expected) = checked.request.account_id.as_deref().filter(|expected| *expected != identity.account_id) {
        return Err(Failure::new(format!(
            "AWS_ACCOUNT_ID is {expected}, but the credentials belong to account {}",
            identity.account_id
        ))
        .hint("use credentials for the intended account, or correct AWS_ACCOUNT_ID; nothing was changed")
        .into());
    }
    let mut request = checked.request.clone();
    request.account_id = Some(identity.account_id.clone());
    let target = Target {
        branch_slug: checked.branch_slug.clone(),
        account_id: identity.account_id,
        region: checked.region.clone(),
    };
    let desired = plan::plan(&request, &target, &checked.settings, &checked.app)?;
    Ok((config, desired))
}
