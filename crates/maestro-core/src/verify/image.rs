//! The commit's image: with MAESTRO_SKIP_BUILD=true (or an image built elsewhere, MAESTRO_IMAGE)
//! the deploy needs it to exist, and without the check the deploy found out only in its build
//! phase, under the lease it had already written. Otherwise the build makes a missing image, so
//! nothing is read here.

use super::{Finding, Verdict};
use crate::build::missing_hint;
use crate::input::vars as var;

/// `required_by`: the input that makes the image a precondition (`MAESTRO_SKIP_BUILD`,
/// `MAESTRO_IMAGE`), if any. `exists`: whether the registry has `uri`; only looked up then.
pub fn judge(required_by: Option<&'static str>, uri: &str, exists: Option<bool>) -> Verdict {
    let mut verdict = Verdict::default();
    let skip_build = required_by == Some(var::MAESTRO_SKIP_BUILD);
    match (required_by, exists) {
        (Some(var::MAESTRO_IMAGE), Some(false)) => verdict.found(Finding {
            input: var::MAESTRO_IMAGE,
            resource: format!("image {uri}"),
            problem: "does not exist (or its registry does not say it does): there is nothing to deploy".to_owned(),
            fix: "push the image first, or name one that exists (its tag or digest, and the registry's login: MAESTRO_REGISTRY_USERNAME and MAESTRO_REGISTRY_PASSWORD)".to_owned(),
        }),
        (Some(var::MAESTRO_IMAGE), Some(true)) => verdict.checked(format!("image {uri} exists ({})", var::MAESTRO_IMAGE)),
        (_, Some(false)) if skip_build => verdict.found(Finding {
            input: var::MAESTRO_SKIP_BUILD,
            resource: format!("image {uri}"),
            problem: format!("does not exist, and {}=true skips the build that would make it", var::MAESTRO_SKIP_BUILD),
            fix: missing_hint(),
        }),
        (_, Some(true)) if skip_build => verdict.checked(format!("image {uri} exists ({}=true)", var::MAESTRO_SKIP_BUILD)),
        _ => verdict.not_checked("the image", "looked up by the deploy's build, which builds it when missing"),
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/acme-shop-api-staging:3f2a9c1d";

    #[test]
    fn a_skipped_build_needs_the_image_and_a_build_makes_it() {
        let missing = judge(Some(var::MAESTRO_SKIP_BUILD), URI, Some(false));
        assert_eq!(missing.findings.len(), 1);
        let finding = &missing.findings[0];
        assert_eq!((finding.input, finding.resource.as_str()), (var::MAESTRO_SKIP_BUILD, &*format!("image {URI}")));
        assert!(finding.fix.starts_with("build the commit first"), "{finding:?}");
        assert_eq!(
            judge(Some(var::MAESTRO_SKIP_BUILD), URI, Some(true)).checked,
            [format!("image {URI} exists (MAESTRO_SKIP_BUILD=true)")]
        );
        let built = judge(None, URI, None);
        assert_eq!((built.findings.len(), built.not_checked.len()), (0, 1));
    }

    #[test]
    fn an_image_built_elsewhere_must_exist() {
        let uri = "ghcr.io/acme/shop:1.4.2";
        let missing = judge(Some(var::MAESTRO_IMAGE), uri, Some(false));
        assert_eq!(missing.findings.len(), 1);
        assert_eq!(
            (missing.findings[0].input, missing.findings[0].resource.as_str()),
            (var::MAESTRO_IMAGE, "image ghcr.io/acme/shop:1.4.2")
        );
        assert!(missing.findings[0].fix.starts_with("push the image first"));
        assert_eq!(
            judge(Some(var::MAESTRO_IMAGE), uri, Some(true)).checked,
            ["image ghcr.io/acme/shop:1.4.2 exists (MAESTRO_IMAGE)"]
        );
    }
}
