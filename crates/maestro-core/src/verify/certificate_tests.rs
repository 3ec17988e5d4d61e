use super::certificate::{CertificateInput, ObservedCertificate, covers, judge};
use crate::input::vars as var;

const ARN: &str = "arn:aws:acm:us-east-1:123456789012:certificate/0d2a7b6e-1111-2222-3333-444455556666";

fn input(arn: &str, host: Option<&str>) -> CertificateInput {
    CertificateInput {
        variable: var::ALB_CERTIFICATE_ARN,
        host_variable: var::MAESTRO_HOST,
        arn: arn.to_owned(),
        host: host.map(str::to_owned),
        region: "us-east-1".to_owned(),
    }
}

fn issued(names: &[&str]) -> ObservedCertificate {
    ObservedCertificate { status: "ISSUED".to_owned(), names: names.iter().map(|name| (*name).to_owned()).collect() }
}

#[test]
fn a_wildcard_covers_exactly_one_label_and_names_ignore_case() {
    assert!(covers("*.shop.example.com", "staging.shop.example.com"));
    assert!(covers("Staging.Shop.example.com", "staging.shop.example.com."));
    assert!(!covers("*.shop.example.com", "shop.example.com"));
    assert!(!covers("*.shop.example.com", "a.staging.shop.example.com"));
    assert!(!covers("shop.example.com", "staging.shop.example.com"));
}

#[test]
fn an_issued_certificate_for_the_host_passes() {
    let verdict = judge(
        &input(ARN, Some("staging.shop.example.com")),
        Some(&issued(&["shop.example.com", "*.shop.example.com"])),
    );
    assert_eq!(verdict.findings, []);
    assert_eq!(verdict.checked, [format!("certificate {ARN} is issued and covers staging.shop.example.com")]);
    assert!(input(ARN, None).readable());
}

#[test]
fn a_pending_certificate_for_another_host_is_two_findings_on_the_certificate() {
    let pending =
        ObservedCertificate { status: "PENDING_VALIDATION".to_owned(), names: vec!["api.example.com".to_owned()] };
    let verdict = judge(&input(ARN, Some("staging.shop.example.com")), Some(&pending));
    let problems: Vec<(&str, &str)> = verdict.findings.iter().map(|f| (f.input, f.problem.as_str())).collect();
    assert_eq!(
        problems,
        [
            (var::ALB_CERTIFICATE_ARN, "is PENDING_VALIDATION, not ISSUED"),
            (
                var::ALB_CERTIFICATE_ARN,
                "does not cover MAESTRO_HOST staging.shop.example.com (it covers api.example.com)"
            ),
        ]
    );
    assert!(verdict.findings[1].fix.contains("or correct MAESTRO_HOST"));
}

#[test]
fn a_missing_certificate_and_one_of_another_region_are_findings() {
    assert_eq!(judge(&input(ARN, None), None).findings[0].problem, "does not exist in this account and region");
    let other = input("arn:aws:acm:eu-west-1:123456789012:certificate/abc", None);
    assert!(!other.readable(), "not described with this region's client");
    let finding = &judge(&other, None).findings[0];
    assert!(finding.problem.starts_with("is in region eu-west-1, and a load balancer in us-east-1"), "{finding:?}");
}

#[test]
fn an_iam_server_certificate_is_not_checked() {
    let iam = input("arn:aws:iam::123456789012:server-certificate/shop", None);
    assert!(!iam.readable());
    let verdict = judge(&iam, None);
    assert_eq!(verdict.findings, []);
    assert!(verdict.not_checked[0].why.contains("IAM server certificate"));
}
