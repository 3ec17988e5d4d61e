//! Reads the app's files from disk and hands their text to the core's parsers.
//!
//! The Procfile, `project.toml`, the Dockerfile (whether it is there) and the schedule file are read from the app's folder
//! (`REPO_SUB_FOLDER` inside the checkout); `task-definition-<process>.json` from the checkout's
//! root, where the original looked for them.
//!
//! The checkout's content may be less trusted than the pipeline (a fork's pull request, a
//! CodeBuild project's buildspec), so an app file is read only if it is a regular file inside
//! the checkout once every symbolic link is resolved, and no bigger than [`MAX_FILE_BYTES`]. A
//! link to another file inside the checkout is followed (monorepos share a Procfile that way); a
//! link out of it (`/proc/self/environ`, a runner's credentials file) is refused, as are FIFOs
//! and devices, which could block the run or stream without end.

use std::collections::BTreeMap;
use std::io::{ErrorKind, Read};
use std::path::{Component, Path, PathBuf};

use maestro_core::app::{App, BaseTaskDefinition, ScheduleFile};
use maestro_core::build::source::{self, SourceChoice, SourceFiles};
use maestro_core::input::Location;
use maestro_core::input_error::{InputError, InputErrors};
use maestro_core::settings::BuildSettings;
use maestro_core::spec::{
    LAUNCHER_PROCESS, SCHEDULED_TASKS_PROCESS, procfile, project_toml, schedule, task_definition_file,
};

/// Loads and parses the app in `checkout`, whose folder is `REPO_SUB_FOLDER` (or the root), and
/// decides where its image comes from (`build.source` and the folder's Dockerfile and
/// `project.toml`).
pub(crate) fn load(checkout: &Path, build: &BuildSettings) -> Result<App, InputErrors> {
    let source_dir = build.sub_folder.clone().unwrap_or_else(|| ".".to_owned());
    let files = Files::new(checkout);
    let label = |file: &str| if source_dir == "." { file.to_owned() } else { format!("{source_dir}/{file}") };
    let app_dir = checkout.join(&source_dir);

    let toml_path = label("project.toml");
    let project_toml = files.read(&app_dir.join("project.toml"), &toml_path)?;
    let dockerfile = label(build.source.dockerfile());
    let has_dockerfile = match &build.source {
        // An image built elsewhere needs no file of the app's.
        SourceChoice::Prebuilt(_) | SourceChoice::Buildpacks => false,
        SourceChoice::Detect | SourceChoice::Dockerfile { .. } => {
            files.read(&app_dir.join(build.source.dockerfile()), &dockerfile)?.is_some()
        }
    };
    let facts = SourceFiles {
        dockerfile,
        has_dockerfile,
        has_project_toml: project_toml.is_some(),
        builder_set: build.builder.is_some(),
    };
    let (image_source, image_source_note) = source::resolve(&build.source, &facts)?;

    let procfile_path = label("Procfile");
    let procfile = match files.read(&app_dir.join("Procfile"), &procfile_path)? {
        Some(text) => procfile::parse(&procfile_path, &text)?,
        // An image of its own runs its own command as the one web service.
        None if !image_source.is_buildpacks() => source::default_procfile(),
        None => {
            return Err(InputError::new(
                Location::file(&procfile_path),
                format!("no Procfile in `{}`", app_dir.display()),
                "maestro deploys the processes of a Procfile: add one (e.g. `web: bin/server`), or point `--app` (and REPO_SUB_FOLDER) at the app",
            )
            .into());
        }
    };

    let mut errors = InputErrors::default();
    let schedule_file = procfile.get(SCHEDULED_TASKS_PROCESS).and_then(|process| {
        let input = Location::line(&procfile_path, process.line);
        errors.take(load_schedule_file(&files, &app_dir, &label, &input, &process.command)).flatten()
    });
    let project_builder = errors.take(match &project_toml {
        Some(text) => project_toml::builder(&toml_path, text),
        None => Ok(None),
    });
    let mut base_task_definitions = BTreeMap::new();
    // The launcher family has no Procfile line but, as with the bash maestro, may ship its own base.
    let processes = procfile.processes.iter().map(|process| process.name.as_str());
    let launcher = procfile.get(LAUNCHER_PROCESS).is_none().then_some(LAUNCHER_PROCESS);
    for name in processes.chain(launcher) {
        let file = format!("task-definition-{name}.json");
        let loaded = files.read(&checkout.join(&file), &file).and_then(|text| {
            text.filter(|text| !text.trim().is_empty())
                .map(|text| task_definition_file::parse(&file, &text))
                .transpose()
        });
        if let Some(Some(document)) = errors.take(loaded) {
            base_task_definitions.insert(name.to_owned(), BaseTaskDefinition { path: file, document });
        }
    }
    errors.into_result()?;
    Ok(App {
        procfile,
        procfile_path,
        schedule_file,
        project_builder: project_builder.flatten(),
        base_task_definitions,
        source_dir,
        image_source,
        image_source_note,
    })
}

