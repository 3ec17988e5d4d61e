//! The buildpacks' build-time variables: the app's secret, as pack reads an env file.
//!
//! pack reads `--env-file` line by line: each line is trimmed, and `NAME=value` splits at the
//! first `=`, so a value may hold spaces and `=` but not a line break or trailing whitespace.
//! A line with a bare `NAME` takes the value from pack's own environment: that is how values pack
//! could not read from a line (PEM keys, multi-line JSON) still reach the build intact. The
//! original split the secret on whitespace, kept fragments and printed the rest.

use serde_json::{Map, Value};

use crate::input::vars as var;
use crate::secret::Secret;

/// What a build gets: the env file's text, the values passed through pack's environment, and
/// every value, so the caller can mask and redact them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BuildEnv {
    /// The env file's text; it holds secret values, so it is written only to a private file.
    pub file: Secret,
    /// Variables whose values cannot be written as a line: set in pack's environment instead.
    pub passed: Vec<(String, Secret)>,
    /// The names of the variables the build gets, in order.
    pub names: Vec<String>,
    /// Every value, for masking in CI logs and redacting pack's output.
    pub values: Vec<Secret>,
    /// Keys that could not be passed on, and why (never their values).
    pub warnings: Vec<String>,
}

/// AWS credentials, for the build only when the user opts in (`MAESTRO_BUILD_AWS_CREDENTIALS`).
#[derive(Debug, Clone, PartialEq)]
pub struct AwsKeys {
    pub access_key_id: Secret,
    pub secret_access_key: Secret,
    pub session_token: Option<Secret>,
}

/// Whether pack itself, the Docker client inside it, Go's runtime or libc reads `name` from its
/// own environment. A secret's value set there under its own name would reconfigure pack: a
/// `HTTPS_PROXY` would route registry pushes (and their credentials) through a proxy of the
/// secret editor's choosing, an `LD_PRELOAD` would load code into pack. Such keys reach the
/// build only as env-file lines, never through pack's environment.
pub fn read_by_pack(name: &str) -> bool {
    const NAMES: &[&str] = &[var::PATH, var::HOME, var::TMPDIR, var::USER];
    const PREFIXES: &[&str] =
        &[var::SSL_PREFIX, var::LD_PREFIX, var::DOCKER_PREFIX, var::PACK_PREFIX, var::GO_PREFIX, var::XDG_PREFIX];
    NAMES.contains(&name)
        || PREFIXES.iter().any(|prefix| name.starts_with(prefix))
        || name.to_ascii_uppercase().ends_with(var::PROXY_SUFFIX)
}

/// The variables of `secret` (a JSON object, as ECS reads it), only the keys in `only` when given
/// (`MAESTRO_BUILD_SECRET_KEYS`), and, if given, the AWS keys.
pub fn build_env(
    secret_name: &str,
    secret: &Map<String, Value>,
    only: Option<&[String]>,
    aws: Option<&AwsKeys>,
) -> BuildEnv {
    let mut env = BuildEnv::default();
    if let Some(only) = only {
        for key in only.iter().filter(|key| !secret.contains_key(key.as_str())) {
            env.warnings.push(format!(
                "{} lists `{key}`, but secret {secret_name} has no such key",
                var::MAESTRO_BUILD_SECRET_KEYS
            ));
        }
    }
    let mut file = String::new();
    let mut add = |name: &str, value: String, env: &mut BuildEnv| {
        if !is_variable_name(name) {
            env.warnings.push(format!(
                "key `{name}` of secret {secret_name} is not a variable name; the build does not get it"
            ));
            return;
        }
        if value.contains('\0') {
            env.warnings.push(format!(
                "the value of `{name}` in secret {secret_name} holds a NUL character; the build does not get it"
            ));
            return;
        }
        if value.contains('\n') || value.trim_end() != value {
            if read_by_pack(name) {
                env.warnings.push(format!(
                    "`{name}` in secret {secret_name} has a multi-line or space-padded value, which only pack's own \
                     environment could carry, and pack, Docker, Go or libc read that name themselves; the build does \
                     not get it (rename the key, or trim its value)"
                ));
                return;
            }
            file.push_str(name);
            env.passed.push((name.to_owned(), Secret::new(value.clone())));
        } else {
            file.push_str(&format!("{name}={value}"));
        }
        file.push('\n');
        env.names.push(name.to_owned());
        env.values.push(Secret::new(value));
    };
    let wanted = |name: &str| only.is_none_or(|only| only.iter().any(|key| key == name));
    for (name, value) in secret.iter().filter(|(name, _)| wanted(name)) {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Null => String::new(),
            // ECS hands non-string JSON values to containers as their JSON text; so does the build.
            other => other.to_string(),
        };
        add(name, text, &mut env);
    }
    if let Some(keys) = aws {
        add(var::AWS_ACCESS_KEY_ID, keys.access_key_id.expose().to_owned(), &mut env);
        add(var::AWS_SECRET_ACCESS_KEY, keys.secret_access_key.expose().to_owned(), &mut env);
        if let Some(token) = &keys.session_token {
            add(var::AWS_SESSION_TOKEN, token.expose().to_owned(), &mut env);
        }
    }
    env.file = Secret::new(file);
    env
}

