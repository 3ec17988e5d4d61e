//! The pull request's comment about its preview: one per preview, created once and then edited,
//! saying where the preview answers, which commit it runs and how it is. A hidden marker line
//! (`<!-- maestro:preview <environment key> -->`) finds it again, so two apps of one repository
//! keep a comment each. Everything in it that is not maestro's own words is escaped.

use std::fmt::Write;

use serde_json::Value;

use super::Context;
use crate::preview::{self, Preview};
use crate::request::DeployRequest;
use crate::settings::Settings;
use crate::text::{markdown, truncate};

/// GitHub's page size for a list, the most it gives.
pub const PAGE: usize = 100;

/// What the reporters know of a run's preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedPreview {
    /// The pull request's number.
    pub number: u64,
    /// `https://pr-<n>.<domain>` (plain HTTP without the previews' certificate).
    pub url: Option<String>,
    /// The environment's key, `<app slug>-pr-<n>`: the marker's value.
    pub key: String,
}

impl ReportedPreview {
    /// The preview `request` deploys, if it is one (`preview::Preview::of`); inputs that make it
    /// bad input never get this far.
    pub fn of(request: &DeployRequest, settings: &Settings) -> Option<Self> {
        let found = Preview::of(request, settings).ok().flatten()?;
        Some(Self { number: found.number, url: preview::url(found.number, settings), key: request.environment_key() })
    }

    /// The comment's first line. The key is a slug; anything else is dropped, so it can never
    /// close the HTML comment.
    pub fn marker(&self) -> String {
        let key: String =
            self.key.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
        format!("<!-- maestro:preview {key} -->")
    }

    /// Whether a comment's body is this preview's comment: its first line is the marker.
    pub fn is_comment(&self, body: &str) -> bool {
        body.lines().next().map(str::trim_end) == Some(self.marker().as_str())
    }

    /// Whether a listed comment (`GET …/issues/{n}/comments`) is this preview's, as maestro
    /// wrote it: the marker, from a bot (the job's token, a GitHub App) or someone with write
    /// access (a personal token). Anyone may post the marker; maestro editing such a comment
    /// would put the preview's URL under a stranger's name, who could change it afterwards.
    pub fn is_ours(&self, comment: &Value) -> bool {
        let trusted = comment.pointer("/user/type").and_then(Value::as_str) == Some("Bot")
            || matches!(
                comment.get("author_association").and_then(Value::as_str),
                Some("OWNER" | "MEMBER" | "COLLABORATOR")
            );
        trusted && comment.get("body").and_then(Value::as_str).is_some_and(|body| self.is_comment(body))
    }
}

/// How the preview is, as the comment says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State<'a> {
    /// A run began deploying the commit.
    Deploying,
    Live,
    /// The deploy failed, with why in one line.
    Failed(Option<&'a str>),
    /// `maestro destroy` deleted it.
    Removed,
}

/// The comment's Markdown.
pub fn body(context: &Context, preview: &ReportedPreview, state: State) -> String {
    let environment = format!("pr-{}", preview.number);
    let commit = format!("`{}`", markdown::inline(&context.request.short_sha));
    // Its host is checked (`settings::previews`), so it is linked as it is; anything else, as text.
    let url = preview.url.as_deref().map(|url| if is_plain_link(url) { url.to_owned() } else { markdown::inline(url) });
    let mut out = format!("{}\n", preview.marker());
    let _ = match (state, &url) {
        (State::Deploying, Some(url)) => {
            writeln!(out, "⏳ **Preview `{environment}`** is deploying {commit}; it will answer at {url}")
        }
        (State::Deploying, None) => writeln!(out, "⏳ **Preview `{environment}`** is deploying {commit}"),
        (State::Live, Some(url)) => writeln!(out, "✅ **Preview `{environment}`** is live at {url}"),
        (State::Live, None) => writeln!(out, "✅ **Preview `{environment}`** is live"),
        (State::Failed(_), _) => writeln!(out, "❌ **Preview `{environment}`** did not deploy {commit}"),
        (State::Removed, _) => writeln!(out, "**Preview `{environment}`** is removed: its AWS resources are deleted"),
    };
    out.push('\n');
    let mut facts = Vec::new();
    match state {
        State::Live => facts.push(format!("Commit {commit}")),
        State::Failed(Some(why)) => facts.push(format!("Why: {}", markdown::inline(&truncate(why, 300)))),
        State::Failed(None) | State::Deploying | State::Removed => {}
    }
    if let State::Failed(_) = state
        && let Some(url) = &url
    {
        facts.push(format!("What ran before, if anything, still answers at {url}"));
    }
    if state == State::Removed {
        facts.push("The next deploy of this pull request brings it back".to_owned());
    }
    if let Some(run_url) = context.request.run_url.as_deref().filter(|url| is_plain_link(url)) {
        facts.push(format!("[The run's log]({run_url})"));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    out.push_str("<sub>maestro edits this comment on each deploy of the pull request.</sub>\n");
    out
}

/// A link target Markdown takes as it is: an http(s) URL without spaces, brackets or quotes.
fn is_plain_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || "()<>[]\"'`".contains(c))
}

#[cfg(test)]
#[path = "preview_comment_tests.rs"]
mod tests;
