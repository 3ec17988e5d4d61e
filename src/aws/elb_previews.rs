//! The load balancer an app's previews share: its creation, which concurrent previews may race,
//! and its listeners' fixed answers (`maestro_core::preview::load_balancer`).

use aws_sdk_elasticloadbalancingv2::types::{
    Action as ListenerAction, ActionTypeEnum, Certificate, FixedResponseActionConfig, ProtocolEnum,
};

use super::elb::{Elb, default_action, tags};
use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::plan::aws_values::ListenerProtocol;
use maestro_core::preview::load_balancer::{Fallback, NOT_FOUND_BODY, PreviewListener};
use maestro_core::spec::tags::Tag;

/// How a create ended: made by this call, or found made by another (a concurrent preview).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Made {
    Created,
    AlreadyThere,
}

impl Elb {
    /// CreateLoadBalancer for the previews. Another preview creating it first answers
    /// `DuplicateLoadBalancerName` ("A load balancer with the specified name already exists"),
    /// which is success here: the caller reads it again.
    pub(crate) async fn create_previews_load_balancer(
        &self,
        name: &str,
        scheme: maestro_core::plan::aws_values::Scheme,
        subnets: &[String],
        security_groups: &[String],
        resource_tags: &[Tag],
    ) -> Result<Made, Failure> {
        let result = self
            .0
            .create_load_balancer()
            .name(name)
            .scheme(super::elb::scheme(scheme))
            .set_subnets(Some(subnets.to_vec()))
            .set_security_groups((!security_groups.is_empty()).then(|| security_groups.to_vec()))
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(Made::Created),
            Err(error) if code(&error) == Some("DuplicateLoadBalancerName") => Ok(Made::AlreadyThere),
            Err(error) => Err(failure(&format!("create the previews' load balancer {name}"), &error)),
        }
    }

    /// A listener of the previews' load balancer. `DuplicateListener` ("A listener with the
    /// specified port already exists") means another preview added it first.
    pub(crate) async fn create_previews_listener(
        &self,
        load_balancer_arn: &str,
        listener: &PreviewListener,
        resource_tags: &[Tag],
    ) -> Result<Made, Failure> {
        let action = match listener.fallback {
            Fallback::RedirectToHttps => default_action(None)?,
            Fallback::NotFound => ListenerAction::builder()
                .r#type(ActionTypeEnum::FixedResponse)
                .fixed_response_config(
                    FixedResponseActionConfig::builder()
                        .status_code("404")
                        .content_type("text/plain")
                        .message_body(NOT_FOUND_BODY)
                        .build(),
                )
                .build(),
        };
        let protocol = match listener.protocol {
            ListenerProtocol::Http => ProtocolEnum::Http,
            ListenerProtocol::Https => ProtocolEnum::Https,
        };
        let result = self
            .0
            .create_listener()
            .load_balancer_arn(load_balancer_arn)
            .protocol(protocol)
            .port(i32::from(listener.port))
            .set_certificates(
                listener.certificate_arn.as_ref().map(|arn| vec![Certificate::builder().certificate_arn(arn).build()]),
            )
            // TLS 1.2 and 1.3 only, as the app's own listeners.
            .set_ssl_policy(listener.certificate_arn.as_ref().map(|_| "ELBSecurityPolicy-TLS13-1-2-2021-06".to_owned()))
            .default_actions(action)
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await;
        match result {
            Ok(_) => Ok(Made::Created),
            Err(error) if code(&error) == Some("DuplicateListener") => Ok(Made::AlreadyThere),
            Err(error) => Err(failure(
                &format!("create listener {}:{} on {load_balancer_arn}", listener.protocol, listener.port),
                &error,
            )),
        }
    }
}
