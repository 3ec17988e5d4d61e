//! What `plan` (against AWS) and `deploy` share: every input checked and the plan made before
//! the first AWS call, then credentials, the account from AWS, and the plan bound to it.

use crate::aws::{self, Session};
use crate::cli::AppArgs;
use crate::detection;
use crate::error::{Error, Failure};
use crate::workflow::Masker;
use crate::workspace;
use maestro_core::credentials::{self, CredentialPlan};
use maestro_core::env::Env;
use maestro_core::input_error::InputErrors;
use maestro_core::plan::{self, Plan, desired::DesiredState};
use maestro_core::report::Context;
use maestro_core::request::{DeployRequest, Need};
use maestro_core::settings::Settings;
use maestro_core::types::{AccountId, Region};

/// Inputs that passed every check, with their plan for whichever account the credentials reach.
pub(super) struct Checked {
    pub(super) env: Env,
    pub(super) settings: Settings,
    request: DeployRequest,
    region: Region,
    credentials: CredentialPlan,
    plan: Plan,
}

/// The flags layered over the environment, the settings and the request, checked together so
/// one run lists every problem.
pub(super) fn settings_and_request(
    args: &AppArgs,
    env: Env,
    need: Need,
) -> Result<(Env, Settings, DeployRequest), Error> {
    let env = env.merge(args.request.as_env());
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

/// Every input, the whole plan (unknown processes, colliding rules, base files) and the
/// credentials, checked before AWS is called; the account is not needed: it comes from AWS.
pub(super) fn check(args: &AppArgs, env: Env) -> Result<Checked, Error> {
    let (env, settings, request) = settings_and_request(args, env, Need::Facts)?;
    let target = request.target()?;
    let app = workspace::load(&args.app, settings.build.sub_folder.as_deref())?;
    let plan = plan::plan(&request, &target, &settings, &app)?;
    let credentials = credentials::plan(&env, request.ci, request.fork, request.run_id.as_deref(), &target.region)?;
    Ok(Checked { env, settings, request, region: target.region, credentials, plan })
}

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
            cluster: self.plan.cluster_name().to_owned(),
        }
    }
}

/// Signs in, takes the account from AWS (refusing a different `AWS_ACCOUNT_ID`), and binds the
/// plan to it.
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
    let account = AccountId::parse(&identity.account_id)
        .map_err(|invalid| Failure::new(format!("STS answered with an account id that {invalid}")))?;
    Ok((config, checked.plan.clone().bind(&account)))
}
