//! AWS CodeBuild: `CODEBUILD_*` variables.
//!
//! Webhook builds name their branch in `CODEBUILD_WEBHOOK_HEAD_REF`. Manual and API starts only
//! have `CODEBUILD_SOURCE_VERSION`, which may be a branch, a commit, `pr/N`, a tag or (from
//! CodePipeline) an artifact reference; only the first names a branch.

use super::{CiFacts, Sourced, is_sha, var};
use crate::env::Env;
use crate::naming;

/// What a source version (or webhook ref) refers to.
enum Reference {
    Branch(String),
    Tag(String),
    PullRequest(u64),
    Commit(String),
    Artifact,
}

fn classify(version: &str) -> Reference {
    if let Some(branch) = version.strip_prefix("refs/heads/").or_else(|| version.strip_prefix("branch/")) {
        return Reference::Branch(branch.to_owned());
    }
    if let Some(tag) = version.strip_prefix("refs/tags/").or_else(|| version.strip_prefix("tag/")) {
        return Reference::Tag(tag.to_owned());
    }
    let pull = version.strip_prefix("pr/").or_else(|| version.strip_prefix("refs/pull/"));
    if let Some(number) = pull.and_then(|rest| rest.split(['/', '^']).next()).and_then(|n| n.parse().ok()) {
        return Reference::PullRequest(number);
    }
    if version.starts_with("arn:") || version.starts_with("s3://") {
        return Reference::Artifact;
    }
    if is_sha(version) {
        return Reference::Commit(version.to_owned());
    }
    Reference::Branch(version.to_owned())
}

pub(super) fn facts(env: &Env) -> CiFacts {
    let mut facts = CiFacts {
        run_id: var(env, "CODEBUILD_BUILD_ID"),
        workspace: var(env, "CODEBUILD_SRC_DIR"),
        actor: var(env, "CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID").or_else(|| var(env, "CODEBUILD_INITIATOR")),
        base_branch: var(env, "CODEBUILD_WEBHOOK_BASE_REF")
            .map(|fact| fact.map(|value| value.trim_start_matches("refs/heads/").to_owned())),
        ..CiFacts::default()
    };
    let from_pipeline = env.get("CODEBUILD_INITIATOR").is_some_and(|initiator| initiator.starts_with("codepipeline/"));
    facts.event = var(env, "CODEBUILD_WEBHOOK_EVENT").or_else(|| {
        let kind = if from_pipeline { "codepipeline" } else { "manual" };
        Some(Sourced::new(kind, "CODEBUILD_INITIATOR"))
    });

    match var(env, "CODEBUILD_SOURCE_REPO_URL") {
        Some(url) => facts.repository = Some(url.map(|value| naming::repository_path(&value))),
        None => {
            facts.repository_unknown = Some(if from_pipeline {
                "CodeBuild builds started by CodePipeline carry no repository URL".to_owned()
            } else {
                "CODEBUILD_SOURCE_REPO_URL is empty (an S3 or no-source build)".to_owned()
            });
        }
    }

    // The webhook's own refs are exact; the source version is what a person or API passed.
    let references = [
        var(env, "CODEBUILD_WEBHOOK_HEAD_REF"),
        var(env, "CODEBUILD_WEBHOOK_TRIGGER"),
        var(env, "CODEBUILD_SOURCE_VERSION"),
    ];
    for fact in references.into_iter().flatten() {
        match classify(&fact.value) {
            Reference::Branch(branch) if facts.branch.is_none() => {
                facts.branch = Some(Sourced::new(branch, fact.source))
            }
            Reference::Tag(tag) if facts.tag.is_none() => facts.tag = Some(Sourced::new(tag, fact.source)),
            Reference::PullRequest(number) if facts.pull_request.is_none() => {
                facts.pull_request = Some(Sourced::new(number, fact.source))
            }
            _ => {}
        }
    }

    let resolved = var(env, "CODEBUILD_RESOLVED_SOURCE_VERSION").filter(|fact| is_sha(&fact.value));
    let version = env.get("CODEBUILD_SOURCE_VERSION").map(classify);
    facts.sha = resolved.or_else(|| match version {
        Some(Reference::Commit(_)) => var(env, "CODEBUILD_SOURCE_VERSION"),
        _ => None,
    });
    facts.report_sha = facts.sha.clone();
    if facts.branch.is_none() {
        let source_version = env.get("CODEBUILD_SOURCE_VERSION").unwrap_or_default();
        facts.branch_unknown = Some(match (&facts.tag, classify(source_version)) {
            (Some(tag), _) => format!("this CodeBuild build is for tag `{}`, which names no environment", tag.value),
            (None, Reference::Commit(sha)) => {
                format!("CodeBuild was started with commit `{sha}` as its source version, which names no branch")
            }
            (None, Reference::PullRequest(number)) => format!(
                "CodeBuild was started with `{source_version}` (pull request {number}) without a webhook, so the head branch is unknown"
            ),
            (None, Reference::Artifact) => {
                "CodeBuild was started by CodePipeline with an artifact as its source version".to_owned()
            }
            (None, _) => "CodeBuild gave no source version".to_owned(),
        });
    }
    facts.run_url = var(env, "CODEBUILD_BUILD_URL").or_else(|| console_url(env));
    facts
}

/// The build's page in the console, when CodeBuild does not set `CODEBUILD_BUILD_URL`.
fn console_url(env: &Env) -> Option<Sourced> {
    let id = env.get("CODEBUILD_BUILD_ID")?;
    let region = env.get("AWS_REGION").or_else(|| env.get("AWS_DEFAULT_REGION"))?;
    let project = id.split(':').next().unwrap_or(id);
    let encoded = id.replace(':', "%3A");
    Some(Sourced::new(
        format!(
            "https://{region}.console.aws.amazon.com/codesuite/codebuild/projects/{project}/build/{encoded}/?region={region}"
        ),
        "CODEBUILD_BUILD_ID, AWS_REGION",
    ))
}
