//! `DEPLOY_WEBHOOK_URL`, called (`GET`) when the deploy has finished, or paused awaiting approval.

use reqwest::Method;

use super::http::{Http, Request};
use super::{Reported, Reporter};
use crate::http::Repeat;
use maestro_core::report::{Context, Event, webhook};
use maestro_core::secret::Secret;

pub(super) struct Webhook {
    /// The URL may hold a token: it is never printed.
    pub(super) template: Secret,
    pub(super) repository_link: String,
    pub(super) context: Context,
}

impl Reporter for Webhook {
    fn name(&self) -> &'static str {
        "the deploy webhook"
    }

    fn on<'a>(&'a mut self, event: &'a Event, http: &'a Http) -> Reported<'a> {
        Box::pin(async move {
            let (template, link) = (self.template.expose(), &self.repository_link);
            let urls = match event {
                Event::Finished(finished) => webhook::urls(template, &self.context, finished, link),
                Event::AwaitingApproval(awaiting) => webhook::urls_awaiting(template, &self.context, awaiting, link),
                _ => return Ok(()),
            };
            for url in urls {
                let request = Request { method: Method::GET, url, headers: Vec::new(), body: None };
                let response = http
                    .send(&request, Repeat::OnlyIfRefused)
                    .await
                    .map_err(|unanswered| format!("call DEPLOY_WEBHOOK_URL: {}", unanswered.0))?;
                if !response.status.is_success() {
                    return Err(format!("call DEPLOY_WEBHOOK_URL: it answered {}", response.status));
                }
            }
            Ok(())
        })
    }
}
