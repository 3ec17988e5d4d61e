//! The build stage: the commit's image looked up in its registry, and built with `pack` (or
//! `docker buildx` for a Dockerfile) only when it is missing; an image built elsewhere is only
//! looked up. The decisions are the core's (`core::build`); this is their I/O.

mod builder;
mod dockerfile;
pub(crate) mod platforms;
pub(crate) mod private_dir;
pub(crate) mod test_image;
pub(crate) mod tool_process;
pub(crate) mod tools;

use std::path::Path;

use private_dir::PrivateDir;

use crate::aws::ecr::Lookup;
use crate::aws::{Clients, Session};
use crate::error::Failure;
use crate::registry::Registry;
use crate::workflow::Masker;
use maestro_core::build::build_env::build_env;
use maestro_core::build::docker::{DockerBuild, DockerInputs};
use maestro_core::build::lifecycle::{self, Follow};
use maestro_core::build::pack::{PackBuild, PackInputs, pack_environment};
use maestro_core::build::registry_login::{Login, docker_config, login_for};
use maestro_core::build::repository::{ImageRepository, RegistryKind};
use maestro_core::build::source::Source;
use maestro_core::build::{self as decide, BuiltImage, FoundImage, ImageSource, Step};
use maestro_core::env::Env;
use maestro_core::history::BuiltWith;
use maestro_core::input::vars as var;
use maestro_core::plan::desired::DesiredState;
use maestro_core::redact::Redactor;
use maestro_core::secret::Secret;
use maestro_core::settings::Settings;
use tool_process::ToolRun;

pub(crate) struct Stage<'a> {
    pub session: &'a Session,
    pub clients: &'a Clients,
    pub desired: &'a DesiredState,
    pub settings: &'a Settings,
    pub env: &'a Env,
    /// The app's checkout (`--app`).
    pub checkout: &'a Path,
    /// The build's tool (pack or docker), found before anything else ran; `None` when the
    /// settings skip the build or the image is built elsewhere.
    pub tool: Option<&'a Path>,
    pub masker: Masker,
    /// The image and its lifecycle policy as read already, under the deploy lease or as good as
    /// (`pipeline::early_reads`); `None`: read them now.
    pub looked: Option<Looked>,
}

/// The commit's image looked up, and its ECR repository's lifecycle policy read beside it (it is
/// followed only once the repository is known to exist).
#[derive(Debug, Clone)]
pub(crate) struct Looked {
    lookup: Lookup,
    policy: Result<Option<String>, Failure>,
}

impl Looked {
    /// The image, if the registry has it.
    pub(crate) fn found(&self) -> Option<FoundImage> {
        match &self.lookup {
            Lookup::Found(found) => Some(found.clone()),
            Lookup::NoImage | Lookup::NoRepository => None,
        }
    }
}

/// [`Looked`] for the plan's image (reads only).
pub(crate) async fn look(
    clients: &Clients,
    desired: &DesiredState,
    settings: &Settings,
    env: &Env,
    masker: Masker,
) -> Result<Looked, Failure> {
    look_at(&place(desired, settings, env, masker)?, clients, desired).await
}

async fn look_at(place: &Place, clients: &Clients, desired: &DesiredState) -> Result<Looked, Failure> {
    let repository = desired.image.repository_ref();
    let policy_read = async {
        match place {
            Place::Ecr { registry_id } => clients.ecr.lifecycle_policy(registry_id, &repository.path).await,
            Place::Oci { .. } => Ok(None),
        }
    };
    let (lookup, policy) = tokio::join!(place.lookup(clients, &repository, &desired.image.tag), policy_read);
    Ok(Looked { lookup: lookup?, policy })
}

/// What the stage did, for the run's report.
pub(crate) struct Built {
    pub image: BuiltImage,
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
    /// The builder and architecture, when this run built the image (the release record keeps them).
    pub built_with: Option<BuiltWith>,
}

/// Where the image is, and how to ask about it.
pub(crate) enum Place {
    Ecr { registry_id: String },
    Oci { registry: Registry, login: Option<Login> },
}

impl Place {
    async fn lookup(&self, clients: &Clients, repository: &ImageRepository, tag: &str) -> Result<Lookup, Failure> {
        match self {
            Self::Ecr { registry_id } => clients.ecr.image(registry_id, &repository.path, tag).await,
            Self::Oci { registry, login } => Ok(match registry.image(repository, tag, login.as_ref()).await? {
                Some(found) => Lookup::Found(found),
                None => Lookup::NoImage,
            }),
        }
    }
}