/// A POSIX shell variable name: what pack's env file and a process environment can carry.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// pack's reading of an env file, given its environment: what the build would see. The tests'
/// oracle for `build_env`; maestro itself never reads the file back.
#[cfg(test)]
fn read_as_pack(file: &str, pack_env: &[(String, Secret)]) -> Vec<(String, String)> {
    file.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => {
                let value = pack_env.iter().find(|(name, _)| name == line).map(|(_, value)| value.expose().to_owned());
                (line.to_owned(), value.unwrap_or_default())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----\n";

    fn secret(json: &str) -> Map<String, Value> {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn values_reach_the_build_exactly_as_stored() {
        let json = serde_json::json!({
            "GREETING": "hello big world",
            "DATABASE_URL": "postgres://u:p@db/x?sslmode=require&a=b",
            "PRIVATE_KEY": PEM,
            "PADDED": "value  ",
            "PORT": 3000,
            "DEBUG": false,
            "lower_case": "kept",
            "EMPTY": "",
        });
        let env = build_env("main/acme-shop", json.as_object().unwrap(), None, None);
        let seen = read_as_pack(env.file.expose(), &env.passed);
        let expected: Vec<(String, String)> = [
            ("DATABASE_URL", "postgres://u:p@db/x?sslmode=require&a=b"),
            ("DEBUG", "false"),
            ("EMPTY", ""),
            ("GREETING", "hello big world"),
            ("PADDED", "value  "),
            ("PORT", "3000"),
            ("PRIVATE_KEY", PEM),
            ("lower_case", "kept"),
        ]
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(sorted, expected);
        // Multi-line and padded values are never written to the file.
        assert!(!env.file.expose().contains("BEGIN KEY") && !env.file.expose().contains("value  "));
        assert_eq!(env.passed.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(), ["PRIVATE_KEY", "PADDED"]);
        assert!(env.warnings.is_empty());
        assert_eq!(env.values.len(), 8);
    }

    #[test]
    fn keys_that_cannot_be_variables_are_skipped_with_a_warning_that_shows_no_value() {
        let env = build_env(
            "s",
            &secret(r#"{"1ABC": "v1-secret", "MY-KEY": "v2-secret", "HOME": "a\nb-secret", "OK": "x"}"#),
            None,
            None,
        );
        assert_eq!(env.names, ["OK"]);
        assert_eq!(env.warnings.len(), 3, "{:?}", env.warnings);
        assert!(env.warnings.iter().all(|warning| !warning.contains("-secret")));
    }

    #[test]
    fn aws_credentials_only_when_given() {
        let without = build_env("s", &secret(r#"{"A": "1"}"#), None, None);
        assert!(!without.file.expose().contains("AWS_"));
        let keys = AwsKeys {
            access_key_id: Secret::new("ASIAEXAMPLE"),
            secret_access_key: Secret::new("wJalr/secret"),
            session_token: Some(Secret::new("FwoG+token=")),
        };
        let with = build_env("s", &secret(r#"{"A": "1"}"#), None, Some(&keys));
        assert_eq!(with.names, ["A", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]);
        assert!(with.file.expose().contains("AWS_SESSION_TOKEN=FwoG+token=\n"));
    }

    /// M5: a padded or multi-line value under a name pack, Go, Docker or libc reads never reaches
    /// pack's environment. (Before, only 8 exact names were refused: `HTTPS_PROXY="http://x "`
    /// reached pack's own environment.)
    #[test]
    fn names_pack_reads_never_reach_its_environment() {
        let refused = [
            "HTTPS_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "NO_PROXY",
            "SSL_CERT_FILE",
            "LD_PRELOAD",
            "DOCKER_CONTEXT",
            "PACK_HOME",
            "GOFLAGS",
            "GODEBUG",
            "XDG_CONFIG_HOME",
            "TMPDIR",
            "HOME",
            "PATH",
            "USER",
        ];
        let mut json = Map::new();
        for name in refused {
            json.insert(name.to_owned(), Value::String("http://127.0.0.1:9 ".to_owned()));
        }
        json.insert("PEM".to_owned(), Value::String(PEM.to_owned()));
        json.insert("GREETING_PROXY_FREE".to_owned(), Value::String("padded ".to_owned()));
        json.insert("HTTPS_PROXY_ONE_LINE".to_owned(), Value::String("x".to_owned()));
        let env = build_env("s", &json, None, None);
        let passed: Vec<&str> = env.passed.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(passed, ["PEM", "GREETING_PROXY_FREE"]);
        assert_eq!(env.warnings.len(), refused.len(), "{:?}", env.warnings);
        for name in refused {
            assert!(env.warnings.iter().any(|warning| warning.starts_with(&format!("`{name}`"))), "{name} warned");
            assert!(!env.names.iter().any(|seen| seen == name), "{name} not given to the build");
        }
        assert!(env.warnings.iter().all(|warning| !warning.contains("127.0.0.1")), "no value in a warning");
        // A single-line value of such a name is a line of the env file: the buildpacks see it,
        // pack's own process does not.
        let line = build_env("s", &secret(r#"{"HTTPS_PROXY": "http://proxy:3128"}"#), None, None);
        assert!(line.passed.is_empty() && line.file.expose() == "HTTPS_PROXY=http://proxy:3128\n");
    }

    #[test]
    fn an_allow_list_gives_the_build_only_its_keys() {
        let only = ["NPM_TOKEN".to_owned(), "MISSING".to_owned()];
        let env = build_env(
            "main/shop",
            &secret(r#"{"NPM_TOKEN": "npm-1", "DATABASE_URL": "postgres://secret", "PEM": "a\nb"}"#),
            Some(&only),
            None,
        );
        assert_eq!(env.names, ["NPM_TOKEN"]);
        assert_eq!(env.file.expose(), "NPM_TOKEN=npm-1\n");
        assert!(env.passed.is_empty());
        assert_eq!(env.values.iter().map(Secret::expose).collect::<Vec<_>>(), ["npm-1"]);
        assert_eq!(env.warnings, ["MAESTRO_BUILD_SECRET_KEYS lists `MISSING`, but secret main/shop has no such key"]);
    }
}
