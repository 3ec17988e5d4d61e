//! Which log groups `maestro logs` reads: every process of the plan that logs (its services, its
//! one-off processes such as `release`, the `launcher` family of one-off commands), or those
//! named, each checked before any AWS call.

use crate::input::Location;
use crate::input::vars as var;
use crate::input_error::{InputError, InputErrors};
use crate::text::suggest;

/// One process and its log group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub process: String,
    pub group: String,
}

/// The sources of `requested` (all of `known` when none is named, in the plan's order; a name
/// given twice is read once). An unknown name is bad input, naming the known ones.
pub fn select(requested: &[String], known: &[Source]) -> Result<Vec<Source>, InputErrors> {
    if known.is_empty() {
        return Err(InputError::new(
            Location::variable(var::MAESTRO_NO_LOG),
            "the app's containers log nowhere, so there are no logs to read",
            "unset MAESTRO_NO_LOG and deploy, so the containers log to CloudWatch Logs",
        )
        .into());
    }
    if requested.is_empty() {
        return Ok(known.to_vec());
    }
    let names: Vec<&str> = known.iter().map(|source| source.process.as_str()).collect();
    let mut selected: Vec<Source> = Vec::new();
    let mut errors = InputErrors::default();
    for name in requested {
        match known.iter().find(|source| source.process == *name) {
            Some(source) if !selected.contains(source) => selected.push(source.clone()),
            Some(_) => {}
            None => {
                let hint = match suggest::closest(name, names.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`? The processes that log: {}", names.join(", ")),
                    None => format!("name one of the processes that log: {}", names.join(", ")),
                };
                errors.push(InputError::new(
                    Location::Described(format!("process `{name}`")),
                    "the app has no such process (Procfile)",
                    hint,
                ));
            }
        }
    }
    match errors.0.is_empty() {
        true => Ok(selected),
        false => Err(errors),
    }
}
