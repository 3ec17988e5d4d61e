//! Where and how the deploy is reported: New Relic, GitHub, GitLab, the CI's files. The code
//! hosts' tokens and API addresses are found here, so the reporters only receive values.

use super::reader::Reader;
use crate::input::vars as var;
use crate::report::new_relic;
use crate::secret::Secret;

/// GitHub's API, unless `GITHUB_API_URL` names a GitHub Enterprise one.
const GITHUB_API: &str = "https://api.github.com";

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewRelicSettings {
    pub api_key: Option<Secret>,
    pub app_id: Option<String>,
    /// The entity to mark through NerdGraph; it beats `app_id` (REST v2).
    pub entity_guid: Option<String>,
    /// The API's base URL: US, EU, or `NEW_RELIC_API_URL`.
    pub api_url: String,
    pub description: Option<String>,
}

impl NewRelicSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        let api_key = read.text(var::NEW_RELIC_API_KEY).map(Secret::new);
        let app_id = read.checked(
            var::NEW_RELIC_APP_ID,
            |id| id.chars().all(|c| c.is_ascii_digit()),
            "a New Relic application id",
            "use the numeric id from the APM application's URL, e.g. `123456789`",
        );
        let entity_guid = read.checked(
            var::NEW_RELIC_ENTITY_GUID,
            |guid| guid.len() <= 255 && guid.chars().all(|c| c.is_ascii_alphanumeric() || "=-_".contains(c)),
            "a New Relic entity GUID",
            "copy the GUID from the entity's metadata in New Relic, e.g. `MXxBUE18QVBQTElDQVRJT058MTIz`",
        );
        let url = read.checked(
            var::NEW_RELIC_API_URL,
            super::is_http_url,
            "an http(s) URL",
            "give the API's base URL, e.g. `https://api.newrelic.com`",
        );
        let region = read.choice(var::NEW_RELIC_REGION, &["US", "EU"]);
        let api_url = match (url, region) {
            (Some(url), _) => url,
            (None, Some("EU")) => new_relic::EU.to_owned(),
            (None, _) => new_relic::US.to_owned(),
        };
        let description = read.env.get(var::NEW_RELIC_DESCRIPTION).map(str::to_owned);
        Self { api_key, app_id, entity_guid, api_url, description }
    }
}

/// Where and how the deploy is reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportSettings {
    /// The environment's name on GitHub and GitLab (`MAESTRO_ENVIRONMENT`); the branch when unset.
    pub environment: Option<String>,
    /// `MAESTRO_GITHUB_TOKEN`, else `GITHUB_TOKEN` (which the action's `github-token` input sets).
    pub github_token: Option<Secret>,
    /// GitHub's REST API (`GITHUB_API_URL` on GitHub Enterprise).
    pub github_api: String,
    /// `MAESTRO_GITLAB_TOKEN`, else `GITLAB_TOKEN`.
    pub gitlab_token: Option<Secret>,
    /// GitLab's REST API (`CI_API_V4_URL`), known inside a GitLab job only.
    pub gitlab_api: Option<String>,
    /// The GitLab project's id (`CI_PROJECT_ID`); its path works too.
    pub gitlab_project_id: Option<String>,
    /// The GitLab pipeline statuses are attached to (`CI_PIPELINE_ID`).
    pub gitlab_pipeline_id: Option<String>,
    /// GitLab's dotenv report.
    pub dotenv_file: String,
    /// Seconds one call to a code host or New Relic may take.
    pub timeout: u32,
}

impl ReportSettings {
    pub(super) fn read(read: &mut Reader<'_>) -> Self {
        let environment = read.checked(
            var::MAESTRO_ENVIRONMENT,
            |name| name.len() <= 255 && !name.chars().any(char::is_control),
            "an environment name",
            "name the environment as GitHub and GitLab should show it, e.g. `staging`",
        );
        let env = read.env;
        let github_token = read.text(var::MAESTRO_GITHUB_TOKEN).map(Secret::new);
        let gitlab_token = read.text(var::MAESTRO_GITLAB_TOKEN).map(Secret::new);
        let dotenv_file = read.text(var::MAESTRO_DOTENV_FILE).unwrap_or_else(|| "maestro-deploy.env".to_owned());
        let timeout = read.integer(var::MAESTRO_REPORT_TIMEOUT, 1..=300, "seconds").unwrap_or(10);
        Self {
            environment,
            github_token: github_token.or_else(|| env.get(var::GITHUB_TOKEN).map(Secret::new)),
            github_api: env.get(var::GITHUB_API_URL).unwrap_or(GITHUB_API).to_owned(),
            gitlab_token: gitlab_token.or_else(|| env.get(var::GITLAB_TOKEN).map(Secret::new)),
            gitlab_api: env.get(var::CI_API_V4_URL).map(str::to_owned),
            gitlab_project_id: env.get(var::CI_PROJECT_ID).map(str::to_owned),
            gitlab_pipeline_id: env.get(var::CI_PIPELINE_ID).map(str::to_owned),
            dotenv_file,
            timeout,
        }
    }
}