fn load_schedule_file(
    files: &Files,
    app_dir: &Path,
    label: &impl Fn(&str) -> String,
    input: &Location,
    command: &str,
) -> Result<Option<ScheduleFile>, InputError> {
    let path = if command.is_empty() { schedule::DEFAULT_PATH } else { command };
    if path.starts_with("scheduledtasks:") {
        return Err(InputError::new(
            input,
            "`scheduledtasks:` is written twice",
            "write the line as `scheduledtasks: tasks/run_tasks.conf` (the original README's example repeated the prefix)",
        ));
    }
    let relative = Path::new(path);
    if path.contains(char::is_whitespace)
        || relative.components().any(|part| !matches!(part, Component::Normal(_) | Component::CurDir))
    {
        return Err(InputError::new(
            input,
            format!("`{path}` is not a path inside the app"),
            "name the schedule file relative to the app, e.g. `scheduledtasks: tasks/run_tasks.conf`",
        ));
    }
    let shown = label(path);
    let text = files.read(&app_dir.join(relative), &shown)?.ok_or_else(|| {
        InputError::new(input, format!("the schedule file `{shown}` does not exist"), format!("create `{shown}` with lines like `update-feed rate(3 hours) bundle exec rake feed:update`, or fix the path"))
    })?;
    Ok(Some(ScheduleFile { path: shown.clone(), schedules: schedule::parse(&shown, &text)? }))
}

/// The biggest app file maestro reads: a Procfile, schedule file, `project.toml` or task
/// definition file is a few KiB; ECS itself takes task definitions of at most 64 KiB.
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The checkout, resolved, that every app file must stay inside.
struct Files {
    root: PathBuf,
}

impl Files {
    /// A checkout that cannot be resolved (it does not exist) holds no file: each read says
    /// what is missing, as before.
    fn new(checkout: &Path) -> Self {
        Self { root: checkout.canonicalize().unwrap_or_else(|_| checkout.to_path_buf()) }
    }

    /// The file's text, `None` when it does not exist; anything else that is not a regular
    /// file inside the checkout, up to [`MAX_FILE_BYTES`] of UTF-8, is an input error.
    fn read(&self, path: &Path, label: &str) -> Result<Option<String>, InputError> {
        let location = Location::file(label);
        let refuse = |message: String, hint: &str| Err(InputError::new(location.clone(), message, hint));
        let cannot_read = |error: std::io::Error| {
            InputError::new(
                Location::file(label),
                format!("cannot read `{}`: {error}", path.display()),
                "check the file's permissions",
            )
        };
        let resolved = match path.canonicalize() {
            Ok(resolved) => resolved,
            Err(error) if error.kind() == ErrorKind::NotFound => {
                return match std::fs::symlink_metadata(path) {
                    Ok(_) => refuse(
                        "the file is a symbolic link to nothing".to_owned(),
                        "replace the link with the file, or remove it",
                    ),
                    Err(_) => Ok(None),
                };
            }
            Err(error) => return Err(cannot_read(error)),
        };
        if !resolved.starts_with(&self.root) {
            return refuse(
                "the file is a symbolic link (or in a linked folder) that leads out of the checkout".to_owned(),
                "maestro reads app files only from the checkout: commit the file itself (a link to a file inside the checkout is fine)",
            );
        }
        // `resolved` holds no link any more, so this is the file that is opened below.
        let metadata = std::fs::metadata(&resolved).map_err(cannot_read)?;
        if !metadata.is_file() {
            return refuse(
                "the file is not a regular file (a folder, FIFO, socket or device)".to_owned(),
                "commit a regular file under this name",
            );
        }
        if metadata.len() > MAX_FILE_BYTES {
            return refuse(
                format!("the file is {} bytes, over the {MAX_FILE_BYTES} maestro reads", metadata.len()),
                "keep app files small: a Procfile, schedule file, project.toml or task definition is a few KiB",
            );
        }
        // Bounded even if the file grows between the check and the read.
        let mut bytes = Vec::new();
        std::fs::File::open(&resolved)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(cannot_read)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return refuse(
                format!("the file grew past the {MAX_FILE_BYTES} bytes maestro reads"),
                "keep app files small, and do not change them while maestro runs",
            );
        }
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| InputError::new(location.clone(), "the file is not UTF-8 text", "save the file as UTF-8"))
    }
}
