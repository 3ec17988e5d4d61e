//! The few questions `init` asks on a terminal, as values: each with its default (Enter takes
//! it) and its check, the parsers the deploy uses, so an answer that would fail later is refused
//! now. The binary only prints the prompt and reads the line.

use super::{CiKind, DeployRoles, Draft};
use crate::input::Location;
use crate::spec::process_list;
use crate::types::{Invalid, Region, RepoSlug};

/// What a question asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Ci,
    Repository,
    Region,
    Role,
    Processes,
}

/// One question: its prompt, and the answer Enter gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub topic: Topic,
    pub prompt: &'static str,
    pub default: Option<String>,
    /// The region's partition, for a role given as an account id.
    partition: &'static str,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Ci(CiKind),
    Repository(RepoSlug),
    Region(Region),
    Role(DeployRoles),
    Processes(String),
}

/// The region proposed when nothing names one.
const DEFAULT_REGION: &str = "us-east-1";
/// The processes line proposed for an app without a Procfile: one `web` task.
const DEFAULT_PROCESSES: &str = "web:1";

impl Question {
    /// The prompt with its default in brackets, as the terminal shows it.
    pub fn line(&self) -> String {
        match &self.default {
            Some(default) => format!("{} [{default}]: ", self.prompt),
            None => format!("{}: ", self.prompt),
        }
    }

    /// The answer to `text` (Enter alone: the default), or why it is refused.
    pub fn answer(&self, text: &str) -> Result<Answer, Invalid> {
        let text = match (text.trim(), &self.default) {
            ("", Some(default)) => default.as_str(),
            ("", None) => {
                return Err(Invalid {
                    message: "an answer is needed".to_owned(),
                    hint: "type it, then Enter".to_owned(),
                });
            }
            (text, _) => text,
        };
        match self.topic {
            Topic::Ci => CiKind::parse(text)
                .map(Answer::Ci)
                .map_err(|invalid| invalid.with_hint("type `github`, `gitlab` or `codebuild`")),
            Topic::Repository => RepoSlug::parse(text).map(Answer::Repository),
            Topic::Region => Region::parse(text).map(Answer::Region),
            Topic::Role => DeployRoles::parse(text, self.partition).map(Answer::Role),
            Topic::Processes => process_list::parse(Location::described("the processes line"), text)
                .map(|_| Answer::Processes(text.to_owned()))
                .map_err(|error| Invalid { message: error.message, hint: error.hint }),
        }
    }
}

impl Draft {
    /// The questions for this draft, in order: the CI, the repository when nothing names it,
    /// the region, the deploy role, and the processes line when the app has no Procfile.
    pub fn questions(&self) -> Vec<Question> {
        let partition = self.region.as_ref().map_or("aws", Region::partition);
        let question = |topic, prompt, default: Option<String>| Question { topic, prompt, default, partition };
        let mut questions =
            vec![question(Topic::Ci, "CI (github, gitlab, codebuild)", self.ci.map(|ci| ci.name().to_owned()))];
        if self.repository.is_none() {
            questions.push(question(Topic::Repository, "Repository (owner/name)", None));
        }
        let region = self.region.as_ref().map_or(DEFAULT_REGION.to_owned(), ToString::to_string);
        questions.push(question(Topic::Region, "AWS region", Some(region)));
        let role = self.roles.as_ref().map(|roles| roles.production.to_string());
        questions.push(question(Topic::Role, "Deploy role ARN, or the AWS account id", role));
        if !self.procfile {
            let processes = self.processes.clone().unwrap_or_else(|| DEFAULT_PROCESSES.to_owned());
            questions.push(question(
                Topic::Processes,
                "Processes (no Procfile here), e.g. web{1024;2048}:2-5",
                Some(processes),
            ));
        }
        questions
    }

    /// The question about `topic` as the draft stands now (the role's default partition follows
    /// the region answered before it).
    pub fn question(&self, topic: Topic) -> Option<Question> {
        self.questions().into_iter().find(|question| question.topic == topic)
    }

    /// The draft with `answer` taken.
    pub fn apply(&mut self, answer: Answer) {
        match answer {
            Answer::Ci(ci) => self.ci = Some(ci),
            Answer::Repository(repository) => self.repository = Some(repository),
            Answer::Region(region) => self.region = Some(region),
            Answer::Role(roles) => self.roles = Some(roles),
            Answer::Processes(processes) => self.processes = Some(processes),
        }
    }
}
