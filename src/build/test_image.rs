//! The test phase's image (issue 24): the commit built again by the same builder in the `test`
//! execution environment, pushed as `test-<tag>`, which no deploy names; `tested-<tag>` is added
//! to it once its tests passed, and a later run of the commit finds that tag and skips the phase.

use super::publish::{Build, publish};
use super::{Lookup, Place, Stage, place};
use crate::error::Failure;
use maestro_core::build::docker::DockerInputs;
use maestro_core::build::lifecycle::{self, EcrImage};
use maestro_core::build::repository::ImageRepository;
use maestro_core::input::vars as var;
use maestro_core::test_phase::image_build::{self, TestImageBuild};
use maestro_core::test_phase::{passed_tag, test_tag};

/// What the registry has, or now has, for the test phase.
pub(crate) enum TestImage {
    /// An earlier run of the commit passed its tests (the image carries `tested-<tag>`).
    Passed { tag: String },
    /// The test image to run: `<repository>@<digest>`.
    Ready { reference: String, digest: String },
}

/// Finds the commit's passed tag (unless `force`), else its test image, built when missing.
pub(crate) async fn prepare(stage: &Stage<'_>, force: bool) -> Result<TestImage, Failure> {
    let image = &stage.desired.image;
    let repository = image.repository_ref();
    let place = place(stage.desired, stage.settings, stage.env, stage.masker)?;
    if !force {
        let passed = passed_tag(&image.tag);
        if let Lookup::Found(_) = place.lookup(stage.clients, &repository, &passed).await? {
            return Ok(TestImage::Passed { tag: passed });
        }
    }
    let tag = test_tag(&image.tag);
    let lookup = place.lookup(stage.clients, &repository, &tag).await?;
    if let Lookup::Found(found) = &lookup {
        tracing::info!("test image {} exists ({}): not built again", repository.reference(&tag), found.digest);
        return Ok(ready(&repository, found.digest.clone()));
    }
    let how = TestImageBuild::of(&stage.settings.test, &image.source);
    let tool = match (&how, stage.tool) {
        (TestImageBuild::TargetWithoutDockerfile { stage }, _) => {
            return Err(Failure::new(format!(
                "{} names the Dockerfile stage `{stage}`, but the app builds with buildpacks",
                var::MAESTRO_TEST_TARGET
            ))
            .hint(format!("unset {}: a buildpacks app's test image is built with pack's test execution environment; nothing was written", var::MAESTRO_TEST_TARGET)));
        }
        (TestImageBuild::Prebuilt, _) => {
            return Err(Failure::new("the test phase builds a test image from the commit, and MAESTRO_IMAGE deploys an image built elsewhere")
                .hint("run the tests where the image is built, and set MAESTRO_TEST=false; nothing was written"));
        }
        (_, Some(tool)) => tool,
        (_, None) => return Err(Failure::new("the test image is needed, but its build tool was not checked for")),
    };
    let policy = lifecycle::policy(stage.settings.build.image_retention);
    let (mut notes, mut warnings) = (Vec::new(), Vec::new());
    match &how {
        TestImageBuild::Dockerfile(dockerfile) => {
            let make = |inputs: &DockerInputs<'_>| {
                image_build::docker(&DockerInputs { tag: &tag, target: dockerfile.target.as_deref(), ..*inputs })
            };
            let build = Build::Dockerfile { build: dockerfile, make: &make };
            publish(stage, &place, &lookup, tool, &policy, (&mut notes, &mut warnings), build).await?;
        }
        _ => {
            // The builder the commit's image is built with, so what is tested is what ships.
            let chosen = super::builder::choose(stage, &place, &lookup).await?;
            let make = |inputs: &maestro_core::build::pack::PackInputs<'_>| {
                let inputs = maestro_core::build::pack::PackInputs { tag: &tag, ..*inputs };
                image_build::pack(&inputs, &stage.settings.build)
            };
            let build = Build::Pack { builder: &chosen.builder, make: &make };
            publish(stage, &place, &lookup, tool, &policy, (&mut notes, &mut warnings), build).await?;
        }
    }
    for warning in warnings {
        tracing::warn!("{warning}");
    }
    let Lookup::Found(found) = place.lookup(stage.clients, &repository, &tag).await? else {
        return Err(Failure::new(format!(
            "the build finished, but the registry has no {}",
            repository.reference(&tag)
        ))
        .hint("check the build's output above for the publish step"));
    };
    tracing::info!("built and published the test image {} ({})", repository.reference(&tag), found.digest);
    Ok(ready(&repository, found.digest))
}

fn ready(repository: &ImageRepository, digest: String) -> TestImage {
    TestImage::Ready { reference: format!("{}/{}@{digest}", repository.host, repository.path), digest }
}

/// Tags the test image `tested-<tag>` (ECR's PutImage with its manifest): the commit's pass,
/// which later runs find. Another registry's image is not tagged: the phase runs on each run.
pub(crate) async fn record_pass(stage: &Stage<'_>, digest: &str) -> Result<(), Failure> {
    let image = &stage.desired.image;
    let Place::Ecr { registry_id } = place(stage.desired, stage.settings, stage.env, stage.masker)? else {
        tracing::warn!("the pass is not recorded outside ECR: the tests run again on the next run of this commit");
        return Ok(());
    };
    let ecr_image = EcrImage {
        registry_id,
        // The run's own clients tag it: the region is the plan's.
        region: stage.desired.request.region.as_ref().map(ToString::to_string).unwrap_or_default(),
        repository: image.repository.clone(),
        digest: digest.to_owned(),
    };
    let manifest = stage.clients.ecr.manifest(&ecr_image).await?;
    let tag = passed_tag(&image.tag);
    stage.clients.ecr.tag_image(&ecr_image, &tag, manifest).await?;
    tracing::info!("recorded the pass: the test image is tagged {tag}");
    Ok(())
}

/// A login to the image's registry for `docker run` to pull the test image (masked on GitHub).
pub(crate) async fn login(stage: &Stage<'_>) -> Result<Option<maestro_core::build::registry_login::Login>, Failure> {
    Ok(match place(stage.desired, stage.settings, stage.env, stage.masker)? {
        Place::Ecr { .. } => {
            let login = stage.clients.ecr.login().await?;
            stage.masker.mask(login.password.expose());
            Some(login)
        }
        Place::Oci { login, .. } => login,
    })
}
