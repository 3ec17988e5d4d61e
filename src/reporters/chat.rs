//! Chat notifications: a Slack incoming webhook, a Teams workflow's webhook and a generic JSON
//! endpoint each get one POST when the deploy ends (and one when it starts with
//! `MAESTRO_NOTIFY_ON_START=true`), built by `core::report::notify`. A message sent twice is
//! two messages, so only refusals are retried; a failure is one warning (the fan-out's).

use reqwest::Method;
use serde_json::Value;

use super::http::{Http, Request};
use super::{Reported, Reporter};
use crate::http::Repeat;
use maestro_core::input::vars as var;
use maestro_core::report::notify::{Moment, Notification, slack, teams};
use maestro_core::report::{Context, Event};
use maestro_core::secret::Secret;

/// Where a notification goes, and so how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Destination {
    Slack,
    Teams,
    Generic,
}

impl Destination {
    pub(super) fn body(self, notification: &Notification) -> Result<Value, serde_json::Error> {
        match self {
            Self::Slack => serde_json::to_value(slack::message(notification)),
            Self::Teams => serde_json::to_value(teams::message(notification)),
            Self::Generic => serde_json::to_value(notification),
        }
    }
}

pub(super) struct Chat {
    pub(super) destination: Destination,
    /// The webhook's URL is its credential: never printed, masked on GitHub.
    pub(super) url: Secret,
    pub(super) on_start: bool,
    pub(super) context: Context,
}

impl Reporter for Chat {
    fn name(&self) -> &'static str {
        match self.destination {
            Destination::Slack => "Slack",
            Destination::Teams => "Teams",
            Destination::Generic => var::MAESTRO_NOTIFY_URL,
        }
    }

    fn on<'a>(&'a mut self, event: &'a Event, http: &'a Http) -> Reported<'a> {
        Box::pin(async move {
            let Some(notification) = Notification::of(&self.context, event) else { return Ok(()) };
            if notification.event == Moment::Started && !self.on_start {
                return Ok(());
            }
            let body = self.destination.body(&notification).map_err(|error| format!("write the message: {error}"))?;
            // `json` sets `content-type: application/json`.
            let request = Request {
                method: Method::POST,
                url: self.url.expose().to_owned(),
                headers: Vec::new(),
                body: Some(body),
            };
            let response = http
                .send(&request, Repeat::OnlyIfRefused)
                .await
                .map_err(|unanswered| format!("post the notification: {}", unanswered.0))?;
            if !response.status.is_success() {
                // The answer's text, never the URL: Slack answers `invalid_token` and the like.
                return Err(format!("post the notification: it answered {}: {}", response.status, response.message()));
            }
            Ok(())
        })
    }
}
