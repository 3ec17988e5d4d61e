//! New Relic deployment markers: one per deploy. NerdGraph's change tracking when an entity GUID
//! is given; the REST v2 endpoint (the original's contract) when only an application id is.
//!
//! Values are sent as JSON strings once: the original passed them through `jq -Rs` first and
//! sent literal quotes and `\n` sequences.

use serde_json::{Value, json};

use super::{Context, Finished};
use crate::text::truncate;

pub const US: &str = "https://api.newrelic.com";
pub const EU: &str = "https://api.eu.newrelic.com";

const MUTATION: &str = "mutation($deployment: ChangeTrackingDeploymentInput!) { changeTrackingCreateDeployment(deployment: $deployment) { deploymentId entityGuid } }";

/// Where the marker goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Entity(String),
    Application(String),
}

/// One HTTP call: `POST <url>` with a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub url: String,
    pub body: Value,
}

pub struct MarkerInput<'a> {
    pub target: &'a Target,
    /// The API's base URL (US, EU, or an override).
    pub base: &'a str,
    /// `NEW_RELIC_DESCRIPTION`, a git pretty-format string.
    pub description_format: Option<&'a str>,
    pub now_millis: u64,
}

pub fn marker(context: &Context, finished: &Finished, input: &MarkerInput<'_>) -> Marker {
    let request = &context.request;
    let base = input.base.trim_end_matches('/');
    let description = match input.description_format {
        Some(format) => pretty_format(format, context),
        None => format!("maestro deployed {} to {}", request.short_sha, context.environment),
    };
    let changelog =
        request.commit_message.clone().unwrap_or_else(|| format!("{} at {}", request.repository, request.sha));
    let user = request.commit_author.clone().or_else(|| request.actor.clone()).unwrap_or_else(|| "maestro".to_owned());
    let version = finished
        .image
        .as_ref()
        .map_or_else(|| request.short_sha.clone(), |image| image.uri.rsplit(':').next().unwrap_or_default().to_owned());
    match input.target {
        Target::Entity(guid) => {
            let mut deployment = json!({
                "entityGuid": guid,
                "version": version,
                "changelog": truncate(&changelog, 65_535),
                "commit": request.sha,
                "description": truncate(&description, 65_535),
                "user": user,
                "deploymentType": "ROLLING",
                "timestamp": input.now_millis,
            });
            if let Some(run_url) = &request.run_url {
                deployment["deepLink"] = json!(run_url);
            }
            if let Some(run_id) = &request.run_id {
                deployment["groupId"] = json!(run_id);
            }
            Marker {
                url: format!("{base}/graphql"),
                body: json!({ "query": MUTATION, "variables": { "deployment": deployment } }),
            }
        }
        Target::Application(id) => Marker {
            url: format!("{base}/v2/applications/{id}/deployments.json"),
            body: json!({
                "deployment": {
                    "revision": truncate(&version, 127),
                    "changelog": truncate(&changelog, 65_535),
                    "description": truncate(&description, 65_535),
                    "user": truncate(&user, 31),
                    "timestamp": iso8601(input.now_millis / 1000),
                }
            }),
        },
    }
}

/// GraphQL answers errors with HTTP 200: the body says whether the mutation worked.
pub fn graphql_error(body: &Value) -> Option<String> {
    let errors = body.get("errors").and_then(Value::as_array).filter(|errors| !errors.is_empty())?;
    let messages: Vec<&str> = errors.iter().filter_map(|error| error.get("message").and_then(Value::as_str)).collect();
    Some(if messages.is_empty() { "NerdGraph returned errors".to_owned() } else { messages.join("; ") })
}

