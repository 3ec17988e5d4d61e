//! A deploy ECS paused at an approval hook (`MAESTRO_APPROVAL`): the run ends there, exit code 0,
//! in the state `awaiting-approval`, and a later `maestro continue` or `maestro abort` resolves
//! it. These values are what every reporter says about the pause; `line` is the one sentence
//! they share, so the log, the job summary and the code host's status read alike.

use serde::Serialize;

pub use crate::spec::approval::TimeoutAction;
use crate::text::workflow_command::inert;

/// A deploy that ECS paused at an approval hook: who waits where, and where to look at the new revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwaitingApproval {
    pub services: Vec<Paused>,
    pub test_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paused {
    pub process: String,
    pub service: String,
    /// ECS's lifecycle stage, e.g. `PRE_PRODUCTION_TRAFFIC_SHIFT`.
    pub stage: String,
    pub service_deployment_arn: String,
    /// When ECS takes the hook's timeout action (RFC 3339), if it said.
    pub expires_at: Option<String>,
    pub timeout_action: TimeoutAction,
}

/// "rolls it back", "continues it": what ECS does at the deadline, for people.
fn verb(action: TimeoutAction) -> &'static str {
    match action {
        TimeoutAction::Continue => "continues it",
        TimeoutAction::Rollback => "rolls it back",
    }
}

/// The state's name wherever a machine reads it: the `status` step output, GitLab's
/// `MAESTRO_STATUS`, the webhook's `{{STATUS}}`.
pub const STATUS: &str = "awaiting-approval";

impl AwaitingApproval {
    /// One human line, e.g. "awaiting approval: web paused before production traffic; test it at
    /// <url>; `maestro continue` or `maestro abort`". It is relayed into CI logs and descriptions,
    /// and a stage or URL comes from outside maestro: it is kept to one line that no CI runner can
    /// take for a workflow command.
    pub fn line(&self) -> String {
        let mut line = format!("awaiting approval: {}", self.where_paused());
        if let Some(url) = &self.test_url {
            line.push_str(&format!("; test it at {url}"));
        }
        if let Some(deadline) = self.deadline() {
            line.push_str(&format!("; {deadline}"));
        }
        line.push_str("; `maestro continue` or `maestro abort`");
        inert(&line.replace(['\r', '\n'], " "))
    }

    /// "web and worker paused before production traffic", the services grouped by stage in the
    /// order they came; "nothing paused" for an empty list, which the engine should not send.
    pub fn where_paused(&self) -> String {
        let mut stages: Vec<(&str, Vec<&str>)> = Vec::new();
        for paused in &self.services {
            match stages.iter_mut().find(|(stage, _)| *stage == paused.stage) {
                Some((_, processes)) => processes.push(paused.process.as_str()),
                None => stages.push((paused.stage.as_str(), vec![paused.process.as_str()])),
            }
        }
        if stages.is_empty() {
            return "nothing paused".to_owned();
        }
        let parts: Vec<String> = stages
            .iter()
            .map(|(stage, processes)| format!("{} paused {}", and_list(processes), stage_words(stage)))
            .collect();
        parts.join(", ")
    }

    /// "ECS rolls it back at <time>": the earliest deadline ECS gave, with that service's action.
    fn deadline(&self) -> Option<String> {
        let earliest = self
            .services
            .iter()
            .filter_map(|paused| paused.expires_at.as_ref().map(|at| (at, paused.timeout_action)))
            // RFC 3339 times in one offset compare as text; ECS gives them in UTC.
            .min_by(|a, b| a.0.cmp(b.0))?;
        Some(format!("ECS {} at {}", verb(earliest.1), earliest.0))
    }
}

