//! GitLab CI: `CI_*` variables.
//!
//! Merged-results and merge-train pipelines build an internal merge commit that is in neither
//! branch; GitLab shows a merge request's statuses on the source branch's commit, so that is the
//! `report_sha`. Detached merge-request pipelines leave the `..._SHA` variables empty: there
//! `CI_COMMIT_SHA` is already the source branch's head.
//!
//! A merge request pipeline deploys as `pr-<iid>`: its source branch, which a fork's author
//! names, is only shown and reported (see `pull_request`).

use super::{CiFacts, Sourced, fact, pull_request};
use crate::env::Env;
use crate::input::Location;
use crate::input::vars as var;

pub(super) fn facts(env: &Env) -> CiFacts {
    let merge_type = env.get(var::CI_MERGE_REQUEST_EVENT_TYPE);
    let sha = fact(env, var::CI_COMMIT_SHA);
    let source_head = fact(env, var::CI_MERGE_REQUEST_SOURCE_BRANCH_SHA);
    let report_sha = match merge_type {
        Some("merged_result" | "merge_train") => source_head.or_else(|| sha.clone()),
        _ => sha.clone(),
    };
    let tag = fact(env, var::CI_COMMIT_TAG);
    let pull_request = fact(env, var::CI_MERGE_REQUEST_IID).and_then(Sourced::number);
    let branch = fact(env, var::CI_COMMIT_BRANCH)
        .or_else(|| fact(env, var::CI_MERGE_REQUEST_SOURCE_BRANCH_NAME))
        .or_else(|| if tag.is_none() { fact(env, var::CI_COMMIT_REF_NAME) } else { None });
    let event = fact(env, var::CI_PIPELINE_SOURCE).map(|fact| match merge_type {
        Some(kind) => Sourced::new(
            format!("{}/{kind}", fact.value),
            Location::described(format!("{}, {}", fact.source, var::CI_MERGE_REQUEST_EVENT_TYPE)),
        ),
        None => fact,
    });
    let fork = differ(env, var::CI_MERGE_REQUEST_SOURCE_PROJECT_ID, var::CI_MERGE_REQUEST_PROJECT_ID)
        || differ(env, var::CI_MERGE_REQUEST_SOURCE_PROJECT_PATH, var::CI_MERGE_REQUEST_PROJECT_PATH);
    let mut facts = CiFacts {
        repository: fact(env, var::CI_PROJECT_PATH),
        branch_unknown: branch.is_none().then(|| match &tag {
            Some(tag) => format!("this is a pipeline for tag `{}`, which names no environment", tag.value),
            None => "GitLab gave no branch for this pipeline".to_owned(),
        }),
        sha,
        report_sha,
        branch,
        base_branch: fact(env, var::CI_MERGE_REQUEST_TARGET_BRANCH_NAME),
        default_branch: fact(env, var::CI_DEFAULT_BRANCH),
        pull_request,
        event,
        tag,
        run_id: fact(env, var::CI_PIPELINE_ID),
        run_url: fact(env, var::CI_JOB_URL).or_else(|| fact(env, var::CI_PIPELINE_URL)),
        actor: fact(env, var::GITLAB_USER_LOGIN),
        commit_message: fact(env, var::CI_COMMIT_MESSAGE),
        commit_author: fact(env, var::CI_COMMIT_AUTHOR),
        workspace: fact(env, var::CI_PROJECT_DIR),
        fork,
        ..CiFacts::default()
    };
    if facts.pull_request.is_some() {
        let head_branch = facts.branch.take();
        pull_request::name_by_number(&mut facts, head_branch);
    }
    facts
}

/// Both variables are set and differ: the merge request's source project is not its target.
fn differ(env: &Env, source: &str, target: &str) -> bool {
    matches!((env.get(source), env.get(target)), (Some(source), Some(target)) if source.trim() != target.trim())
}