/// Where the image goes, with the credentials to ask about it (masked on GitHub).
pub(crate) fn place(desired: &DesiredState, settings: &Settings, env: &Env, masker: Masker) -> Result<Place, Failure> {
    Ok(match &desired.image.registry_kind {
        RegistryKind::Ecr { account, .. } => Place::Ecr { registry_id: account.clone() },
        RegistryKind::Oci => {
            let login = login_for(settings.build.registry_login.as_ref(), env, &desired.image.registry);
            if let Some(login) = &login {
                masker.mask(login.password.expose());
            }
            Place::Oci { registry: Registry::new()?, login }
        }
    })
}

/// Whether the registry still holds `repository@digest` (`maestro rollback`'s target image);
/// `None` when it is not the plan's registry, whose credentials maestro has (not checked).
pub(crate) async fn holds(
    clients: &Clients,
    desired: &DesiredState,
    settings: &Settings,
    env: &Env,
    repository: &ImageRepository,
    digest: &str,
) -> Result<Option<bool>, Failure> {
    if repository.host != desired.image.registry {
        return Ok(None);
    }
    let place = place(desired, settings, env, Masker::for_env(env))?;
    Ok(Some(matches!(place.lookup(clients, repository, digest).await?, Lookup::Found(_))))
}

/// The commit's image, if its registry has it (what `plan` shows; reads only).
pub(crate) async fn existing(
    clients: &Clients,
    desired: &DesiredState,
    settings: &Settings,
    env: &Env,
    masker: Masker,
) -> Result<Option<FoundImage>, Failure> {
    let place = place(desired, settings, env, masker)?;
    match place.lookup(clients, &desired.image.repository_ref(), &desired.image.tag).await? {
        Lookup::Found(found) => Ok(Some(found)),
        Lookup::NoImage | Lookup::NoRepository => Ok(None),
    }
}

/// Keeps the lifecycle policy of a repository that exists in step with the settings
/// (`MAESTRO_IMAGE_RETENTION`): one read (`live`), and a write only when maestro's policy differs
/// (a new retention, an older maestro's rules). A policy that is not maestro's is its owner's,
/// kept. The note to report when the policy was put.
async fn follow_policy(
    clients: &Clients,
    registry_id: &str,
    repository: &str,
    policy: &str,
    live: Result<Option<String>, Failure>,
) -> Result<Option<String>, Failure> {
    let live = live?;
    match lifecycle::follow(live.as_deref(), policy) {
        Follow::Same => Ok(None),
        Follow::Owners => {
            tracing::debug!("ECR repository {repository} keeps its own lifecycle policy: it is not maestro's");
            Ok(None)
        }
        Follow::Update => {
            clients.ecr.put_lifecycle_policy(registry_id, repository, policy).await?;
            tracing::info!("updated the lifecycle policy of ECR repository {repository}");
            Ok(Some(format!("updated the lifecycle policy of ECR repository {repository}")))
        }
    }
}

