//! `ECS_SERVICE_TASK_PROCESSES`: which processes run as services, their size, count and scaling.
//!
//! Grammar (docs/inputs.md has the long form):
//!
//! ```text
//! list    = item *( "," item )
//! item    = name [ size ] [ count ] [ scaling ]        ; whitespace allowed between parts
//! size    = "{" cpu ";" memory "}"
//! count   = ":" min [ "-" max ]
//! scaling = "[" target *( ";" target ) "]"
//! target  = ( "cpu" / "mem" / "alb" ) "=" number [ "&nosclin" ]   ; metric names in any case
//! ```
//!
//! The original matched these with three unanchored regexes over the whole string, so `worker`
//! also configured `sidekiq_worker` and anything it did not understand was silently dropped. Here
//! every character is accounted for or reported.

use std::ops::Range;

use serde::Serialize;

use super::fargate::{self, FargateSizeError};
use super::scanner::{Scanner, split_with_spans, trimmed_span};
use super::{RELEASE_PROCESS, SCHEDULED_TASKS_PROCESS, is_process_name_char};
use crate::input::Location;
use crate::input_error::InputError;

/// One item of the list, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessEntry {
    pub name: String,
    /// Where the name stands in the variable, for errors found later (unknown process).
    pub name_span: Range<usize>,
    pub size: Option<TaskSize>,
    pub count: Option<TaskCount>,
    pub scaling: Vec<ScalingTarget>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TaskSize {
    pub cpu: u32,
    pub memory: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskCount {
    pub min: u32,
    /// Present when the service autoscales between `min` and `max`.
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Cpu,
    Mem,
    Alb,
}

impl Metric {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Mem => "mem",
            Self::Alb => "alb",
        }
    }

    /// The Application Auto Scaling predefined metric this target tracks.
    pub fn predefined_metric_type(self) -> &'static str {
        match self {
            Self::Cpu => "ECSServiceAverageCPUUtilization",
            Self::Mem => "ECSServiceAverageMemoryUtilization",
            Self::Alb => "ALBRequestCountPerTarget",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScalingTarget {
    pub metric: Metric,
    pub target: f64,
    pub disable_scale_in: bool,
}

/// The parsed variable; `source` is kept so later checks can point into it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcessList {
    pub source: String,
    pub entries: Vec<ProcessEntry>,
}

impl ProcessList {
    pub fn get(&self, process: &str) -> Option<&ProcessEntry> {
        self.entries.iter().find(|entry| entry.name == process)
    }
}

const GRAMMAR_HINT: &str =
    "write items as `name{cpu;memory}:min-max[cpu=60;mem=70;alb=1000]`, e.g. `web{1024;2048}:2-5[cpu=60],worker:1`";

/// Parses the variable named `input` whose value is `text`.
pub fn parse(input: impl Into<Location>, text: &str) -> Result<ProcessList, InputError> {
    let input = &input.into();
    let mut entries: Vec<ProcessEntry> = Vec::new();
    if text.trim().is_empty() {
        return Ok(ProcessList { source: text.to_owned(), entries });
    }
    for (span, piece) in split_with_spans(text, ',') {
        if piece.trim().is_empty() {
            return Err(InputError::at(
                input,
                text,
                span.start.saturating_sub(1)..span.start.max(1),
                "empty item in the list",
                "remove the extra comma; items are separated by single commas, e.g. `web,worker`",
            ));
        }
        let span = trimmed_span(piece, span);
        let entry = ItemParser { input, text, offset: span.start, scanner: Scanner::new(&text[span]) }.parse()?;
        if entries.iter().any(|seen| seen.name == entry.name) {
            return Err(InputError::at(
                input,
                text,
                entry.name_span.clone(),
                format!("process `{}` is listed twice", entry.name),
                "list each process once, with all its settings in one item",
            ));
        }
        entries.push(entry);
    }
    Ok(ProcessList { source: text.to_owned(), entries })
}

struct ItemParser<'a> {
    input: &'a Location,
    text: &'a str,
    /// Byte offset of the item inside `text`.
    offset: usize,
    scanner: Scanner<'a>,
}

