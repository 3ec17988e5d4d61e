//! What every command that reaches AWS starts from: inputs checked completely and the plan made
//! before the first AWS call, then credentials, the account from AWS, and the plan bound to it.

use std::path::Path;

use crate::aws::calls::CallLog;
use crate::aws::{self, Clients, Session};
use crate::error::{Error, Failure};
use crate::workflow::Masker;
use crate::workspace;
use maestro_core::account_guard::AccountGuard;
use maestro_core::app::App;
use maestro_core::credentials::{self, CredentialPlan};
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::plan::{self, Plan, desired::DesiredState};
use maestro_core::report::Context;
use maestro_core::report::preview_comment::ReportedPreview;
use maestro_core::request::DeployRequest;
use maestro_core::request::Target;
use maestro_core::settings::{Settings, secret_port, secret_settings};
use maestro_core::types::{AccountId, Region};

/// Inputs that passed every check, with their plan for whichever account the credentials reach.
pub(crate) struct ValidatedInputs {
    pub(crate) env: Env,
    pub(crate) settings: Settings,
    request: DeployRequest,
    region: Region,
    credentials: CredentialPlan,
    /// `allowed-account-ids` and `mask-aws-account-id`, applied once AWS names the account.
    guard: AccountGuard,
    plan: Plan,
    /// Kept to plan again with the app secret's `PORT` (`settings_from_secret`).
    app: App,
    target: Target,
}

/// Where a run goes: the signed-in session, its clients (counting calls in the run's log), and
/// the plan bound to the session's account.
pub(crate) struct Destination {
    pub(crate) session: Session,
    pub(crate) clients: Clients,
    pub(crate) desired: DesiredState,
    account: AccountId,
    /// Who signed in (GetCallerIdentity's ARN) and where: `maestro verify`'s permissions check.
    pub(crate) caller_arn: String,
    pub(crate) region: Region,
}

impl ValidatedInputs {
    /// The whole plan (unknown processes, colliding rules, base files) and the credentials,
    /// checked before AWS is called; the account is not needed: it comes from AWS. `checkout`
    /// is the app's checkout (`--app`).
    pub(crate) fn new(env: Env, settings: Settings, request: DeployRequest, checkout: &Path) -> Result<Self, Error> {
        let target = request.target()?;
        let app = workspace::load(checkout, &settings.build)?;
        let plan = plan::plan(&request, &target, &settings, &app)?;
        let credentials = credentials::plan(&env, request.ci, request.fork, request.run_id.as_deref(), &target.region)?;
        let guard = AccountGuard::from_env(&env)?;
        Ok(Self { env, settings, request, region: target.region.clone(), credentials, guard, plan, app, target })
    }

    /// Each process that logs and its log group (`maestro logs`), before any AWS call.
    pub(crate) fn log_sources(&self) -> Vec<maestro_core::logs::sources::Source> {
        self.plan.log_sources()
    }

    /// Where the image comes from, decided when the app was loaded.
    pub(crate) fn image_source(&self) -> &maestro_core::build::source::Source {
        &self.app.image_source
    }

    /// The app's parsed files (the test phase reads its Procfile).
    pub(crate) fn app(&self) -> &App {
        &self.app
    }

    /// The checked plan, before any AWS call (`maestro restart` checks its process names on it).
    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    /// What the reporters know of the deploy: the environment is `MAESTRO_ENVIRONMENT`, else the branch.
    pub(crate) fn request(&self) -> &DeployRequest {
        &self.request
    }

    pub(crate) fn report_context(&self) -> Context {
        let environment = self.settings.reporting.environment.clone().or_else(|| self.request.branch.clone());
        Context {
            request: self.request.clone(),
            environment: environment.unwrap_or_else(|| "default".to_owned()),
            cluster: self.plan.cluster_name().to_owned(),
            preview: ReportedPreview::of(&self.request, &self.settings),
        }
    }

    /// Signs in, takes the account from AWS (refusing a different `AWS_ACCOUNT_ID`), and binds
    /// the plan to it; the clients report their calls to `log`.
    pub(crate) async fn connect(&self, log: &CallLog) -> Result<Destination, Error> {
        let masker = Masker::for_env(&self.env);
        // Boxed: the sign-in's future (OIDC, chaining) would make every caller's large.
        let session = Box::pin(aws::connect(&self.credentials, &self.region, &self.env, &self.guard)).await?;
        let identity = aws::identity::confirmed(&session, &self.guard, &masker).await?;
        let account = self.account_of(&identity)?;
        Ok(self.destination(session, log, account, identity.arn))
    }