pub(crate) async fn run(stage: &Stage<'_>) -> Result<Built, Failure> {
    let image = &stage.desired.image;
    let repository = image.repository_ref();
    let place = place(stage.desired, stage.settings, stage.env, stage.masker)?;
    let Looked { lookup, policy: live_policy } = match &stage.looked {
        Some(looked) => looked.clone(),
        None => look_at(&place, stage.clients, stage.desired).await?,
    };
    let found = match &lookup {
        Lookup::Found(found) => Some(found),
        Lookup::NoImage | Lookup::NoRepository => None,
    };
    // An image built elsewhere is never built here, and its repository is not the app's.
    let prebuilt = matches!(image.source, Source::Prebuilt(_));
    let policy = lifecycle::policy(stage.settings.build.image_retention);
    let (mut notes, mut warnings) = (Vec::new(), Vec::new());
    if let Place::Ecr { registry_id } = &place
        && lookup != Lookup::NoRepository
        && !prebuilt
    {
        match follow_policy(stage.clients, registry_id, &repository.path, &policy, live_policy).await {
            Ok(note) => notes.extend(note),
            Err(failure) => warnings.push(format!("the lifecycle policy was not checked: {failure}")),
        }
    }
    let tool = match (decide::step(stage.settings.build.skip || prebuilt, found), stage.tool) {
        (Step::Skip { digest }, _) => {
            tracing::info!("image {} already exists ({digest}): build skipped", image.uri);
            let image = BuiltImage { uri: image.uri.clone(), digest, source: ImageSource::Existing };
            notes.push(
                if prebuilt {
                    "no build: the image is built elsewhere"
                } else {
                    "build skipped: the commit's image exists"
                }
                .to_owned(),
            );
            return Ok(Built { image, notes, warnings, built_with: None });
        }
        (Step::Missing, _) if prebuilt => return Err(prebuilt_missing(&image.uri)),
        (Step::Missing, _) => {
            return Err(Failure::new(format!("MAESTRO_SKIP_BUILD=true, but image {} does not exist", image.uri))
                .hint(decide::missing_hint()));
        }
        (Step::Build, Some(tool)) => tool,
        (Step::Build, None) => return Err(Failure::new("the build is needed, but its tool was not checked for")),
    };

    // Only a buildpacks build has a builder to choose (and records it).
    let builder = if image.source.is_buildpacks() {
        let chosen = builder::choose(stage, &place, &lookup).await?;
        warnings.extend(chosen.warning);
        if let Some((message, hint)) = decide::builder::unfit(&chosen.builder, image.architecture.cpu) {
            return Err(Failure::new(message).hint(hint));
        }
        Some(chosen.builder)
    } else {
        None
    };

    let build = match &image.source {
        Source::Buildpacks => Build::Pack {
            builder: builder.as_deref().unwrap_or(&image.builder),
            make: &|inputs| PackBuild::new(inputs, &stage.settings.build),
        },
        Source::Dockerfile(build) => Build::Dockerfile { build, make: &DockerBuild::new },
        Source::Prebuilt(_) => return Err(prebuilt_missing(&image.uri)),
    };
    let what = build.what();
    publish(stage, &place, &lookup, tool, &policy, (&mut notes, &mut warnings), build).await?;

    // The tool's word is not enough: the image deploys only if the registry has it.
    let tool_name = if image.source.is_buildpacks() { "pack" } else { "docker buildx" };
    let Lookup::Found(FoundImage { digest }) = place.lookup(stage.clients, &repository, &image.tag).await? else {
        return Err(Failure::new(format!("{tool_name} finished, but the registry has no {}", image.uri))
            .hint(format!("check {tool_name}'s output above for the publish step")));
    };
    tracing::info!("built and published {} ({digest})", image.uri);
    notes.push(format!("built {} {what}", image.uri));
    let built_with = builder.map(|builder| BuiltWith { builder, architecture: image.architecture.cpu });
    let image = BuiltImage { uri: image.uri.clone(), digest, source: ImageSource::Built };
    Ok(Built { image, notes, warnings, built_with })
}

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
    fn what(&self) -> String {
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
struct BuildContext<'a> {
    stage: &'a Stage<'a>,
    tool: &'a Path,
    repository: &'a ImageRepository,
    secret: serde_json::Map<String, serde_json::Value>,
    /// The folder of the `config.json` holding the registry's login.
    docker_config: Option<String>,
    login_password: Option<String>,
    private: &'a PrivateDir,
}

impl BuildContext<'_> {
    /// The tool's allow-listed environment, with the private `DOCKER_CONFIG`.
    fn with_docker_config(&self, mut env: Vec<(String, String)>) -> Vec<(String, String)> {
        if let Some(config) = &self.docker_config {
            env.retain(|(name, _)| name != var::DOCKER_CONFIG);
            env.push((var::DOCKER_CONFIG.to_owned(), config.clone()));
        }
        env
    }

    /// Hides `values` and the registry's password in the tool's output (masked on GitHub too).
    fn redactor<'v>(&self, values: impl Iterator<Item = &'v Secret>) -> Redactor {
        let mut hidden: Vec<&str> = Vec::new();
        for value in values {
            self.stage.masker.mask(value.expose());
            hidden.push(value.expose());
        }
        hidden.extend(self.login_password.as_deref());
        Redactor::new(hidden)
    }

    /// The folder the image is built from (the app's folder).
    fn source_dir(&self) -> std::path::PathBuf {
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

/// The failure for an image built elsewhere that its registry does not have.
pub(crate) fn prebuilt_missing(uri: &str) -> Failure {
    Failure::new(format!("image {uri} (MAESTRO_IMAGE) does not exist, or its registry refuses to say"))
        .hint("push the image first, or name one that exists (its tag or digest, and the registry's login: MAESTRO_REGISTRY_USERNAME and MAESTRO_REGISTRY_PASSWORD)")
}
