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
        // The text before `=` may be a secret's own line (a PEM body, a base64 value with
        // padding), so the error gives its column, never the text.
        let bad = name
            .char_indices()
            .find(|&(index, c)| !(c.is_ascii_alphanumeric() || c == '_') || (index == 0 && c.is_ascii_digit()));
        if name.is_empty() || bad.is_some() {
            let start = raw_line.find(name).map_or(0, |offset| raw_line[..offset].chars().count());
            let column = start + bad.map_or(0, |(index, _)| name[..index].chars().count()) + 1;
            let mut error = InputError::new(
                input,
                "the text before `=` is not a variable name (the line is not shown: it may hold a secret)",
                "names use letters, digits and `_`, and do not start with a digit; quote a value that spans lines",
            );
            (error.column, error.width) = (Some(column), 1);
            return Err(error);
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
        // An unquoted PEM body line: the error names the file, line and column, never the text
        // (issue 15, L4: the review's probe printed it).
        let error = parse("pem.env", "KEY=\"-----BEGIN\"\nMIIBOg+CANARYpem/Body0123=\n").unwrap_err();
        assert_eq!((*error.location.clone(), error.column), (Location::line("pem.env", 2), Some(7)));
        assert!(!error.render().contains("CANARY") && !error.render().contains("MIIB"), "{}", error.render());
        assert!(parse("maestro.env", "just text").unwrap_err().message.contains("NAME=value"));
        assert!(parse("maestro.env", "A=\"x\" y").unwrap_err().message.contains("after its closing"));
    }
}
