//! maestro's other settings kept in the app's secret, as the bash maestro's users kept them.
//!
//! The bash maestro exported every key of the app's secret into its own environment before it
//! deployed, so a key named after one of its settings (`ECS_SERVICE_TASK_PROCESSES`, `ALB_SCHEME`,
//! `NEW_RELIC_API_KEY`, …) quietly configured the deploy. maestro takes only `PORT` from the secret
//! (`secret_port`): the app itself listens on the secret's `PORT` at runtime, so the load balancer
//! must follow it. Every other setting is read from variables only, and a secret that sets one is
//! said out loud instead of silently ignored (docs/migrating.md#settings-kept-in-the-app-secret):
//! - the secret is read once AWS is reached, after every input was checked and the plan made:
//!   `maestro plan --offline` and the input checks (exit 2 before any AWS call) could not see a
//!   setting that lives there, and the deploy would do something no reviewed file says;
//! - where the deploy goes (the branch, the repository, the secret's name) names the secret
//!   itself, and the credentials are needed to read it: it cannot come from the secret;
//! - a secret's values are never printed, so a plan built from them could not show them.
//!
//! Values are compared, never shown: a key that agrees with its variable says nothing.

use crate::env::Env;
use crate::input::vars::{self as var, MAESTRO};

/// The warnings for the secret `secret`'s keys (`(key, value)`) that name maestro's settings,
/// except `PORT` (`secret_port` judges it), read against the variables in `env`.
pub fn judge<'a>(env: &Env, secret: &str, keys: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut settings: Vec<(&str, &str)> = keys
        .into_iter()
        .filter(|(key, _)| *key != var::PORT && MAESTRO.iter().any(|variable| variable.name == *key))
        // `AWS_REGION`, `AWS_ACCOUNT_ID`…: the SDK's names, which an app keeps in its secret for
        // its own calls; the deploy's come from the CI, and the account from the credentials.
        .filter(|(key, _)| !key.starts_with(var::AWS_PREFIX))
        .collect();
    settings.sort_unstable();
    settings
        .into_iter()
        .filter_map(|(key, value)| match env.get(key) {
            Some(set) if set.trim() == value.trim() => None,
            Some(_) => Some(format!(
                "`{key}` is set as a variable ({}) and secret {secret} sets it to another value: maestro uses the \
                 variable (the bash maestro let the secret's win); make them agree, or remove the key from the secret",
                env.location(key)
            )),
            None if value.trim().is_empty() => None,
            None => Some(format!(
                "secret {secret} sets `{key}`, which the bash maestro read as a setting; maestro reads it only as a \
                 variable, so it is not used: set `{key}` as a variable (docs/migrating.md#settings-kept-in-the-app-secret)"
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_only_the_secret_sets_is_named_not_used() {
        let warnings = judge(&Env::default(), "staging/shop", [("ECS_SERVICE_TASK_PROCESSES", "web:3-9,worker:2")]);
        assert_eq!(
            warnings,
            ["secret staging/shop sets `ECS_SERVICE_TASK_PROCESSES`, which the bash maestro read as a setting; \
              maestro reads it only as a variable, so it is not used: set `ECS_SERVICE_TASK_PROCESSES` as a \
              variable (docs/migrating.md#settings-kept-in-the-app-secret)"]
        );
        assert!(!warnings[0].contains("web:3-9"), "a secret's value is never shown");
    }

    #[test]
    fn a_variable_that_disagrees_wins_with_a_warning_and_one_that_agrees_says_nothing() {
        let env = Env::from_process([("ALB_SCHEME", "internal"), ("NEW_RELIC_APP_ID", "42")]);
        let warnings = judge(&env, "staging/shop", [("ALB_SCHEME", "internet-facing"), ("NEW_RELIC_APP_ID", " 42 ")]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].starts_with("`ALB_SCHEME` is set as a variable (ALB_SCHEME) and secret staging/shop sets it")
        );
        assert!(!warnings[0].contains("internet-facing"), "a secret's value is never shown");
    }

    #[test]
    fn the_apps_own_keys_port_and_empty_values_say_nothing() {
        let keys = [
            ("DATABASE_URL", "postgres://x"),
            ("PORT", "8080"),
            ("TZ", "UTC"),
            ("MAESTRO_NO_CACHE", ""),
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ACCOUNT_ID", "123456789012"),
        ];
        assert_eq!(judge(&Env::default(), "staging/shop", keys), Vec::<String>::new());
    }
}
