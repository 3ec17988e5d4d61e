//! `docker buildx build --push` as a value: every flag maestro passes, decided here and tested as
//! an argv; the environment docker gets; the build's secrets, passed as BuildKit secrets.

use serde_json::{Map, Value};

use super::build_env::{is_variable_name, read_by_pack};
use super::pack::{CACHE_TAG, LATEST_TAG, allow_listed};
use super::repository::ImageRepository;
use crate::env::Env;
use crate::input::vars as var;
use crate::secret::Secret;

/// The buildx builder maestro builds with: a `docker-container` one, since Docker's default
/// `docker` driver cannot export a registry cache ("Cache export is not supported for the docker
/// driver", docs.docker.com/build/cache/backends/).
pub const BUILDER: &str = "maestro";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerBuild {
    /// `<repository>:<short sha>` (the one deploys use) and `<repository>:latest`, as pack's.
    pub tags: Vec<String>,
    /// The Dockerfile's path.
    pub file: String,
    /// The build's context: the app's folder.
    pub context: String,
    /// `MAESTRO_BUILD_TARGET`: the stage to build.
    pub target: Option<String>,
    /// `linux/amd64` or `linux/arm64`; `None` builds for the builder's own platform.
    pub platform: Option<String>,
    /// The registry cache's reference (`<repository>:cache`); `None` under `MAESTRO_NO_CACHE`.
    pub cache: Option<String>,
    /// The build writes the cache back (`--cache-to`); the test image's build only reads it, so
    /// its test stage never replaces the cache the deployable image is built from.
    pub export_cache: bool,
    /// The keys of the BuildKit secrets (`RUN --mount=type=secret,id=<KEY>`): each value is in
    /// docker's environment under its own key, never in the argv.
    pub secrets: Vec<String>,
}

pub struct DockerInputs<'a> {
    pub repository: &'a ImageRepository,
    pub tag: &'a str,
    pub file: &'a str,
    pub context: &'a str,
    pub target: Option<&'a str>,
    pub platform: Option<&'a str>,
    pub no_cache: bool,
    pub secrets: &'a [String],
}

impl DockerBuild {
    pub fn new(inputs: &DockerInputs<'_>) -> Self {
        Self {
            tags: vec![inputs.repository.reference(inputs.tag), inputs.repository.reference(LATEST_TAG)],
            file: inputs.file.to_owned(),
            context: inputs.context.to_owned(),
            target: inputs.target.map(str::to_owned),
            platform: inputs.platform.map(str::to_owned),
            cache: (!inputs.no_cache).then(|| inputs.repository.reference(CACHE_TAG)),
            export_cache: true,
            secrets: inputs.secrets.to_vec(),
        }
    }

    /// The arguments after `docker`.
    pub fn argv(&self) -> Vec<String> {
        let mut argv: Vec<String> =
            ["buildx", "build", "--builder", BUILDER, "--push", "--progress", "plain"].map(str::to_owned).to_vec();
        for tag in &self.tags {
            argv.extend(["--tag".into(), tag.clone()]);
        }
        argv.extend(["--file".into(), self.file.clone()]);
        if let Some(target) = &self.target {
            argv.extend(["--target".into(), target.clone()]);
        }
        if let Some(platform) = &self.platform {
            argv.extend(["--platform".into(), platform.clone()]);
        }
        match &self.cache {
            // ECR keeps a cache only as an image manifest with OCI media types (AWS's "Announcing
            // remote cache support in Amazon ECR for BuildKit clients"); other registries take it too.
            Some(cache) => {
                argv.extend(["--cache-from".into(), format!("type=registry,ref={cache}")]);
                if self.export_cache {
                    argv.extend([
                        "--cache-to".into(),
                        format!("type=registry,ref={cache},mode=max,image-manifest=true,oci-mediatypes=true"),
                    ]);
                }
            }
            None => argv.push("--no-cache".into()),
        }
        for key in &self.secrets {
            argv.extend(["--secret".into(), format!("id={key},env={key}")]);
        }
        argv.push(self.context.clone());
        argv
    }
}

/// `docker buildx inspect maestro`: whether maestro's builder exists.
pub fn inspect_builder() -> Vec<String> {
    ["buildx", "inspect", BUILDER].map(str::to_owned).to_vec()
}

/// `docker buildx create --name maestro --driver docker-container`, when it does not.
pub fn create_builder() -> Vec<String> {
    ["buildx", "create", "--name", BUILDER, "--driver", "docker-container"].map(str::to_owned).to_vec()
}

/// The environment docker runs with: the system's few variables, the Docker client's and
/// buildx's own settings, nothing else. The secrets are added under their keys by the caller.
pub fn docker_environment(env: &Env) -> Vec<(String, String)> {
    allow_listed(env, &[var::DOCKER_PREFIX, var::BUILDX_PREFIX])
}

/// The build's BuildKit secrets: the keys of `MAESTRO_BUILD_SECRET_KEYS` the app secret has.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DockerSecrets {
    /// Each key with its value, for docker's environment.
    pub env: Vec<(String, Secret)>,
    /// Keys that could not be passed on, and why (never their values).
    pub warnings: Vec<String>,
}

impl DockerSecrets {
    pub fn keys(&self) -> Vec<String> {
        self.env.iter().map(|(key, _)| key.clone()).collect()
    }
}

/// Only the listed keys: a Dockerfile sees a secret only where it mounts it, but docker's own
/// environment should hold no more of the app secret than the build asks for. Unlisted, none.
pub fn docker_secrets(secret_name: &str, secret: &Map<String, Value>, only: Option<&[String]>) -> DockerSecrets {
    let mut secrets = DockerSecrets::default();
    for key in only.unwrap_or_default() {
        let Some(value) = secret.get(key) else {
            secrets.warnings.push(format!(
                "{} lists `{key}`, but secret {secret_name} has no such key",
                var::MAESTRO_BUILD_SECRET_KEYS
            ));
            continue;
        };
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        // A key docker, buildx, Go or libc reads itself would reconfigure docker (a proxy for
        // the pushes, a library to load): it never reaches docker's environment.
        if !is_variable_name(key) || read_by_pack(key) || key.starts_with(var::BUILDX_PREFIX) || text.contains('\0') {
            secrets.warnings.push(format!(
                "`{key}` of secret {secret_name} cannot be a build secret (docker reads that name itself, or its value holds a NUL); the build does not get it"
            ));
            continue;
        }
        secrets.env.push((key.clone(), Secret::new(text)));
    }
    secrets
}

#[cfg(test)]
#[path = "docker_tests.rs"]
mod tests;
