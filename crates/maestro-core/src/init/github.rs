//! `.github/workflows/deploy.yml`: ci/github/deploy.yml filled in for the app. main deploys in
//! the GitHub environment `production` with the production role; every other branch and
//! same-repository pull request with the review role; a closed pull request's environment stops.

use super::Setup;
use super::yaml::{fill, lines, quoted};
use crate::input::vars::{self as var, MAESTRO};

const TEMPLATE: &str = r#"# maestro on GitHub Actions, written by `maestro init` for %repository% (docs/init.md).
#
# AWS: the OIDC provider for token.actions.githubusercontent.com and two roles, with the trust
# and permission policies `maestro init` printed (docs/ci.md, docs/iam.md). main deploys in the
# GitHub environment `production` (give it required reviewers or a rule allowing only main) with
# the production role; every other branch and pull request gets the review role. The variables
# are documented in docs/inputs.md. Pin `veezor/maestro` to a release's full commit SHA (the tag
# in a comment) for a deploy that cannot change under you.
name: deploy

on:
  push:
    branches: [main, staging]
  pull_request:
    types: [opened, synchronize, reopened, closed]

permissions:
  contents: read
  id-token: write      # OIDC to AWS
  deployments: write   # the deployment on the pull request
  statuses: write      # the commit status maestro/<environment>
  checks: write        # the check run with the summary

# One deploy per environment at a time (a pull request's is pr-<number>, as maestro names it);
# a newer push waits for the running one.
concurrency:
  group: deploy-${{ github.event.pull_request.number && format('pr-{0}', github.event.pull_request.number) || github.ref_name }}
  cancel-in-progress: false

jobs:
  production:
    if: github.event_name == 'push' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262  # v4.4.0
      - id: maestro
        uses: veezor/maestro@v1
        with:
          role-to-assume: %production_role%
%settings%      # A step output reaches the script through the environment, never spliced into its text.
      - env:
          DEPLOYMENT_URL: ${{ steps.maestro.outputs.deployment-url }}
        run: echo "deployed to $DEPLOYMENT_URL"

  deploy:
    runs-on: ubuntu-latest
    # Forks get no OIDC token: their pull requests are not deployed. main is the production job's.
    if: >-
      (github.event_name == 'push' && github.ref != 'refs/heads/main') ||
      (github.event_name == 'pull_request' && github.event.action != 'closed' &&
       github.event.pull_request.head.repo.full_name == github.repository)
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262  # v4.4.0
      - id: maestro
        uses: veezor/maestro@v1
        with:
          role-to-assume: %review_role%
%settings%      - env:
          DEPLOYMENT_URL: ${{ steps.maestro.outputs.deployment-url }}
        run: echo "deployed to $DEPLOYMENT_URL"

  # A closed pull request's environment is paused: its services go to zero tasks, its schedules
  # off, its GitHub deployment inactive. Nothing is deleted; reopening the pull request redeploys.
  stop:
    runs-on: ubuntu-latest
    if: >-
      github.event_name == 'pull_request' && github.event.action == 'closed' &&
      github.event.pull_request.head.repo.full_name == github.repository
    steps:
      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262  # v4.4.0
        with:
          # The merge ref of a closed pull request may be gone; its head stays.
          ref: ${{ github.event.pull_request.head.sha }}
      - uses: veezor/maestro@v1
        with:
          command: stop
          role-to-assume: %review_role%
%settings%"#;

/// The action's input for `variable`, from the registry (action.yml is written from it too).
fn input_of(variable: &str) -> &'static str {
    MAESTRO.iter().find(|known| known.name == variable).and_then(|known| known.action_input).unwrap_or_default()
}

pub(super) fn render(setup: &Setup) -> String {
    let mut settings = vec![(input_of(var::AWS_REGION), setup.region.to_string())];
    if let Some(app) = &setup.app {
        settings.push((input_of(var::MAESTRO_APP), app.clone()));
    }
    if let Some(processes) = &setup.processes {
        settings.push((input_of(var::ECS_SERVICE_TASK_PROCESSES), quoted(processes)));
    }
    settings.push((input_of(var::ECS_TASK_ROLE_ARN), setup.task_role.to_string()));
    settings.push((input_of(var::ECS_EXECUTION_ROLE_ARN), setup.execution_role.to_string()));
    fill(
        TEMPLATE,
        &[
            ("repository", &setup.repository.path),
            ("production_role", &setup.roles.production),
            ("review_role", &setup.roles.review),
            ("settings", &lines(10, &settings)),
        ],
    )
}
