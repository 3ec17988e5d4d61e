//! `--output ndjson`'s events, written to stdout as they happen, one JSON object a line
//! (`maestro_core::report::stream`). Off unless the command's output is `ndjson`; any task may
//! emit, and each line is written whole under stdout's lock, so lines never interleave. The
//! report, the stream's last line, is written by `output::Stdout` once the command ends.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use maestro_core::report::stream::StreamEvent;

static ON: AtomicBool = AtomicBool::new(false);

/// Turns the stream on for this run (`--output ndjson`).
pub(crate) fn start() {
    ON.store(true, Ordering::SeqCst);
}

/// Writes `event` as one line, when the stream is on. A failed write is left to the report's
/// own, which says it.
pub(crate) fn emit(event: &StreamEvent) {
    if !ON.load(Ordering::SeqCst) {
        return;
    }
    let Ok(mut line) = serde_json::to_vec(event) else { return };
    line.push(b'\n');
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(&line).and_then(|()| out.flush());
}
