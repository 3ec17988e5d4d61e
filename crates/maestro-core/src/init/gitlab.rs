//! `.gitlab-ci.yml`: the deploy and stop jobs of templates/maestro.yml, whole, filled in for the
//! app. The default branch deploys with the production role (the rule's `variables:`), every
//! other branch with the review role as a review app `review/<branch>` that stops after two weeks
//! without a deploy; `id_tokens:` gives the job the token AWS exchanges for the role's
//! credentials, and `resource_group` runs one deploy per environment at a time.

use super::Setup;
use super::yaml::{fill, lines, quoted};
use crate::input::vars as var;

const TEMPLATE: &str = r#"# maestro on GitLab CI, written by `maestro init` for %repository% (docs/init.md).
#
# AWS: an IAM OIDC provider for https://gitlab.com and two roles, with the trust and permission
# policies `maestro init` printed (docs/ci.md, docs/iam.md). The default branch (protect it)
# deploys with the production role, every other branch with the review role. Commit statuses need
# MAESTRO_GITLAB_TOKEN (a masked variable, `api` scope). Pin the image by digest
# (`ghcr.io/veezor/maestro:v1.2.3@sha256:…`) for a deploy that cannot change under you.

.maestro:
  image: ghcr.io/veezor/maestro:v1
  # pack builds in Docker: a docker:dind service over TCP with TLS; the runner shares
  # /certs/client between service and job (docs/ci.md).
  services:
    - name: docker:28.5-dind
      alias: docker
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: "1"
    DOCKER_CERT_PATH: "/certs/client"
    MAESTRO_ENVIRONMENT: $CI_ENVIRONMENT_NAME
%settings%  id_tokens:
    %id_token%:
      aud: https://gitlab.com   # your GitLab URL, as the IAM OIDC provider has it
  # One deploy or stop per environment at a time; a newer pipeline waits for the running one.
  resource_group: $CI_ENVIRONMENT_NAME

maestro-deploy:
  extends: .maestro
  stage: deploy
  script:
    - maestro deploy --app "${CI_PROJECT_DIR}"
  artifacts:
    # MAESTRO_ENVIRONMENT_URL and the image, for `environment:url` and later jobs.
    reports:
      dotenv: maestro-deploy.env
  # The default branch's environment stays.
  environment:
    name: $CI_COMMIT_REF_SLUG
    url: $MAESTRO_ENVIRONMENT_URL
  rules:
    - if: $CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      variables:
        %role_variable%: %production_role%

# Every other branch: a review app, with the review role, stopped by hand or after two weeks
# without a deploy.
maestro-review:
  extends: maestro-deploy
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    url: $MAESTRO_ENVIRONMENT_URL
    on_stop: maestro-stop
    auto_stop_in: 2 weeks
  rules:
    - if: $CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH

# Stops a review app: its services to zero tasks, its schedules paused, nothing deleted; the
# next deploy restores them.
maestro-stop:
  extends: .maestro
  stage: deploy
  services: []   # no build: no Docker daemon
  script:
    - maestro stop --app "${CI_PROJECT_DIR}"
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    action: stop
  rules:
    - if: $CI_COMMIT_BRANCH && $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH
      when: manual
      allow_failure: true
"#;

pub(super) fn render(setup: &Setup) -> String {
    let mut settings = vec![(var::AWS_REGION, setup.region.to_string())];
    // The review role by default: only the default branch's rule names production's.
    settings.push((var::MAESTRO_ROLE_ARN, setup.roles.review.to_string()));
    if let Some(app) = &setup.app {
        settings.push((var::MAESTRO_APP, app.clone()));
    }
    if let Some(processes) = &setup.processes {
        settings.push((var::ECS_SERVICE_TASK_PROCESSES, quoted(processes)));
    }
    settings.push((var::ECS_TASK_ROLE_ARN, setup.task_role.to_string()));
    settings.push((var::ECS_EXECUTION_ROLE_ARN, setup.execution_role.to_string()));
    fill(
        TEMPLATE,
        &[
            ("repository", &setup.repository.path),
            ("settings", &lines(4, &settings)),
            ("id_token", var::MAESTRO_ID_TOKEN),
            ("role_variable", var::MAESTRO_ROLE_ARN),
            ("production_role", &setup.roles.production),
        ],
    )
}
