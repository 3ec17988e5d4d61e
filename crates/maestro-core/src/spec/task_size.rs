//! `maestro run --size`: a one-off task's size, `cpu;memory` (the process list's `{cpu;memory}`,
//! braces optional), checked against Fargate's sizes before any AWS call.

use super::fargate::{self, FargateSizeError};
use super::process_list::TaskSize;
use super::scanner::Scanner;
use crate::input::Location;
use crate::input_error::InputError;

const HINT: &str =
    "write the size as `cpu;memory` in cpu units and MiB, e.g. `1024;2048` (quote it: `;` ends a shell command)";

/// Parses the size `text` that `input` gave.
pub fn parse(input: impl Into<Location>, text: &str) -> Result<TaskSize, InputError> {
    let input = input.into();
    let error = |span: std::ops::Range<usize>, message: String, hint: String| {
        InputError::at(input.clone(), text, span, message, hint)
    };
    let mut scanner = Scanner::new(text);
    scanner.skip_whitespace();
    let braced = scanner.eat('{');
    let number = |scanner: &mut Scanner<'_>, what: &str| {
        scanner.skip_whitespace();
        let span = scanner.take_while(|c| c.is_ascii_digit());
        if span.is_empty() {
            return Err(error(scanner.next_span(), format!("expected a whole number for the {what}"), HINT.into()));
        }
        let value = scanner.slice(span.clone()).parse::<u32>();
        value
            .map(|value| (value, span.clone()))
            .map_err(|_| error(span, "number too large".into(), "use a whole number below 4294967296".into()))
    };
    let (cpu, cpu_span) = number(&mut scanner, "cpu units")?;
    scanner.skip_whitespace();
    if !scanner.eat(';') {
        return Err(error(scanner.next_span(), "expected `;` between cpu and memory".into(), HINT.into()));
    }
    let (memory, _) = number(&mut scanner, "memory (MiB)")?;
    scanner.skip_whitespace();
    if braced && !scanner.eat('}') {
        return Err(error(scanner.next_span(), "expected `}` after the memory size".into(), HINT.into()));
    }
    scanner.skip_whitespace();
    if let Some(unexpected) = scanner.peek() {
        return Err(error(scanner.next_span(), format!("unexpected `{unexpected}` after the size"), HINT.into()));
    }
    fargate::check(cpu, memory).map(|()| TaskSize { cpu, memory }).map_err(|problem| {
        let (message, hint) = fargate::explain(cpu, memory, &problem);
        let span = if problem == FargateSizeError::Cpu { cpu_span } else { 0..text.len() };
        error(span, message, hint)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<TaskSize, InputError> {
        parse(Location::Flag("--size"), text)
    }

    #[test]
    fn a_size_is_cpu_and_memory_with_or_without_braces() {
        assert_eq!(parsed("1024;2048"), Ok(TaskSize { cpu: 1024, memory: 2048 }));
        assert_eq!(parsed(" {256 ; 512} "), Ok(TaskSize { cpu: 256, memory: 512 }));
    }

    #[test]
    fn a_size_fargate_refuses_names_what_it_accepts() {
        let error = parsed("300;512").unwrap_err();
        assert_eq!((error.message.as_str(), error.column), ("300 is not a Fargate cpu size", Some(1)));
        assert!(error.hint.contains("256, 512, 1024"), "{}", error.hint);
        let error = parsed("512;512").unwrap_err();
        assert_eq!(error.message, "Fargate does not run 512 cpu units with 512 MiB of memory");
        assert_eq!(error.hint, "with 512 cpu units, memory must be 1024 to 4096 in steps of 1024 MiB");
        assert_eq!(error.location.to_string(), "--size");
    }

    #[test]
    fn a_malformed_size_points_at_the_problem() {
        for (text, message, column) in [
            ("1024", "expected `;` between cpu and memory", 5),
            ("1024;", "expected a whole number for the memory (MiB)", 6),
            ("x;2048", "expected a whole number for the cpu units", 1),
            ("{1024;2048", "expected `}` after the memory size", 11),
            ("1024;2048mb", "unexpected `m` after the size", 10),
            ("99999999999;1", "number too large", 1),
        ] {
            let error = parsed(text).unwrap_err();
            assert_eq!((error.message.as_str(), error.column), (message, Some(column)), "{text}");
        }
    }
}
