//! Which builder builds the image when nothing pins one (neither `MAESTRO_BUILDER` nor
//! `project.toml`): pack's current suggestion for a new environment, and for one built before the
//! builder it was built with, so that no app changes stack (Ubuntu, language binaries) silently.

use crate::history::BuiltWith;
use crate::input::vars as var;
use crate::platform::CpuArchitecture;

/// pack's suggested Heroku builder (`Suggested: true` in pack's `internal/builder/trusted_builder.go`
/// since buildpacks/pack#2611): Ubuntu 26.04, AMD64 and ARM64.
pub const DEFAULT_BUILDER: &str = "heroku/builder:26";
/// maestro's default until `DEFAULT_BUILDER`: what an environment deployed before the builder
/// was recorded was built with.
pub const PREVIOUS_DEFAULT: &str = "heroku/builder:24";
/// Where an unpinned builder comes from, as the plan says it.
pub const DEFAULT_SOURCE: &str = "default";
/// The tag a build with [`DEFAULT_BUILDER`] also gives its image, moved on each such build like
/// `latest`: the environment's images are the default builder's even before a release record
/// says so (`maestro build` alone records no release).
pub const DEFAULT_MARKER_TAG: &str = "builder-heroku-26";

/// The further tag a build with `builder` pushes, if any (see [`DEFAULT_MARKER_TAG`]).
pub fn marker_tag(builder: &str) -> Option<&'static str> {
    (builder == DEFAULT_BUILDER).then_some(DEFAULT_MARKER_TAG)
}

/// Builders whose images are for amd64 only (heroku/builder's README: `heroku/builder:20` and
/// `:22` list AMD64, `:24` and `:26` AMD64 + ARM64). Others are not judged.
const AMD64_ONLY: &[&str] = &["heroku/builder:22", "heroku/builder:20"];

/// The environment's builds so far, as the deploy reads them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Previous<'a> {
    /// The newest release record that says how its image was built (`history::last_build`).
    pub recorded: Option<&'a BuiltWith>,
    /// Whether the environment has been deployed at all: a release record, or an image under the
    /// repository's `latest` tag (which every build of maestro, and the bash maestro's, moves).
    pub deployed: bool,
    /// Whether the `latest` image is also under [`DEFAULT_MARKER_TAG`]: built with the default.
    pub marked: bool,
}

/// The builder a build uses, and the warning when it is a kept older one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub builder: String,
    /// Said once per build: the builder was kept, and how to move.
    pub warning: Option<String>,
}

/// The builder for an unpinned build: the one the environment's last build recorded, else the
/// default for a new environment or one whose latest image the default built, else
/// [`PREVIOUS_DEFAULT`] for an environment deployed before builders were recorded.
pub fn choose(previous: &Previous<'_>) -> Chosen {
    let kept = match previous.recorded {
        Some(built) => built.builder.clone(),
        None if previous.deployed && !previous.marked => PREVIOUS_DEFAULT.to_owned(),
        None => DEFAULT_BUILDER.to_owned(),
    };
    let warning = (kept != DEFAULT_BUILDER).then(|| {
        format!(
            "the environment keeps builder {kept}, which built it before: nothing pins a builder, and a new one \
             would change the stack under the app. To move, set {}={DEFAULT_BUILDER} (or `builder` in \
             project.toml) and deploy; see docs/builders.md",
            var::MAESTRO_BUILDER
        )
    });
    Chosen { builder: kept, warning }
}

/// A builder that cannot build for `architecture`: its message and hint, for an input error
/// (a pinned builder) or a failure (a kept one).
pub fn unfit(builder: &str, architecture: CpuArchitecture) -> Option<(String, String)> {
    (architecture == CpuArchitecture::Arm64 && AMD64_ONLY.contains(&builder)).then(|| {
        (
            format!("builder {builder} builds amd64 images only, but the tasks run on arm64"),
            format!(
                "use a multi-architecture builder such as {DEFAULT_BUILDER} ({}={DEFAULT_BUILDER}), or set {}=x86_64",
                var::MAESTRO_BUILDER,
                var::MAESTRO_CPU_ARCHITECTURE
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(builder: &str) -> BuiltWith {
        BuiltWith { builder: builder.to_owned(), architecture: CpuArchitecture::X86_64 }
    }

    #[test]
    fn a_new_environment_gets_packs_suggestion_without_a_warning() {
        let chosen = choose(&Previous { recorded: None, deployed: false, marked: false });
        assert_eq!(chosen, Chosen { builder: "heroku/builder:26".into(), warning: None });
        // Built by `maestro build` alone (no record yet), with the default: still the default.
        let chosen = choose(&Previous { recorded: None, deployed: true, marked: true });
        assert_eq!(chosen, Chosen { builder: "heroku/builder:26".into(), warning: None });
    }

    #[test]
    fn an_environment_deployed_before_records_keeps_the_previous_default_and_is_told_how_to_move() {
        let chosen = choose(&Previous { recorded: None, deployed: true, marked: false });
        assert_eq!(chosen.builder, "heroku/builder:24");
        let warning = chosen.warning.unwrap();
        assert!(warning.starts_with("the environment keeps builder heroku/builder:24"), "{warning}");
        assert!(warning.contains("set MAESTRO_BUILDER=heroku/builder:26"), "{warning}");
    }

    #[test]
    fn the_recorded_builder_wins_whatever_it_is() {
        let recorded = built("heroku/builder:26");
        let chosen = choose(&Previous { recorded: Some(&recorded), deployed: true, marked: true });
        assert_eq!(chosen, Chosen { builder: "heroku/builder:26".into(), warning: None });
        let recorded = built("paketobuildpacks/builder-jammy-base");
        let chosen = choose(&Previous { recorded: Some(&recorded), deployed: true, marked: true });
        assert_eq!(chosen.builder, "paketobuildpacks/builder-jammy-base");
        assert!(chosen.warning.is_some());
    }

    #[test]
    fn an_amd64_only_builder_cannot_build_for_arm64() {
        let (message, hint) = unfit("heroku/builder:22", CpuArchitecture::Arm64).unwrap();
        assert_eq!(message, "builder heroku/builder:22 builds amd64 images only, but the tasks run on arm64");
        assert!(hint.contains("MAESTRO_BUILDER=heroku/builder:26") && hint.contains("MAESTRO_CPU_ARCHITECTURE=x86_64"));
        assert_eq!(unfit("heroku/builder:22", CpuArchitecture::X86_64), None);
        for builder in ["heroku/builder:24", "heroku/builder:26", "ghcr.io/acme/builder:1"] {
            assert_eq!(unfit(builder, CpuArchitecture::Arm64), None, "{builder}");
        }
    }

    #[test]
    fn only_the_default_builder_marks_its_images() {
        assert_eq!(marker_tag("heroku/builder:26"), Some("builder-heroku-26"));
        assert_eq!(marker_tag("heroku/builder:24"), None);
        assert_eq!(marker_tag("docker.io/heroku/builder:26"), None);
    }
}
