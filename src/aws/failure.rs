//! SDK errors as maestro failures: the operation, the AWS error code and its message.

use std::time::Duration;

use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::error::Failure;
use maestro_core::permissions;

/// `what` says what maestro was doing ("describe cluster acme-staging"); the message adds the
/// operation as its IAM action (`ecs:DescribeClusters`), then AWS's code and message. An error
/// without a code (no credentials, no connection, a proxy's page) is said by `unanswered`. The
/// SDK's `Debug` form (its raw response) is logged at `-vv` only.
pub(crate) fn failure<E>(what: &str, error: &SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    tracing::trace!("{what}: {error:?}");
    let action = action_of::<E>();
    let doing = match &action {
        Some(action) => format!("{what} ({action})"),
        None => what.to_owned(),
    };
    match (error.code(), error.message()) {
        (Some(code), message) if permissions::is_access_denied(code) => {
            let failure = Failure::new(format!("{doing}: {code}: {}", message.unwrap_or("no message")));
            match action {
                Some(action) => {
                    let denial = permissions::denial(&action, message);
                    failure.detail(denial.detail).hint(denial.hint)
                }
                None => failure.hint(hint_for(code)),
            }
        }
        (Some(code), message) => {
            Failure::new(format!("{doing}: {code}: {}", message.unwrap_or("no message"))).hint(hint_for(code))
        }
        (None, _) => super::unanswered::failure(&doing, error),
    }
}

/// Why a call failed, as far as trying it again goes.
#[derive(Debug)]
pub(crate) enum CallError {
    /// AWS has not caught up with an earlier write yet (eventual consistency): trying again for
    /// up to `window` may succeed (`maestro_core::eventual` says why each window is that long).
    NotYet { failure: Failure, window: Duration },
    /// Anything else: trying again would not help.
    Final(Failure),
}

impl From<CallError> for Failure {
    fn from(error: CallError) -> Self {
        match error {
            CallError::NotYet { failure, .. } | CallError::Final(failure) => failure,
        }
    }
}

/// A request maestro could not even build is final.
impl From<Failure> for CallError {
    fn from(failure: Failure) -> Self {
        Self::Final(failure)
    }
}

/// An answer AWS gives while it catches up with an earlier write: the error `code` with a message
/// containing `text`, worth trying again for `window`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotYet {
    pub code: &'static str,
    pub text: &'static str,
    pub window: Duration,
}

/// ECS's first CreateCluster or CreateService in an account, while IAM propagates the service-linked
/// role it has just created.
pub(crate) const SERVICE_LINKED_ROLE: NotYet = NotYet {
    code: "InvalidParameterException",
    text: "Unable to assume the service linked role",
    window: maestro_core::eventual::SERVICE_LINKED_ROLE,
};

/// `failure(what, error)`, marked as worth trying again when it is one of `transient`.
pub(crate) fn classified<E>(what: &str, error: &SdkError<E, HttpResponse>, transient: &[NotYet]) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let failure = failure(what, error);
    match transient.iter().find(|rule| is(error, rule.code, rule.text)) {
        Some(rule) => CallError::NotYet { failure, window: rule.window },
        None => CallError::Final(failure),
    }
}

/// The service error code, for the adapters that turn "not found" into `None`.
pub(crate) fn code<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>) -> Option<&str> {
    error.as_service_error().and_then(ProvideErrorMetadata::code)
}

/// Whether the error is the service error `wanted` with a message containing `text`.
pub(crate) fn is<E: ProvideErrorMetadata, R>(error: &SdkError<E, R>, wanted: &str, text: &str) -> bool {
    error.as_service_error().is_some_and(|service| {
        service.code() == Some(wanted) && service.message().is_some_and(|message| message.contains(text))
    })
}

