//! Slack's incoming webhook (https://api.slack.com/messaging/webhooks): `text`, the line
//! notifications and screen readers use, and Block Kit `blocks`
//! (https://api.slack.com/reference/block-kit/blocks): a section with the headline and fields,
//! a section with the reason when there is one, and a context with the branch and links.
//! Every value from outside is escaped as Slack asks (`&`, `<`, `>`), so none can mention a
//! channel or forge a link (https://api.slack.com/reference/surfaces/formatting#escaping).

use serde::Serialize;

use super::Notification;
use crate::text::truncate;

/// Slack's limits: a section's text 3000 characters, a field's 2000.
const TEXT_LIMIT: usize = 3000;
const FIELD_LIMIT: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Message {
    pub text: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    Section {
        text: Text,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        fields: Vec<Text>,
    },
    Context {
        elements: Vec<Text>,
    },
}

/// A composition object of type `mrkdwn`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Text {
    Mrkdwn { text: String },
}

fn mrkdwn(text: String, limit: usize) -> Text {
    Text::Mrkdwn { text: truncate(&text, limit) }
}

/// Text from outside as Slack shows it literally.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A link: `<url|label>`, the URL escaped like text (Slack decodes it).
fn link(url: &str, label: &str) -> String {
    format!("<{}|{}>", escape(url), escape(label))
}

pub fn message(notification: &Notification) -> Message {
    let headline = format!("{} {}", notification.emoji(), escape(&notification.headline()));
    let mut fields = vec![
        format!("*Commit*\n`{}`{}", escape(&notification.commit.short_sha), by(notification)),
        format!("*Outcome*\n{}", notification.outcome.words()),
    ];
    if let Some(duration) = notification.duration() {
        fields.push(format!("*Duration*\n{duration}"));
    }
    if let Some(url) = &notification.url {
        fields.push(format!("*URL*\n{}", link(url, url)));
    }
    let mut blocks = vec![Block::Section {
        text: mrkdwn(format!("*{headline}*"), TEXT_LIMIT),
        fields: fields.into_iter().map(|field| mrkdwn(field, FIELD_LIMIT)).collect(),
    }];
    let mut reasons: Vec<String> = notification.reason.iter().map(|reason| escape(reason)).collect();
    reasons.extend(
        notification
            .service_reasons()
            .into_iter()
            .map(|(service, reason)| format!("• `{}`: {}", escape(service), escape(reason))),
    );
    if !reasons.is_empty() {
        blocks.push(Block::Section {
            text: mrkdwn(format!("*Reason*\n{}", reasons.join("\n")), TEXT_LIMIT),
            fields: vec![],
        });
    }
    let mut context = Vec::new();
    if let Some(branch) = &notification.commit.branch {
        context.push(mrkdwn(format!("`{}` on `{}`", escape(&notification.repository), escape(branch)), FIELD_LIMIT));
    }
    if let Some(run_url) = &notification.run_url {
        context.push(mrkdwn(link(run_url, "The run's log"), FIELD_LIMIT));
    }
    if !context.is_empty() {
        blocks.push(Block::Context { elements: context });
    }
    let mut text = format!("{} {}", notification.emoji(), notification.headline());
    if let Some(reason) = &notification.reason {
        text.push_str(&format!(": {reason}"));
    }
    Message { text: truncate(&escape(&text), TEXT_LIMIT), blocks }
}

/// " by <author>", or nothing.
fn by(notification: &Notification) -> String {
    notification.commit.author.as_deref().map(|author| format!(" by {}", escape(author))).unwrap_or_default()
}
