//! The build stage: the commit's image looked up in its registry, and built with `pack` (or
//! `docker buildx` for a Dockerfile) only when it is missing; an image built elsewhere is only
//! looked up. The decisions are the core's (`core::build`); this is their I/O.

mod builder;
mod dockerfile;
mod publish;

use publish::{Build, publish};
pub(crate) mod platforms;
pub(crate) mod private_dir;
pub(crate) mod test_image;
pub(crate) mod tool_process;
pub(crate) mod tools;

use std::path::Path;

use crate::aws::ecr::Lookup;
use crate::aws::{Clients, Session};
use crate::error::Failure;
use crate::registry::Registry;
use crate::workflow::Masker;
use maestro_core::build::docker::DockerBuild;
use maestro_core::build::lifecycle::{self, Follow};
use maestro_core::build::pack::PackBuild;
use maestro_core::build::registry_login::{Login, login_for};
use maestro_core::build::repository::{ImageRepository, RegistryKind};
use maestro_core::build::source::Source;
use maestro_core::build::{self as decide, BuiltImage, FoundImage, ImageSource, Step};
use maestro_core::env::Env;
use maestro_core::history::BuiltWith;
use maestro_core::plan::desired::DesiredState;
use maestro_core::settings::Settings;

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

/// The failure for an image built elsewhere that its registry does not have.
pub(crate) fn prebuilt_missing(uri: &str) -> Failure {
    Failure::new(format!("image {uri} (MAESTRO_IMAGE) does not exist, or its registry refuses to say"))
        .hint("push the image first, or name one that exists (its tag or digest, and the registry's login: MAESTRO_REGISTRY_USERNAME and MAESTRO_REGISTRY_PASSWORD)")
}
