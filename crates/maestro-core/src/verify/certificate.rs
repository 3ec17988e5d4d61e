//! The certificate of the HTTPS listener: an ACM certificate of the run's region, ISSUED, that
//! covers MAESTRO_HOST. CreateListener refuses a certificate of another region or one not yet
//! issued ("CertificateNotFound", "UnsupportedCertificate") after the load balancer exists; a
//! certificate for another host is accepted, and browsers refuse the app.

use serde::Serialize;

use super::{Finding, Verdict};
use crate::input::vars as var;
use crate::plan::desired::DesiredState;

/// The certificate the listener gets, the host it must cover, and the run's region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInput {
    /// The variable that names it: ALB_CERTIFICATE_ARN, or a preview's MAESTRO_PREVIEW_CERTIFICATE_ARN.
    pub variable: &'static str,
    /// The variable the host comes from: MAESTRO_HOST, or a preview's MAESTRO_PREVIEW_DOMAIN.
    pub host_variable: &'static str,
    pub arn: String,
    pub host: Option<String>,
    pub region: String,
}

/// A certificate as ACM describes it: its status and every name it covers (`DomainName` and the
/// `SubjectAlternativeNames`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObservedCertificate {
    pub status: String,
    pub names: Vec<String>,
}

impl CertificateInput {
    /// The load balancer's certificate, when it has one.
    pub fn of(desired: &DesiredState) -> Option<Self> {
        let balancer = desired.load_balancer.as_ref()?;
        let (variable, host_variable) = if balancer.previews {
            (var::MAESTRO_PREVIEW_CERTIFICATE_ARN, var::MAESTRO_PREVIEW_DOMAIN)
        } else {
            (var::ALB_CERTIFICATE_ARN, var::MAESTRO_HOST)
        };
        Some(Self {
            variable,
            host_variable,
            arn: balancer.certificate_arn.clone()?,
            host: balancer.host.clone(),
            region: desired.request.region.as_ref().map(ToString::to_string).unwrap_or_default(),
        })
    }

    /// The certificate is ACM's and of the run's region: the only one maestro can describe, with
    /// the load balancer's region's client. An IAM server certificate is not read.
    pub fn readable(&self) -> bool {
        self.acm() && self.arn_region() == Some(self.region.as_str())
    }

    fn acm(&self) -> bool {
        self.arn.split(':').nth(2) == Some("acm")
    }

    fn arn_region(&self) -> Option<&str> {
        self.arn.split(':').nth(3)
    }
}

/// `observed`: what DescribeCertificate answered, `None` when the certificate does not exist.
/// Not called for a certificate that is not `readable`.
pub fn judge(input: &CertificateInput, observed: Option<&ObservedCertificate>) -> Verdict {
    let mut verdict = Verdict::default();
    let resource = format!("certificate {}", input.arn);
    let finding =
        |problem: String, fix: String| Finding { input: input.variable, resource: resource.clone(), problem, fix };
    if !input.acm() {
        verdict.not_checked(resource, "not an ACM certificate (an IAM server certificate is not read)");
        return verdict;
    }
    if let Some(region) = input.arn_region().filter(|region| *region != input.region) {
        verdict.found(finding(
            format!(
                "is in region {region}, and a load balancer in {} takes only a certificate of its own region",
                input.region
            ),
            format!("request or import the certificate in {} and set {} to its ARN", input.region, input.variable),
        ));
        return verdict;
    }
    let Some(certificate) = observed else {
        verdict.found(finding(
            "does not exist in this account and region".to_owned(),
            format!("correct {} (`aws acm list-certificates` lists them)", input.variable),
        ));
        return verdict;
    };
    // https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html: Status.
    if certificate.status != "ISSUED" {
        verdict.found(finding(
            format!("is {}, not ISSUED", certificate.status),
            "finish its validation (`aws acm describe-certificate` shows the DNS records to create), or name an \
             issued certificate"
                .to_owned(),
        ));
    }
    match &input.host {
        Some(host) if !certificate.names.iter().any(|name| covers(name, host)) => verdict.found(finding(
            format!("does not cover {} {host} (it covers {})", input.host_variable, certificate.names.join(", ")),
            format!("name a certificate for {host} in {}, or correct {}", input.variable, input.host_variable),
        )),
        Some(host) if certificate.status == "ISSUED" => {
            verdict.checked(format!("{resource} is issued and covers {host}"))
        }
        None if certificate.status == "ISSUED" => verdict.checked(format!("{resource} is issued")),
        _ => {}
    }
    verdict
}

/// A name covers the host when equal (DNS names ignore case), or when it is `*.<rest>` and the
/// host is one label followed by `.<rest>`: a wildcard covers exactly one label
/// (https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html, "Wildcard names").
pub fn covers(name: &str, host: &str) -> bool {
    let (name, host) = (name.to_ascii_lowercase(), host.trim_end_matches('.').to_ascii_lowercase());
    match name.strip_prefix("*.") {
        Some(rest) => host.split_once('.').is_some_and(|(label, host_rest)| !label.is_empty() && host_rest == rest),
        None => name == host,
    }
}