/// The placeholders of git's pretty format that maestro knows without git: `%H`, `%h`, `%s`,
/// `%b`, `%B`, `%an`, `%n`, `%%`. Others are kept as written.
pub fn pretty_format(format: &str, context: &Context) -> String {
    let request = &context.request;
    let message = request.commit_message.clone().unwrap_or_default();
    let (subject, body) = message
        .split_once('\n')
        .map_or((message.as_str(), ""), |(subject, body)| (subject, body.trim_start_matches('\n')));
    let author = request.commit_author.clone().or_else(|| request.actor.clone()).unwrap_or_default();
    let mut out = String::new();
    let mut rest = format;
    while let Some(index) = rest.find('%') {
        out.push_str(&rest[..index]);
        rest = &rest[index..];
        let (replacement, length) = if rest.starts_with("%an") {
            (author.as_str(), 3)
        } else {
            match rest.as_bytes().get(1) {
                Some(b'H') => (request.sha.as_str(), 2),
                Some(b'h') => (request.short_sha.as_str(), 2),
                Some(b's') => (subject, 2),
                Some(b'b') => (body, 2),
                Some(b'B') => (message.as_str(), 2),
                Some(b'n') => ("\n", 2),
                Some(b'%') => ("%", 2),
                _ => (&rest[..1], 1),
            }
        };
        out.push_str(replacement);
        rest = &rest[length..];
    }
    out.push_str(rest);
    out
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time.
pub fn iso8601(seconds: u64) -> String {
    let (year, month, day) = crate::text::civil_date::civil_date(seconds / 86_400);
    let time = seconds % 86_400;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", time / 3600, time % 3600 / 60, time % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{context, finished};

    #[test]
    fn nerdgraph_marker_for_an_entity() {
        let input = MarkerInput {
            target: &Target::Entity("MXxBUE18QVBQTElDQVRJT058MQ".into()),
            base: EU,
            description_format: None,
            now_millis: 1_795_000_000_123,
        };
        let marker = marker(&context(None), &finished(true), &input);
        assert_eq!(marker.url, "https://api.eu.newrelic.com/graphql");
        assert_eq!(marker.body["query"], MUTATION);
        assert_eq!(
            marker.body["variables"]["deployment"],
            json!({
                "entityGuid": "MXxBUE18QVBQTElDQVRJT058MQ",
                "version": "ffeeddcc",
                "changelog": "Add the \"cart\" page\n\nWith tests.",
                "commit": "ffeeddccbbaa00998877665544332211ffeeddcc",
                "description": "maestro deployed ffeeddcc to staging",
                "user": "Mona Lisa",
                "deploymentType": "ROLLING",
                "timestamp": 1_795_000_000_123_u64,
                "deepLink": "https://github.com/acme/shop-api/actions/runs/4242",
                "groupId": "4242",
            })
        );
    }

    #[test]
    fn rest_v2_marker_is_encoded_once() {
        let format = "The author of %h was %an%nThe title was >>%s<< (100%%, %x)";
        let input = MarkerInput {
            target: &Target::Application("123456".into()),
            base: US,
            description_format: Some(format),
            now_millis: 1_795_000_000_999,
        };
        let marker = marker(&context(None), &finished(true), &input);
        assert_eq!(marker.url, "https://api.newrelic.com/v2/applications/123456/deployments.json");
        assert_eq!(
            marker.body,
            json!({"deployment": {
                "revision": "ffeeddcc",
                "changelog": "Add the \"cart\" page\n\nWith tests.",
                "description": "The author of ffeeddcc was Mona Lisa\nThe title was >>Add the \"cart\" page<< (100%, %x)",
                "user": "Mona Lisa",
                "timestamp": "2026-11-18T11:06:40Z",
            }})
        );
    }

    #[test]
    fn graphql_errors_are_found_in_a_200_body() {
        assert_eq!(graphql_error(&json!({"data": {"changeTrackingCreateDeployment": {"deploymentId": "x"}}})), None);
        assert_eq!(
            graphql_error(&json!({"errors": [{"message": "Invalid entityGuid"}]})).as_deref(),
            Some("Invalid entityGuid")
        );
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_795_000_000), "2026-11-18T11:06:40Z");
    }

    #[test]
    fn timestamps_across_months_leap_years_and_centuries() {
        // Checked against Python's `datetime.fromtimestamp(t, UTC)`.
        let cases = [
            (1, "1970-01-01T00:00:01Z"),
            (5_101_323, "1970-03-01T01:02:03Z"),
            (68_255_999, "1972-02-29T23:59:59Z"),
            (946_684_799, "1999-12-31T23:59:59Z"),
            (946_684_800, "2000-01-01T00:00:00Z"),
            (951_912_000, "2000-03-01T12:00:00Z"),
            (983_366_055, "2001-02-28T13:14:15Z"),
            (1_709_186_828, "2024-02-29T06:07:08Z"),
            (1_714_472_430, "2024-04-30T10:20:30Z"),
            (1_717_113_600, "2024-05-31T00:00:00Z"),
            (1_717_200_000, "2024-06-01T00:00:00Z"),
            (1_722_384_000, "2024-07-31T00:00:00Z"),
            (1_722_470_400, "2024-08-01T00:00:00Z"),
            (1_727_654_400, "2024-09-30T00:00:00Z"),
            (1_730_332_800, "2024-10-31T00:00:00Z"),
            (1_732_924_800, "2024-11-30T00:00:00Z"),
            (1_769_817_600, "2026-01-31T00:00:00Z"),
            (4_107_456_000, "2100-02-28T00:00:00Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (13_574_596_149, "2400-02-29T09:09:09Z"),
            (253_402_300_799, "9999-12-31T23:59:59Z"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(iso8601(seconds), expected, "{seconds}");
        }
    }

    #[test]
    fn every_known_placeholder_and_the_unknown_ones_kept() {
        let format = "%H|%h|%s|%b|%B|%an|%n|%%|%x|%a|%";
        assert_eq!(
            pretty_format(format, &context(None)),
            "ffeeddccbbaa00998877665544332211ffeeddcc|ffeeddcc|Add the \"cart\" page|With tests.|Add the \"cart\" page\n\nWith tests.|Mona Lisa|\n|%|%x|%a|%"
        );
        let mut bare = context(None);
        bare.request.commit_message = Some("One line".into());
        bare.request.commit_author = None;
        assert_eq!(pretty_format("[%s][%b][%an]", &bare), "[One line][][octocat]");
        bare.request.commit_message = None;
        bare.request.actor = None;
        assert_eq!(pretty_format("[%s][%b][%B][%an]", &bare), "[][][][]");
    }

    #[test]
    fn a_marker_without_message_author_image_or_run() {
        let mut context = context(None);
        let request = &mut context.request;
        (request.commit_message, request.commit_author, request.run_url, request.run_id) = (None, None, None, None);
        let mut finished = finished(true);
        finished.image = None;
        let input =
            |target| MarkerInput { target, base: "https://nr.example/", description_format: None, now_millis: 5_000 };
        let entity = Target::Entity("GUID".into());
        let marker = marker(&context, &finished, &input(&entity));
        assert_eq!(marker.url, "https://nr.example/graphql");
        assert_eq!(
            marker.body["variables"]["deployment"],
            json!({
                "entityGuid": "GUID",
                "version": "ffeeddcc",
                "changelog": "acme/shop-api at ffeeddccbbaa00998877665544332211ffeeddcc",
                "commit": "ffeeddccbbaa00998877665544332211ffeeddcc",
                "description": "maestro deployed ffeeddcc to staging",
                "user": "octocat",
                "deploymentType": "ROLLING",
                "timestamp": 5_000,
            })
        );
        context.request.actor = None;
        let application = Target::Application("7".into());
        let rest = super::marker(&context, &finished, &input(&application));
        assert_eq!(rest.url, "https://nr.example/v2/applications/7/deployments.json");
        assert_eq!(rest.body["deployment"]["user"], "maestro");
        assert_eq!(rest.body["deployment"]["timestamp"], "1970-01-01T00:00:05Z");
    }

    #[test]
    fn rest_v2_fields_are_cut_to_the_apis_limits() {
        let mut context = context(None);
        context.request.commit_author = Some("a".repeat(40));
        let input =
            MarkerInput { target: &Target::Application("7".into()), base: US, description_format: None, now_millis: 0 };
        let marker = marker(&context, &finished(true), &input);
        assert_eq!(marker.body["deployment"]["user"], format!("{}…", "a".repeat(30)));
    }

    #[test]
    fn graphql_errors_without_messages_are_still_errors() {
        assert_eq!(graphql_error(&json!({"errors": []})), None);
        assert_eq!(graphql_error(&json!({"errors": [{"path": ["x"]}]})).as_deref(), Some("NerdGraph returned errors"));
        assert_eq!(
            graphql_error(&json!({"errors": [{"message": "one"}, {"code": 2}, {"message": "two"}]})).as_deref(),
            Some("one; two")
        );
    }
}
