//! Where tasks run, and the load balancer in front of `web`.

use super::reader::Reader;
use crate::input::vars as var;
use crate::plan::aws_values::Scheme;
use crate::plan::health_check::HealthCheck;
use crate::types::is_resource_id;

/// Faster than AWS's 300 s, long enough for most requests to finish during a deploy.
pub(super) const DEFAULT_DEREGISTRATION_DELAY: u32 = 30;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NetworkSettings {
    pub vpc_id: Option<String>,
    pub service_subnets: Vec<String>,
    pub service_security_groups: Vec<String>,
}

impl NetworkSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        Self {
            vpc_id: read.checked(
                var::WORKLOAD_VPC_ID,
                |id| is_resource_id(id, "vpc-"),
                "a VPC id",
                "use the VPC's id, e.g. `vpc-0a1b2c3d`",
            ),
            service_subnets: read.ids(var::ECS_SERVICE_SUBNETS, "subnet-"),
            service_security_groups: read.ids(var::ECS_SERVICE_SECURITY_GROUPS, "sg-"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LoadBalancerSettings {
    pub name_override: Option<String>,
    /// The target group's health check path.
    pub health_check_path: String,
    /// The target group's health check timing.
    pub health_check: HealthCheck,
    /// Seconds a stopping task keeps its connections (AWS's default is 300).
    pub deregistration_delay: u32,
    /// Seconds ECS ignores the health checks of a new task behind the load balancer: the
    /// variable's, else [`HealthCheck::grace_period`]. ECS's default is 0, so an app slower to
    /// answer than the failed checks allow is stopped and the circuit breaker rolls back.
    pub health_check_grace_period: u32,
    pub scheme: Scheme,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// An ACM (or IAM) certificate: HTTPS on 443, and HTTP redirected to it.
    pub certificate_arn: Option<String>,
    /// The app's host name, routed to it by a rule on a shared load balancer.
    pub host: Option<String>,
}

impl LoadBalancerSettings {
    /// The host is read before the certificate, as it always was: the order of the problems.
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        let name_override = read.checked(
            var::ALB_NAME_OVERRIDE,
            is_load_balancer_name,
            "a valid load balancer name",
            "load balancer names have 1 to 32 letters, digits and `-`, and do not start or end with `-` or start \
             with `internal-`",
        );
        let health_check_path = read
            .checked(
                var::MAESTRO_HEALTH_CHECK_PATH,
                |path| path.starts_with('/') && path.len() <= 1024 && !path.contains(char::is_whitespace),
                "an absolute URL path",
                "give the path the load balancer probes, e.g. `/health`",
            )
            .unwrap_or_else(|| "/".to_owned());
        let health_check = super::health_check::read(read);
        let deregistration_delay = read
            .integer(var::MAESTRO_DEREGISTRATION_DELAY, 0..=3600, "seconds")
            .unwrap_or(DEFAULT_DEREGISTRATION_DELAY);
        // ECS takes up to 2,147,483,647; a day is more than any app needs to boot.
        let health_check_grace_period = read
            .integer(var::MAESTRO_HEALTH_CHECK_GRACE_PERIOD, 0..=86_400, "seconds")
            .unwrap_or_else(|| health_check.grace_period());
        let scheme = read
            .choice(var::ALB_SCHEME, &["internet-facing", "internal"])
            .and_then(Scheme::from_name)
            .unwrap_or(Scheme::InternetFacing);
        let subnets = read.ids(var::ALB_SUBNETS, "subnet-");
        let security_groups = read.ids(var::ALB_SECURITY_GROUPS, "sg-");
        let host = read.checked(
            var::MAESTRO_HOST,
            |host| {
                host.len() <= 128
                    && !host.is_empty()
                    && host.chars().all(|c| c.is_ascii_alphanumeric() || "-.*?".contains(c))
            },
            "a host name",
            "give the name clients use, e.g. `staging.shop.example.com` (`*` and `?` wildcards allowed)",
        );
        let certificate_arn = read.checked(
            var::ALB_CERTIFICATE_ARN,
            is_certificate_arn,
            "a certificate ARN",
            "use the ACM certificate's ARN, e.g. `arn:aws:acm:us-east-1:123456789012:certificate/0a1b…`",
        );
        Self {
            name_override,
            health_check_path,
            health_check,
            deregistration_delay,
            health_check_grace_period,
            scheme,
            subnets,
            security_groups,
            certificate_arn,
            host,
        }
    }
}

pub(super) fn is_certificate_arn(arn: &str) -> bool {
    arn.starts_with("arn:aws") && (arn.contains(":acm:") || arn.contains(":server-certificate/"))
}

pub(super) fn is_load_balancer_name(value: &str) -> bool {
    value.len() <= 32
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.starts_with("internal-")
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}
