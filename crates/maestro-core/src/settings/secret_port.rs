//! `PORT` kept in the app's secret, as the bash maestro's users keep it.
//!
//! The bash maestro exported every key of the app's secret before it deployed, so teams kept
//! `PORT` there (maestro_infra made it mandatory). maestro reads its settings from variables only;
//! left at that, a secret's `PORT=8080` with no variable gave a target group and a container port
//! of 3000 while the app listened on 8080 (original-compat I-1). So the secret's `PORT` counts
//! when no variable sets one (with a notice, since the value comes from a place maestro does not
//! otherwise read settings from), and a variable that disagrees with the secret wins with a
//! warning: the app itself gets the secret's value at runtime, so the two must agree.
//!
//! The secret is read only once AWS is reached, after the plan was made from the variables: the
//! binary re-plans with [`SecretPort::port`] when it is `Some` (the plan is pure and cheap, and
//! every name, check and task definition then follows one port), rather than patching the plan's
//! port fields one by one.

use crate::env::Env;
use crate::input::vars as var;

/// What the secret's `PORT` means for this run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretPort {
    /// The port to plan with instead of the variables' (`None`: keep the plan).
    pub port: Option<u16>,
    /// Said once, as information.
    pub notice: Option<String>,
    /// Said as a warning: the variable and the secret disagree, or the secret's value is no port.
    pub warning: Option<String>,
}

/// Judges the secret `secret`'s `PORT` value (`None`: the secret or its key is absent) against
/// the variables in `env` and the port the plan was made with.
pub fn judge(env: &Env, planned: u16, secret: &str, value: Option<&str>) -> SecretPort {
    let Some(value) = value.map(str::trim).filter(|value| !value.is_empty()) else {
        return SecretPort::default();
    };
    let Some(port) = value.parse::<u16>().ok().filter(|port| *port > 0) else {
        return SecretPort {
            warning: Some(format!(
                "secret {secret} sets `{}` to a value that is not a port number; maestro plans with port {planned}",
                var::PORT
            )),
            ..SecretPort::default()
        };
    };
    match env.get(var::PORT) {
        None if port == planned => SecretPort::default(),
        None => SecretPort {
            port: Some(port),
            notice: Some(format!(
                "`{}` is {port}, from secret {secret} (no variable sets it); set `{}={port}` as a variable to say so",
                var::PORT,
                var::PORT
            )),
            warning: None,
        },
        Some(_) if port == planned => SecretPort::default(),
        Some(_) => SecretPort {
            warning: Some(format!(
                "`{}` is {planned} as a variable ({}), but secret {secret} sets it to {port}, which the app gets at \
                 runtime: the load balancer checks {planned}; make them agree",
                var::PORT,
                env.location(var::PORT)
            )),
            ..SecretPort::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_counts_when_no_variable_sets_the_port() {
        let judged = judge(&Env::default(), 3000, "staging/shop", Some("8080"));
        assert_eq!(judged.port, Some(8080));
        assert!(judged.notice.unwrap().contains("from secret staging/shop"));
        assert_eq!(judged.warning, None);
        // The same port as planned, no secret, or no key: nothing to say.
        assert_eq!(judge(&Env::default(), 3000, "s", Some("3000")), SecretPort::default());
        assert_eq!(judge(&Env::default(), 3000, "s", None), SecretPort::default());
    }

    #[test]
    fn a_variable_that_disagrees_wins_with_a_warning() {
        let env = Env::from_process([("PORT", "3000")]);
        let judged = judge(&env, 3000, "staging/shop", Some("8080"));
        assert_eq!(judged.port, None);
        assert!(judged.warning.unwrap().contains("secret staging/shop sets it to 8080"));
        assert_eq!(judge(&env, 3000, "s", Some("3000")), SecretPort::default());
    }

    #[test]
    fn a_value_that_is_no_port_is_a_warning() {
        let judged = judge(&Env::default(), 3000, "s", Some("eighty"));
        assert_eq!(judged.port, None);
        assert!(judged.warning.unwrap().contains("not a port number"));
        assert_eq!(judge(&Env::default(), 3000, "s", Some("0")).port, None);
    }
}
