//! How the test phase ended, as the run's error, the job summary, the GitHub check run and the
//! GitLab commit status say it. The output's tail arrives redacted (the app secret's values and
//! the registry login hidden) and is only ever shown as text.

use serde::Serialize;
use serde_json::{Value, json};

use crate::report::Context;
use crate::text::truncate;

/// Lines of the test output kept for the error, the summary and the check run.
pub const TAIL_LINES: usize = 20;

/// How the phase ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Passed,
    /// The command exited non-zero, or (ECS) its task stopped without an exit code (`None`).
    Failed {
        exit_code: Option<i32>,
    },
    /// An earlier run of the commit passed (its test image carries the passed tag).
    AlreadyPassed,
}

/// The test phase's event for the reporters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tested {
    #[serde(flatten)]
    pub outcome: Outcome,
    /// `local` or `ecs`.
    pub runner: String,
    /// Where the command came from: `Procfile:3`, `MAESTRO_TEST_COMMAND`.
    pub source: String,
    /// The output's last lines, redacted.
    pub tail: Vec<String>,
}

impl Tested {
    pub fn passed(&self) -> bool {
        !matches!(self.outcome, Outcome::Failed { .. })
    }

    /// One line: `Tests passed`, `Tests failed (exit code 3)`.
    pub fn title(&self) -> String {
        match &self.outcome {
            Outcome::Passed => "Tests passed".to_owned(),
            Outcome::AlreadyPassed => "Tests passed on an earlier run of this commit".to_owned(),
            Outcome::Failed { exit_code: Some(code) } => format!("Tests failed (exit code {code})"),
            Outcome::Failed { exit_code: None } => "Tests failed (the task stopped without an exit code)".to_owned(),
        }
    }

    /// The run's error message for a failure: it says that nothing of the deploy was written.
    pub fn failure_message(&self) -> String {
        format!("{}: nothing was deployed", self.title().replacen("Tests", "the tests", 1))
    }

    /// The error's detail lines: the tail, introduced.
    pub fn failure_details(&self) -> Vec<String> {
        if self.tail.is_empty() {
            return vec!["the test command printed nothing".to_owned()];
        }
        let mut details = vec![format!("the last {} lines of the test output:", self.tail.len())];
        details.extend(self.tail.iter().map(|line| format!("  {line}")));
        details
    }

    /// The job summary's section (GitHub's step summary; the check run's text).
    pub fn markdown(&self) -> String {
        let mut text = format!("### {}\n\n", self.title());
        // `source` is a variable's name or `Procfile:<line>`: no backtick can be in it.
        text.push_str(&format!("The test command from `{}` ran ({} runner).", self.source, self.runner));
        if !self.passed() {
            text.push_str(" The deploy stopped before any change: nothing was deployed.");
        }
        text.push_str("\n\n");
        if !self.tail.is_empty() && !matches!(self.outcome, Outcome::AlreadyPassed) {
            let body = self.tail.join("\n");
            // A fence longer than any run of backticks in the output, so the output cannot close it.
            let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            text.push_str(&format!("{fence}text\n{body}\n{fence}\n\n"));
        }
        text
    }
}

/// The check run's and the status's name: `maestro/test` (`maestro/<app>/test` for one app of
/// several), apart from the deploy's own.
pub fn check_name(context: &Context) -> String {
    match &context.request.app {
        None => "maestro/test".to_owned(),
        Some(app) => format!("maestro/{app}/test"),
    }
}

/// The GitHub check run: completed, `success` or `failure`, with the tail in its text.
pub fn github_check_run(context: &Context, tested: &Tested) -> Value {
    let mut body = json!({
        "name": check_name(context),
        "head_sha": context.request.report_sha,
        "status": "completed",
        "conclusion": if tested.passed() { "success" } else { "failure" },
        "output": { "title": truncate(&tested.title(), 140), "summary": truncate(&tested.markdown(), 65_000) },
    });
    if let Some(run_url) = &context.request.run_url {
        body["details_url"] = json!(run_url);
    }
    body
}

/// The GitHub commit status, where the token may not create check runs.
pub fn github_commit_status(context: &Context, tested: &Tested) -> Value {
    let mut body = json!({
        "state": if tested.passed() { "success" } else { "failure" },
        "context": check_name(context),
        "description": truncate(&tested.title(), 140),
    });
    if let Some(run_url) = &context.request.run_url {
        body["target_url"] = json!(run_url);
    }
    body
}

/// The GitLab commit status (`POST /projects/:id/statuses/:sha`).
pub fn gitlab_status(context: &Context, tested: &Tested, pipeline_id: Option<&str>) -> Value {
    let mut body = json!({
        "state": if tested.passed() { "success" } else { "failed" },
        "name": check_name(context),
        "description": truncate(&tested.title(), 255),
    });
    if let Some(branch) = context.request.head_branch.as_ref().or(context.request.branch.as_ref()) {
        body["ref"] = json!(truncate(branch, 255));
    }
    if let Some(target) = context.request.run_url.as_deref().filter(|target| target.len() <= 255) {
        body["target_url"] = json!(target);
    }
    if let Some(id) = pipeline_id.and_then(|id| id.parse::<u64>().ok()) {
        body["pipeline_id"] = json!(id);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::context;

    fn failed() -> Tested {
        Tested {
            outcome: Outcome::Failed { exit_code: Some(3) },
            runner: "local".into(),
            source: "Procfile:2".into(),
            tail: vec!["1 example, 1 failure".into(), "``` not a fence".into()],
        }
    }

    #[test]
    fn a_failure_says_nothing_was_deployed_with_the_tail() {
        let tested = failed();
        assert_eq!(tested.failure_message(), "the tests failed (exit code 3): nothing was deployed");
        assert_eq!(tested.failure_details()[0], "the last 2 lines of the test output:");
        let text = tested.markdown();
        assert!(text.starts_with("### Tests failed (exit code 3)\n"), "{text}");
        assert!(text.contains("````text\n1 example, 1 failure\n``` not a fence\n````"), "{text}");
    }

    #[test]
    fn the_check_run_and_the_statuses_carry_the_outcome() {
        let context = context(None);
        let run = github_check_run(&context, &failed());
        assert_eq!((run["name"].as_str(), run["conclusion"].as_str()), (Some("maestro/test"), Some("failure")));
        assert!(run["output"]["summary"].as_str().unwrap().contains("1 example, 1 failure"));
        let passed = Tested { outcome: Outcome::Passed, ..failed() };
        assert_eq!(github_commit_status(&context, &passed)["state"], "success");
        assert_eq!(gitlab_status(&context, &failed(), Some("7"))["state"], "failed");
        assert_eq!(gitlab_status(&context, &failed(), Some("7"))["pipeline_id"], 7);
    }
}
