//! The build stage: the commit's image looked up in its registry, and built with `pack` only when
//! it is missing. The decisions are the core's (`core::build`); this is their I/O.

pub(crate) mod pack_process;
pub(crate) mod private_dir;
pub(crate) mod test_image;
pub(crate) mod tools;

use std::path::Path;

use private_dir::PrivateDir;

use crate::aws::ecr::Lookup;
use crate::aws::{Clients, Session};
use crate::error::Failure;
use crate::registry::Registry;
use crate::workflow::Masker;
use maestro_core::build::build_env::build_env;
use maestro_core::build::lifecycle::{self, Follow};
use maestro_core::build::pack::{PackBuild, PackInputs, pack_environment};
use maestro_core::build::registry_login::{Login, docker_config, login_for};
use maestro_core::build::repository::{ImageRepository, RegistryKind};
use maestro_core::build::{self as decide, BuiltImage, FoundImage, ImageSource, Step};
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::plan::desired::DesiredState;
use maestro_core::redact::Redactor;
use maestro_core::settings::Settings;

pub(crate) struct Stage<'a> {
    pub session: &'a Session,
    pub clients: &'a Clients,
    pub desired: &'a DesiredState,
    pub settings: &'a Settings,
    pub env: &'a Env,
    /// The app's checkout (`--app`).
    pub checkout: &'a Path,
    /// `pack`, found before anything else ran; `None` when the settings skip the build.
    pub pack: Option<&'a Path>,
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
}

/// Where the image is, and how to ask about it.
enum Place {
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
fn place(desired: &DesiredState, settings: &Settings, env: &Env, masker: Masker) -> Result<Place, Failure> {
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
    let policy = lifecycle::policy(stage.settings.build.image_retention);
    let (mut notes, mut warnings) = (Vec::new(), Vec::new());
    if let Place::Ecr { registry_id } = &place
        && lookup != Lookup::NoRepository
    {
        match follow_policy(stage.clients, registry_id, &repository.path, &policy, live_policy).await {
            Ok(note) => notes.extend(note),
            Err(failure) => warnings.push(format!("the lifecycle policy was not checked: {failure}")),
        }
    }
    let pack = match (decide::step(stage.settings.build.skip, found), stage.pack) {
        (Step::Skip { digest }, _) => {
            tracing::info!("image {} already exists ({digest}): build skipped", image.uri);
            let image = BuiltImage { uri: image.uri.clone(), digest, source: ImageSource::Existing };
            notes.push("build skipped: the commit's image exists".to_owned());
            return Ok(Built { image, notes, warnings });
        }
        (Step::Missing, _) => {
            return Err(Failure::new(format!("MAESTRO_SKIP_BUILD=true, but image {} does not exist", image.uri))
                .hint(decide::missing_hint()));
        }
        (Step::Build, Some(pack)) => pack,
        (Step::Build, None) => return Err(Failure::new("the build is needed, but pack was not checked for")),
    };

    publish(stage, &place, &lookup, pack, &policy, (&mut notes, &mut warnings), |inputs| {
        PackBuild::new(inputs, &stage.settings.build)
    })
    .await?;

    // pack's word is not enough: the image deploys only if the registry has it.
    let Lookup::Found(FoundImage { digest }) = place.lookup(stage.clients, &repository, &image.tag).await? else {
        return Err(Failure::new(format!("pack finished, but the registry has no {}", image.uri))
            .hint("check pack's output above for the publish step"));
    };
    tracing::info!("built and published {} ({digest})", image.uri);
    notes.push(format!("built {} with {}", image.uri, image.builder));
    Ok(Built { image: BuiltImage { uri: image.uri.clone(), digest, source: ImageSource::Built }, notes, warnings })
}

/// A pack build published to the image's registry, shared by the commit's image and the test
/// phase's (`test_image`): the ECR repository created when missing, a registry login (masked),
/// the build's variables from the app secret in a private folder (deleted afterwards), and pack
/// run on the build `make` gives for the source folder and that env file. `said`: the run's notes
/// and warnings.
async fn publish(
    stage: &Stage<'_>,
    place: &Place,
    lookup: &Lookup,
    pack: &Path,
    policy: &str,
    said: (&mut Vec<String>, &mut Vec<String>),
    make: impl FnOnce(&PackInputs<'_>) -> PackBuild,
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
    if secret.is_none() {
        warnings.push(format!("secret {} does not exist: the build gets no app variables", stage.desired.secret));
    }
    let keys = if stage.settings.build.aws_credentials { Some(stage.session.keys().await?) } else { None };
    let variables = build_env(
        &stage.desired.secret,
        &secret.map(|(_, object)| object).unwrap_or_default(),
        stage.settings.build.secret_keys.as_deref(),
        keys.as_ref(),
    );
    warnings.extend(variables.warnings.iter().cloned());
    for value in &variables.values {
        stage.masker.mask(value.expose());
    }
    let mut hidden: Vec<&str> = variables.values.iter().map(|value| value.expose()).collect();
    if let Some(login) = &login {
        hidden.push(login.password.expose());
    }
    let redactor = Redactor::new(hidden);

    let parent = stage.env.first_of(&[var::RUNNER_TEMP, var::TMPDIR]).map_or("/tmp", |(_, dir)| dir);
    let private = PrivateDir::create(Path::new(parent))?;
    let env_file = private.write("build.env", variables.file.expose())?;
    let mut pack_env = pack_environment(stage.env);
    if let Some(login) = &login {
        let config = private.write("config.json", docker_config(&repository.host, login).expose())?;
        pack_env.retain(|(name, _)| name != var::DOCKER_CONFIG);
        pack_env.push((var::DOCKER_CONFIG.to_owned(), config.parent().unwrap_or(private.path()).display().to_string()));
    }
    let source =
        if image.source_dir == "." { stage.checkout.to_owned() } else { stage.checkout.join(&image.source_dir) };
    let build = make(&PackInputs {
        repository: &repository,
        tag: &image.tag,
        builder: &image.builder,
        path: &source.display().to_string(),
        env_file: &env_file.display().to_string(),
        debug: stage.settings.debug,
    });
    pack_process::run(pack_process::PackRun {
        program: pack,
        build: &build,
        env: pack_env,
        secret_env: &variables.passed,
        redactor: &redactor,
        ci: stage.desired.request.ci,
    })
    .await?;
    drop(private);
    Ok(())
}
