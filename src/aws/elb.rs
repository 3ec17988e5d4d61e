//! Elastic Load Balancing v2: the app's load balancer, target group and listeners.

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{
    Action as ListenerAction, ActionTypeEnum, Certificate, LoadBalancerSchemeEnum, ProtocolEnum, RedirectActionConfig,
    RedirectActionStatusCodeEnum, Tag as ElbTag, TargetGroup, TargetGroupAttribute, TargetTypeEnum,
};

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::plan::aws_values::{ListenerProtocol, Scheme};
use maestro_core::plan::health_check::HealthCheck;
use maestro_core::provision::action::ListenerSpec;
use maestro_core::provision::observed::{ObservedListener, ObservedLoadBalancer, ObservedTargetGroup};
use maestro_core::spec::tags::Tag;

#[derive(Debug, Clone)]
pub(crate) struct Elb(pub(crate) Client);

pub(super) fn scheme(scheme: Scheme) -> LoadBalancerSchemeEnum {
    match scheme {
        Scheme::InternetFacing => LoadBalancerSchemeEnum::InternetFacing,
        Scheme::Internal => LoadBalancerSchemeEnum::Internal,
    }
}

fn observed_scheme(scheme: &LoadBalancerSchemeEnum) -> Option<Scheme> {
    match scheme {
        LoadBalancerSchemeEnum::InternetFacing => Some(Scheme::InternetFacing),
        LoadBalancerSchemeEnum::Internal => Some(Scheme::Internal),
        _ => None,
    }
}

fn protocol(protocol: ListenerProtocol) -> ProtocolEnum {
    match protocol {
        ListenerProtocol::Http => ProtocolEnum::Http,
        ListenerProtocol::Https => ProtocolEnum::Https,
    }
}

fn observed_protocol(protocol: &ProtocolEnum) -> Option<ListenerProtocol> {
    match protocol {
        ProtocolEnum::Http => Some(ListenerProtocol::Http),
        ProtocolEnum::Https => Some(ListenerProtocol::Https),
        _ => None,
    }
}

pub(super) fn tags(tags: &[Tag]) -> Vec<ElbTag> {
    tags.iter().map(|tag| ElbTag::builder().key(&tag.key).value(&tag.value).build()).collect()
}

