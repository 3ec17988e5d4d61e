//! The app as maestro sees it: its Procfile, schedule file, builder, image source and base task
//! definitions, already parsed. The shell reads the files (`crate::workspace`); everything here is a value.

use std::collections::BTreeMap;

use crate::build::source::Source;
use crate::spec::procfile::Procfile;
use crate::spec::schedule::Schedule;

#[derive(Debug, Clone, PartialEq)]
pub struct App {
    pub procfile: Procfile,
    /// The Procfile's path as the user knows it (`Procfile`, `api/Procfile`), for messages.
    pub procfile_path: String,
    pub schedule_file: Option<ScheduleFile>,
    /// The builder named in `project.toml`, if any.
    pub project_builder: Option<String>,
    /// `task-definition-<process>.json` files the app ships, by process.
    pub base_task_definitions: BTreeMap<String, BaseTaskDefinition>,
    /// The folder the buildpacks build, relative to the repository (`.` for the root).
    pub source_dir: String,
    /// Where the image comes from, decided from the settings and the app's folder
    /// (`build::source::resolve`).
    pub image_source: Source,
    /// Said in the plan when the source was detected rather than chosen.
    pub image_source_note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleFile {
    pub path: String,
    pub schedules: Vec<Schedule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BaseTaskDefinition {
    pub path: String,
    pub document: serde_json::Map<String, serde_json::Value>,
}
