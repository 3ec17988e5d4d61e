//! How the image is built, and where it goes.

use super::reader::Reader;
use crate::build::lifecycle::{RETENTION_RANGE, Retention};
use crate::build::repository::{self, ImageRepository};
use crate::build::source::SourceChoice;
use crate::input::vars as var;
use crate::input_error::InputError;
use crate::secret::Secret;
use crate::types::ImageRef;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildSettings {
    pub skip: bool,
    pub only: bool,
    pub no_cache: bool,
    pub run_image: Option<String>,
    pub builder: Option<String>,
    /// The app's folder inside the repository (`REPO_SUB_FOLDER`), relative.
    pub sub_folder: Option<String>,
    /// Another registry's repository for the image (`MAESTRO_IMAGE_REPOSITORY`), instead of
    /// ECR's `<slug>-<branch>`.
    pub repository: Option<ImageRepository>,
    /// The registry credentials maestro's variables give, for a registry other than ECR.
    pub registry_login: Option<(String, Secret)>,
    /// Hand the deploy's AWS credentials to the buildpacks (`MAESTRO_BUILD_AWS_CREDENTIALS`);
    /// off by default.
    pub aws_credentials: bool,
    /// The only keys of the app's secret the build gets (`MAESTRO_BUILD_SECRET_KEYS`); all of
    /// them when unset.
    pub secret_keys: Option<Vec<String>>,
    /// Pass `--trust-builder` for any builder (`MAESTRO_TRUST_BUILDER`), not only pack's own
    /// trusted ones.
    pub trust_builder: bool,
    /// The images the ECR repository's lifecycle policy keeps (`MAESTRO_IMAGE_RETENTION`): the
    /// last commits' images, and as many releases' images.
    pub image_retention: Retention,
    /// Where the image comes from, as far as the settings say (`settings::image_source`).
    pub source: SourceChoice,
}

impl BuildSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        Self {
            skip: read.boolean(var::MAESTRO_SKIP_BUILD),
            only: read.boolean(var::MAESTRO_ONLY_BUILD),
            no_cache: read.boolean(var::MAESTRO_NO_CACHE),
            run_image: read.typed(var::MAESTRO_RUN_IMAGE, ImageRef::parse).map(String::from),
            builder: read
                .typed(var::MAESTRO_BUILDER, |text| {
                    ImageRef::parse(text)
                        .map_err(|invalid| invalid.with_hint("name a builder image such as `heroku/builder:24`"))
                })
                .map(String::from),
            sub_folder: read
                .checked(
                    var::REPO_SUB_FOLDER,
                    is_relative_path,
                    "a relative path inside the repository",
                    "name the app's folder relative to the repository root, e.g. `services/api`",
                )
                .map(|folder| folder.trim_end_matches('/').to_owned()),
            repository: read.parsed(var::MAESTRO_IMAGE_REPOSITORY, repository::parse),
            registry_login: registry_login(read),
            aws_credentials: read.boolean(var::MAESTRO_BUILD_AWS_CREDENTIALS),
            secret_keys: read
                .checked(
                    var::MAESTRO_BUILD_SECRET_KEYS,
                    |list| list.split(',').all(|key| crate::build::build_env::is_variable_name(key.trim())),
                    "a comma-separated list of variable names",
                    "list the secret's keys the build needs, e.g. `NPM_TOKEN,BUNDLE_GEMS__CONTRIBSYS__COM`",
                )
                .map(|list| list.split(',').map(|key| key.trim().to_owned()).collect()),
            trust_builder: read.boolean(var::MAESTRO_TRUST_BUILDER),
            image_retention: read
                .integer(var::MAESTRO_IMAGE_RETENTION, RETENTION_RANGE, "a number of images")
                .and_then(Retention::new)
                .unwrap_or_default(),
            source: super::image_source::read(read),
        }
    }
}

/// Both or neither: a user name without its password is a mistake worth stopping for.
fn registry_login(read: &mut Reader<'_>) -> Option<(String, Secret)> {
    let username = read.text(var::MAESTRO_REGISTRY_USERNAME);
    let password = read.env.get(var::MAESTRO_REGISTRY_PASSWORD).map(Secret::new);
    match (username, password) {
        (Some(username), Some(password)) => Some((username, password)),
        (None, None) => None,
        (username, _) => {
            let (set, missing) = if username.is_some() {
                (var::MAESTRO_REGISTRY_USERNAME, var::MAESTRO_REGISTRY_PASSWORD)
            } else {
                (var::MAESTRO_REGISTRY_PASSWORD, var::MAESTRO_REGISTRY_USERNAME)
            };
            let location = read.env.location(set);
            read.push(InputError::new(
                location,
                format!("{set} is set but {missing} is not"),
                "set both to log in to the image registry, or neither",
            ));
            None
        }
    }
}

pub(super) fn is_relative_path(value: &str) -> bool {
    !value.starts_with('/') && value.split('/').all(|part| part != "..")
}
