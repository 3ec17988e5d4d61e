//! The reads of `maestro verify`, judged by the core (`maestro_core::verify`); `deploy` and `plan`
//! run them first, so an input the account contradicts stops the run with exit code 2 before the
//! deploy lease (an SSM write) and before any other write. The reads run concurrently: the
//! deploy waits for the slowest, not for their sum.

use crate::aws::Clients;
use crate::error::{Error, Failure};
use crate::workflow::Masker;
use maestro_core::build::source::Source;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::plan::desired::DesiredState;
use maestro_core::settings::Settings;
use maestro_core::verify::Verdict;
use maestro_core::verify::balancer::{self, SharedBalancer};
use maestro_core::verify::certificate::{self, CertificateInput};
use maestro_core::verify::image;
use maestro_core::verify::network::{self, NetworkInputs, ObservedNetwork};
use maestro_core::verify::roles::{self, RoleInputs};
use maestro_core::verify::secret::{self, SecretInput};

/// Every check's verdict, with the network as read (the report shows it); every way the account
/// contradicts the inputs, as input errors. `image`: judge the image too (`deploy`, `verify`);
/// `plan` reports whether it exists itself, and plans a commit before it is built.
pub(crate) async fn verify(
    clients: &Clients,
    settings: &Settings,
    desired: &DesiredState,
    env: &Env,
    image: bool,
) -> Result<(ObservedNetwork, Verdict), Error> {
    let network = NetworkInputs::of(settings, desired);
    let roles = RoleInputs::of(settings, desired);
    let account = desired.request.account_id.as_ref().map(ToString::to_string).unwrap_or_default();
    let secret = SecretInput::of(settings, desired);
    let certificate = CertificateInput::of(desired);
    let readable = certificate.as_ref().filter(|certificate| certificate.readable());
    let (subnets, security_groups) = (network.subnet_ids(), network.security_group_ids());
    let role_names = roles.names_in(&account);
    let shared = SharedBalancer::of(desired);
    // The input that makes the image a precondition of the deploy, if any.
    let required_by = match (&desired.image.source, settings.build.skip) {
        _ if !image => None,
        (Source::Prebuilt(_), _) => Some(var::MAESTRO_IMAGE),
        (_, true) => Some(var::MAESTRO_SKIP_BUILD),
        (_, false) => None,
    };
    let (observed_network, observed_roles, secret_arn, observed_certificate, image_exists, listener_ports) = tokio::try_join!(
        clients.ec2.network(&subnets, &security_groups),
        clients.iam.roles(&role_names),
        clients.secrets.arn(&secret.name),
        async {
            match readable {
                Some(certificate) => clients.acm.certificate(&certificate.arn).await,
                None => Ok(None),
            }
        },
        // Only a skipped build or an image built elsewhere needs the image now; a build makes a
        // missing one.
        async {
            if required_by.is_none() {
                return Ok::<_, Failure>(None);
            }
            let found = crate::build::existing(clients, desired, settings, env, Masker::for_env(env)).await?;
            Ok(Some(found.is_some()))
        },
        async {
            let Some(shared) = &shared else { return Ok(None) };
            let found = clients.elb.load_balancer(&shared.name, None).await?;
            Ok(found.map(|balancer| balancer.listeners.iter().map(|listener| listener.port).collect::<Vec<u16>>()))
        },
    )?;
    let mut verdict = network::verdict(&network, &observed_network)
        .and(roles::judge(&roles, &account, &observed_roles))
        .and(secret::judge(&secret, secret_arn.as_deref()));
    if let Some(certificate) = &certificate {
        verdict = verdict.and(certificate::judge(certificate, observed_certificate.as_ref()));
    }
    if let Some(shared) = &shared {
        verdict = verdict.and(balancer::judge(shared, listener_ports.as_deref()));
    }
    verdict = verdict.and(image::judge(required_by, &desired.image.uri, image_exists));
    Ok((observed_network, verdict.into_result()?))
}