    /// [`Self::connect`] without waiting for AWS to say the account when `AWS_ACCOUNT_ID` names
    /// it: the plan is bound to that account at once (checked against `allowed-account-ids`
    /// first), and `true` says that [`Self::confirm_account`] must pass before any write.
    pub(crate) async fn connect_expecting(&self, log: &CallLog) -> Result<(Destination, bool), Error> {
        let Some(account) = self.request.account_id.as_deref().and_then(|id| AccountId::parse(id).ok()) else {
            return Ok((self.connect(log).await?, false));
        };
        if self.guard.mask {
            Masker::for_env(&self.env).mask(&account);
        }
        self.guard.check(&account)?;
        let session = Box::pin(aws::connect(&self.credentials, &self.region, &self.env, &self.guard)).await?;
        Ok((self.destination(session, log, account, String::new()), true))
    }

    /// The account the credentials belong to is the one `AWS_ACCOUNT_ID` names (GetCallerIdentity),
    /// and one `allowed-account-ids` lists.
    pub(crate) async fn confirm_account(&self, session: &Session) -> Result<(), Error> {
        let identity = aws::identity::confirmed(session, &self.guard, &Masker::for_env(&self.env)).await?;
        self.account_of(&identity).map(|_| ())
    }

    fn account_of(&self, identity: &aws::identity::Identity) -> Result<AccountId, Error> {
        if let Some(expected) = self.request.account_id.as_deref().filter(|expected| *expected != identity.account_id) {
            return Err(Failure::new(format!(
                "AWS_ACCOUNT_ID is {expected}, but the credentials belong to account {}",
                identity.account_id
            ))
            .hint("use credentials for the intended account, or correct AWS_ACCOUNT_ID; nothing was changed")
            .into());
        }
        Ok(AccountId::parse(&identity.account_id)
            .map_err(|invalid| Failure::new(format!("STS answered with an account id that {invalid}")))?)
    }

    fn destination(&self, session: Session, log: &CallLog, account: AccountId, caller_arn: String) -> Destination {
        let clients = Clients::paced(&session, log, self.settings.waiting.ecs_pacing);
        let desired = self.plan.clone().bind(&account);
        Destination { session, clients, desired, account, caller_arn, region: self.region.clone() }
    }

    /// `PORT` from the app's secret when no variable sets it, as the bash maestro exported it
    /// (`settings::secret_port`): the plan is made again with it, so the task definitions, the
    /// target group and the services follow one port. maestro's other settings the secret sets
    /// are warned about, not used (`settings::secret_settings`). The secret is read once per run
    /// (the observation reuses this read), so this costs no AWS call. `true`: planned again.
    pub(crate) async fn settings_from_secret(&self, to: &mut Destination) -> Result<bool, Error> {
        let read = to.clients.secrets.object(&to.desired.secret).await?;
        let keys: Vec<(&str, String)> = read
            .as_ref()
            .map(|(_, object)| object.iter().map(|(key, value)| (key.as_str(), text(value))).collect())
            .unwrap_or_default();
        let value = keys.iter().find(|(key, _)| *key == var::PORT).map(|(_, value)| value.as_str());
        let judged = secret_port::judge(&self.env, self.settings.tasks.port, &to.desired.secret, value);
        let others = secret_settings::judge(
            &self.env,
            &to.desired.secret,
            keys.iter().map(|(key, value)| (*key, value.as_str())),
        );
        let replanned = judged.port.is_some();
        if let Some(port) = judged.port {
            let mut settings = self.settings.clone();
            settings.tasks.port = port;
            let plan = plan::plan(&self.request, &self.target, &settings, &self.app)?;
            // Before the image is pinned (the caller pins after), so nothing of the first is lost.
            to.desired = plan.bind(&to.account);
        }
        if let Some(notice) = judged.notice {
            tracing::info!("{notice}");
        }
        to.desired.warnings.extend(judged.warning);
        to.desired.warnings.extend(others);
        Ok(replanned)
    }
}

/// A secret's value as the bash maestro exported it (`jq`'s `tostring`: numbers and booleans as text).
fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
