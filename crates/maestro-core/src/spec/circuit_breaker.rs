//! `DEPLOYMENT_CIRCUIT_BREAKER_RULE`: `enable=true,rollback=true`.
//!
//! The original spliced the raw text into AWS CLI shorthand; here it is two booleans, each
//! defaulting to `true` when left out.

use serde::Serialize;

use super::scanner::{split_with_spans, trimmed_span};
use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        Self { enable: true, rollback: true }
    }
}

const HINT: &str = "write `enable=true,rollback=true` (each `true` or `false`)";

pub fn parse(input: impl Into<Location>, text: &str) -> Result<CircuitBreaker, InputError> {
    let input = &input.into();
    let mut rule = CircuitBreaker::default();
    let mut seen: Vec<&str> = Vec::new();
    if text.trim().is_empty() {
        return Ok(rule);
    }
    for (span, piece) in split_with_spans(text, ',') {
        let span = trimmed_span(piece, span);
        let item = &text[span.clone()];
        let error = |message: String| InputError::at(input, text, span.clone(), message, HINT);
        let Some((key, value)) = item.split_once('=') else {
            return Err(error(format!("`{item}` is not `key=value`")));
        };
        let (key, value) = (key.trim(), value.trim());
        let value = match value.to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => return Err(error(format!("`{value}` is not `true` or `false`"))),
        };
        if seen.contains(&key) {
            return Err(error(format!("`{key}` is given twice")));
        }
        seen.push(key);
        match key {
            "enable" => rule.enable = value,
            "rollback" => rule.rollback = value,
            _ => return Err(error(format!("unknown key `{key}`; the keys are `enable` and `rollback`"))),
        }
    }
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAR: &str = "DEPLOYMENT_CIRCUIT_BREAKER_RULE";

    #[test]
    fn parses_the_readme_value_and_variants() {
        assert_eq!(parse(VAR, "enable=true,rollback=true").unwrap(), CircuitBreaker { enable: true, rollback: true });
        assert_eq!(
            parse(VAR, " rollback=FALSE , enable=true").unwrap(),
            CircuitBreaker { enable: true, rollback: false }
        );
        assert_eq!(parse(VAR, "enable=false").unwrap(), CircuitBreaker { enable: false, rollback: true });
        assert_eq!(parse(VAR, "").unwrap(), CircuitBreaker::default());
    }

    #[test]
    fn rejects_what_the_cli_shorthand_would_have_swallowed() {
        assert!(parse(VAR, "enable=yes").unwrap_err().message.contains("not `true` or `false`"));
        assert!(parse(VAR, "enabled=true").unwrap_err().message.contains("unknown key `enabled`"));
        assert!(parse(VAR, "enable").unwrap_err().message.contains("not `key=value`"));
        let error = parse(VAR, "enable=true,enable=false").unwrap_err();
        assert!(error.message.contains("twice"));
        assert_eq!(error.column, Some(13));
    }
}
