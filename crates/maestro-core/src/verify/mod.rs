//! `maestro verify`: the inputs judged against what the account holds, before a deploy writes
//! anything. The adapters read (`src/aws/`); this module only judges the values they return, so
//! every verdict is a pure function and unit-tested without AWS.

pub mod network;
#[cfg(test)]
mod network_tests;
pub mod permissions;
#[cfg(test)]
mod permissions_tests;

use serde::Serialize;

use crate::input_error::{InputError, InputErrors};

/// One input the account contradicts: the input to change, the resource it names, what is
/// wrong, and the fix. It is the input that must change, so it becomes an `InputError` (exit 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The variable that names the resource.
    pub input: &'static str,
    /// The resource as the input names it (an id), or the input's whole list.
    pub resource: String,
    pub problem: String,
    pub fix: String,
}

impl Finding {
    pub fn to_input_error(&self) -> InputError {
        InputError::new(self.input, format!("{} {}", self.resource, self.problem), self.fix.clone())
    }
}

/// Every finding as one error of the run, or `Ok` when there is none.
pub fn as_errors(findings: &[Finding]) -> Result<(), InputErrors> {
    if findings.is_empty() {
        return Ok(());
    }
    Err(InputErrors(findings.iter().map(Finding::to_input_error).collect()))
}
