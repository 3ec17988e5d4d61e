//! `maestro verify`: the inputs judged against what the account holds, before a deploy writes
//! anything. The adapters read (`src/aws/`); this module only judges the values they return, so
//! every verdict is a pure function and unit-tested without AWS.

pub mod balancer;
pub mod certificate;
#[cfg(test)]
mod certificate_tests;
pub mod image;
pub mod network;
#[cfg(test)]
mod network_tests;
pub mod permissions;
#[cfg(test)]
mod permissions_tests;
pub mod roles;
#[cfg(test)]
mod roles_tests;
pub mod secret;
pub mod trust_policy;

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

/// What a check left unjudged, and why: said rather than passed over in silence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotChecked {
    pub what: String,
    pub why: String,
}

/// Every check's word: what it found wrong, what it found right (one line each, for the
/// report), and what it could not judge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Verdict {
    pub findings: Vec<Finding>,
    pub checked: Vec<String>,
    pub not_checked: Vec<NotChecked>,
}

impl Verdict {
    pub fn found(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    pub fn checked(&mut self, line: impl Into<String>) {
        self.checked.push(line.into());
    }

    pub fn not_checked(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.not_checked.push(NotChecked { what: what.into(), why: why.into() });
    }

    /// Both verdicts, this one's first.
    pub fn and(mut self, other: Verdict) -> Verdict {
        self.findings.extend(other.findings);
        self.checked.extend(other.checked);
        self.not_checked.extend(other.not_checked);
        self
    }

    /// The verdict when nothing was found; every finding as one error of the run otherwise.
    pub fn into_result(self) -> Result<Verdict, InputErrors> {
        as_errors(&self.findings)?;
        Ok(self)
    }
}

/// Every finding as one error of the run, or `Ok` when there is none.
pub fn as_errors(findings: &[Finding]) -> Result<(), InputErrors> {
    if findings.is_empty() {
        return Ok(());
    }
    Err(InputErrors(findings.iter().map(Finding::to_input_error).collect()))
}
