//! The build stage's decisions: where the image goes, whether to build it, and how.
//!
//! The shell (`crate::build`) asks the registry, runs `pack` and writes the files; everything it
//! decides with is here, as values.

pub mod build_env;
pub mod builder;
pub mod docker;
pub mod lifecycle;
pub mod pack;
pub mod platforms;
pub mod registry_login;
pub mod repository;
pub mod source;

use serde::Serialize;

use crate::input::vars as var;

/// What the registry says about the commit's image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundImage {
    pub digest: String,
}

/// What the build stage does for this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The commit's image exists: deploy it as it is.
    Skip {
        digest: String,
    },
    Build,
    /// `MAESTRO_SKIP_BUILD=true` and there is no image to deploy.
    Missing,
}

/// Decides from the registry's answer and `MAESTRO_SKIP_BUILD`.
pub fn step(skip_build: bool, found: Option<&FoundImage>) -> Step {
    match (found, skip_build) {
        (Some(found), _) => Step::Skip { digest: found.digest.clone() },
        (None, false) => Step::Build,
        (None, true) => Step::Missing,
    }
}

/// The image a run deploys: an output of the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuiltImage {
    pub uri: String,
    pub digest: String,
    pub source: ImageSource,
}

/// Where the deployed image came from; `built` or `existing` in the JSON reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageSource {
    /// This run built and pushed it.
    Built,
    /// The commit's image was already in the registry, so the build was skipped.
    Existing,
}

/// The hint for a missing image under `MAESTRO_SKIP_BUILD=true`.
pub fn missing_hint() -> String {
    format!(
        "build the commit first (unset {}, or run `maestro build`), or deploy a commit that was built",
        var::MAESTRO_SKIP_BUILD
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_image_is_never_rebuilt_and_a_missing_one_is_built_unless_skipping() {
        let found = FoundImage { digest: "sha256:ab".into() };
        assert_eq!(step(false, Some(&found)), Step::Skip { digest: "sha256:ab".into() });
        assert_eq!(step(true, Some(&found)), Step::Skip { digest: "sha256:ab".into() });
        assert_eq!(step(false, None), Step::Build);
        assert_eq!(step(true, None), Step::Missing);
    }

    #[test]
    fn the_source_reads_as_in_the_reports() {
        let image = |source| BuiltImage { uri: "u".into(), digest: "d".into(), source };
        assert_eq!(serde_json::to_value(image(ImageSource::Built)).unwrap()["source"], "built");
        assert_eq!(serde_json::to_value(image(ImageSource::Existing)).unwrap()["source"], "existing");
    }

    #[test]
    fn a_missing_image_is_fixed_by_building_it() {
        assert_eq!(
            missing_hint(),
            "build the commit first (unset MAESTRO_SKIP_BUILD, or run `maestro build`), or deploy a commit that was built"
        );
    }
}
