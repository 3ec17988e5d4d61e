//! The test image's build, for either kind of app: pack's `test` execution environment for a
//! buildpacks app, or a Dockerfile's test stage (`MAESTRO_TEST_TARGET`) with buildx.

use crate::build::docker::{DockerBuild, DockerInputs};
use crate::build::pack::{PackBuild, PackInputs};
use crate::build::source::{DockerfileBuild, Source};
use crate::settings::{BuildSettings, TestSettings};

/// The CNB execution environment the test image is built in (pack `--exec-env`; buildpacks read
/// it as `CNB_EXEC_ENV` and add the test dependencies and the `test` process).
pub const TEST_EXEC_ENV: &str = "test";

/// How the test image is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestImageBuild {
    /// `pack build <repository>:test-<tag> --exec-env test` ([`pack`]), with the app's builder
    /// and the repository's cache image, as the main build.
    Pack,
    /// `docker buildx build --target <stage> --push` ([`docker`]): a Dockerfile app's test stage
    /// (`MAESTRO_TEST_TARGET`), else the stage the app's image is built from.
    Dockerfile(DockerfileBuild),
    /// An image built elsewhere (`MAESTRO_IMAGE`): the tests run in it, nothing is built.
    Prebuilt,
    /// `MAESTRO_TEST_TARGET` names a Dockerfile stage, but the app builds with buildpacks.
    TargetWithoutDockerfile { stage: String },
}

impl TestImageBuild {
    pub fn of(settings: &TestSettings, source: &Source) -> Self {
        match (source, &settings.target) {
            (Source::Buildpacks, None) => Self::Pack,
            (Source::Buildpacks, Some(stage)) => Self::TargetWithoutDockerfile { stage: stage.clone() },
            (Source::Dockerfile(build), target) => Self::Dockerfile(DockerfileBuild {
                target: target.clone().or_else(|| build.target.clone()),
                ..build.clone()
            }),
            (Source::Prebuilt(_), _) => Self::Prebuilt,
        }
    }
}

/// The buildx build of a Dockerfile app's test image: the main build's flags for its test stage,
/// under the test tag alone (never `latest`), reading the registry cache without writing it.
/// `inputs.tag` is the test tag and `inputs.target` the test stage.
pub fn docker(inputs: &DockerInputs<'_>) -> DockerBuild {
    let mut build = DockerBuild::new(inputs);
    build.tags = vec![inputs.repository.reference(inputs.tag)];
    build.export_cache = false;
    build
}

/// The pack build of the test image: the main build's flags, with the test execution environment,
/// under the test tag alone (never `latest`, which the main build moves). `inputs.tag` is the
/// test tag.
pub fn pack(inputs: &PackInputs<'_>, settings: &BuildSettings) -> PackBuild {
    let mut build = PackBuild::new(inputs, settings);
    build.image = inputs.repository.reference(inputs.tag);
    build.tags.clear();
    build.exec_env = Some(TEST_EXEC_ENV.to_owned());
    build
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::repository::ImageRepository;

    #[test]
    fn the_test_image_is_built_in_the_test_environment_under_its_own_tag_with_the_shared_cache() {
        let repository = ImageRepository { host: "R".into(), path: "shop-main".into() };
        let inputs = PackInputs {
            repository: &repository,
            tag: "test-abc12345",
            builder: "heroku/builder:24",
            path: "/checkout",
            env_file: "/tmp/b/build.env",
            debug: false,
            architecture: crate::platform::Architecture::default(),
        };
        let build = pack(&inputs, &BuildSettings::default());
        assert_eq!(
            build.argv().join(" "),
            "build R/shop-main:test-abc12345 --builder heroku/builder:24 --path /checkout --env-file /tmp/b/build.env \
             --publish --trust-builder --cache-image R/shop-main:cache --pull-policy if-not-present --exec-env test"
        );
        assert!(!build.argv().iter().any(|arg| arg.ends_with(":latest")));
    }

    #[test]
    fn the_image_source_decides_the_test_build_and_a_test_stage_needs_a_dockerfile() {
        let stage = TestSettings { target: Some("test".into()), ..TestSettings::default() };
        let dockerfile = DockerfileBuild { file: "Dockerfile".into(), target: Some("release".into()), detected: false };
        let test_stage = DockerfileBuild { target: Some("test".into()), ..dockerfile.clone() };
        assert_eq!(
            TestImageBuild::of(&stage, &Source::Dockerfile(dockerfile.clone())),
            TestImageBuild::Dockerfile(test_stage)
        );
        // No test stage: the stage the app's image is built from.
        assert_eq!(
            TestImageBuild::of(&TestSettings::default(), &Source::Dockerfile(dockerfile.clone())),
            TestImageBuild::Dockerfile(dockerfile)
        );
        assert_eq!(TestImageBuild::of(&TestSettings::default(), &Source::Buildpacks), TestImageBuild::Pack);
        assert_eq!(
            TestImageBuild::of(&stage, &Source::Buildpacks),
            TestImageBuild::TargetWithoutDockerfile { stage: "test".into() }
        );
    }

    #[test]
    fn the_dockerfile_test_build_pushes_the_test_tag_alone_and_only_reads_the_cache() {
        let repository = ImageRepository { host: "R".into(), path: "shop-main".into() };
        let build = docker(&DockerInputs {
            repository: &repository,
            tag: "test-abc12345",
            file: "/app/Dockerfile",
            context: "/app",
            target: Some("test"),
            platform: Some("linux/amd64"),
            no_cache: false,
            secrets: &[],
        });
        assert_eq!(
            build.argv().join(" "),
            "buildx build --builder maestro --push --progress plain --tag R/shop-main:test-abc12345 \
             --file /app/Dockerfile --target test --platform linux/amd64 --cache-from type=registry,ref=R/shop-main:cache /app"
        );
    }
}
