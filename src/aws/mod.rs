//! The only code that touches AWS SDK types: one `SdkConfig`, built once, and thin adapters.
//!
//! Endpoints follow the SDK's own rules (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`), which
//! is how the tests point maestro at the local emulator.

pub(crate) mod acm;
pub(crate) mod autoscaling;
pub(crate) mod calls;
mod chained;
pub(crate) mod cloudwatch;
pub(crate) mod ec2;
pub(crate) mod ecr;
pub(crate) mod ecs;
mod ecs_deployment_configuration;
mod ecs_listing;
mod ecs_pacing;
pub(crate) mod ecs_service_deployments;
mod ecs_service_request;
mod ecs_services;
pub(crate) mod ecs_tasks;
pub(crate) mod elb;
pub(crate) mod elb_previews;
mod elb_rules;
mod elb_tags;
mod elb_traffic;
pub(crate) mod events;
mod failure;
pub(crate) mod iam;
pub(crate) mod identity;
pub(crate) mod logs;
pub(crate) mod oidc;
mod passthrough;
pub(crate) mod secrets;
mod shared_files;
pub(crate) mod ssm;
mod teardown;
mod unanswered;

pub(crate) use ecs_service_request::Traffic;
pub(crate) use elb_rules::RuleCreated;
pub(crate) use elb_traffic::Pair;
pub(crate) use failure::CallError;

use aws_config::{BehaviorVersion, SdkConfig};
use aws_sdk_sts::config::Region;

use crate::error::{Error, Failure};
use crate::workflow::Masker;
use maestro_core::account_guard::AccountGuard;
use maestro_core::aws_profiles;
use maestro_core::build::build_env::AwsKeys;
use maestro_core::credential_sources::{self, NoCredentials};
use maestro_core::credentials::CredentialPlan;
use maestro_core::env::Env;
use maestro_core::secret::Secret;
use oidc::OidcProvider;

/// A signed-in AWS session: the SDK configuration, kept inside this layer, and for the SDK's
/// default chain what to say if it finds no credentials (where it looked, worked out from the
/// environment and the shared files when the session was made).
#[derive(Debug, Clone)]
pub(crate) struct Session(SdkConfig, Option<Box<NoCredentials>>);

impl Session {
    /// A session from a configuration built elsewhere (the tests build theirs).
    #[cfg(test)]
    pub(crate) fn from_config(config: SdkConfig) -> Self {
        Self(config, None)
    }
}

impl Session {
    /// The session's current keys, for a build that was explicitly given them.
    pub(crate) async fn keys(&self) -> Result<AwsKeys, Failure> {
        use aws_credential_types::provider::ProvideCredentials;
        let Some(provider) = self.0.credentials_provider() else {
            return Err(Failure::new("the AWS session has no credentials to hand to the build"));
        };
        let credentials = provider.provide_credentials().await.map_err(|error| {
            Failure::new(format!("read the AWS credentials for the build: {}", unanswered::causes(&error)))
        })?;
        Ok(AwsKeys {
            access_key_id: Secret::new(credentials.access_key_id()),
            secret_access_key: Secret::new(credentials.secret_access_key()),
            session_token: credentials.session_token().map(Secret::new),
        })
    }
}

impl Session {
    /// The lease's client: outside the call log, so a converged deploy still counts zero writes
    /// (the lease's own two are reported apart).
    pub(crate) fn ssm(&self) -> ssm::Ssm {
        ssm::Ssm(aws_sdk_ssm::Client::new(&self.0))
    }

    /// ECR in `region` (a release image's registry's), for tagging a release's image beside its
    /// record, outside the run's call counts as the record is.
    pub(crate) fn ecr_in(&self, region: &str) -> ecr::Ecr {
        let config =
            aws_sdk_ecr::config::Builder::from(&self.0).region(aws_sdk_ecr::config::Region::new(region.to_owned()));
        ecr::Ecr(aws_sdk_ecr::Client::from_conf(config.build()))
    }
}

/// maestro's attempts per AWS call: 8, unless `AWS_MAX_ATTEMPTS` says otherwise (`None` keeps
/// the SDK's own choice, which reads it).
fn attempts(env: &Env) -> Option<u32> {
    env.get(maestro_core::input::vars::AWS_MAX_ATTEMPTS).is_none().then_some(8)
}

