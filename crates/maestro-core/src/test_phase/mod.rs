//! The test phase that gates a deploy (issue 24): the commit's tests run in a test image built
//! from the same source and builder as the image that ships (pack's `test` execution
//! environment), before any write of the deploy; a failure stops it. Which tests, where they run,
//! how their images are tagged and how the outcome reads are decided here, as values.

pub mod docker_run;
pub mod image_build;
pub mod outcome;

use crate::app::App;
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::InputError;
use crate::settings::TestSettings;

/// The Procfile process whose command is the tests'.
pub const TEST_PROCESS: &str = "test";

/// Where the test command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// `docker run --rm` in the CI's own Docker daemon.
    Local,
    /// A one-off ECS task in the environment's network, with the app secret (tests that need
    /// the environment's database).
    Ecs,
}

impl Runner {
    pub fn name(self) -> &'static str {
        match self {
            Self::Local => "local",
            Self::Ecs => "ecs",
        }
    }
}

/// The test phase of a run, when it runs: its command and where the command comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPlan {
    /// A shell command line, run by the image's launcher.
    pub command: String,
    /// `MAESTRO_TEST_COMMAND` or `Procfile:<line>`, for the log.
    pub source: String,
    pub runner: Option<Runner>,
    /// The JUnit file the command writes (`MAESTRO_TEST_REPORT`), relative to the app's folder.
    pub report: Option<String>,
}

/// Whether the phase runs, and what: `MAESTRO_TEST=true`, or a Procfile `test` process unless
/// `MAESTRO_TEST=false`. `forced`: `maestro test` runs it whatever `MAESTRO_TEST` says. Turned on
/// with no command to run is bad input (exit code 2, before any AWS call).
pub fn plan(settings: &TestSettings, app: &App, forced: bool) -> Result<Option<TestPlan>, InputError> {
    let procfile_test = app.procfile.get(TEST_PROCESS);
    let enabled = forced || settings.enabled.unwrap_or(procfile_test.is_some());
    if !enabled {
        return Ok(None);
    }
    let (command, source) = match (&settings.command, procfile_test) {
        (Some(command), _) => (command.clone(), var::MAESTRO_TEST_COMMAND.to_owned()),
        (None, Some(process)) => (process.command.clone(), format!("{}:{}", app.procfile_path, process.line)),
        (None, None) => {
            let location = if forced {
                Location::Described("maestro test".into())
            } else {
                Location::Described(var::MAESTRO_TEST.into())
            };
            return Err(InputError::new(
                location,
                "the test phase is on, but there is no test command",
                format!(
                    "add a `{TEST_PROCESS}:` line to {} (e.g. `test: bundle exec rspec`), or set {}",
                    app.procfile_path,
                    var::MAESTRO_TEST_COMMAND
                ),
            ));
        }
    };
    Ok(Some(TestPlan { command, source, runner: settings.runner, report: settings.report.clone() }))
}

/// The test image's tag: `test-<tag>`, which no deploy names (deploys use the commit's own tag)
/// and which the lifecycle policy counts with every other commit's image.
pub fn test_tag(image_tag: &str) -> String {
    format!("test-{image_tag}")
}

/// The tag added to the test image once its tests passed: a later run of the commit finds it and
/// skips the phase (`--force` runs it again).
pub fn passed_tag(image_tag: &str) -> String {
    format!("tested-{image_tag}")
}

#[cfg(test)]
#[path = "test_phase_tests.rs"]
mod tests;
