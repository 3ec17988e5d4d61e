//! stdout: a command's result and nothing else (logs, progress and CI commands go to stderr).
//!
//! Every command ends in [`Stdout::emit`]: its report as people read it, or as one pretty JSON
//! document with `--output json`. With JSON, a run that fails writes its error there too, so a
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
            (Output::Json, None) => self.json(&report)?,
            (Output::Json, Some(failure)) => {
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
        if self.output == Output::Json && !matches!(error, Error::Output(_)) {
            let _ = self.json(&ErrorOnly { error: ErrorReport::of(&error) });
        }
        error
    }

    /// One pretty document and a newline.
    fn json(&mut self, value: &impl Serialize) -> Result<(), Error> {
        serde_json::to_writer_pretty(&mut *self.out, value).map_err(std::io::Error::from)?;
        self.out.write_all(b"\n")?;
        Ok(())
    }
}
