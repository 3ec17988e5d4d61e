//! GitHub Actions: `GITHUB_*` variables and the event payload.
//!
//! Pull-request events build `refs/pull/N/merge`, a merge commit that is on no branch: statuses
//! posted there never show on the PR, so `report_sha` is the PR's head. The branch of a PR is its
//! head branch (`GITHUB_REF_NAME` is `N/merge` there, never a branch), which names nothing: the
//! environment is `pr-<n>` (see `pull_request`).
//!
//! `pull_request_target` is refused: it runs the base repository's workflow with its secrets and
//! OIDC role, at the base's commit (`GITHUB_SHA`), for a pull request whose code the workflow
//! may check out. Deploying from it either ships the base's code under the pull request's name or
//! the pull request's unreviewed code with the base's credentials; `pull_request` is the event
//! for deploying pull requests (docs/ci.md).

use serde_json::Value;

use super::{CiFacts, Sourced, fact, pull_request};
use crate::env::Env;
use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::InputError;

const PULL_REQUEST_EVENTS: &[&str] =
    &["pull_request", "pull_request_target", "pull_request_review", "pull_request_review_comment"];

/// The string (or number, as text) at a dotted path of the payload, sourced as `event.<path>`.
fn event_at(event: Option<&Value>, path: &str) -> Option<Sourced> {
    let mut value = event?;
    for key in path.split('.') {
        value = value.get(key)?;
    }
    let text = match value {
        Value::String(text) if !text.is_empty() => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    Some(Sourced::new(text, Location::described(format!("event.{path}"))))
}

fn strip_ref(fact: Sourced, prefix: &str) -> Sourced {
    fact.map(|value| value.strip_prefix(prefix).map_or(value.clone(), str::to_owned))
}

pub(super) fn facts(env: &Env, event: Option<&Value>) -> Result<CiFacts, InputError> {
    let event_name = env.get(var::GITHUB_EVENT_NAME).unwrap_or_default().to_owned();
    let is_pull_request = PULL_REQUEST_EVENTS.contains(&event_name.as_str());
    let sha = fact(env, var::GITHUB_SHA);

    if event_name == "push" && event.and_then(|e| e.get("deleted")).and_then(Value::as_bool) == Some(true) {
        let reference = env.get(var::GITHUB_REF).unwrap_or("the branch");
        return Err(InputError::new(
            var::GITHUB_EVENT_PATH,
            format!("this push deleted {reference}; there is no commit to deploy"),
            "skip deleted branches in the workflow, e.g. `if: github.event.deleted != true` on the deploy job",
        ));
    }

    if event_name == "pull_request_target" {
        return Err(InputError::new(
            var::GITHUB_EVENT_NAME,
            "`pull_request_target` runs a pull request with the base repository's credentials, and maestro does not deploy it",
            "deploy pull requests from an `on: pull_request` workflow, and skip forks (`if: github.event.pull_request.head.repo.full_name == github.repository`)",
        ));
    }

    let mut facts = CiFacts {
        repository: fact(env, var::GITHUB_REPOSITORY).or_else(|| event_at(event, "repository.full_name")),
        default_branch: event_at(event, "repository.default_branch"),
        event: fact(env, var::GITHUB_EVENT_NAME),
        run_id: fact(env, var::GITHUB_RUN_ID),
        actor: fact(env, var::GITHUB_ACTOR),
        workspace: fact(env, var::GITHUB_WORKSPACE),
        ..CiFacts::default()
    };
    facts.run_url = run_url(env);

    let ref_type = env.get(var::GITHUB_REF_TYPE).unwrap_or_default();
    if is_pull_request {
        facts.report_sha = event_at(event, "pull_request.head.sha");
        facts.base_branch = fact(env, var::GITHUB_BASE_REF).or_else(|| event_at(event, "pull_request.base.ref"));
        facts.pull_request =
            event_at(event, "pull_request.number").or_else(|| event_at(event, "number")).and_then(Sourced::number);
        let head_branch = fact(env, var::GITHUB_HEAD_REF).or_else(|| event_at(event, "pull_request.head.ref"));
        pull_request::name_by_number(&mut facts, head_branch);
        // The head repository differs from the base for a fork; GitHub sends `head.repo: null`
        // once the fork is deleted, and an unknown origin is treated as a fork. `head.repo.fork`
        // alone would refuse every pull request of a repository that is itself a fork.
        let head_repository = event_at(event, "pull_request.head.repo.full_name").map(|fact| fact.value);
        let base_repository = event_at(event, "pull_request.base.repo.full_name").map(|fact| fact.value);
        facts.fork = !matches!((head_repository, base_repository), (Some(head), Some(base)) if head == base);
        facts.pull_request_closed = event_at(event, "action").is_some_and(|action| action.value == "closed")
            || event_at(event, "pull_request.state").is_some_and(|state| state.value == "closed");
        facts.commit_message = event_at(event, "pull_request.title");
        facts.commit_author = event_at(event, "pull_request.user.login");
    } else if event_name == "merge_group" {
        facts.report_sha = event_at(event, "merge_group.head_sha");
        facts.branch = event_at(event, "merge_group.head_ref").map(|fact| strip_ref(fact, "refs/heads/"));
        facts.base_branch = event_at(event, "merge_group.base_ref").map(|fact| strip_ref(fact, "refs/heads/"));
    } else if event_name == "release" {
        facts.tag = event_at(event, "release.tag_name").or_else(|| fact(env, var::GITHUB_REF_NAME));
    } else if ref_type == "tag" {
        facts.tag = fact(env, var::GITHUB_REF_NAME);
    } else if ref_type == "branch" {
        facts.branch = fact(env, var::GITHUB_REF_NAME);
    } else if let Some(reference) = fact(env, var::GITHUB_REF) {
        if reference.value.starts_with("refs/heads/") {
            facts.branch = Some(strip_ref(reference, "refs/heads/"));
        } else if reference.value.starts_with("refs/tags/") {
            facts.tag = Some(strip_ref(reference, "refs/tags/"));
        }
    }
    if event_name == "issue_comment" && event.and_then(|e| e.pointer("/issue/pull_request")).is_some() {
        facts.pull_request = event_at(event, "issue.number").and_then(Sourced::number);
    }
    if facts.branch.is_none() && facts.branch_unknown.is_none() {
        facts.branch_unknown = Some(match &facts.tag {
            Some(tag) => format!("this run is for tag `{}`, which names no environment", tag.value),
            None => format!("GitHub gave no branch for the `{event_name}` event"),
        });
    }
    facts.commit_message = facts.commit_message.or_else(|| event_at(event, "head_commit.message"));
    facts.commit_author = facts.commit_author.or_else(|| event_at(event, "head_commit.author.name"));
    facts.report_sha = facts.report_sha.or_else(|| sha.clone());
    facts.sha = sha;
    Ok(facts)
}

/// The run's page; a re-run's attempt gets its own page.
fn run_url(env: &Env) -> Option<Sourced> {
    let server = env.get(var::GITHUB_SERVER_URL).unwrap_or("https://github.com").trim_end_matches('/');
    let repository = env.get(var::GITHUB_REPOSITORY)?;
    let run_id = env.get(var::GITHUB_RUN_ID)?;
    let mut url = format!("{server}/{repository}/actions/runs/{run_id}");
    match env.get(var::GITHUB_RUN_ATTEMPT) {
        Some(attempt) if attempt != "1" => url.push_str(&format!("/attempts/{attempt}")),
        _ => {}
    }
    let source = format!("{}, {}, {}", var::GITHUB_SERVER_URL, var::GITHUB_REPOSITORY, var::GITHUB_RUN_ID);
    Some(Sourced::new(url, Location::described(source)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn facts_of(pairs: &[(&str, &str)], event: &Value) -> CiFacts {
        facts(&Env::from_process(pairs.iter().copied()), Some(event)).unwrap()
    }

    /// An empty string in the payload is no value: the release falls back to the ref's name.
    #[test]
    fn an_empty_payload_string_counts_as_absent() {
        let event = json!({ "release": { "tag_name": "" } });
        let facts = facts_of(&[("GITHUB_EVENT_NAME", "release"), ("GITHUB_REF_NAME", "v2.0.0")], &event);
        assert_eq!(facts.tag, Some(Sourced::new("v2.0.0", "GITHUB_REF_NAME")));
        let event = json!({ "release": { "tag_name": "v2.0.1" } });
        let facts = facts_of(&[("GITHUB_EVENT_NAME", "release"), ("GITHUB_REF_NAME", "v2.0.0")], &event);
        assert_eq!(facts.tag, Some(Sourced::new("v2.0.1", Location::described("event.release.tag_name"))));
    }

    /// A repository that is itself a fork has `head.repo.fork: true` on its own pull requests:
    /// only a head repository other than the base's (or none) makes a fork.
    #[test]
    fn a_fork_is_a_head_repository_other_than_the_base() {
        let env = [("GITHUB_EVENT_NAME", "pull_request"), ("GITHUB_HEAD_REF", "main")];
        let pull_request = |head: Value| {
            json!({ "pull_request": { "number": 3, "head": { "repo": head },
                "base": { "repo": { "full_name": "me/shop", "fork": true } } } })
        };
        let own = facts_of(&env, &pull_request(json!({ "full_name": "me/shop", "fork": true })));
        assert!(!own.fork);
        assert_eq!(own.branch.map(|fact| fact.value).as_deref(), Some("pr-3"));
        assert!(facts_of(&env, &pull_request(json!({ "full_name": "you/shop", "fork": true }))).fork);
        assert!(facts_of(&env, &pull_request(Value::Null)).fork);
    }

    /// A comment on an issue is about no pull request, though the issue has a number.
    #[test]
    fn a_comment_on_a_plain_issue_has_no_pull_request() {
        let env = [("GITHUB_EVENT_NAME", "issue_comment"), ("GITHUB_REF_NAME", "main"), ("GITHUB_REF_TYPE", "branch")];
        let on_issue = facts_of(&env, &json!({ "issue": { "number": 3 } }));
        assert_eq!(on_issue.pull_request, None);
        let on_pull_request = facts_of(&env, &json!({ "issue": { "number": 4, "pull_request": {} } }));
        assert_eq!(on_pull_request.pull_request, Some(Sourced::new(4u64, Location::described("event.issue.number"))));
    }
}
