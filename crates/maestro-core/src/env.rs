//! An environment snapshot: read once at the edge, passed into the core as a value.
//!
//! Each value remembers where it came from, so an error can name what the user actually typed
//! (`--branch`, `maestro.env:4`) instead of a variable they never set.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The process environment (the CI's variables).
    Process,
    /// A line of an env file given with `--env-file`.
    EnvFile { file: String, line: usize },
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
    values: BTreeMap<String, EnvValue>,
}

impl Env {
    /// A snapshot of variables that all come from the process environment.
    pub fn from_process<K: Into<String>, V: Into<String>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut env = Self::default();
        for (name, value) in pairs {
            env.set(name, value, Origin::Process);
        }
        env
    }

    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>, origin: Origin) {
        self.values.insert(name.into(), EnvValue { value: value.into(), origin });
    }

    /// Values of `other` replace values of `self` (later layers win).
    pub fn overlay(mut self, other: Env) -> Self {
        self.values.extend(other.values);
        self
    }

    /// The value of `name`; an empty value counts as unset, as CI templates often pass `""`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(|value| value.value.as_str()).filter(|value| !value.is_empty())
    }

    /// The first of `names` that is set, with its name.
    pub fn first_of<'a>(&self, names: &[&'a str]) -> Option<(&'a str, &str)> {
        names.iter().find_map(|name| self.get(name).map(|value| (*name, value)))
    }

    /// How to name `name` in a message: the flag or file line it came from, or the variable.
    pub fn label(&self, name: &str) -> String {
        match self.values.get(name).map(|value| &value.origin) {
            Some(Origin::Flag(flag)) => (*flag).to_owned(),
            Some(Origin::EnvFile { file, line }) => format!("{name} ({file}:{line})"),
            Some(Origin::Process) | None => name.to_owned(),
        }
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_layers_win_and_labels_follow_the_origin() {
        let mut file = Env::default();
        file.set("A", "file", Origin::EnvFile { file: "maestro.env".into(), line: 3 });
        file.set("B", "file", Origin::EnvFile { file: "maestro.env".into(), line: 4 });
        let process = Env::from_process([("B", "process"), ("C", "")]);
        let mut flags = Env::default();
        flags.set("D", "flag", Origin::Flag("--branch"));
        let env = file.overlay(process).overlay(flags);
        assert_eq!(env.get("A"), Some("file"));
        assert_eq!(env.get("B"), Some("process"));
        assert_eq!(env.get("C"), None);
        assert_eq!(env.label("A"), "A (maestro.env:3)");
        assert_eq!(env.label("B"), "B");
        assert_eq!(env.label("D"), "--branch");
        assert_eq!(env.first_of(&["C", "B"]), Some(("B", "process")));
    }
}
