//! How a new revision reaches the web service's traffic: the deployment strategy, the approval
//! pause, and what ECS needs for them (the infrastructure role, the test listener's port).

use super::reader::Reader;
use crate::input::vars as var;
use crate::input_error::InputError;
use crate::spec::approval::{self, Approval};
use crate::spec::deploy_strategy::{self, Strategy};
use crate::spec::lifecycle_stage;
use crate::spec::rollback_alarm::{self, RollbackAlarm};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct RolloutSettings {
    /// For the service behind the load balancer; the other services roll.
    pub strategy: Strategy,
    /// A PAUSE hook at this stage (shifting strategies only).
    pub approval: Option<Approval>,
    /// The role ECS uses to move traffic between the target groups; the account's
    /// `ecsInfrastructureRoleForLoadBalancers` when unset.
    pub infrastructure_role_arn: Option<String>,
    /// The test listener's port; 8443 with a certificate, else 8080, when unset.
    pub test_listener_port: Option<u16>,
    /// Keep waiting at the approval pause (until someone continues or aborts, or the deploy
    /// timeout) instead of ending the run as `awaiting-approval`.
    pub wait_for_approval: bool,
    /// The lifecycle stage at which the wait for a shifting deploy stops (`MAESTRO_WAIT_UNTIL`),
    /// ECS's name; ECS finishes the deployment on its own.
    pub wait_until: Option<&'static str>,
    /// ECS's early success criteria for the rolling web service (`MAESTRO_EARLY_SUCCESS`, on
    /// unless set to `false`): the deploy succeeds once every new task is healthy, and the old
    /// ones drain afterwards.
    pub early_success: bool,
    /// The CloudWatch alarm on the web service's 5xx answers that ECS rolls a deployment back on
    /// (`MAESTRO_ROLLBACK_ALARM`), with any strategy; off when `None`.
    pub rollback_alarm: Option<RollbackAlarm>,
}

impl RolloutSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        let strategy = read
            .text(var::MAESTRO_DEPLOY_STRATEGY)
            .and_then(|_| read.parsed(var::MAESTRO_DEPLOY_STRATEGY, deploy_strategy::parse))
            .unwrap_or_default();
        let approval = read.parsed(var::MAESTRO_APPROVAL, approval::parse).flatten();
        if approval.is_some() && !strategy.shifts_traffic() {
            let location = read.env.location(var::MAESTRO_APPROVAL);
            read.push(InputError::new(
                location,
                "an approval pause needs a blue-green, canary or linear deploy: a rolling update has no stage to pause at",
                format!("set {}=blue-green (or canary, linear), or leave {} empty", var::MAESTRO_DEPLOY_STRATEGY, var::MAESTRO_APPROVAL),
            ));
        }
        let early_success = match read.text(var::MAESTRO_EARLY_SUCCESS) {
            None => !strategy.shifts_traffic(),
            Some(_) => read.boolean(var::MAESTRO_EARLY_SUCCESS),
        };
        if early_success && strategy.shifts_traffic() {
            let location = read.env.location(var::MAESTRO_EARLY_SUCCESS);
            read.push(InputError::new(
                location,
                "early success applies to rolling updates only: ECS refuses it with a blue-green, canary or linear deploy",
                format!("leave {} unset (or `false`) with {}", var::MAESTRO_EARLY_SUCCESS, var::MAESTRO_DEPLOY_STRATEGY),
            ));
        }
        let wait_until = read
            .text(var::MAESTRO_WAIT_UNTIL)
            .and_then(|_| read.parsed(var::MAESTRO_WAIT_UNTIL, lifecycle_stage::parse));
        if wait_until.is_some() && !strategy.shifts_traffic() {
            let location = read.env.location(var::MAESTRO_WAIT_UNTIL);
            read.push(InputError::new(
                location,
                "a rolling update has no lifecycle stages to stop waiting at",
                format!(
                    "set {}=blue-green (or canary, linear), or leave {} empty",
                    var::MAESTRO_DEPLOY_STRATEGY,
                    var::MAESTRO_WAIT_UNTIL
                ),
            ));
        }
        let rollback_alarm = read.parsed(var::MAESTRO_ROLLBACK_ALARM, rollback_alarm::parse).flatten();
        Self {
            rollback_alarm,
            wait_until,
            early_success,
            strategy,
            approval,
            infrastructure_role_arn: read.role_arn(var::MAESTRO_INFRASTRUCTURE_ROLE_ARN),
            test_listener_port: read
                .integer(var::MAESTRO_TEST_LISTENER_PORT, 1..=65535, "a port number")
                .and_then(|port| u16::try_from(port).ok()),
            wait_for_approval: read.boolean(var::MAESTRO_WAIT_FOR_APPROVAL),
        }
    }
}
