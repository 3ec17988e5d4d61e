//! The CI's own files: step outputs and the job summary on GitHub, the dotenv report on GitLab.

use std::io::Write;

use super::http::Http;
use super::{Reported, Reporter};
use crate::workflow;
use maestro_core::ci::Ci;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::report::{AwaitingApproval, Context, Event, Supersession, dotenv, summary};
use maestro_core::rollout::approval::STATUS;

pub(super) struct CiFiles {
    pub(super) env: Env,
    pub(super) context: Context,
    pub(super) dotenv_file: String,
}

impl Reporter for CiFiles {
    fn name(&self) -> &'static str {
        "the CI's files"
    }

    fn on<'a>(&'a mut self, event: &'a Event, _http: &'a Http) -> Reported<'a> {
        Box::pin(async move {
            let finished = match event {
                Event::Finished(finished) => finished,
                Event::Superseded(by) => return self.superseded(by),
                Event::AwaitingApproval(awaiting) => return self.awaiting(awaiting),
                Event::Tested(tested) => return self.tested(tested),
                _ => return Ok(()),
            };
            let image_uri = finished.image.as_ref().map(|image| image.uri.clone()).unwrap_or_default();
            let image_digest = finished.image.as_ref().map(|image| image.digest.clone()).unwrap_or_default();
            let url = finished.url.clone().unwrap_or_default();
            match self.context.request.ci {
                Ci::Github => {
                    let arns: serde_json::Map<String, serde_json::Value> = finished
                        .task_definitions
                        .iter()
                        .map(|deployed| (deployed.process.clone(), serde_json::Value::from(deployed.arn.clone())))
                        .collect();
                    let arns = serde_json::Value::Object(arns).to_string();
                    let outputs = [
                        ("status", finished.status()),
                        ("deployment-url", url.as_str()),
                        ("image-uri", image_uri.as_str()),
                        ("image-digest", image_digest.as_str()),
                        ("task-definition-arns", arns.as_str()),
                    ];
                    workflow::set_outputs(&self.env, &outputs).map_err(|failure| failure.message)?;
                    if let Some(path) = self.env.get(var::GITHUB_STEP_SUMMARY) {
                        append(path, &summary::markdown(&self.context, finished))?;
                    }
                    Ok(())
                }
                Ci::Gitlab => {
                    let pairs = [
                        (var::MAESTRO_STATUS, finished.status()),
                        (var::MAESTRO_ENVIRONMENT_URL, url.as_str()),
                        (var::MAESTRO_IMAGE_URI, image_uri.as_str()),
                        (var::MAESTRO_IMAGE_DIGEST, image_digest.as_str()),
                    ];
                    let (text, warnings) = dotenv::render(&pairs);
                    for warning in warnings {
                        tracing::warn!("{warning}");
                    }
                    std::fs::write(&self.dotenv_file, text)
                        .map_err(|error| format!("write {}: {error}", self.dotenv_file))
                }
                Ci::Codebuild | Ci::Local => Ok(()),
            }
        })
    }
}

impl CiFiles {
    /// A deploy superseded while it waited: the `status` output (GitLab: MAESTRO_STATUS) is
    /// `superseded`, for a workflow's later steps, and the job summary says by what.
    fn superseded(&self, by: &Supersession) -> Result<(), String> {
        match self.context.request.ci {
            Ci::Github => {
                workflow::set_outputs(&self.env, &[("status", "superseded")]).map_err(|failure| failure.message)?;
                if let Some(path) = self.env.get(var::GITHUB_STEP_SUMMARY) {
                    append(path, &summary::superseded(&self.context, by))?;
                }
                Ok(())
            }
            Ci::Gitlab => {
                let (text, _) = dotenv::render(&[(var::MAESTRO_STATUS, "superseded")]);
                std::fs::write(&self.dotenv_file, text).map_err(|error| format!("write {}: {error}", self.dotenv_file))
            }
            Ci::Codebuild | Ci::Local => Ok(()),
        }
    }
}

impl CiFiles {
    /// A deploy ECS paused at its approval hook: `status` (GitLab: `MAESTRO_STATUS`) is
    /// `awaiting-approval` and `test-url` (`MAESTRO_TEST_URL`) is where the new revision answers,
    /// so a later step or job can test it; the job summary says how to end the deploy. On GitLab,
    /// `MAESTRO_ENVIRONMENT_URL` is not written: the test URL is not the environment's address,
    /// and production still reaches the live revision (docs/approval.md).
    fn awaiting(&self, awaiting: &AwaitingApproval) -> Result<(), String> {
        let test_url = awaiting.test_url.as_deref().unwrap_or_default();
        match self.context.request.ci {
            Ci::Github => {
                workflow::set_outputs(&self.env, &[("status", STATUS), ("test-url", test_url)])
                    .map_err(|failure| failure.message)?;
                if let Some(path) = self.env.get(var::GITHUB_STEP_SUMMARY) {
                    append(path, &summary::awaiting_approval(&self.context, awaiting))?;
                }
                Ok(())
            }
            Ci::Gitlab => {
                let (text, warnings) =
                    dotenv::render(&[(var::MAESTRO_STATUS, STATUS), (var::MAESTRO_TEST_URL, test_url)]);
                for warning in warnings {
                    tracing::warn!("{warning}");
                }
                std::fs::write(&self.dotenv_file, text).map_err(|error| format!("write {}: {error}", self.dotenv_file))
            }
            Ci::Codebuild | Ci::Local => Ok(()),
        }
    }
}

impl CiFiles {
    /// The test phase's section of GitHub's job summary: its outcome and the output's tail.
    fn tested(&self, tested: &maestro_core::test_phase::outcome::Tested) -> Result<(), String> {
        match (self.context.request.ci, self.env.get(var::GITHUB_STEP_SUMMARY)) {
            (Ci::Github, Some(path)) => append(path, &tested.markdown()),
            _ => Ok(()),
        }
    }
}

pub(super) fn append(path: &str, text: &str) -> Result<(), String> {
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .map_err(|error| format!("write the job summary to {path}: {error}"))
}
