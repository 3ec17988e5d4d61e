//! Where the image comes from (`MAESTRO_BUILD`, `MAESTRO_DOCKERFILE`, `MAESTRO_BUILD_TARGET`,
//! `MAESTRO_IMAGE`): the choice the settings make, the app's files deciding the rest
//! (`build::source::resolve`). Settings that contradict each other are bad input here.

use super::reader::Reader;
use crate::build::source::{self, SourceChoice};
use crate::input::vars as var;
use crate::input_error::InputError;

const BUILDPACKS: &str = "buildpacks";
const DOCKERFILE: &str = "dockerfile";

pub(super) fn read(read: &mut Reader<'_>) -> SourceChoice {
    let build = read.choice(var::MAESTRO_BUILD, &[BUILDPACKS, DOCKERFILE]);
    let file = read.checked(
        var::MAESTRO_DOCKERFILE,
        super::build::is_relative_path,
        "a relative path inside the app's folder",
        "name the Dockerfile relative to the app's folder, e.g. `docker/Dockerfile.prod`",
    );
    let target = read.checked(
        var::MAESTRO_BUILD_TARGET,
        is_stage_name,
        "a build stage's name",
        "name a stage of the Dockerfile (`FROM … AS <name>`), e.g. `release`",
    );
    let image = read.parsed(var::MAESTRO_IMAGE, source::parse_prebuilt);
    if read.env.get(var::MAESTRO_IMAGE).is_some_and(|text| !text.trim().is_empty()) {
        // An image built elsewhere and a build of this one cannot both be deployed.
        let building = [
            var::MAESTRO_BUILD,
            var::MAESTRO_DOCKERFILE,
            var::MAESTRO_BUILD_TARGET,
            var::MAESTRO_BUILDER,
            var::MAESTRO_IMAGE_REPOSITORY,
        ];
        if let Some(other) = building.into_iter().find(|name| read.text(name).is_some()) {
            let location = read.env.location(var::MAESTRO_IMAGE);
            read.push(InputError::new(
                location,
                format!("{} deploys an image built elsewhere, but {other} is set for a build", var::MAESTRO_IMAGE),
                format!("unset {other}, or unset {} to build the app", var::MAESTRO_IMAGE),
            ));
            return SourceChoice::Detect;
        }
        return image.map_or(SourceChoice::Detect, SourceChoice::Prebuilt);
    }
    let dockerfile_setting = [(var::MAESTRO_DOCKERFILE, file.is_some()), (var::MAESTRO_BUILD_TARGET, target.is_some())]
        .into_iter()
        .find_map(|(name, set)| set.then_some(name));
    match (build, dockerfile_setting) {
        (Some(BUILDPACKS), Some(other)) => {
            let location = read.env.location(var::MAESTRO_BUILD);
            read.push(InputError::new(
                location,
                format!("{}=buildpacks, but {other} is set for a Dockerfile build", var::MAESTRO_BUILD),
                format!("unset {other}, or set {}=dockerfile", var::MAESTRO_BUILD),
            ));
            SourceChoice::Buildpacks
        }
        (Some(BUILDPACKS), None) => SourceChoice::Buildpacks,
        (Some(_), _) | (None, Some(_)) => {
            let set = match build {
                Some(_) => var::MAESTRO_BUILD,
                None => dockerfile_setting.unwrap_or(var::MAESTRO_BUILD),
            };
            if read.text(var::MAESTRO_BUILDER).is_some() {
                let location = read.env.location(var::MAESTRO_BUILDER);
                read.push(InputError::new(
                    location,
                    format!(
                        "{} names a buildpacks builder, but {set} asks for a Dockerfile build",
                        var::MAESTRO_BUILDER
                    ),
                    format!("unset {}, or unset {set} to build with buildpacks", var::MAESTRO_BUILDER),
                ));
            }
            SourceChoice::Dockerfile { file, target, set: read.env.location(set) }
        }
        (None, None) => SourceChoice::Detect,
    }
}

/// A stage name as BuildKit takes it (`FROM … AS <name>`): letters, digits, `-`, `_` and `.`.
fn is_stage_name(text: &str) -> bool {
    text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
}

#[cfg(test)]
#[path = "image_source_tests.rs"]
mod tests;
