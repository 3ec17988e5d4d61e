//! A value with the input it came from.

use serde::Serialize;

use crate::input::Location;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T = String> {
    pub value: T,
    /// A variable (`GITHUB_SHA`), a flag (`--branch`), a payload path
    /// (`event.pull_request.head.sha`) or `git HEAD`.
    pub source: Location,
}

impl<T> Sourced<T> {
    pub fn new(value: impl Into<T>, source: impl Into<Location>) -> Self {
        Self { value: value.into(), source: source.into() }
    }

    /// The value as a number, when it is one (a pull-request number).
    pub fn number(self) -> Option<Sourced<u64>>
    where
        T: AsRef<str>,
    {
        let number = self.value.as_ref().parse().ok()?;
        Some(Sourced { value: number, source: self.source })
    }

    pub fn map<U>(self, change: impl FnOnce(T) -> U) -> Sourced<U> {
        Sourced { value: change(self.value), source: self.source }
    }
}
