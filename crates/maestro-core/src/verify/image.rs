//! The commit's image: with MAESTRO_SKIP_BUILD=true the deploy needs it to exist, and without
//! the check the deploy found out only in its build phase, under the lease it had already
//! written. Without MAESTRO_SKIP_BUILD the build makes a missing image, so nothing is read here.

use super::{Finding, Verdict};
use crate::build::missing_hint;
use crate::input::vars as var;

/// `exists`: whether the registry has `uri`; only looked up when the build is skipped.
pub fn judge(skip_build: bool, uri: &str, exists: Option<bool>) -> Verdict {
    let mut verdict = Verdict::default();
    match (skip_build, exists) {
        (true, Some(false)) => verdict.found(Finding {
            input: var::MAESTRO_SKIP_BUILD,
            resource: format!("image {uri}"),
            problem: format!("does not exist, and {}=true skips the build that would make it", var::MAESTRO_SKIP_BUILD),
            fix: missing_hint(),
        }),
        (true, Some(true)) => verdict.checked(format!("image {uri} exists ({}=true)", var::MAESTRO_SKIP_BUILD)),
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
        let missing = judge(true, URI, Some(false));
        assert_eq!(missing.findings.len(), 1);
        let finding = &missing.findings[0];
        assert_eq!((finding.input, finding.resource.as_str()), (var::MAESTRO_SKIP_BUILD, &*format!("image {URI}")));
        assert!(finding.fix.starts_with("build the commit first"), "{finding:?}");
        assert_eq!(judge(true, URI, Some(true)).checked, [format!("image {URI} exists (MAESTRO_SKIP_BUILD=true)")]);
        let built = judge(false, URI, None);
        assert_eq!((built.findings.len(), built.not_checked.len()), (0, 1));
    }
}
