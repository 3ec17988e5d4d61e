//! `buildspec.yml`: ci/codebuild/buildspec.yml filled in for the app. CodeBuild signs maestro in
//! as the project's service role, so the file names no role; the image's `main.sh` keeps the
//! bash maestro's one line.

use super::Setup;
use super::yaml::{fill, lines, quoted};
use crate::input::vars as var;

const TEMPLATE: &str = r#"# maestro on AWS CodeBuild, written by `maestro init` for %repository% (docs/init.md).
#
# The project: environment image ghcr.io/veezor/maestro:v1 (or a copy in your ECR), Linux, with
# privileged mode on (pack builds the image in Docker); service role %production_role_name%,
# with the trust and permission policies `maestro init` printed (docs/iam.md); source: the app's
# repository. A build started by hand names no branch: set MAESTRO_BRANCH_OVERRIDE there.
version: 0.2

env:
  variables:
%settings%
phases:
  build:
    commands:
      # Starts Docker (privileged mode), then builds the commit's image when missing and deploys.
      - dockerd-entrypoint.sh main.sh
"#;

pub(super) fn render(setup: &Setup) -> String {
    let mut settings = Vec::new();
    if let Some(app) = &setup.app {
        settings.push((var::MAESTRO_APP, quoted(app)));
    }
    if let Some(processes) = &setup.processes {
        settings.push((var::ECS_SERVICE_TASK_PROCESSES, quoted(processes)));
    }
    settings.push((var::ECS_TASK_ROLE_ARN, quoted(&setup.task_role)));
    settings.push((var::ECS_EXECUTION_ROLE_ARN, quoted(&setup.execution_role)));
    fill(
        TEMPLATE,
        &[
            ("repository", &setup.repository.path),
            ("production_role_name", super::DeployRoles::name_of(&setup.roles.production)),
            ("settings", &lines(4, &settings)),
        ],
    )
}
