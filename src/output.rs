//! stdout: a command's result and nothing else (logs, progress and CI commands go to stderr).
//!
//! Every command ends in [`Stdout::emit`]: its report as people read it, or as one pretty JSON
//! document with `--output json` (with `--output ndjson`, the same on one line, after the events
//! the run wrote as it went: `event_stream`). With JSON, a run that fails writes its error there too, so a
//! machine reading stdout always gets one document: the report, the report with an `error`
//! member (a deploy whose services did not all roll out), or `{"error": …}` alone
//! (docs/json-errors.md). stderr shows every error as it always has.

use std::io::Write;

use clap::ValueEnum;
use serde::Serialize;

use crate::error::{Error, ErrorReport, Failure};

/// How stdout is written: `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    Human,
    Json,
    /// One JSON object a line as the run goes (`event_stream`), the report last, on one line.
    Ndjson,
}

/// A command's result, for people ([`Report::human`]) and machines (its `Serialize`).
pub(crate) trait Report: Serialize {
    /// The text people read, each line ending in a newline.
    fn human(&self) -> String;

    /// Why the run failed although it has a report to show; the run exits 1 after showing it.
    fn failure(&self) -> Option<&Failure> {
        None
    }
}

/// A report whose run failed, as JSON: the report's members, then `error`.
#[derive(Serialize)]
struct WithError<'a, R: Serialize> {
    #[serde(flatten)]
    report: &'a R,
    error: ErrorReport<'a>,
}

/// An error with no report before it, as JSON.
#[derive(Serialize)]
struct ErrorOnly<'a> {
    error: ErrorReport<'a>,
}

/// The process's stdout, written the way `--output` asks.
pub(crate) struct Stdout<'a> {
    output: Output,
    out: &'a mut dyn Write,
}

impl<'a> Stdout<'a> {
    pub(crate) fn new(output: Output, out: &'a mut dyn Write) -> Self {
        Self { output, out }
    }

    /// The stream itself, for what is neither a report nor JSON: a completion script.
    pub(crate) fn raw(&mut self) -> &mut dyn Write {
        &mut *self.out
    }

    /// Writes how a command ended: its report, or (JSON only) its error. Returns the error the
    /// run exits with, which `main` renders on stderr.
    pub(crate) fn emit<R: Report>(&mut self, result: Result<R, Error>) -> Result<(), Error> {
        let report = match result {
            Ok(report) => report,
            Err(error) => return Err(self.failed(error)),
        };
        let failure = report.failure();
        match (self.output, failure) {
            (Output::Human, _) => self.out.write_all(report.human().as_bytes())?,
            (Output::Json | Output::Ndjson, None) => self.json(&report)?,
            (Output::Json | Output::Ndjson, Some(failure)) => {
                self.json(&WithError { report: &report, error: ErrorReport::of_failure(failure) })?;
            }
        }
        match failure {
            Some(failure) => Err(failure.clone().into()),
            None => Ok(()),
        }
    }

    /// A run that failed before it had a report: with `--output json`, its error is the
    /// document. Returns the error, for stderr.
    pub(crate) fn failed(&mut self, error: Error) -> Error {
        // Writing stdout is what failed: there is nowhere to say so but stderr.
        if self.output != Output::Human && !matches!(error, Error::Output(_)) {
            let _ = self.json(&ErrorOnly { error: ErrorReport::of(&error) });
        }
        error
    }

    /// A streaming command's failure (`maestro logs`, one JSON object per line): with `--output
    /// json`, its error as one more line. Returns the error, for stderr.
    pub(crate) fn failed_line(&mut self, error: Error) -> Error {
        if self.output != Output::Human && !matches!(error, Error::Output(_)) {
            let written = serde_json::to_writer(&mut *self.out, &ErrorOnly { error: ErrorReport::of(&error) });
            if written.is_ok() {
                let _ = self.out.write_all(b"\n");
            }
        }
        error
    }

    /// How `--output` asks stdout to be written.
    pub(crate) fn output(&self) -> Output {
        self.output
    }

    /// One pretty document and a newline; with `ndjson`, the stream's last line.
    fn json(&mut self, value: &impl Serialize) -> Result<(), Error> {
        match self.output {
            Output::Ndjson => serde_json::to_writer(&mut *self.out, value),
            _ => serde_json::to_writer_pretty(&mut *self.out, value),
        }
        .map_err(std::io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Answer {
        value: u32,
        #[serde(skip)]
        failure: Option<Failure>,
    }

    impl Report for Answer {
        fn human(&self) -> String {
            format!("value {}\n", self.value)
        }

        fn failure(&self) -> Option<&Failure> {
            self.failure.as_ref()
        }
    }

    /// What `emit` wrote, and what it returned.
    fn emitted(output: Output, result: Result<Answer, Error>) -> (String, Result<(), Error>) {
        let mut out = Vec::new();
        let returned = Stdout::new(output, &mut out).emit(result);
        (String::from_utf8(out).unwrap(), returned)
    }

    #[test]
    fn a_report_is_its_text_or_one_pretty_json_document() {
        let (text, returned) = emitted(Output::Human, Ok(Answer { value: 7, failure: None }));
        assert_eq!((text.as_str(), returned.is_ok()), ("value 7\n", true));
        let (text, returned) = emitted(Output::Json, Ok(Answer { value: 7, failure: None }));
        assert_eq!((text.as_str(), returned.is_ok()), ("{\n  \"value\": 7\n}\n", true));
    }

    #[test]
    fn a_report_of_a_failed_run_carries_its_error_after_its_own_members() {
        let failure = || Some(Failure::new("2 of 3 services did not roll out").detail("web failed").hint("look"));
        let (text, returned) = emitted(Output::Json, Ok(Answer { value: 7, failure: failure() }));
        let document: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            document,
            serde_json::json!({"value": 7, "error": {"kind": "failed", "exit_code": 1,
                "message": "2 of 3 services did not roll out", "details": ["web failed"], "hint": "look"}})
        );
        assert!(text.find("\"value\"") < text.find("\"error\""), "the report first:\n{text}");
        assert!(matches!(returned, Err(Error::Failed(failure)) if failure.message.starts_with("2 of 3")));
        // People get the report on stdout, and the error on stderr (from `main`).
        let (text, returned) = emitted(Output::Human, Ok(Answer { value: 7, failure: failure() }));
        assert_eq!(text, "value 7\n");
        assert!(returned.is_err());
    }

    #[test]
    fn an_error_before_any_report_is_written_only_for_json() {
        let failed = || Err(Failure::new("cannot confirm the AWS identity").into());
        let (text, returned) = emitted(Output::Human, failed());
        assert_eq!((text.as_str(), returned.is_err()), ("", true));
        let (text, returned) = emitted(Output::Json, failed());
        let document: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(document["error"]["message"], "cannot confirm the AWS identity");
        assert_eq!(document["error"]["hint"], serde_json::Value::Null);
        assert!(returned.is_err());
        // stdout itself failing has nowhere to go but stderr.
        let broken = std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed");
        let (text, returned) = emitted(Output::Json, Err(Error::Output(broken)));
        assert_eq!((text.as_str(), returned.is_err()), ("", true));
    }
}
