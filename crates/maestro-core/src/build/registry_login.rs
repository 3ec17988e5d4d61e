//! Registry credentials: which ones a registry gets, the Docker config pack reads them from, and
//! the registry's `WWW-Authenticate` challenge.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::env::Env;
use crate::input::vars as var;
use crate::secret::Secret;

#[derive(Debug, Clone, PartialEq)]
pub struct Login {
    pub username: String,
    pub password: Secret,
    /// Where the credentials came from, for messages (never the values).
    pub source: String,
}

/// The credentials for a registry other than ECR (ECR logs in through its API): maestro's own
/// variables, else what the CI provides for its registry. `None` leaves pack to its own Docker
/// configuration (a `docker login` made before maestro runs), or anonymous access.
pub fn login_for(own: Option<&(String, Secret)>, env: &Env, host: &str) -> Option<Login> {
    let login = |username: &str, password: &str, source: String| Login {
        username: username.to_owned(),
        password: Secret::new(password),
        source,
    };
    if let Some((username, password)) = own {
        return Some(login(
            username,
            password.expose(),
            format!("{} and {}", var::MAESTRO_REGISTRY_USERNAME, var::MAESTRO_REGISTRY_PASSWORD),
        ));
    }
    // GITHUB_TOKEN's value comes from the action's `github-token` input first, as for reporting.
    if host == "ghcr.io"
        && let Some(token) = env.get(var::GITHUB_TOKEN)
    {
        // GHCR checks the token, not the user name; the actor is what `docker login` would send.
        return Some(login(env.get(var::GITHUB_ACTOR).unwrap_or("maestro"), token, var::GITHUB_TOKEN.to_owned()));
    }
    if env.get(var::CI_REGISTRY) == Some(host)
        && let (Some(username), Some(password)) = (env.get(var::CI_REGISTRY_USER), env.get(var::CI_REGISTRY_PASSWORD))
    {
        return Some(login(username, password, format!("{} and {}", var::CI_REGISTRY_USER, var::CI_REGISTRY_PASSWORD)));
    }
    None
}

/// A Docker `config.json` holding one registry's credentials, for pack's private `DOCKER_CONFIG`.
pub fn docker_config(host: &str, login: &Login) -> Secret {
    let auth = STANDARD.encode(format!("{}:{}", login.username, login.password.expose()));
    Secret::new(serde_json::json!({ "auths": { host: { "auth": auth } } }).to_string())
}

/// A registry's answer to an unauthenticated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    Basic,
    /// The token flow: ask `realm` for a token for `service` and `scope`.
    Bearer {
        realm: String,
        service: Option<String>,
        scope: Option<String>,
    },
}

/// Parses `WWW-Authenticate: Bearer realm="…",service="…",scope="…"` (or `Basic …`).
pub fn challenge(header: &str) -> Option<Challenge> {
    let header = header.trim();
    let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut realm = None;
    let mut service = None;
    let mut scope = None;
    let mut rest = rest.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let (value, remaining) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"')?;
            (&quoted[..end], quoted[end + 1..].trim_start().trim_start_matches(','))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim(), after[end..].trim_start_matches(','))
        };
        match key.as_str() {
            "realm" => realm = Some(value.to_owned()),
            "service" => service = Some(value.to_owned()),
            "scope" => scope = Some(value.to_owned()),
            _ => {}
        }
        rest = remaining.trim();
    }
    Some(Challenge::Bearer { realm: realm?, service, scope })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maestro_variables_then_the_ci_registry() {
        let env = Env::from_process([
            ("GITHUB_TOKEN", "ghs_secret"),
            ("GITHUB_ACTOR", "octocat"),
            ("CI_REGISTRY", "registry.gitlab.com"),
            ("CI_REGISTRY_USER", "gitlab-ci-token"),
            ("CI_REGISTRY_PASSWORD", "glcbt-secret"),
        ]);
        let ghcr = login_for(None, &env, "ghcr.io").unwrap();
        assert_eq!(
            (ghcr.username.as_str(), ghcr.password.expose(), ghcr.source.as_str()),
            ("octocat", "ghs_secret", "GITHUB_TOKEN")
        );
        let gitlab = login_for(None, &env, "registry.gitlab.com").unwrap();
        assert_eq!((gitlab.username.as_str(), gitlab.password.expose()), ("gitlab-ci-token", "glcbt-secret"));
        assert_eq!(login_for(None, &env, "registry.example.com"), None);
        let own = ("me".to_owned(), Secret::new("pw"));
        assert_eq!(login_for(Some(&own), &env, "ghcr.io").unwrap().username, "me");
        // The action's `github-token` input beats the job's GITHUB_TOKEN, as everywhere.
        let input = Env::from_process([("GITHUB_TOKEN", "ghs_job"), ("MAESTRO_INPUT_GITHUB_TOKEN", "ghs_input")]);
        assert_eq!(login_for(None, &input, "ghcr.io").unwrap().password.expose(), "ghs_input");
    }

    #[test]
    fn docker_config_holds_basic_credentials_for_the_host() {
        let login = Login { username: "AWS".into(), password: Secret::new("tok"), source: String::new() };
        let config: serde_json::Value =
            serde_json::from_str(docker_config("1.dkr.ecr.x.amazonaws.com", &login).expose()).unwrap();
        assert_eq!(config["auths"]["1.dkr.ecr.x.amazonaws.com"]["auth"], STANDARD.encode("AWS:tok"));
    }

    #[test]
    fn challenges_of_real_registries() {
        assert_eq!(
            challenge(r#"Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/shop:pull""#),
            Some(Challenge::Bearer {
                realm: "https://ghcr.io/token".into(),
                service: Some("ghcr.io".into()),
                scope: Some("repository:acme/shop:pull".into())
            })
        );
        assert_eq!(
            challenge(r#"bearer realm="https://gitlab.com/jwt/auth", service="container_registry""#),
            Some(Challenge::Bearer {
                realm: "https://gitlab.com/jwt/auth".into(),
                service: Some("container_registry".into()),
                scope: None
            })
        );
        assert_eq!(challenge(r#"Basic realm="Registry Realm""#), Some(Challenge::Basic));
        assert_eq!(challenge("Bearer service=x"), None);
        assert_eq!(challenge("Negotiate"), None);
    }
}
