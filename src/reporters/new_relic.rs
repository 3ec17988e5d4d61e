//! New Relic: one deployment marker when a deploy rolled something out.

use reqwest::Method;

use super::http::{Http, Request};
use super::{Reported, Reporter};
use crate::http::Repeat;
use maestro_core::report::new_relic::{MarkerInput, Target, graphql_error, marker};
use maestro_core::report::{Context, Event};
use maestro_core::secret::Secret;

pub(super) struct NewRelic {
    pub(super) api: String,
    pub(super) api_key: Secret,
    pub(super) target: Target,
    pub(super) description_format: Option<String>,
    pub(super) context: Context,
}

impl Reporter for NewRelic {
    fn name(&self) -> &'static str {
        "New Relic"
    }

    fn on<'a>(&'a mut self, event: &'a Event, http: &'a Http) -> Reported<'a> {
        Box::pin(async move {
            let Event::Finished(finished) = event else { return Ok(()) };
            if !finished.succeeded || !finished.deployed_something() {
                return Ok(());
            }
            let input = MarkerInput {
                target: &self.target,
                base: &self.api,
                description_format: self.description_format.as_deref(),
                now_millis: crate::clock::unix_millis(),
            };
            let marker = marker(&self.context, finished, &input);
            let request = Request {
                method: Method::POST,
                url: marker.url,
                headers: vec![("api-key", self.api_key.expose().to_owned())],
                body: Some(marker.body),
            };
            // A marker sent twice is two markers: only refusals are retried.
            let response = http
                .send(&request, Repeat::OnlyIfRefused)
                .await
                .map_err(|unanswered| format!("record the deployment marker: {}", unanswered.0))?;
            if !response.status.is_success() {
                return Err(format!(
                    "record the deployment marker: New Relic answered {}: {}",
                    response.status,
                    response.message()
                ));
            }
            match graphql_error(&response.json()) {
                Some(error) => Err(format!("record the deployment marker: {error}")),
                None => {
                    tracing::info!("New Relic deployment marker recorded");
                    Ok(())
                }
            }
        })
    }
}
