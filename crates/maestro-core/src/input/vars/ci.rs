//! The CI's variables: what GitHub Actions, GitLab CI and AWS CodeBuild tell a job.

use super::{Variable, foreign};

// GitHub Actions (https://docs.github.com/actions/reference/variables-reference).
pub const GITHUB_ACTIONS: &str = "GITHUB_ACTIONS";
pub const GITHUB_EVENT_NAME: &str = "GITHUB_EVENT_NAME";
/// The event payload's file, read by the shell.
pub const GITHUB_EVENT_PATH: &str = "GITHUB_EVENT_PATH";
pub const GITHUB_SHA: &str = "GITHUB_SHA";
pub const GITHUB_REF: &str = "GITHUB_REF";
pub const GITHUB_REF_NAME: &str = "GITHUB_REF_NAME";
pub const GITHUB_REF_TYPE: &str = "GITHUB_REF_TYPE";
pub const GITHUB_HEAD_REF: &str = "GITHUB_HEAD_REF";
pub const GITHUB_BASE_REF: &str = "GITHUB_BASE_REF";
pub const GITHUB_REPOSITORY: &str = "GITHUB_REPOSITORY";
pub const GITHUB_RUN_ID: &str = "GITHUB_RUN_ID";
pub const GITHUB_RUN_ATTEMPT: &str = "GITHUB_RUN_ATTEMPT";
pub const GITHUB_ACTOR: &str = "GITHUB_ACTOR";
pub const GITHUB_WORKSPACE: &str = "GITHUB_WORKSPACE";
pub const GITHUB_SERVER_URL: &str = "GITHUB_SERVER_URL";
/// GitHub Enterprise's API.
pub const GITHUB_API_URL: &str = "GITHUB_API_URL";
/// The job's token, when the workflow passes it; the action's `github-token` input sets it.
pub const GITHUB_TOKEN: &str = "GITHUB_TOKEN";
/// The file step outputs are appended to.
pub const GITHUB_OUTPUT: &str = "GITHUB_OUTPUT";
/// The file the job summary is appended to.
pub const GITHUB_STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";
/// Set when the job has `id-token: write`: where and with what to ask for an OIDC token.
pub const ACTIONS_ID_TOKEN_REQUEST_URL: &str = "ACTIONS_ID_TOKEN_REQUEST_URL";
pub const ACTIONS_ID_TOKEN_REQUEST_TOKEN: &str = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
/// The runner's scratch folder, emptied after each job.
pub const RUNNER_TEMP: &str = "RUNNER_TEMP";

// GitLab CI (https://docs.gitlab.com/ci/variables/predefined_variables/).
pub const GITLAB_CI: &str = "GITLAB_CI";
pub const CI_PROJECT_PATH: &str = "CI_PROJECT_PATH";
pub const CI_PROJECT_ID: &str = "CI_PROJECT_ID";
pub const CI_PROJECT_URL: &str = "CI_PROJECT_URL";
pub const CI_PROJECT_DIR: &str = "CI_PROJECT_DIR";
pub const CI_COMMIT_SHA: &str = "CI_COMMIT_SHA";
pub const CI_COMMIT_TAG: &str = "CI_COMMIT_TAG";
pub const CI_COMMIT_BRANCH: &str = "CI_COMMIT_BRANCH";
pub const CI_COMMIT_REF_NAME: &str = "CI_COMMIT_REF_NAME";
pub const CI_COMMIT_MESSAGE: &str = "CI_COMMIT_MESSAGE";
pub const CI_COMMIT_AUTHOR: &str = "CI_COMMIT_AUTHOR";
pub const CI_PIPELINE_ID: &str = "CI_PIPELINE_ID";
pub const CI_PIPELINE_SOURCE: &str = "CI_PIPELINE_SOURCE";
pub const CI_PIPELINE_URL: &str = "CI_PIPELINE_URL";
pub const CI_JOB_ID: &str = "CI_JOB_ID";
pub const CI_JOB_URL: &str = "CI_JOB_URL";
pub const CI_MERGE_REQUEST_IID: &str = "CI_MERGE_REQUEST_IID";
pub const CI_MERGE_REQUEST_EVENT_TYPE: &str = "CI_MERGE_REQUEST_EVENT_TYPE";
pub const CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: &str = "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME";
pub const CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: &str = "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA";
pub const CI_MERGE_REQUEST_TARGET_BRANCH_NAME: &str = "CI_MERGE_REQUEST_TARGET_BRANCH_NAME";
pub const CI_MERGE_REQUEST_SOURCE_PROJECT_PATH: &str = "CI_MERGE_REQUEST_SOURCE_PROJECT_PATH";
pub const CI_MERGE_REQUEST_PROJECT_PATH: &str = "CI_MERGE_REQUEST_PROJECT_PATH";
/// The merge request's source and target projects: they differ for a fork's merge request.
pub const CI_MERGE_REQUEST_SOURCE_PROJECT_ID: &str = "CI_MERGE_REQUEST_SOURCE_PROJECT_ID";
pub const CI_MERGE_REQUEST_PROJECT_ID: &str = "CI_MERGE_REQUEST_PROJECT_ID";
/// The project's default branch: a merge request may not deploy under its name.
pub const CI_DEFAULT_BRANCH: &str = "CI_DEFAULT_BRANCH";
pub const GITLAB_USER_LOGIN: &str = "GITLAB_USER_LOGIN";
/// The API of the GitLab instance, for commit statuses.
pub const CI_API_V4_URL: &str = "CI_API_V4_URL";
/// The job's own token: it cannot post statuses, and pack never gets it.
pub const CI_JOB_TOKEN: &str = "CI_JOB_TOKEN";
/// GitLab's container registry, with the job's login for it.
pub const CI_REGISTRY: &str = "CI_REGISTRY";
pub const CI_REGISTRY_USER: &str = "CI_REGISTRY_USER";
pub const CI_REGISTRY_PASSWORD: &str = "CI_REGISTRY_PASSWORD";
/// A token with the `api` scope under GitLab's conventional name; MAESTRO_GITLAB_TOKEN beats it.
pub const GITLAB_TOKEN: &str = "GITLAB_TOKEN";

