//! The reads of `maestro verify`, judged by the core (`maestro_core::verify`); `deploy` and `plan`
//! run them first, so an input the account contradicts stops the run with exit code 2 before the
//! deploy lease (an SSM write) and before any other write.

use crate::aws::Clients;
use crate::error::Error;
use maestro_core::plan::desired::DesiredState;
use maestro_core::settings::Settings;
use maestro_core::verify::{self, network};

/// The subnets and security groups the inputs name, as the account holds them; every way they
/// contradict the inputs, as input errors.
pub(crate) async fn network(
    clients: &Clients,
    settings: &Settings,
    desired: &DesiredState,
) -> Result<network::ObservedNetwork, Error> {
    let wanted = network::NetworkInputs::of(settings, desired);
    let observed = clients.ec2.network(&wanted.subnet_ids(), &wanted.security_group_ids()).await?;
    verify::as_errors(&network::judge(&wanted, &observed))?;
    Ok(observed)
}
