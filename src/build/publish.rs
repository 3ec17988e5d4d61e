//! A build published to the image's registry: the ECR repository created when missing, a
//! registry login in a private `DOCKER_CONFIG`, the app secret's keys the build gets, and pack or
//! docker buildx run. The commit's image and the test phase's share it.

use std::path::Path;

use super::private_dir::PrivateDir;
use super::tool_process::{self, ToolRun};
use super::{Lookup, Place, Stage, dockerfile};
use crate::error::Failure;
use maestro_core::build::build_env::build_env;
use maestro_core::build::docker::{DockerBuild, DockerInputs};
use maestro_core::build::pack::{PackBuild, PackInputs, pack_environment};
use maestro_core::build::registry_login::docker_config;
use maestro_core::build::repository::ImageRepository;
use maestro_core::input::vars as var;
use maestro_core::redact::Redactor;
use maestro_core::secret::Secret;

/// What a publish builds: with pack (the commit's image, or the test phase's: `make` gives the
/// build for the inputs), or a Dockerfile with docker buildx.
pub(crate) enum Build<'b> {
    Pack {
        builder: &'b str,
        make: &'b (dyn Fn(&PackInputs<'_>) -> PackBuild + Sync),
    },
    Dockerfile {
        build: &'b maestro_core::build::source::DockerfileBuild,
        make: &'b (dyn Fn(&DockerInputs<'_>) -> DockerBuild + Sync),
    },
}

impl Build<'_> {
    pub(super) fn what(&self) -> String {
        match self {
            Build::Pack { builder, .. } => format!("with {builder}"),
            Build::Dockerfile { build, .. } => format!("from {}", build.file),
        }
    }
}

/// A build published to the image's registry, shared by the commit's image and the test phase's
/// (`test_image`): the ECR repository created when missing, a registry login (masked) in a
/// private `DOCKER_CONFIG`, the app secret's keys the build gets (deleted afterwards), and the
/// tool run. `said`: the run's notes and warnings.
pub(crate) async fn publish(
    stage: &Stage<'_>,
    place: &Place,
    lookup: &Lookup,
    tool: &Path,
    policy: &str,
    said: (&mut Vec<String>, &mut Vec<String>),
    build: Build<'_>,
) -> Result<(), Failure> {
    let (notes, warnings) = said;
    let image = &stage.desired.image;
    let repository = image.repository_ref();
    let login = match place {
        Place::Ecr { registry_id } => {
            if *lookup == Lookup::NoRepository {
                // The environment's tags too: they prove the repository is its own to `maestro destroy`.
                let tags = maestro_core::provision::diff::resource_tags(stage.desired);
                stage.clients.ecr.create_repository(registry_id, &repository.path, &tags, policy).await?;
                notes.push(format!("created ECR repository {}", repository.path));
            }
            let login = stage.clients.ecr.login().await?;
            stage.masker.mask(login.password.expose());
            Some(login)
        }
        Place::Oci { login, .. } => login.clone(),
    };

    let secret = stage.clients.secrets.object(&stage.desired.secret).await?;
    let wants_secret = image.source.is_buildpacks() || stage.settings.build.secret_keys.is_some();
    if secret.is_none() && wants_secret {
        warnings.push(format!("secret {} does not exist: the build gets no app variables", stage.desired.secret));
    }
    let parent = stage.env.first_of(&[var::RUNNER_TEMP, var::TMPDIR]).map_or("/tmp", |(_, dir)| dir);
    let private = PrivateDir::create(Path::new(parent))?;
    let docker_config_dir = match &login {
        Some(login) => {
            let config = private.write("config.json", docker_config(&repository.host, login).expose())?;
            Some(config.parent().unwrap_or(private.path()).display().to_string())
        }
        None => None,
    };
    let context = BuildContext {
        stage,
        tool,
        repository: &repository,
        secret: secret.map(|(_, object)| object).unwrap_or_default(),
        docker_config: docker_config_dir,
        login_password: login.as_ref().map(|login| login.password.expose().to_owned()),
        private: &private,
    };
    let build_warnings = match build {
        Build::Pack { builder, make } => buildpacks(&context, builder, make).await?,
        Build::Dockerfile { build, make } => dockerfile::build(&context, build, make).await?,
    };
    warnings.extend(build_warnings);
    drop(private);
    Ok(())
}

/// What a build gets beyond the stage: its tool, the app secret's keys, the registry login in a
/// private `DOCKER_CONFIG`.
pub(super) struct BuildContext<'a> {
    pub(super) stage: &'a Stage<'a>,
    pub(super) tool: &'a Path,
    pub(super) repository: &'a ImageRepository,
    pub(super) secret: serde_json::Map<String, serde_json::Value>,
    /// The folder of the `config.json` holding the registry's login.
    docker_config: Option<String>,
    login_password: Option<String>,
    private: &'a PrivateDir,
}

impl BuildContext<'_> {
    /// The tool's allow-listed environment, with the private `DOCKER_CONFIG`.
    pub(super) fn with_docker_config(&self, mut env: Vec<(String, String)>) -> Vec<(String, String)> {
        if let Some(config) = &self.docker_config {
            env.retain(|(name, _)| name != var::DOCKER_CONFIG);
            env.push((var::DOCKER_CONFIG.to_owned(), config.clone()));
        }
        env
    }

    /// Hides `values` and the registry's password in the tool's output (masked on GitHub too).
    pub(super) fn redactor<'v>(&self, values: impl Iterator<Item = &'v Secret>) -> Redactor {
        let mut hidden: Vec<&str> = Vec::new();
        for value in values {
            self.stage.masker.mask(value.expose());
            hidden.push(value.expose());
        }
        hidden.extend(self.login_password.as_deref());
        Redactor::new(hidden)
    }

    /// The folder the image is built from (the app's folder).
    pub(super) fn source_dir(&self) -> std::path::PathBuf {
        let dir = &self.stage.desired.image.source_dir;
        if dir == "." { self.stage.checkout.to_owned() } else { self.stage.checkout.join(dir) }
    }
}

/// `pack build`, with the app secret's keys as the buildpacks' variables. The warnings to report.
async fn buildpacks(
    context: &BuildContext<'_>,
    builder: &str,
    make: &(dyn Fn(&PackInputs<'_>) -> PackBuild + Sync),
) -> Result<Vec<String>, Failure> {
    let stage = context.stage;
    let keys = if stage.settings.build.aws_credentials { Some(stage.session.keys().await?) } else { None };
    let variables =
        build_env(&stage.desired.secret, &context.secret, stage.settings.build.secret_keys.as_deref(), keys.as_ref());
    let redactor = context.redactor(variables.values.iter());
    let env_file = context.private.write("build.env", variables.file.expose())?;
    let build = make(&PackInputs {
        repository: context.repository,
        tag: &stage.desired.image.tag,
        builder,
        path: &context.source_dir().display().to_string(),
        env_file: &env_file.display().to_string(),
        debug: stage.settings.debug,
        architecture: stage.desired.image.architecture,
    });
    tool_process::run(ToolRun {
        program: context.tool,
        tool: "pack",
        what: "pack build",
        argv: build.argv(),
        tags: &build.tags,
        env: context.with_docker_config(pack_environment(stage.env)),
        secret_env: &variables.passed,
        redactor: &redactor,
        ci: stage.desired.request.ci,
        hint: "pack's output is above; the buildpacks' own messages say what the app's build needs",
    })
    .await?;
    Ok(variables.warnings)
}
