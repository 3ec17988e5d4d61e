//! GitLab CI: `CI_*` variables.
//!
//! Merged-results and merge-train pipelines build an internal merge commit that is in neither
//! branch; GitLab shows a merge request's statuses on the source branch's commit, so that is the
//! `report_sha`. Detached merge-request pipelines leave the `..._SHA` variables empty: there
//! `CI_COMMIT_SHA` is already the source branch's head.

use super::{CiFacts, Sourced, var};
use crate::env::Env;

pub(super) fn facts(env: &Env) -> CiFacts {
    let merge_type = env.get("CI_MERGE_REQUEST_EVENT_TYPE");
    let sha = var(env, "CI_COMMIT_SHA");
    let source_head = var(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_SHA");
    let report_sha = match merge_type {
        Some("merged_result" | "merge_train") => source_head.or_else(|| sha.clone()),
        _ => sha.clone(),
    };
    let tag = var(env, "CI_COMMIT_TAG");
    let branch = var(env, "CI_COMMIT_BRANCH")
        .or_else(|| var(env, "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"))
        .or_else(|| if tag.is_none() { var(env, "CI_COMMIT_REF_NAME") } else { None });
    let event = var(env, "CI_PIPELINE_SOURCE").map(|fact| match merge_type {
        Some(kind) => {
            Sourced::new(format!("{}/{kind}", fact.value), format!("{}, CI_MERGE_REQUEST_EVENT_TYPE", fact.source))
        }
        None => fact,
    });
    let fork = matches!(
        (env.get("CI_MERGE_REQUEST_SOURCE_PROJECT_PATH"), env.get("CI_MERGE_REQUEST_PROJECT_PATH")),
        (Some(source), Some(target)) if source != target
    );
    CiFacts {
        repository: var(env, "CI_PROJECT_PATH"),
        branch_unknown: branch.is_none().then(|| match &tag {
            Some(tag) => format!("this is a pipeline for tag `{}`, which names no environment", tag.value),
            None => "GitLab gave no branch for this pipeline".to_owned(),
        }),
        sha,
        report_sha,
        branch,
        base_branch: var(env, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        pull_request: var(env, "CI_MERGE_REQUEST_IID").and_then(Sourced::number),
        event,
        tag,
        run_id: var(env, "CI_PIPELINE_ID"),
        run_url: var(env, "CI_JOB_URL").or_else(|| var(env, "CI_PIPELINE_URL")),
        actor: var(env, "GITLAB_USER_LOGIN"),
        commit_message: var(env, "CI_COMMIT_MESSAGE"),
        commit_author: var(env, "CI_COMMIT_AUTHOR"),
        workspace: var(env, "CI_PROJECT_DIR"),
        fork,
        repository_unknown: None,
    }
}
