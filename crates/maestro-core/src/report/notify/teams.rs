//! Microsoft Teams through a Workflows (Power Automate) webhook: the "Post card in a chat or
//! channel" flow takes a message whose attachment is an Adaptive Card
//! (https://learn.microsoft.com/en-us/power-automate/teams/overview-adaptive-cards,
//! https://adaptivecards.io/explorer/). Office 365 connectors' MessageCard is retired, so it is
//! not sent. Version 1.4 is what Teams renders everywhere. Teams has no mention without an
//! explicit `msteams.entities`, which is never sent, and renders no HTML; it does render
//! Markdown links in text blocks and facts, so text from outside cannot form one (`plain`).

use serde::Serialize;

use super::{Notification, Outcome};
use crate::text::truncate;

pub const CONTENT_TYPE: &str = "application/vnd.microsoft.card.adaptive";
pub const VERSION: &str = "1.4";
const CARD_SCHEMA: &str = "http://adaptivecards.io/schemas/adaptive-card.json";
/// A long reason is cut: the card stays readable, and the run's log has all of it.
const REASON_LIMIT: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub content_type: &'static str,
    /// Always null: the card is inline (the documented webhook example sends the field).
    pub content_url: Option<String>,
    pub content: Card,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Card {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub version: &'static str,
    pub body: Vec<Element>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Element {
    TextBlock {
        text: String,
        wrap: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        weight: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        size: Option<&'static str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        color: Option<&'static str>,
    },
    FactSet {
        facts: Vec<Fact>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub title: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Action {
    #[serde(rename = "Action.OpenUrl")]
    OpenUrl { title: &'static str, url: String },
}

fn fact(title: &str, value: &str) -> Fact {
    Fact { title: title.to_owned(), value: plain(value) }
}

/// Text from outside (an author, a branch, a reason) with Markdown's link syntax broken: Teams
/// documents no escape, and `[text](url)` would show as a link to anywhere.
pub fn plain(text: &str) -> String {
    text.replace("](", "] (")
}

pub fn message(notification: &Notification) -> Message {
    let color = match notification.outcome {
        Outcome::Success => "Good",
        Outcome::Failed | Outcome::RolledBack => "Attention",
        Outcome::AwaitingApproval | Outcome::Superseded => "Warning",
        Outcome::InProgress => "Accent",
    };
    let mut body = vec![Element::TextBlock {
        text: format!("{} {}", notification.emoji(), plain(&notification.headline())),
        wrap: true,
        weight: Some("Bolder"),
        size: Some("Medium"),
        color: Some(color),
    }];
    let commit = &notification.commit;
    let mut facts = vec![fact("Environment", &notification.environment), fact("Commit", &commit.short_sha)];
    if let Some(branch) = &commit.branch {
        facts.push(fact("Branch", branch));
    }
    if let Some(author) = &commit.author {
        facts.push(fact("Author", author));
    }
    facts.push(fact("Outcome", notification.outcome.words()));
    if let Some(duration) = notification.duration() {
        facts.push(fact("Duration", &duration));
    }
    if let Some(url) = &notification.url {
        facts.push(fact("URL", url));
    }
    body.push(Element::FactSet { facts });
    let mut reasons: Vec<String> = notification.reason.iter().cloned().collect();
    reasons.extend(notification.service_reasons().into_iter().map(|(service, reason)| format!("{service}: {reason}")));
    if !reasons.is_empty() {
        body.push(Element::TextBlock {
            text: truncate(&plain(&reasons.join("\n\n")), REASON_LIMIT),
            wrap: true,
            weight: None,
            size: None,
            color: Some("Attention"),
        });
    }
    let mut actions = Vec::new();
    if let Some(url) = &notification.url {
        actions.push(Action::OpenUrl { title: "Open the app", url: url.clone() });
    }
    if let Some(run_url) = &notification.run_url {
        actions.push(Action::OpenUrl { title: "The run's log", url: run_url.clone() });
    }
    let card = Card { schema: CARD_SCHEMA, kind: "AdaptiveCard", version: VERSION, body, actions };
    Message {
        kind: "message",
        attachments: vec![Attachment { content_type: CONTENT_TYPE, content_url: None, content: card }],
    }
}
