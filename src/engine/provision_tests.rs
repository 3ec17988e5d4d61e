//! The provision engine against the emulator: fresh creation with the original's names,
//! convergence to zero writes, minimal changes, adoption, load balancers, and describe errors
//! that never turn into creates. Each test reconciles the example app into its own emulator
//! account, round after round (`Scenario`).

mod adoption;
mod describe_errors;
mod listeners;
mod rounds;
mod service_linked_role;
mod shared_load_balancer;
mod traffic;

use std::path::Path;

use aws_config::SdkConfig;

use crate::aws::calls::{CallCounts, CallLog};
use crate::aws::{Clients, Session};
use crate::engine::{self, Reconciled};
use crate::error::Failure;
use maestro_core::ci::{Ci, CiFacts};
use maestro_core::env::{Env, Origin};
use maestro_core::plan::desired::DesiredState;
use maestro_core::request::{DeployRequest, Need};
use maestro_core::settings::{Settings, WaitSettings};
use maestro_core::spec::env_file;
use maestro_test_support::{EXAMPLE_APP, EXAMPLE_ENV, Network, TestAccount, repository_root};

/// The plan of the app in `app` with the example's settings and `changes`.
fn example_from(app: &Path, changes: &[(&str, &str)]) -> DesiredState {
    let root = repository_root();
    let text = std::fs::read_to_string(root.join(EXAMPLE_ENV)).unwrap();
    let mut env = Env::default();
    for assignment in env_file::parse(EXAMPLE_ENV, &text).unwrap() {
        env.set(assignment.name, assignment.value, Origin::Process);
    }
    for (name, value) in changes {
        env.set(*name, *value, Origin::Process);
    }
    let settings = Settings::from_env(&env).unwrap();
    let request = DeployRequest::resolve(&env, Ci::Local, CiFacts::default(), Need::Offline).unwrap();
    let app = crate::workspace::load(app, &Default::default()).unwrap();
    let plan = maestro_core::plan::plan(&request, &request.target().unwrap(), &settings, &app).unwrap();
    plan.bind(&request.account().unwrap())
}

/// What one reconcile did, and the AWS calls it made.
struct Round {
    reconciled: Reconciled,
    calls: CallCounts,
}

impl Round {
    /// The actions as the user reads them.
    fn actions(&self) -> Vec<String> {
        self.reconciled.actions.iter().map(ToString::to_string).collect()
    }

    /// Nothing to do, and nothing written.
    #[track_caller]
    fn assert_converged(&self) {
        assert!(self.reconciled.actions.is_empty(), "{:?}", self.actions());
        assert_eq!(self.calls.writes, 0, "{:?}", self.calls.by_operation);
    }
}

/// `engine::reconcile` of `desired` with every call through `config`, counted: the one place
/// these tests call the engine.
async fn reconcile(config: &SdkConfig, desired: &DesiredState) -> Result<Round, Failure> {
    let log = CallLog::default();
    let clients = Clients::new(&Session::from_config(config.clone()), &log);
    let reconciled = engine::reconcile(&clients, desired, Default::default(), &fast_waiting()).await?;
    Ok(Round { reconciled, calls: log.counts() })
}

/// Waits as the emulator tests set them: a call AWS answers "not yet" is tried again at once.
fn fast_waiting() -> WaitSettings {
    let mut env = Env::default();
    env.set(maestro_core::input::vars::MAESTRO_POLL_INTERVAL, "0.05", Origin::Process);
    Settings::from_env(&env).unwrap().waiting
}

/// The example app and an emulator account of its own, with the account's default network.
struct Scenario {
    account: TestAccount,
    network: Network,
}

impl Scenario {
    async fn new(name: &str) -> Self {
        let account = TestAccount::new(name).await;
        let network = account.network().await;
        Self { account, network }
    }

    /// The example's plan in this account's network, with `changes` to its settings.
    fn plan(&self, changes: &[(&str, &str)]) -> DesiredState {
        self.plan_of(&repository_root().join(EXAMPLE_APP), changes)
    }

    /// The plan of the app in `app`, in this account's network, with `changes` to its settings.
    fn plan_of(&self, app: &Path, changes: &[(&str, &str)]) -> DesiredState {
        let subnets = self.network.subnets.join(",");
        let mut settings = vec![
            ("ECS_SERVICE_SUBNETS", subnets.as_str()),
            ("ALB_SUBNETS", subnets.as_str()),
            ("ECS_SERVICE_SECURITY_GROUPS", self.network.security_group.as_str()),
            ("ALB_SECURITY_GROUPS", self.network.security_group.as_str()),
            ("WORKLOAD_VPC_ID", self.network.vpc_id.as_str()),
        ];
        settings.extend_from_slice(changes);
        example_from(app, &settings)
    }

    async fn reconcile(&self, desired: &DesiredState) -> Round {
        reconcile(&self.account.config, desired).await.unwrap_or_else(|failure| panic!("{}", failure.render()))
    }

    /// The app's secret, with two variables.
    async fn seed_secret(&self) {
        aws_sdk_secretsmanager::Client::new(&self.account.config)
            .create_secret()
            .name("staging/acme-shop-api")
            .secret_string(r#"{"DATABASE_URL": "postgres://canary-password@db/shop", "PORT": "3000"}"#)
            .send()
            .await
            .unwrap();
    }
}