/// Signs in for `region` with the credentials `plan` names. OIDC credentials are fetched once
/// here, so a broken trust policy fails now with its diagnosis; for the SDK's default chain, an
/// `AWS_PROFILE` that neither shared file holds is bad input (exit 2), found before any call.
///
/// maestro makes 8 attempts per call unless `AWS_MAX_ATTEMPTS` says otherwise (the SDK's
/// default is 3): a deploy makes a hundred calls, and a throttled one should wait and retry
/// rather than fail the deploy.
pub(crate) async fn connect(
    plan: &CredentialPlan,
    region: &str,
    env: &Env,
    guard: &AccountGuard,
) -> Result<Session, Error> {
    // `mask-aws-account-id`: the role's account is known before any call; the caller's is
    // masked once STS names it (`identity::confirmed`).
    if let Some(role) = plan.role().filter(|_| guard.mask) {
        let account = role.role_arn.split(':').nth(4).unwrap_or_default().to_owned();
        Masker::for_env(env).mask(&account);
    }
    let max_attempts = attempts(env);
    let loader = || {
        let loader = aws_config::defaults(BehaviorVersion::latest()).region(Region::new(region.to_owned()));
        match max_attempts {
            Some(attempts) => {
                loader.retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(attempts))
            }
            None => loader,
        }
    };
    match plan {
        CredentialPlan::DefaultChain => {
            let files = shared_files::read(env);
            aws_profiles::check_selected(env, &files)?;
            let none_found = credential_sources::no_credentials(env, &files);
            Ok(Session(loader().load().await, Some(Box::new(none_found))))
        }
        CredentialPlan::Chained { role, external_id } => {
            let files = shared_files::read(env);
            aws_profiles::check_selected(env, &files)?;
            let none_found = credential_sources::no_credentials(env, &files);
            let source = Session(loader().load().await, Some(Box::new(none_found)));
            // The source's own identity first: no credentials at all is said as where the
            // chain looked, not as a refused AssumeRole.
            identity::caller(&source).await?;
            let provider = chained::provider(&source.0, role, external_id.as_deref(), Masker::for_env(env)).await?;
            Ok(Session(loader().credentials_provider(provider).load().await, None))
        }
        CredentialPlan::GithubOidc { .. } | CredentialPlan::GitlabOidc { .. } => {
            // AssumeRoleWithWebIdentity is unsigned: its client needs no credentials.
            let unsigned = loader().no_credentials().load().await;
            let provider = OidcProvider::new(plan, aws_sdk_sts::Client::new(&unsigned), Masker::for_env(env))?;
            provider.credentials().await?;
            Ok(Session(loader().credentials_provider(provider).load().await, None))
        }
    }
}

/// The service clients of one run, all reporting their calls to one [`calls::CallLog`].
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    pub acm: acm::Acm,
    pub autoscaling: autoscaling::Autoscaling,
    pub cloudwatch: cloudwatch::CloudWatch,
    pub ec2: ec2::Ec2,
    pub ecr: ecr::Ecr,
    pub ecs: ecs::Ecs,
    pub elb: elb::Elb,
    pub events: events::Events,
    pub iam: iam::Iam,
    pub logs: logs::Logs,
    pub secrets: secrets::Secrets,
}

impl Clients {
    /// The clients of a run, ECS's paced at ECS's documented rates (the engine's tests).
    #[cfg(test)]
    pub(crate) fn new(session: &Session, log: &calls::CallLog) -> Self {
        Self::paced(session, log, true)
    }

    /// The clients of a run; `ecs_pacing` false (`MAESTRO_NO_ECS_PACING`) sends ECS's calls
    /// unpaced, still with their throttles retried outside the retry quota.
    pub(crate) fn paced(session: &Session, log: &calls::CallLog, ecs_pacing: bool) -> Self {
        let config = &session.0;
        Self {
            acm: acm::Acm(aws_sdk_acm::Client::from_conf(
                aws_sdk_acm::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            autoscaling: autoscaling::Autoscaling(aws_sdk_applicationautoscaling::Client::from_conf(
                aws_sdk_applicationautoscaling::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            cloudwatch: cloudwatch::CloudWatch(aws_sdk_cloudwatch::Client::from_conf(
                aws_sdk_cloudwatch::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            ec2: ec2::Ec2(aws_sdk_ec2::Client::from_conf(
                aws_sdk_ec2::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            ecr: ecr::Ecr(aws_sdk_ecr::Client::from_conf(
                aws_sdk_ecr::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            ecs: ecs::Ecs(aws_sdk_ecs::Client::from_conf(ecs_pacing::config(config, log, ecs_pacing))),
            elb: elb::Elb(aws_sdk_elasticloadbalancingv2::Client::from_conf(
                aws_sdk_elasticloadbalancingv2::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            events: events::Events(aws_sdk_eventbridge::Client::from_conf(
                aws_sdk_eventbridge::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            iam: iam::Iam(aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            logs: logs::Logs(aws_sdk_cloudwatchlogs::Client::from_conf(
                aws_sdk_cloudwatchlogs::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
            secrets: secrets::Secrets::new(aws_sdk_secretsmanager::Client::from_conf(
                aws_sdk_secretsmanager::config::Builder::from(config).interceptor(log.clone()).build(),
            )),
        }
    }
}
