//! The test phase's settings (`MAESTRO_TEST*`): whether it runs, what it runs, and where.

use super::reader::Reader;
use crate::input::vars as var;
use crate::test_phase::Runner;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TestSettings {
    /// `MAESTRO_TEST`: `Some(true)` runs the phase, `Some(false)` turns off the automatic one;
    /// `None` runs it when the Procfile has a `test` process.
    pub enabled: Option<bool>,
    /// `MAESTRO_TEST_COMMAND`, instead of the Procfile's `test` command.
    pub command: Option<String>,
    /// `MAESTRO_TEST_RUNNER`; `None`: `local` where a Docker daemon answers, else `ecs`.
    pub runner: Option<Runner>,
    /// `MAESTRO_TEST_REPORT`: the JUnit file the command writes, relative to the app's folder.
    pub report: Option<String>,
    /// `MAESTRO_TEST_TARGET`: a Dockerfile app's test stage.
    pub target: Option<String>,
}

impl TestSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        // Unset is its own answer here (automatic), so `boolean`'s "unset is false" is not used.
        let enabled = read.text(var::MAESTRO_TEST).is_some().then(|| read.boolean(var::MAESTRO_TEST));
        let runner = read.choice(var::MAESTRO_TEST_RUNNER, &["local", "ecs"]).map(|choice| match choice {
            "ecs" => Runner::Ecs,
            _ => Runner::Local,
        });
        let report = read.checked(
            var::MAESTRO_TEST_REPORT,
            |path| {
                !path.starts_with('/')
                    && path.split('/').all(|part| part != "..")
                    && crate::test_phase::docker_run::report_folder(path).is_some()
            },
            "a relative path in a folder of the app",
            "name the JUnit file the test command writes, in a folder of the app (mounted from the host), e.g. `tmp/junit.xml`",
        );
        Self {
            enabled,
            command: read.text(var::MAESTRO_TEST_COMMAND),
            runner,
            report,
            target: read.text(var::MAESTRO_TEST_TARGET),
        }
    }
}
