//! Reads the app's files from disk and hands their text to the core's parsers.
//!
//! The Procfile, `project.toml` and the schedule file are read from the app's folder
//! (`REPO_SUB_FOLDER` inside the checkout); `task-definition-<process>.json` from the checkout's
//! root, where the original looked for them.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::path::{Component, Path};

use maestro_core::app::{App, BaseTaskDefinition, ScheduleFile};
use maestro_core::input::Location;
use maestro_core::input_error::{InputError, InputErrors};
use maestro_core::spec::{SCHEDULED_TASKS_PROCESS, procfile, project_toml, schedule, task_definition_file};

/// Loads and parses the app in `checkout`, whose buildpacks folder is `sub_folder` (or the root).
pub(crate) fn load(checkout: &Path, sub_folder: Option<&str>) -> Result<App, InputErrors> {
    let source_dir = sub_folder.unwrap_or(".").to_owned();
    let label = |file: &str| if source_dir == "." { file.to_owned() } else { format!("{source_dir}/{file}") };
    let app_dir = checkout.join(&source_dir);

    let procfile_path = label("Procfile");
    let procfile_text = read(&app_dir.join("Procfile"), &procfile_path)?.ok_or_else(|| {
        InputError::new(
            Location::file(&procfile_path),
            format!("no Procfile in `{}`", app_dir.display()),
            "maestro deploys the processes of a Procfile: add one (e.g. `web: bin/server`), or point `--app` (and REPO_SUB_FOLDER) at the app",
        )
    })?;
    let procfile = procfile::parse(&procfile_path, &procfile_text)?;

    let mut errors = InputErrors::default();
    let schedule_file = procfile.get(SCHEDULED_TASKS_PROCESS).and_then(|process| {
        let input = Location::line(&procfile_path, process.line);
        errors.take(load_schedule_file(&app_dir, &label, &input, &process.command)).flatten()
    });
    let toml_path = label("project.toml");
    let project_builder = errors.take(read(&app_dir.join("project.toml"), &toml_path).and_then(|text| match text {
        Some(text) => project_toml::builder(&toml_path, &text),
        None => Ok(None),
    }));
    let mut base_task_definitions = BTreeMap::new();
    for process in &procfile.processes {
        let file = format!("task-definition-{}.json", process.name);
        let loaded = read(&checkout.join(&file), &file).and_then(|text| {
            text.filter(|text| !text.trim().is_empty())
                .map(|text| task_definition_file::parse(&file, &text))
                .transpose()
        });
        if let Some(Some(document)) = errors.take(loaded) {
            base_task_definitions.insert(process.name.clone(), BaseTaskDefinition { path: file, document });
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
    })
}

fn load_schedule_file(
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
    let text = read(&app_dir.join(relative), &shown)?.ok_or_else(|| {
        InputError::new(input, format!("the schedule file `{shown}` does not exist"), format!("create `{shown}` with lines like `update-feed rate(3 hours) bundle exec rake feed:update`, or fix the path"))
    })?;
    Ok(Some(ScheduleFile { path: shown.clone(), schedules: schedule::parse(&shown, &text)? }))
}

/// The file's text, `None` when it does not exist; other failures are input errors.
fn read(path: &Path, label: &str) -> Result<Option<String>, InputError> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            InputError::new(Location::file(label), "the file is not UTF-8 text", "save the file as UTF-8")
        }),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
        Err(error) => Err(InputError::new(
            Location::file(label),
            format!("cannot read `{}`: {error}", path.display()),
            "check the file's permissions",
        )),
    }
}
