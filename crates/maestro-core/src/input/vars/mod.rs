//! Every environment variable maestro reads, and the few it writes, in one place (as uv's
//! `uv-static` keeps its own): maestro's settings, the CI's facts, the AWS SDK's and the system's.
//! No other file spells a variable's name; `tests/it/variable_names.rs` checks that.
//!
//! maestro's own names are the bash maestro's, so its users switch without renaming anything.
//! [`MAESTRO`] lists them: `docs/inputs.md` documents each one (a test checks that none is
//! missing), and most are inputs of the GitHub Action too (`scripts/action-inputs.py` writes
//! `action.yml` from this file).

/// A variable maestro reads, as the documentation and the GitHub Action know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variable {
    pub name: &'static str,
    /// `docs/inputs.md` documents it (maestro's own settings); the CI's and the SDK's variables
    /// are documented by their owners.
    pub documented: bool,
    /// The GitHub Action's input that sets it (`with: role-to-assume: …`), if the action has one.
    /// The action passes it as [`ACTION_INPUT_PREFIX`]`<NAME>`; see `Env::from_process`.
    pub action_input: Option<&'static str>,
}

/// One of maestro's settings, set by an input of the GitHub Action too.
const fn input(name: &'static str, action_input: &'static str) -> Variable {
    Variable { name, documented: true, action_input: Some(action_input) }
}

/// One of maestro's settings that the GitHub Action does not expose.
const fn setting(name: &'static str) -> Variable {
    Variable { name, documented: true, action_input: None }
}

/// Someone else's variable (the CI's, the SDK's, the system's).
const fn foreign(name: &'static str) -> Variable {
    Variable { name, documented: false, action_input: None }
}

mod ci;
mod maestro;
mod system;

pub use ci::*;
pub use maestro::*;
pub use system::*;

/// How the GitHub Action passes its inputs: `MAESTRO_INPUT_<NAME>` for the variable `<NAME>`
/// (action.yml's `env:`), read by maestro as that variable's action-input layer.
pub const ACTION_INPUT_PREFIX: &str = "MAESTRO_INPUT_";

/// Name prefixes that stand for a family of variables.
pub const PREFIXES: &[&str] = &[ACTION_INPUT_PREFIX, AWS_PREFIX, DOCKER_PREFIX, PACK_PREFIX, BUILDX_PREFIX];

/// The prefixes of maestro's own settings: a variable under one of them that maestro does not
/// read is most likely a typo, so it is warned about (an error under [`MAESTRO_STRICT`]), with
/// the closest known name (`input::unknown`).
pub const OWN_PREFIXES: &[&str] = &["ECS_", "ALB_", "MAESTRO_", "WORKLOAD_", "NEW_RELIC_", "DEPLOYMENT_"];

/// Every registered variable: maestro's, then everyone else's.
pub fn all() -> impl Iterator<Item = &'static Variable> {
    MAESTRO.iter().chain(CI).chain(SYSTEM)
}

/// The variable the GitHub Action's `MAESTRO_INPUT_<NAME>` sets, with its input's name.
pub fn set_by_action_input(passed_as: &str) -> Option<(&'static str, &'static str)> {
    let name = passed_as.strip_prefix(ACTION_INPUT_PREFIX)?;
    all().find(|variable| variable.name == name).and_then(|variable| Some((variable.name, variable.action_input?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_registered_once() {
        let mut names: Vec<&str> = all().map(|variable| variable.name).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "a name is listed twice");
        let mut inputs: Vec<&str> = all().filter_map(|variable| variable.action_input).collect();
        let count = inputs.len();
        inputs.sort_unstable();
        inputs.dedup();
        assert_eq!(inputs.len(), count, "two variables share an action input");
    }

    #[test]
    fn action_inputs_name_their_variable() {
        assert_eq!(set_by_action_input("MAESTRO_INPUT_MAESTRO_ROLE_ARN"), Some((MAESTRO_ROLE_ARN, "role-to-assume")));
        assert_eq!(set_by_action_input("MAESTRO_INPUT_GITHUB_TOKEN"), Some((GITHUB_TOKEN, "github-token")));
        // A variable the action has no input for, and a name that is not an input at all.
        assert_eq!(set_by_action_input("MAESTRO_INPUT_AWS_ROLE_ARN"), None);
        assert_eq!(set_by_action_input("MAESTRO_ROLE_ARN"), None);
    }
}