/// The IAM action of the call that failed with `E` (`ssm:PutParameter`). The SDK's error carries
/// no operation name, but its type does: each operation has its own,
/// `aws_sdk_<service>::operation::<operation>::<Operation>Error`, and an IAM action is the
/// service's prefix and the operation's name (the Service Authorization Reference's "Actions"
/// tables, one per service). The tests below pin that form for every SDK maestro uses.
pub(super) fn action_of<E>() -> Option<String> {
    let path = std::any::type_name::<E>();
    let service = path.split("::").next()?.strip_prefix("aws_sdk_")?;
    let operation = path.rsplit("::").next()?.strip_suffix("Error")?;
    let prefix = match service {
        "applicationautoscaling" => "application-autoscaling",
        "cloudwatch" => "cloudwatch",
        "cloudwatchlogs" => "logs",
        "elasticloadbalancingv2" => "elasticloadbalancing",
        "eventbridge" => "events",
        "ec2" | "ecr" | "ecs" | "iam" | "secretsmanager" | "ssm" | "sts" => service,
        _ => return None,
    };
    (!operation.is_empty()).then(|| format!("{prefix}:{operation}"))
}

fn hint_for(code: &str) -> &'static str {
    match code {
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
            "the deploy role lacks this permission; maestro stopped there, and a failed read never leads to a create"
        }
        "Throttling" | "ThrottlingException" | "TooManyRequestsException" | "RequestLimitExceeded" => {
            "AWS kept throttling after the SDK's retries (maestro paces ECS calls at ECS's documented rates, but other deploys and tools in the account and Region share them); run again, or raise AWS_MAX_ATTEMPTS"
        }
        _ => "see AWS's message above; maestro stopped there, and a failed read never leads to a create",
    }
}

#[cfg(test)]
mod tests {
    use super::action_of;

    #[test]
    fn the_action_of_a_failed_call_comes_from_its_error_type() {
        use aws_sdk_applicationautoscaling::operation::register_scalable_target::RegisterScalableTargetError;
        use aws_sdk_cloudwatch::operation::put_metric_alarm::PutMetricAlarmError;
        use aws_sdk_cloudwatchlogs::operation::create_log_group::CreateLogGroupError;
        use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsError;
        use aws_sdk_ecr::operation::describe_images::DescribeImagesError;
        use aws_sdk_ecs::operation::create_service::CreateServiceError;
        use aws_sdk_elasticloadbalancingv2::operation::modify_target_group::ModifyTargetGroupError;
        use aws_sdk_eventbridge::operation::put_rule::PutRuleError;
        use aws_sdk_iam::operation::simulate_principal_policy::SimulatePrincipalPolicyError;
        use aws_sdk_secretsmanager::operation::get_secret_value::GetSecretValueError;
        use aws_sdk_ssm::operation::put_parameter::PutParameterError;
        use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;
        let actions = [
            action_of::<RegisterScalableTargetError>(),
            action_of::<PutMetricAlarmError>(),
            action_of::<CreateLogGroupError>(),
            action_of::<DescribeSubnetsError>(),
            action_of::<DescribeImagesError>(),
            action_of::<CreateServiceError>(),
            action_of::<ModifyTargetGroupError>(),
            action_of::<PutRuleError>(),
            action_of::<SimulatePrincipalPolicyError>(),
            action_of::<GetSecretValueError>(),
            action_of::<PutParameterError>(),
            action_of::<GetCallerIdentityError>(),
        ];
        let actions: Vec<&str> = actions.iter().map(|action| action.as_deref().unwrap_or("none")).collect();
        assert_eq!(
            actions,
            [
                "application-autoscaling:RegisterScalableTarget",
                "cloudwatch:PutMetricAlarm",
                "logs:CreateLogGroup",
                "ec2:DescribeSubnets",
                "ecr:DescribeImages",
                "ecs:CreateService",
                "elasticloadbalancing:ModifyTargetGroup",
                "events:PutRule",
                "iam:SimulatePrincipalPolicy",
                "secretsmanager:GetSecretValue",
                "ssm:PutParameter",
                "sts:GetCallerIdentity",
            ]
        );
        assert_eq!(action_of::<std::io::Error>(), None, "not an SDK error");
    }
}