/// ECS's lifecycle stage as words; an unknown stage is named as ECS spells it.
pub fn stage_words(stage: &str) -> String {
    let words = match stage {
        // The test listener already reaches the new revision; production does not yet.
        "PRE_PRODUCTION_TRAFFIC_SHIFT" | "POST_TEST_TRAFFIC_SHIFT" => "before production traffic",
        "PRODUCTION_TRAFFIC_SHIFT" => "while production traffic shifts",
        "POST_PRODUCTION_TRAFFIC_SHIFT" => "after production traffic",
        "TEST_TRAFFIC_SHIFT" => "while test traffic shifts",
        "PRE_SCALE_UP" => "before scaling up",
        "POST_SCALE_UP" => "after scaling up",
        other => return format!("at {other}"),
    };
    words.to_owned()
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    pub(crate) fn paused(process: &str, stage: &str) -> Paused {
        Paused {
            process: process.into(),
            service: format!("acme-shop-api-staging-{process}"),
            stage: stage.into(),
            service_deployment_arn: format!(
                "arn:aws:ecs:us-east-1:123456789012:service-deployment/acme-shop-api-staging/acme-shop-api-staging-{process}/Abc123"
            ),
            expires_at: Some("2026-12-03T05:00:00Z".into()),
            timeout_action: TimeoutAction::Rollback,
        }
    }

    /// `web` paused before production traffic, testable at the test listener.
    pub(crate) fn awaiting() -> AwaitingApproval {
        AwaitingApproval {
            services: vec![paused("web", "PRE_PRODUCTION_TRAFFIC_SHIFT")],
            test_url: Some("https://staging.shop.example.com:8443".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{awaiting, paused};
    use super::*;

    #[test]
    fn one_service_paused_with_its_test_url_and_deadline() {
        assert_eq!(
            awaiting().line(),
            "awaiting approval: web paused before production traffic; test it at https://staging.shop.example.com:8443; \
             ECS rolls it back at 2026-12-03T05:00:00Z; `maestro continue` or `maestro abort`"
        );
    }

    #[test]
    fn services_are_grouped_by_stage_and_the_earliest_deadline_wins() {
        let mut worker = paused("worker", "PRE_PRODUCTION_TRAFFIC_SHIFT");
        worker.expires_at = Some("2026-12-03T04:00:00Z".into());
        worker.timeout_action = TimeoutAction::Continue;
        let mut clock = paused("clock", "POST_SCALE_UP");
        clock.expires_at = None;
        let awaiting = AwaitingApproval {
            services: vec![paused("web", "PRE_PRODUCTION_TRAFFIC_SHIFT"), worker, clock, paused("api", "NEW_STAGE")],
            test_url: None,
        };
        assert_eq!(
            awaiting.line(),
            "awaiting approval: web and worker paused before production traffic, clock paused after scaling up, \
             api paused at NEW_STAGE; ECS continues it at 2026-12-03T04:00:00Z; `maestro continue` or `maestro abort`"
        );
    }

    #[test]
    fn without_a_deadline_or_services_the_line_still_says_what_to_do() {
        let mut quiet = awaiting();
        quiet.services[0].expires_at = None;
        quiet.test_url = None;
        assert_eq!(
            quiet.line(),
            "awaiting approval: web paused before production traffic; `maestro continue` or `maestro abort`"
        );
        let empty = AwaitingApproval { services: vec![], test_url: None };
        assert_eq!(empty.where_paused(), "nothing paused");
    }

    #[test]
    fn text_from_outside_cannot_break_the_line_or_be_a_workflow_command() {
        let mut hostile = awaiting();
        hostile.test_url = Some("https://x.example.com/\n::error::spoof ##[set-output name=status;]success".into());
        hostile.services[0].stage = "X\r\n::add-mask::y".into();
        let line = hostile.line();
        assert!(!line.contains('\n') && !line.contains('\r'), "{line}");
        assert!(!line.contains("##["), "{line}");
        assert!(line.starts_with("awaiting approval: "), "{line}");
    }

    #[test]
    fn it_serialises_with_ecs_words() {
        let json = serde_json::to_value(awaiting()).unwrap();
        assert_eq!(json["services"][0]["timeout_action"], "ROLLBACK");
        assert_eq!(json["services"][0]["stage"], "PRE_PRODUCTION_TRAFFIC_SHIFT");
        assert_eq!(json["test_url"], "https://staging.shop.example.com:8443");
        assert_eq!(serde_json::to_value(TimeoutAction::Continue).unwrap(), "CONTINUE");
        assert_eq!(TimeoutAction::Continue.as_str(), "CONTINUE");
    }

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(&["a"]), "a");
        assert_eq!(and_list(&["a", "b"]), "a and b");
        assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
    }
}
