//! `docker run` for the local test runner, as a value: every flag maestro passes, decided here and
//! tested as an argv, and the allow-listed environment the Docker client gets.
//!
//! The container gets values by name only (`--env NAME`: Docker reads the value from its own
//! environment), so no value is ever on the argv a process listing shows.

use crate::build::source::Launch;
use crate::env::Env;
use crate::input::vars as var;

/// The app's folder in a CNB image (the lifecycle's default `CNB_APP_DIR`).
pub const APP_DIR: &str = "/workspace";

/// Where the JUnit report's folder is in the container: `MAESTRO_TEST_REPORT`'s folder under
/// the app's. A host folder is mounted there, so the report outlives the container; `None` for a
/// report at the app's top, whose folder cannot be covered (it holds the app).
pub fn report_folder(report: &str) -> Option<String> {
    let (folder, _) = report.trim_start_matches("./").rsplit_once('/')?;
    (!folder.is_empty()).then(|| format!("{APP_DIR}/{folder}"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerRun {
    /// The test image, by digest (`<repository>@sha256:…`): the one just built, not a tag that
    /// may have moved.
    pub image: String,
    /// The test command line, run by the CNB launcher (its environment, then `bash -c`), or in
    /// an image of its own by `/bin/sh -c` under the image's entry point.
    pub command: String,
    /// Who starts the command: the buildpacks' launcher, or the image's own entry point.
    pub launch: Launch,
    /// Variables the container gets, by name; their values are in Docker's environment.
    pub container_env: Vec<String>,
    /// A host folder and where it is mounted ([`report_folder`]): the command's JUnit report
    /// (`MAESTRO_TEST_REPORT`) is copied from it.
    pub report_mount: Option<(String, String)>,
}

impl DockerRun {
    /// The arguments after `docker`. `--rm`: the container goes once the tests end, pass or fail;
    /// `--pull always`: the image maestro just pushed, never an older local one under the tag.
    pub fn argv(&self) -> Vec<String> {
        let mut argv: Vec<String> = ["run", "--rm", "--pull", "always"].map(str::to_owned).to_vec();
        if self.launch == Launch::CnbLauncher {
            argv.extend(["--entrypoint".to_owned(), "launcher".to_owned()]);
        }
        for name in &self.container_env {
            argv.extend(["--env".to_owned(), name.clone()]);
        }
        if let Some((host, container)) = &self.report_mount {
            argv.extend(["--volume".to_owned(), format!("{host}:{container}")]);
        }
        argv.push(self.image.clone());
        argv.extend(self.launch.scheduled_command(&self.command));
        argv
    }
}

/// The environment `docker run` runs with: pack's allow-list of `env` (the system's variables) and
/// the Docker client's own settings (`DOCKER_HOST`, …); CI tokens, AWS keys and the OIDC request
/// token are withheld from it, and so from the container.
pub fn docker_environment(env: &Env) -> Vec<(String, String)> {
    crate::build::pack::allow_listed(env, &[var::DOCKER_PREFIX])
}

/// The variables every test container gets, with their values: `CI=true`, as Heroku CI and every
/// CI set it (test frameworks read it).
pub fn container_variables() -> Vec<(String, String)> {
    vec![(var::GENERIC_CI.to_owned(), "true".to_owned())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_argv_names_the_image_by_digest_and_variables_by_name_only() {
        let run = DockerRun {
            image: "R/shop-main@sha256:ab".into(),
            command: "bundle exec rspec".into(),
            launch: Launch::CnbLauncher,
            container_env: vec!["CI".into()],
            report_mount: None,
        };
        assert_eq!(
            run.argv().join(" "),
            "run --rm --pull always --entrypoint launcher --env CI R/shop-main@sha256:ab bundle exec rspec"
        );
        // The command stays one argument: the launcher runs it with a shell.
        assert_eq!(run.argv().last().unwrap(), "bundle exec rspec");
    }

    #[test]
    fn the_report_folder_is_mounted_where_the_command_writes_it() {
        assert_eq!(report_folder("tmp/junit.xml").as_deref(), Some("/workspace/tmp"));
        assert_eq!(report_folder("./spec/reports/rspec.xml").as_deref(), Some("/workspace/spec/reports"));
        assert_eq!(report_folder("junit.xml"), None);
        let run = DockerRun {
            image: "i@sha256:ab".into(),
            command: "t".into(),
            launch: Launch::CnbLauncher,
            container_env: vec![],
            report_mount: Some(("/tmp/maestro-build-1/report".into(), "/workspace/tmp".into())),
        };
        assert!(run.argv().join(" ").contains(" --volume /tmp/maestro-build-1/report:/workspace/tmp i@sha256:ab t"));
    }

    #[test]
    fn docker_gets_only_what_it_needs_from_the_environment() {
        let env = Env::from_process([
            ("HOME", "/root"),
            ("DOCKER_HOST", "unix:///run/docker.sock"),
            ("PACK_HOME", "/p"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("GITHUB_TOKEN", "ghs"),
        ]);
        let names: Vec<String> = docker_environment(&env).into_iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["DOCKER_HOST", "HOME"]);
    }

    #[test]
    fn an_image_of_its_own_keeps_its_entry_point_and_runs_the_command_in_a_shell() {
        let run = DockerRun {
            image: "R/shop-main@sha256:ab".into(),
            command: "npm test && npm run lint".into(),
            launch: Launch::ImageEntryPoint,
            container_env: vec!["CI".into()],
            report_mount: None,
        };
        assert_eq!(
            run.argv(),
            [
                "run",
                "--rm",
                "--pull",
                "always",
                "--env",
                "CI",
                "R/shop-main@sha256:ab",
                "/bin/sh",
                "-c",
                "npm test && npm run lint"
            ]
        );
    }
}
