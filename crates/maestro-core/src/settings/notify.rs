//! Chat notifications (`MAESTRO_SLACK_WEBHOOK_URL`, `MAESTRO_TEAMS_WEBHOOK_URL`,
//! `MAESTRO_NOTIFY_URL`): where the deploy's start and end are posted. A webhook's URL is its
//! credential (whoever holds it may post), so each is a `Secret` from the moment it is read.

use super::reader::Reader;
use crate::input::vars as var;
use crate::secret::Secret;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NotifySettings {
    /// A Slack incoming webhook (`https://hooks.slack.com/services/…`).
    pub slack: Option<Secret>,
    /// A Teams workflow's "When a Teams webhook request is received" URL.
    pub teams: Option<Secret>,
    /// Any endpoint that takes the notification's JSON (docs/notify.schema.json).
    pub generic: Option<Secret>,
    /// Also post when the deploy starts (`MAESTRO_NOTIFY_ON_START`); by default only its end.
    pub on_start: bool,
}

impl NotifySettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        let mut url = |name: &str, example: &str| {
            read.checked(
                name,
                is_webhook_url,
                "an https URL",
                &format!("paste the whole webhook URL, e.g. `{example}` (http only to 127.0.0.1 or localhost)"),
            )
            .map(Secret::new)
        };
        let slack = url(var::MAESTRO_SLACK_WEBHOOK_URL, "https://hooks.slack.com/services/T…/B…/…");
        let teams = url(var::MAESTRO_TEAMS_WEBHOOK_URL, "https://prod-00.westus.logic.azure.com/workflows/…");
        let generic = url(var::MAESTRO_NOTIFY_URL, "https://deploys.example.com/maestro");
        let on_start = read.boolean(var::MAESTRO_NOTIFY_ON_START);
        Self { slack, teams, generic, on_start }
    }

    /// Whether any destination is set.
    pub fn any(&self) -> bool {
        self.slack.is_some() || self.teams.is_some() || self.generic.is_some()
    }
}

/// `https://`, or plain `http://` to this machine only (a loopback server in tests, a local
/// relay): a webhook's URL is a credential, never sent in clear over a network.
pub(super) fn is_webhook_url(value: &str) -> bool {
    if let Some(rest) = value.strip_prefix("https://") {
        return !host(rest).is_empty();
    }
    let Some(rest) = value.strip_prefix("http://") else { return false };
    let host = host(rest);
    let host = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !name.ends_with(':') { name } else { host }
    });
    matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The authority of a URL without its scheme: up to the first `/`, `?` or `#`; a user part
/// (`user@`) is kept, so `http://localhost@evil.example` is not loopback.
fn host(rest: &str) -> &str {
    rest.split(['/', '?', '#']).next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_and_http_only_to_loopback() {
        for good in [
            "https://hooks.slack.com/services/T0/B0/x",
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://[::1]:9/x",
        ] {
            assert!(is_webhook_url(good), "{good}");
        }
        for bad in [
            "http://hooks.slack.com/services/T0/B0/x",
            "hooks.slack.com/services",
            "https://",
            "ftp://127.0.0.1/x",
            "http://localhost@evil.example/x",
            "http://127.0.0.1.evil.example/x",
            "http://10.0.0.1/x",
        ] {
            assert!(!is_webhook_url(bad), "{bad}");
        }
    }
}
