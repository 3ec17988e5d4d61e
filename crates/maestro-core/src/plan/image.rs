//! The image a plan deploys: its repository and tag (the commit's, with the architecture's
//! suffix; a prebuilt image's own), and the builder a buildpacks build uses.

use super::bind::PlannedImage;
use crate::app::App;
use crate::build::builder::{DEFAULT_BUILDER, DEFAULT_SOURCE};
use crate::build::source::Source;
use crate::input::vars as var;
use crate::naming::Names;
use crate::platform::Architecture;
use crate::request::DeployRequest;
use crate::settings::Settings;

pub(super) fn planned(
    request: &DeployRequest,
    settings: &Settings,
    app: &App,
    names: &Names,
    architecture: Architecture,
) -> PlannedImage {
    let (builder, builder_source) = match (&settings.build.builder, &app.project_builder) {
        (Some(builder), _) => (builder.clone(), var::MAESTRO_BUILDER),
        (None, Some(builder)) => (builder.clone(), "project.toml"),
        (None, None) => (DEFAULT_BUILDER.to_owned(), DEFAULT_SOURCE),
    };
    let tag = match &app.image_source {
        Source::Prebuilt(image) => image.reference.clone(),
        Source::Buildpacks | Source::Dockerfile(_) => format!("{}{}", request.short_sha, architecture.cpu.tag_suffix()),
    };
    PlannedImage {
        repository: settings.build.repository.clone(),
        ecr_repository: names.ecr_repository(),
        tag,
        architecture,
        builder,
        builder_source: builder_source.to_owned(),
        source_dir: app.source_dir.clone(),
        source: app.image_source.clone(),
    }
}
