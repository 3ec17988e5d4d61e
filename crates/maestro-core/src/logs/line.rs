//! Each event as `maestro logs` prints it: for people, `<process>/<task>` aligned then the line
//! (the process's colour on a terminal); for machines, one JSON object per line. The message is
//! the app's text: the app secret's values are hidden, and a human line cannot be a CI workflow
//! command.

use serde::Serialize;

use super::events::LogEvent;
use super::timestamp;
use crate::redact::Redactor;

/// How many characters of a task id a human line shows: enough to tell a service's tasks apart
/// and to find the task in the console (ECS's ids are 32 hexadecimal characters).
pub const TASK_CHARS: usize = 8;

/// ANSI colours given to the processes in turn (the label only, never the app's text).
const PALETTE: [&str; 6] = ["36", "33", "32", "35", "34", "31"];

/// The prefixes' width and each process's colour, from the processes read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    processes: Vec<String>,
    width: usize,
    colour: bool,
}

impl Layout {
    /// For `processes` (in the order given), coloured or not.
    pub fn new(processes: &[String], colour: bool) -> Self {
        let width = processes.iter().map(|process| process.chars().count()).max().unwrap_or_default() + 1 + TASK_CHARS;
        Self { processes: processes.to_vec(), width, colour }
    }

    /// The lines of `event` as people read them, one per line of its message.
    pub fn human(&self, event: &LogEvent, redactor: &Redactor) -> Vec<String> {
        let task = event.task();
        let short = task.get(..TASK_CHARS).unwrap_or(task);
        let label = format!("{}/{short}", event.process);
        let padded = format!("{label:<width$}", width = self.width);
        let shown = match self.colour_of(&event.process) {
            Some(code) => format!("\u{1b}[{code}m{padded}\u{1b}[0m"),
            None => padded,
        };
        message_lines(&event.message).map(|line| format!("{shown}  {}", redactor.relay(line))).collect()
    }

    fn colour_of(&self, process: &str) -> Option<&'static str> {
        let index = self.processes.iter().position(|known| known == process)?;
        self.colour.then(|| PALETTE[index % PALETTE.len()])
    }
}

/// One event as a JSON line (docs/logs.md): stable member names, the time in RFC 3339 (UTC,
/// milliseconds), the whole task id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsonLine {
    pub process: String,
    pub task: String,
    pub timestamp: String,
    pub message: String,
}

impl JsonLine {
    pub fn of(event: &LogEvent, redactor: &Redactor) -> Self {
        let message: Vec<String> = message_lines(&event.message).map(|line| redactor.redact(line)).collect();
        Self {
            process: event.process.clone(),
            task: event.task().to_owned(),
            timestamp: timestamp::format(event.timestamp),
            message: message.join("\n"),
        }
    }
}

/// A message's lines, without the line break it usually ends with.
fn message_lines(message: &str) -> impl Iterator<Item = &str> {
    let message = message.strip_suffix('\n').unwrap_or(message);
    let message = message.strip_suffix('\r').unwrap_or(message);
    message.split('\n').map(|line| line.strip_suffix('\r').unwrap_or(line))
}