// AWS CodeBuild (https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html).
pub const CODEBUILD_BUILD_ID: &str = "CODEBUILD_BUILD_ID";
pub const CODEBUILD_BUILD_URL: &str = "CODEBUILD_BUILD_URL";
pub const CODEBUILD_SRC_DIR: &str = "CODEBUILD_SRC_DIR";
pub const CODEBUILD_INITIATOR: &str = "CODEBUILD_INITIATOR";
pub const CODEBUILD_SOURCE_REPO_URL: &str = "CODEBUILD_SOURCE_REPO_URL";
pub const CODEBUILD_SOURCE_VERSION: &str = "CODEBUILD_SOURCE_VERSION";
pub const CODEBUILD_RESOLVED_SOURCE_VERSION: &str = "CODEBUILD_RESOLVED_SOURCE_VERSION";
pub const CODEBUILD_WEBHOOK_EVENT: &str = "CODEBUILD_WEBHOOK_EVENT";
pub const CODEBUILD_WEBHOOK_HEAD_REF: &str = "CODEBUILD_WEBHOOK_HEAD_REF";
pub const CODEBUILD_WEBHOOK_BASE_REF: &str = "CODEBUILD_WEBHOOK_BASE_REF";
pub const CODEBUILD_WEBHOOK_TRIGGER: &str = "CODEBUILD_WEBHOOK_TRIGGER";
pub const CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID: &str = "CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID";

/// The CI's variables.
pub const CI: &[Variable] = &[
    foreign(GITHUB_ACTIONS),
    foreign(GITHUB_EVENT_NAME),
    foreign(GITHUB_EVENT_PATH),
    foreign(GITHUB_SHA),
    foreign(GITHUB_REF),
    foreign(GITHUB_REF_NAME),
    foreign(GITHUB_REF_TYPE),
    foreign(GITHUB_HEAD_REF),
    foreign(GITHUB_BASE_REF),
    foreign(GITHUB_REPOSITORY),
    foreign(GITHUB_RUN_ID),
    foreign(GITHUB_RUN_ATTEMPT),
    foreign(GITHUB_ACTOR),
    foreign(GITHUB_WORKSPACE),
    foreign(GITHUB_SERVER_URL),
    foreign(GITHUB_API_URL),
    Variable { name: GITHUB_TOKEN, documented: false, action_input: Some("github-token") },
    foreign(GITHUB_OUTPUT),
    foreign(GITHUB_STEP_SUMMARY),
    foreign(ACTIONS_ID_TOKEN_REQUEST_URL),
    foreign(ACTIONS_ID_TOKEN_REQUEST_TOKEN),
    foreign(RUNNER_TEMP),
    foreign(GITLAB_CI),
    foreign(CI_PROJECT_PATH),
    foreign(CI_PROJECT_ID),
    foreign(CI_PROJECT_URL),
    foreign(CI_PROJECT_DIR),
    foreign(CI_COMMIT_SHA),
    foreign(CI_COMMIT_TAG),
    foreign(CI_COMMIT_BRANCH),
    foreign(CI_COMMIT_REF_NAME),
    foreign(CI_COMMIT_MESSAGE),
    foreign(CI_COMMIT_AUTHOR),
    foreign(CI_PIPELINE_ID),
    foreign(CI_PIPELINE_SOURCE),
    foreign(CI_PIPELINE_URL),
    foreign(CI_JOB_ID),
    foreign(CI_JOB_URL),
    foreign(CI_MERGE_REQUEST_IID),
    foreign(CI_MERGE_REQUEST_EVENT_TYPE),
    foreign(CI_MERGE_REQUEST_SOURCE_BRANCH_NAME),
    foreign(CI_MERGE_REQUEST_SOURCE_BRANCH_SHA),
    foreign(CI_MERGE_REQUEST_TARGET_BRANCH_NAME),
    foreign(CI_MERGE_REQUEST_SOURCE_PROJECT_PATH),
    foreign(CI_MERGE_REQUEST_PROJECT_PATH),
    foreign(CI_MERGE_REQUEST_SOURCE_PROJECT_ID),
    foreign(CI_MERGE_REQUEST_PROJECT_ID),
    foreign(CI_DEFAULT_BRANCH),
    foreign(GITLAB_USER_LOGIN),
    foreign(CI_API_V4_URL),
    foreign(CI_JOB_TOKEN),
    foreign(CI_REGISTRY),
    foreign(CI_REGISTRY_USER),
    foreign(CI_REGISTRY_PASSWORD),
    foreign(GITLAB_TOKEN),
    foreign(CODEBUILD_BUILD_ID),
    foreign(CODEBUILD_BUILD_URL),
    foreign(CODEBUILD_SRC_DIR),
    foreign(CODEBUILD_INITIATOR),
    foreign(CODEBUILD_SOURCE_REPO_URL),
    foreign(CODEBUILD_SOURCE_VERSION),
    foreign(CODEBUILD_RESOLVED_SOURCE_VERSION),
    foreign(CODEBUILD_WEBHOOK_EVENT),
    foreign(CODEBUILD_WEBHOOK_HEAD_REF),
    foreign(CODEBUILD_WEBHOOK_BASE_REF),
    foreign(CODEBUILD_WEBHOOK_TRIGGER),
    foreign(CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID),
];