impl ItemParser<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> InputError {
        let absolute = span.start + self.offset..span.end + self.offset;
        InputError::at(self.input, self.text, absolute, message, hint)
    }

    fn parse(mut self) -> Result<ProcessEntry, InputError> {
        let name_span = self.scanner.take_while(is_process_name_char);
        if name_span.is_empty() {
            return Err(self.error(
                self.scanner.next_span(),
                "expected a process name",
                "process names are the Procfile's types: letters, digits, `-` and `_`",
            ));
        }
        let name = self.scanner.slice(name_span.clone()).to_owned();
        self.scanner.skip_whitespace();
        let size = if self.scanner.peek() == Some('{') { Some(self.size()?) } else { None };
        self.scanner.skip_whitespace();
        let count = if self.scanner.eat(':') { Some(self.count()?) } else { None };
        self.scanner.skip_whitespace();
        let scaling_start = self.scanner.position();
        let scaling = if self.scanner.peek() == Some('[') { self.scaling()? } else { Vec::new() };
        let scaling_span = scaling_start..self.scanner.position();
        self.scanner.skip_whitespace();
        if let Some(unexpected) = self.scanner.peek() {
            return Err(self.error(
                self.scanner.next_span(),
                format!("unexpected `{unexpected}` in the item for `{name}`"),
                GRAMMAR_HINT,
            ));
        }
        if !scaling.is_empty() && count.and_then(|count| count.max).is_none() {
            return Err(self.error(
                scaling_span,
                format!("scaling targets for `{name}` need a task range"),
                format!("give a minimum and a maximum, e.g. `{name}:1-4[cpu=60]`"),
            ));
        }
        if (name == RELEASE_PROCESS || name == SCHEDULED_TASKS_PROCESS) && (count.is_some() || !scaling.is_empty()) {
            return Err(self.error(
                name_span.clone(),
                format!("`{name}` runs as a one-off task, not as a service, so it takes no task count or scaling"),
                format!("keep only its size, e.g. `{name}{{512;1024}}`"),
            ));
        }
        let name_span = name_span.start + self.offset..name_span.end + self.offset;
        Ok(ProcessEntry { name, name_span, size, count, scaling })
    }

    fn size(&mut self) -> Result<TaskSize, InputError> {
        let start = self.scanner.position();
        self.scanner.bump();
        let cpu_span = self.skip_then_integer("cpu units")?;
        self.scanner.skip_whitespace();
        if !self.scanner.eat(';') {
            return Err(self.error(
                self.scanner.next_span(),
                "expected `;` between cpu and memory",
                "write the size as `{cpu;memory}`, e.g. `web{1024;2048}`",
            ));
        }
        let memory_span = self.skip_then_integer("memory (MiB)")?;
        self.scanner.skip_whitespace();
        if !self.scanner.eat('}') {
            return Err(self.error(
                self.scanner.next_span(),
                "expected `}` after the memory size",
                "write the size as `{cpu;memory}`, e.g. `web{1024;2048}`",
            ));
        }
        let cpu = self.integer_value(cpu_span.clone())?;
        let memory = self.integer_value(memory_span)?;
        match fargate::check(cpu, memory) {
            Ok(()) => Ok(TaskSize { cpu, memory }),
            Err(error) => {
                let (message, hint) = fargate::explain(cpu, memory, &error);
                // A cpu Fargate does not know is the cpu's fault; a memory that does not go with it, the pair's.
                let span = if error == FargateSizeError::Cpu { cpu_span } else { start..self.scanner.position() };
                Err(self.error(span, message, hint))
            }
        }
    }

    fn count(&mut self) -> Result<TaskCount, InputError> {
        let min_span = self.skip_then_integer("minimum task count")?;
        let min = self.integer_value(min_span)?;
        self.scanner.skip_whitespace();
        if !self.scanner.eat('-') {
            return Ok(TaskCount { min, max: None });
        }
        let max_span = self.skip_then_integer("maximum task count")?;
        let max = self.integer_value(max_span.clone())?;
        if max < min {
            return Err(self.error(
                max_span,
                format!("the maximum task count {max} is below the minimum {min}"),
                format!("write the range as `min-max`, e.g. `:{max}-{min}`"),
            ));
        }
        if max == 0 {
            return Err(self.error(
                max_span,
                "an autoscaling range needs a maximum of at least 1",
                "write a fixed count without a range instead, e.g. `:0`",
            ));
        }
        Ok(TaskCount { min, max: Some(max) })
    }

    fn scaling(&mut self) -> Result<Vec<ScalingTarget>, InputError> {
        let open = self.scanner.next_span();
        self.scanner.bump();
        let mut targets: Vec<ScalingTarget> = Vec::new();
        loop {
            self.scanner.skip_whitespace();
            if targets.is_empty() && self.scanner.peek() == Some(']') {
                return Err(self.error(
                    open.start..self.scanner.position() + 1,
                    "empty scaling target list",
                    "name at least one target, e.g. `[cpu=60]`, or drop the brackets for the default `cpu=55`",
                ));
            }
            let metric_span = self.scanner.take_while(|c| c.is_ascii_alphabetic());
            let metric = self.metric(metric_span.clone())?;
            if targets.iter().any(|target| target.metric == metric) {
                return Err(self.error(
                    metric_span,
                    format!("the `{}` target is given twice", metric.as_str()),
                    "give each metric once",
                ));
            }
            self.scanner.skip_whitespace();
            if !self.scanner.eat('=') {
                return Err(self.error(
                    self.scanner.next_span(),
                    format!("expected `=` after `{}`", metric.as_str()),
                    format!("write a target as `{}=60`", metric.as_str()),
                ));
            }
            self.scanner.skip_whitespace();
            let target = self.target(metric)?;
            self.scanner.skip_whitespace();
            let disable_scale_in = self.scale_in_flag()?;
            targets.push(ScalingTarget { metric, target, disable_scale_in });
            self.scanner.skip_whitespace();
            if self.scanner.eat(']') {
                return Ok(targets);
            }
            if !self.scanner.eat(';') {
                return Err(self.error(
                    self.scanner.next_span(),
                    "expected `;` or `]` after a scaling target",
                    "separate targets with `;` and close the list with `]`, e.g. `[cpu=60;mem=70]`",
                ));
            }
        }
    }

    fn metric(&self, span: Range<usize>) -> Result<Metric, InputError> {
        let word = self.scanner.slice(span.clone());
        match word.to_ascii_lowercase().as_str() {
            "cpu" => Ok(Metric::Cpu),
            "mem" => Ok(Metric::Mem),
            "alb" => Ok(Metric::Alb),
            _ => Err(self.error(
                if span.is_empty() { self.scanner.next_span() } else { span },
                if word.is_empty() { "expected a scaling metric".to_owned() } else { format!("unknown scaling metric `{word}`") },
                "the metrics are `cpu` and `mem` (average utilisation, %) and `alb` (requests per target), e.g. `[cpu=60;alb=1000]`",
            )),
        }
    }

    fn target(&mut self, metric: Metric) -> Result<f64, InputError> {
        let span = self.scanner.take_while(|c| c.is_ascii_digit() || c == '.');
        let written = self.scanner.slice(span.clone());
        let value = written.parse::<f64>().ok().filter(|value| value.is_finite() && !written.starts_with('.'));
        let example = format!("`{}=60`", metric.as_str());
        let Some(value) = value else {
            return Err(self.error(
                if span.is_empty() { self.scanner.next_span() } else { span },
                format!("expected a number for the `{}` target", metric.as_str()),
                format!("write a target as {example}"),
            ));
        };
        let in_range = match metric {
            Metric::Cpu | Metric::Mem => value > 0.0 && value <= 100.0,
            Metric::Alb => value >= 1.0,
        };
        if !in_range {
            let range = match metric {
                Metric::Cpu | Metric::Mem => "a percentage above 0 and at most 100",
                Metric::Alb => "a request count per target of at least 1",
            };
            return Err(self.error(
                span,
                format!("{written} is out of range for the `{}` target", metric.as_str()),
                format!("the target must be {range}"),
            ));
        }
        Ok(value)
    }

    fn scale_in_flag(&mut self) -> Result<bool, InputError> {
        let start = self.scanner.position();
        if !self.scanner.eat('&') {
            return Ok(false);
        }
        self.scanner.skip_whitespace();
        let word_span = self.scanner.take_while(|c| c.is_ascii_alphanumeric() || c == '_');
        if self.scanner.slice(word_span.clone()).eq_ignore_ascii_case("nosclin") {
            return Ok(true);
        }
        // From the `&` (already eaten, so the span is never empty) to the end of the word.
        Err(self.error(
            start..word_span.end,
            "unknown target flag",
            "the only flag is `&nosclin` (never scale in), e.g. `[cpu=60&nosclin]`",
        ))
    }

    fn skip_then_integer(&mut self, what: &str) -> Result<Range<usize>, InputError> {
        self.scanner.skip_whitespace();
        let span = self.scanner.take_while(|c| c.is_ascii_digit());
        if span.is_empty() {
            return Err(self.error(
                self.scanner.next_span(),
                format!("expected a whole number for the {what}"),
                GRAMMAR_HINT,
            ));
        }
        Ok(span)
    }

    fn integer_value(&self, span: Range<usize>) -> Result<u32, InputError> {
        self.scanner
            .slice(span.clone())
            .parse::<u32>()
            .map_err(|_| self.error(span, "number too large", "use a whole number below 4294967296"))
    }
}

#[cfg(test)]
#[path = "process_list_tests.rs"]
mod tests;
