//! ACM: the load balancer's certificate, read for `maestro verify` (DescribeCertificate: its
//! status and the names it covers).

use aws_sdk_acm::Client;

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::verify::certificate::ObservedCertificate;

#[derive(Debug, Clone)]
pub(crate) struct Acm(pub(crate) Client);

impl Acm {
    /// The certificate, `None` on ACM's "ResourceNotFoundException"
    /// (https://docs.aws.amazon.com/acm/latest/APIReference/API_DescribeCertificate.html).
    pub(crate) async fn certificate(&self, arn: &str) -> Result<Option<ObservedCertificate>, Failure> {
        let output = match self.0.describe_certificate().certificate_arn(arn).send().await {
            Ok(output) => output,
            Err(error) if code(&error) == Some("ResourceNotFoundException") => return Ok(None),
            Err(error) => return Err(failure(&format!("read certificate {arn}"), &error)),
        };
        Ok(output.certificate().map(|detail| {
            let mut names: Vec<String> = detail.domain_name().map(str::to_owned).into_iter().collect();
            for name in detail.subject_alternative_names() {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
            let status = detail.status().map(|status| status.as_str().to_owned()).unwrap_or_default();
            ObservedCertificate { status, names }
        }))
    }
}
