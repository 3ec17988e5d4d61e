//! Env files given with `--env-file`: `KEY=value` lines for running maestro on a laptop.
//!
//! ```text
//! line  = [ "export" ] KEY "=" value     ; KEY = [A-Za-z_][A-Za-z0-9_]*
//! value = unquoted / "double quoted" / 'single quoted'
//! ```
//!
//! Double quotes understand `\n`, `\"` and `\\`; single quotes are literal; unquoted values are
//! trimmed. Blank lines and `#` comments are skipped. Errors never echo the line: an env file
//! may hold secrets.

use crate::input::Location;
use crate::input_error::InputError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: String,
    pub line: usize,
}

pub fn parse(file: &str, text: &str) -> Result<Vec<Assignment>, InputError> {
    let mut assignments = Vec::new();
    for (index, raw_line) in text.trim_start_matches('\u{feff}').split('\n').enumerate() {
        let line_number = index + 1;
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line).trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let input = Location::line(file, line_number);
        let line = line.strip_prefix("export ").map_or(line, str::trim_start);
        let Some((name, raw_value)) = line.split_once('=') else {
            return Err(InputError::new(
                input,
                "expected `NAME=value`",
                "write one variable per line, e.g. `AWS_REGION=us-east-1`",
            ));
        };
        let name = name.trim();
        let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid_name {
            return Err(InputError::new(
                input,
                format!("`{name}` is not a variable name"),
                "names use letters, digits and `_`, and do not start with a digit",
            ));
        }
        let value = unquote(raw_value.trim()).map_err(|problem| {
            InputError::new(
                input.clone(),
                format!("the value of `{name}` {problem}"),
                "close the quote, or leave the value unquoted",
            )
        })?;
        assignments.push(Assignment { name: name.to_owned(), value, line: line_number });
    }
    Ok(assignments)
}

fn unquote(value: &str) -> Result<String, &'static str> {
    if let Some(rest) = value.strip_prefix('\'') {
        return rest.strip_suffix('\'').map(str::to_owned).ok_or("has an unclosed `'`");
    }
    let Some(rest) = value.strip_prefix('"') else {
        return Ok(value.to_owned());
    };
    let mut unquoted = String::new();
    let mut characters = rest.chars();
    while let Some(character) = characters.next() {
        match character {
            '"' => {
                return if characters.as_str().trim().is_empty() {
                    Ok(unquoted)
                } else {
                    Err("has text after its closing `\"`")
                };
            }
            '\\' => match characters.next() {
                Some('n') => unquoted.push('\n'),
                Some(other) => unquoted.push(other),
                None => break,
            },
            other => unquoted.push(other),
        }
    }
    Err("has an unclosed `\"`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_quoted_and_exported_lines() {
        let text = "# local settings\nexport AWS_REGION=us-east-1\nPORT = 8080\nGREETING=\"hello big\\nworld\"\nRAW='a \"b\" c'\nEMPTY=\n";
        let assignments = parse("maestro.env", text).unwrap();
        let pairs: Vec<(&str, &str, usize)> =
            assignments.iter().map(|a| (a.name.as_str(), a.value.as_str(), a.line)).collect();
        assert_eq!(
            pairs,
            [
                ("AWS_REGION", "us-east-1", 2),
                ("PORT", "8080", 3),
                ("GREETING", "hello big\nworld", 4),
                ("RAW", "a \"b\" c", 5),
                ("EMPTY", "", 6),
            ]
        );
    }

    #[test]
    fn errors_never_show_the_value() {
        let error = parse("maestro.env", "TOKEN=\"s3cr3t-value\n").unwrap_err();
        assert_eq!(*error.location, Location::line("maestro.env", 1));
        assert!(error.message.contains("unclosed"));
        assert!(!error.render().contains("s3cr3t"));
        assert!(parse("maestro.env", "1X=2").unwrap_err().message.contains("not a variable name"));
        assert!(parse("maestro.env", "just text").unwrap_err().message.contains("NAME=value"));
        assert!(parse("maestro.env", "A=\"x\" y").unwrap_err().message.contains("after its closing"));
    }
}