/// Forward to the app's target group, or (with none) redirect to HTTPS permanently.
pub(super) fn default_action(target_group_arn: Option<&str>) -> Result<ListenerAction, Failure> {
    let Some(arn) = target_group_arn else {
        let redirect = RedirectActionConfig::builder()
            .protocol("HTTPS")
            .port("443")
            .status_code(RedirectActionStatusCodeEnum::Http301)
            .build();
        return Ok(ListenerAction::builder().r#type(ActionTypeEnum::Redirect).redirect_config(redirect).build());
    };
    Ok(ListenerAction::builder().r#type(ActionTypeEnum::Forward).target_group_arn(arn).build())
}

fn certificates(spec: &ListenerSpec) -> Option<Vec<Certificate>> {
    spec.certificate_arn.as_ref().map(|arn| vec![Certificate::builder().certificate_arn(arn).build()])
}

/// TLS 1.2 and 1.3 only: AWS's recommended policy for new listeners.
fn ssl_policy(spec: &ListenerSpec) -> Option<String> {
    spec.certificate_arn.as_ref().map(|_| "ELBSecurityPolicy-TLS13-1-2-2021-06".to_owned())
}

impl Elb {
    /// The load balancer called `name`; with `rules_on` (a shared one), the rules of its listener on that port.
    pub(crate) async fn load_balancer(
        &self,
        name: &str,
        rules_on: Option<u16>,
    ) -> Result<Option<ObservedLoadBalancer>, Failure> {
        self.read_load_balancer(name, rules_on, false).await
    }

    /// [`Self::load_balancer`] with its tags, read beside its listeners.
    pub(crate) async fn tagged_load_balancer(
        &self,
        name: &str,
        rules_on: Option<u16>,
    ) -> Result<Option<ObservedLoadBalancer>, Failure> {
        self.read_load_balancer(name, rules_on, true).await
    }

    async fn read_load_balancer(
        &self,
        name: &str,
        rules_on: Option<u16>,
        tagged: bool,
    ) -> Result<Option<ObservedLoadBalancer>, Failure> {
        // Every describe and list is read to its last page: a busy shared load balancer's rules
        // span several (DescribeRulesOutput.next_marker: "If there are additional results, this
        // is the marker for the next set of results").
        let mut balancers = Vec::new();
        let mut pages = self.0.describe_load_balancers().names(name).into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => balancers.extend(page.load_balancers().iter().cloned()),
                Err(error) if code(&error) == Some("LoadBalancerNotFound") => return Ok(None),
                Err(error) => return Err(failure(&format!("describe load balancer {name}"), &error)),
            }
        }
        let Some(balancer) = balancers.first() else { return Ok(None) };
        let arn = balancer.load_balancer_arn().unwrap_or_default().to_owned();
        // The tags need only the ARN: read beside the listeners, not after them.
        let listened = async {
            let mut listeners = Vec::new();
            let mut pages = self.0.describe_listeners().load_balancer_arn(&arn).into_paginator().send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|error| failure(&format!("describe the listeners of {name}"), &error))?;
                listeners.extend(page.listeners().iter().cloned());
            }
            let rules_listener =
                rules_on.and_then(|port| listeners.iter().find(|listener| listener.port() == Some(i32::from(port))));
            let rules = match rules_listener.and_then(|listener| listener.listener_arn()) {
                Some(listener_arn) => self.rules(listener_arn).await?,
                None => Vec::new(),
            };
            Ok::<_, Failure>((listeners, rules))
        };
        let tags = async { if tagged { self.tags(&arn).await } else { Ok(Vec::new()) } };
        // The listeners' failure said first, whichever answers first.
        let (listened, tags) = tokio::join!(listened, tags);
        let ((listeners, rules), tags) = (listened?, tags?);
        Ok(Some(ObservedLoadBalancer {
            rules,
            tags,
            name: name.to_owned(),
            dns_name: balancer.dns_name().unwrap_or_default().to_owned(),
            scheme: balancer.scheme().and_then(observed_scheme),
            subnets: balancer
                .availability_zones()
                .iter()
                .filter_map(|zone| zone.subnet_id().map(str::to_owned))
                .collect(),
            security_groups: balancer.security_groups().to_vec(),
            listeners: listeners
                .iter()
                .map(|listener| ObservedListener {
                    arn: listener.listener_arn().unwrap_or_default().to_owned(),
                    port: listener.port().and_then(|port| u16::try_from(port).ok()).unwrap_or_default(),
                    protocol: listener.protocol().and_then(observed_protocol),
                    forwards_to: listener
                        .default_actions()
                        .iter()
                        .filter_map(|action| action.target_group_arn().map(str::to_owned))
                        .collect(),
                    redirects_to_https: listener.default_actions().iter().any(|action| {
                        action.r#type() == Some(&ActionTypeEnum::Redirect)
                            && action.redirect_config().and_then(|redirect| redirect.protocol()) == Some("HTTPS")
                    }),
                    certificates: listener
                        .certificates()
                        .iter()
                        .filter_map(|certificate| certificate.certificate_arn().map(str::to_owned))
                        .collect(),
                })
                .collect(),
            arn,
        }))
    }

    /// The target group called `name`, with its tags and attributes; `None` when it is missing.
    pub(crate) async fn tagged_target_group(&self, name: &str) -> Result<Option<ObservedTargetGroup>, Failure> {
        let mut groups = Vec::new();
        let mut pages = self.0.describe_target_groups().names(name).into_paginator().send();
        while let Some(page) = pages.next().await {
            match page {
                Ok(page) => groups.extend(page.target_groups().iter().cloned()),
                Err(error) if code(&error) == Some("TargetGroupNotFound") => return Ok(None),
                Err(error) => return Err(failure(&format!("describe target group {name}"), &error)),
            }
        }
        let Some(group) = groups.first() else { return Ok(None) };
        let arn = group.target_group_arn().unwrap_or_default().to_owned();
        let (attributes, tags) = tokio::join!(
            async {
                self.0
                    .describe_target_group_attributes()
                    .target_group_arn(&arn)
                    .send()
                    .await
                    .map_err(|error| failure(&format!("describe the attributes of target group {name}"), &error))
            },
            // The tags need only the ARN: read beside the attributes, not after them.
            self.tags(&arn),
        );
        let (attributes, tags) = (attributes?, tags?);
        let delay = attributes
            .attributes()
            .iter()
            .find(|attribute| attribute.key() == Some("deregistration_delay.timeout_seconds"))
            .and_then(|attribute| attribute.value()?.parse().ok());
        Ok(Some(ObservedTargetGroup {
            name: name.to_owned(),
            port: group.port().and_then(|port| u16::try_from(port).ok()).unwrap_or_default(),
            health_check_path: group.health_check_path().unwrap_or("/").to_owned(),
            health_check: health_check(group),
            deregistration_delay: delay,
            tags,
            arn,
        }))
    }

    /// Creates the load balancer: its ARN, and its DNS name (where the app will answer).
    pub(crate) async fn create_load_balancer(
        &self,
        name: &str,
        load_balancer_scheme: Scheme,
        subnets: &[String],
        security_groups: &[String],
        resource_tags: &[Tag],
    ) -> Result<(String, Option<String>), Failure> {
        let output = self
            .0
            .create_load_balancer()
            .name(name)
            .scheme(scheme(load_balancer_scheme))
            .set_subnets(Some(subnets.to_vec()))
            .set_security_groups(Some(security_groups.to_vec()))
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await
            .map_err(|error| failure(&format!("create load balancer {name}"), &error))?;
        let created = output.load_balancers().first();
        let arn = created.and_then(|balancer| balancer.load_balancer_arn()).unwrap_or_default().to_owned();
        Ok((arn, created.and_then(|balancer| balancer.dns_name()).map(str::to_owned)))
    }

    pub(crate) async fn set_subnets(&self, arn: &str, subnets: &[String]) -> Result<(), Failure> {
        self.0
            .set_subnets()
            .load_balancer_arn(arn)
            .set_subnets(Some(subnets.to_vec()))
            .send()
            .await
            .map_err(|error| failure(&format!("set the subnets of {arn}"), &error))?;
        Ok(())
    }

    pub(crate) async fn set_security_groups(&self, arn: &str, groups: &[String]) -> Result<(), Failure> {
        self.0
            .set_security_groups()
            .load_balancer_arn(arn)
            .set_security_groups(Some(groups.to_vec()))
            .send()
            .await
            .map_err(|error| failure(&format!("set the security groups of {arn}"), &error))?;
        Ok(())
    }

    pub(crate) async fn create_target_group(
        &self,
        name: &str,
        port: u16,
        vpc_id: Option<&str>,
        (health_check_path, timing): (&str, &HealthCheck),
        resource_tags: &[Tag],
    ) -> Result<String, Failure> {
        let output = self
            .0
            .create_target_group()
            .name(name)
            .protocol(ProtocolEnum::Http)
            .port(i32::from(port))
            .set_vpc_id(vpc_id.map(str::to_owned))
            .target_type(TargetTypeEnum::Ip)
            .health_check_path(health_check_path)
            .health_check_interval_seconds(seconds(timing.interval_seconds))
            .health_check_timeout_seconds(seconds(timing.timeout_seconds))
            .healthy_threshold_count(seconds(timing.healthy_threshold))
            .unhealthy_threshold_count(seconds(timing.unhealthy_threshold))
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await
            .map_err(|error| failure(&format!("create target group {name}"), &error))?;
        Ok(output.target_groups().first().and_then(|group| group.target_group_arn()).unwrap_or_default().to_owned())
    }

    pub(crate) async fn modify_target_group(
        &self,
        arn: &str,
        health_check_path: &str,
        timing: &HealthCheck,
        deregistration_delay: u32,
    ) -> Result<(), Failure> {
        self.0
            .modify_target_group()
            .target_group_arn(arn)
            .health_check_path(health_check_path)
            .health_check_interval_seconds(seconds(timing.interval_seconds))
            .health_check_timeout_seconds(seconds(timing.timeout_seconds))
            .healthy_threshold_count(seconds(timing.healthy_threshold))
            .unhealthy_threshold_count(seconds(timing.unhealthy_threshold))
            .send()
            .await
            .map_err(|error| failure(&format!("modify target group {arn}"), &error))?;
        self.set_deregistration_delay(arn, deregistration_delay).await
    }

    /// The target group's `deregistration_delay.timeout_seconds` (a new one's follows its create
    /// with the apply's next stage).
    pub(crate) async fn set_deregistration_delay(&self, arn: &str, seconds: u32) -> Result<(), Failure> {
        let attribute = TargetGroupAttribute::builder()
            .key("deregistration_delay.timeout_seconds")
            .value(seconds.to_string())
            .build();
        self.0
            .modify_target_group_attributes()
            .target_group_arn(arn)
            .attributes(attribute)
            .send()
            .await
            .map_err(|error| failure(&format!("set the deregistration delay of {arn}"), &error))?;
        Ok(())
    }

    pub(crate) async fn create_listener(
        &self,
        load_balancer_arn: &str,
        spec: &ListenerSpec,
        target_group_arn: Option<&str>,
        resource_tags: &[Tag],
    ) -> Result<String, Failure> {
        let output = self
            .0
            .create_listener()
            .load_balancer_arn(load_balancer_arn)
            .protocol(protocol(spec.protocol))
            .port(i32::from(spec.port))
            .set_certificates(certificates(spec))
            .set_ssl_policy(ssl_policy(spec))
            .default_actions(default_action(target_group_arn)?)
            .set_tags(Some(tags(resource_tags)))
            .send()
            .await
            .map_err(|error| {
                failure(&format!("create listener {}:{} on {load_balancer_arn}", spec.protocol, spec.port), &error)
            })?;
        Ok(output.listeners().first().and_then(|listener| listener.listener_arn()).unwrap_or_default().to_owned())
    }

    pub(crate) async fn modify_listener(
        &self,
        listener_arn: &str,
        spec: &ListenerSpec,
        target_group_arn: Option<&str>,
    ) -> Result<(), Failure> {
        self.0
            .modify_listener()
            .listener_arn(listener_arn)
            .protocol(protocol(spec.protocol))
            .port(i32::from(spec.port))
            .set_certificates(certificates(spec))
            .set_ssl_policy(ssl_policy(spec))
            .default_actions(default_action(target_group_arn)?)
            .send()
            .await
            .map_err(|error| failure(&format!("modify listener {listener_arn}"), &error))?;
        Ok(())
    }
}

/// The group's health check timing, when ELB's answer has all of it.
fn health_check(group: &TargetGroup) -> Option<HealthCheck> {
    let count = |value: Option<i32>| value.and_then(|value| u32::try_from(value).ok());
    Some(HealthCheck {
        interval_seconds: count(group.health_check_interval_seconds())?,
        timeout_seconds: count(group.health_check_timeout_seconds())?,
        healthy_threshold: count(group.healthy_threshold_count())?,
        unhealthy_threshold: count(group.unhealthy_threshold_count())?,
    })
}

/// The core's timings are within AWS's ranges (at most 300), which fit ELB's `i32`.
fn seconds(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}
