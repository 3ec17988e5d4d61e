//! An environment snapshot: read once at the edge, passed into the core as a value.
//!
//! It keeps every layer's value of a variable (env file, process, action input, flag) and answers
//! with the one [`crate::input::precedence`] picks, so no caller decides precedence. Each value
//! remembers where it came from, so an error can name what the user actually typed (`--branch`,
//! `maestro.env:4`, the action's `role-to-assume` input) instead of a variable they never set.

use std::collections::BTreeMap;

use crate::input::{Location, precedence, vars};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The process environment (the CI's variables).
    Process,
    /// A line of an env file given with `--env-file`.
    EnvFile { file: String, line: usize },
    /// An input of maestro's GitHub Action (`with: role-to-assume: …`), which action.yml passes
    /// as `MAESTRO_INPUT_<VARIABLE>`.
    ActionInput(&'static str),
    /// A command-line flag that overrides the variable.
    Flag(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvValue {
    pub value: String,
    pub origin: Origin,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    /// Each variable's value in every layer that sets it, one per layer.
    values: BTreeMap<String, Vec<EnvValue>>,
}

impl Env {
    /// A snapshot of the process environment. The GitHub Action's `MAESTRO_INPUT_<NAME>` is the
    /// action-input layer of `<NAME>`, for the variables the action has an input for.
    pub fn from_process<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut env = Self::default();
        for (name, value) in pairs {
            let name = name.into();
            match vars::set_by_action_input(&name) {
                Some((variable, input)) => env.set(variable, value, Origin::ActionInput(input)),
                None => env.set(name, value, Origin::Process),
            }
        }
        env
    }

    /// Sets `name` in the layer of `origin`, replacing that layer's earlier value.
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>, origin: Origin) {
        let values = self.values.entry(name.into()).or_default();
        values.retain(|held| held.origin.layer() != origin.layer());
        values.push(EnvValue { value: value.into(), origin });
    }

    /// Both snapshots' layers together; a layer `other` also sets is replaced by `other`'s.
    pub fn merge(mut self, other: Env) -> Self {
        for (name, values) in other.values {
            for value in values {
                self.set(name.clone(), value.value, value.origin);
            }
        }
        self
    }

    /// The value of `name` that counts, with its origin; an empty value counts as unset.
    pub fn value(&self, name: &str) -> Option<&EnvValue> {
        precedence::winner(self.values.get(name).into_iter().flatten())
    }

    /// The value of `name` that counts; an empty value counts as unset, as CI templates often pass `""`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.value(name).map(|value| value.value.as_str())
    }

    /// The first of `names` that is set, with its name.
    pub fn first_of<'a>(&self, names: &[&'a str]) -> Option<(&'a str, &str)> {
        names.iter().find_map(|name| self.get(name).map(|value| (*name, value)))
    }

    /// Where the value of `name` came from, for a message about it; the variable itself when unset.
    pub fn location(&self, name: &str) -> Location {
        let origin = self.value(name).map_or(Origin::Process, |value| value.origin.clone());
        Location::Variable { name: name.to_owned(), origin }
    }

    /// Where `name` was written, even when every layer set it empty (an unknown name is worth
    /// pointing at whatever its value): the value that counts, else the first layer's.
    pub fn written_at(&self, name: &str) -> Location {
        let first = self.values.get(name).and_then(|values| values.first());
        match self.value(name).or(first) {
            Some(value) => Location::Variable { name: name.to_owned(), origin: value.origin.clone() },
            None => Location::variable(name),
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How a message names `name`.
    fn label(env: &Env, name: &str) -> String {
        env.location(name).to_string()
    }
    use crate::input::vars::{AWS_REGION, ECS_CLUSTER_ID, GITHUB_TOKEN, MAESTRO_BRANCH_OVERRIDE};

    #[test]
    fn layers_merge_in_any_order_and_labels_follow_the_origin() {
        let mut file = Env::default();
        file.set("A", "file", Origin::EnvFile { file: "maestro.env".into(), line: 3 });
        file.set("B", "file", Origin::EnvFile { file: "maestro.env".into(), line: 4 });
        file.set("C", "file", Origin::EnvFile { file: "maestro.env".into(), line: 5 });
        let process = Env::from_process([("B", "process"), ("C", "")]);
        let mut flags = Env::default();
        flags.set("D", "flag", Origin::Flag("--branch"));
        for env in [file.clone().merge(process.clone()).merge(flags.clone()), flags.merge(process).merge(file)] {
            assert_eq!(env.get("A"), Some("file"));
            assert_eq!(env.get("B"), Some("process"));
            assert_eq!(env.get("C"), Some("file"), "an empty process value keeps the file's");
            assert_eq!(label(&env, "A"), "A (maestro.env:3)");
            assert_eq!(label(&env, "B"), "B");
            assert_eq!(label(&env, "D"), "--branch");
            assert_eq!(label(&env, "E"), "E");
            assert_eq!(env.first_of(&["E", "B"]), Some(("B", "process")));
        }
    }

    #[test]
    fn action_inputs_beat_the_jobs_env_and_empty_inputs_keep_it() {
        let env = Env::from_process([
            ("AWS_REGION", "us-east-1"),
            ("ECS_CLUSTER_ID", "from-the-job"),
            ("MAESTRO_INPUT_AWS_REGION", "eu-west-1"),
            ("MAESTRO_INPUT_ECS_CLUSTER_ID", ""),
            ("MAESTRO_INPUT_GITHUB_TOKEN", "ghs_token"),
            ("MAESTRO_INPUT_MAESTRO_BRANCH_OVERRIDE", "staging"),
        ]);
        assert_eq!(env.get(AWS_REGION), Some("eu-west-1"));
        assert_eq!(label(&env, AWS_REGION), "`aws-region` input");
        assert_eq!(
            (env.get(ECS_CLUSTER_ID), label(&env, ECS_CLUSTER_ID).as_str()),
            (Some("from-the-job"), "ECS_CLUSTER_ID")
        );
        assert_eq!(env.get(GITHUB_TOKEN), Some("ghs_token"));
        // A flag still beats the input.
        let mut flags = Env::default();
        flags.set(MAESTRO_BRANCH_OVERRIDE, "production", Origin::Flag("--branch"));
        let env = env.merge(flags);
        assert_eq!(
            (env.get(MAESTRO_BRANCH_OVERRIDE), label(&env, MAESTRO_BRANCH_OVERRIDE).as_str()),
            (Some("production"), "--branch")
        );
        assert!(env.names().all(|name| !name.starts_with("MAESTRO_INPUT_")), "inputs are layers, not variables");
    }
}
