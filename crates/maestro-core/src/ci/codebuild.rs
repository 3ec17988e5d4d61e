//! AWS CodeBuild: `CODEBUILD_*` variables.
//!
//! Webhook builds name their branch in `CODEBUILD_WEBHOOK_HEAD_REF`. Manual and API starts only
//! have `CODEBUILD_SOURCE_VERSION`, which may be a branch, a commit, `pr/N`, a tag or (from
//! CodePipeline) an artifact reference; only the first names a branch.
//!
//! A pull request's build deploys as `pr-<n>`, its head branch only shown. Whether it comes from
//! a fork is not in CodeBuild's variables (`CODEBUILD_WEBHOOK_HEAD_REF` names the branch, not its
//! repository), so `fork` stays false: the webhook's filter groups (`ACTOR_ACCOUNT_ID`) and its
//! pull-request build policy decide who may trigger such a build (docs/ci.md).

use super::{CiFacts, Sourced, fact, pull_request};
use crate::env::Env;
use crate::input::Location;
use crate::input::vars as var;
use crate::naming;
use crate::types::CommitSha;

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
    if CommitSha::looks_abbreviated(version) {
        return Reference::Commit(version.to_owned());
    }
    Reference::Branch(version.to_owned())
}

pub(super) fn facts(env: &Env) -> CiFacts {
    let mut facts = CiFacts {
        run_id: fact(env, var::CODEBUILD_BUILD_ID),
        workspace: fact(env, var::CODEBUILD_SRC_DIR),
        actor: fact(env, var::CODEBUILD_WEBHOOK_ACTOR_ACCOUNT_ID).or_else(|| fact(env, var::CODEBUILD_INITIATOR)),
        base_branch: fact(env, var::CODEBUILD_WEBHOOK_BASE_REF)
            .map(|fact| fact.map(|value| value.trim_start_matches("refs/heads/").to_owned())),
        ..CiFacts::default()
    };
    let from_pipeline =
        env.get(var::CODEBUILD_INITIATOR).is_some_and(|initiator| initiator.starts_with("codepipeline/"));
    facts.event = fact(env, var::CODEBUILD_WEBHOOK_EVENT).or_else(|| {
        let kind = if from_pipeline { "codepipeline" } else { "manual" };
        Some(Sourced::new(kind, var::CODEBUILD_INITIATOR))
    });

    match fact(env, var::CODEBUILD_SOURCE_REPO_URL) {
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
        fact(env, var::CODEBUILD_WEBHOOK_HEAD_REF),
        fact(env, var::CODEBUILD_WEBHOOK_TRIGGER),
        fact(env, var::CODEBUILD_SOURCE_VERSION),
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

    if facts.pull_request.is_some() {
        let head_branch = facts.branch.take();
        pull_request::name_by_number(&mut facts, head_branch);
    }

    let resolved =
        fact(env, var::CODEBUILD_RESOLVED_SOURCE_VERSION).filter(|fact| CommitSha::looks_abbreviated(&fact.value));
    let version = env.get(var::CODEBUILD_SOURCE_VERSION).map(classify);
    facts.sha = resolved.or_else(|| match version {
        Some(Reference::Commit(_)) => fact(env, var::CODEBUILD_SOURCE_VERSION),
        _ => None,
    });
    facts.report_sha = facts.sha.clone();
    if facts.branch.is_none() {
        let source_version = env.get(var::CODEBUILD_SOURCE_VERSION).unwrap_or_default();
        facts.branch_unknown = Some(match (&facts.tag, classify(source_version)) {
            (Some(tag), _) => format!("this CodeBuild build is for tag `{}`, which names no environment", tag.value),
            (None, Reference::Commit(sha)) => {
                format!("CodeBuild was started with commit `{sha}` as its source version, which names no branch")
            }
            (None, Reference::Artifact) => {
                "CodeBuild was started by CodePipeline with an artifact as its source version".to_owned()
            }
            (None, _) => "CodeBuild gave no source version".to_owned(),
        });
    }
    facts.run_url = fact(env, var::CODEBUILD_BUILD_URL).or_else(|| console_url(env));
    facts
}

/// The build's page in the console, when CodeBuild does not set `CODEBUILD_BUILD_URL`.
fn console_url(env: &Env) -> Option<Sourced> {
    let id = env.get(var::CODEBUILD_BUILD_ID)?;
    let region = env.get(var::AWS_REGION).or_else(|| env.get(var::AWS_DEFAULT_REGION))?;
    let project = id.split(':').next().unwrap_or(id);
    let encoded = id.replace(':', "%3A");
    Some(Sourced::new(
        format!(
            "https://{region}.console.aws.amazon.com/codesuite/codebuild/projects/{project}/build/{encoded}/?region={region}"
        ),
        Location::described(format!("{}, {}", var::CODEBUILD_BUILD_ID, var::AWS_REGION)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILD: (&str, &str) = ("CODEBUILD_BUILD_ID", "shop:1");

    fn facts_of(pairs: &[(&str, &str)]) -> CiFacts {
        facts(&Env::from_process(pairs.iter().copied().chain([BUILD])))
    }

    #[test]
    fn an_artifact_source_version_names_no_branch() {
        for artifact in ["s3://pipeline-artifacts/shop/SourceArti/abc.zip", "arn:aws:s3:::pipeline-artifacts/shop"] {
            let facts = facts_of(&[("CODEBUILD_SOURCE_VERSION", artifact)]);
            assert_eq!(facts.branch, None, "{artifact}");
            assert_eq!(
                facts.branch_unknown.as_deref(),
                Some("CodeBuild was started by CodePipeline with an artifact as its source version"),
                "{artifact}"
            );
        }
    }

    /// The webhook's refs are exact, so the first reference of a kind wins over the source version.
    #[test]
    fn the_first_reference_of_each_kind_wins() {
        let facts = facts_of(&[
            ("CODEBUILD_WEBHOOK_HEAD_REF", "refs/tags/v1.2.0"),
            ("CODEBUILD_WEBHOOK_TRIGGER", "pr/5"),
            ("CODEBUILD_SOURCE_VERSION", "refs/pull/6/head"),
        ]);
        assert_eq!(facts.tag, Some(Sourced::new("v1.2.0", "CODEBUILD_WEBHOOK_HEAD_REF")));
        assert_eq!(facts.pull_request, Some(Sourced::new(5u64, "CODEBUILD_WEBHOOK_TRIGGER")));
        let facts = facts_of(&[("CODEBUILD_WEBHOOK_TRIGGER", "tag/v1"), ("CODEBUILD_SOURCE_VERSION", "tag/v2")]);
        assert_eq!(facts.tag, Some(Sourced::new("v1", "CODEBUILD_WEBHOOK_TRIGGER")));
    }

    /// Without a resolved version, a commit given as the source version is the commit built.
    #[test]
    fn a_commit_source_version_is_the_sha_when_none_is_resolved() {
        let facts = facts_of(&[("CODEBUILD_SOURCE_VERSION", "abc1234")]);
        let expected = Some(Sourced::new("abc1234", "CODEBUILD_SOURCE_VERSION"));
        assert_eq!((&facts.sha, &facts.report_sha), (&expected, &expected));
        let branch = facts_of(&[("CODEBUILD_SOURCE_VERSION", "main")]);
        assert_eq!((branch.sha, branch.branch), (None, Some(Sourced::new("main", "CODEBUILD_SOURCE_VERSION"))));
    }
}
