//! `maestro releases`: the environment's release records (`maestro_core::history`), newest first,
//! the current one marked. Reads only, so no lease: a deploy recording meanwhile only adds a
//! version the next run shows.

use serde::Serialize;

use super::prepare;
use crate::aws::calls::CallLog;
use crate::cli::ReleasesArgs;
use crate::engine::history;
use crate::error::Error;
use crate::output::Report;
use maestro_core::env::Env;
use maestro_core::history::{Numbered, Outcome, Skipped, current, parameter, when};
use maestro_core::text::workflow_command::inert;

/// The releases listed, newest first.
#[derive(Serialize)]
pub(super) struct Releases {
    /// The SSM parameter holding them.
    parameter: String,
    /// The current release's number: the newest that succeeded.
    current: Option<u64>,
    releases: Vec<Listed>,
    /// Versions of the parameter that are no release this maestro reads.
    skipped: Vec<Skipped>,
    /// The repository and branch, for people.
    #[serde(skip)]
    environment: String,
}

#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    release: Numbered,
    current: bool,
}

pub(super) async fn run(args: &ReleasesArgs, env: Env) -> Result<Releases, Error> {
    let inputs = prepare::validate(&args.app, env)?;
    let log = CallLog::default();
    let to = inputs.connect(&log).await?;
    let request = &to.desired.request;
    let (releases, skipped) = history::releases(&to.session, request).await?;
    let current = current(&releases);
    let releases = releases
        .into_iter()
        .take(usize::from(args.limit))
        .map(|release| Listed { current: Some(release.number) == current, release })
        .collect();
    let environment = format!("{} @ {}", request.repository, request.branch.as_deref().unwrap_or("default"));
    Ok(Releases { parameter: parameter(request), current, releases, skipped, environment })
}

impl Report for Releases {
    fn human(&self) -> String {
        if self.releases.is_empty() {
            return format!(
                "no releases of {} yet ({}): each deploy that changes something records one\n",
                self.environment, self.parameter
            );
        }
        let mut text = format!("releases of {} ({}), newest first; * current:\n", self.environment, self.parameter);
        text.push_str(&format!(
            "  {:>5}  {:<20}  {:<15}  {:<8}  {:<9}  {}\n",
            "#", "when", "kind", "commit", "outcome", "who"
        ));
        for listed in &self.releases {
            let release = &listed.release.release;
            let kind = release.kind.label();
            let outcome = match &release.outcome {
                Outcome::Succeeded => "succeeded",
                Outcome::Failed { .. } => "failed",
            };
            let commit: String = release.commit.chars().take(8).collect();
            // What the parameter holds is relayed text: it never becomes a CI command.
            let who = inert(release.who.as_deref().unwrap_or("-"));
            let mark = if listed.current { "*" } else { " " };
            text.push_str(&format!(
                "{mark} {:>5}  {:<20}  {kind:<15}  {commit:<8}  {outcome:<9}  {who}\n",
                listed.release.number,
                when(release.time),
            ));
            if let Outcome::Failed { reason } = &release.outcome {
                text.push_str(&format!("         {}\n", inert(reason)));
            }
        }
        text
    }
}
