//! Logging: tracing to stderr, so stdout carries only data.
//!
//! A warning reads `warning: …` and an error event `error: …`, the labels the final error and
//! its hint use, coloured the same way (`style`); the other levels keep tracing's own format.

use std::fmt;

use tracing::{Event, Level, Subscriber};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::{Format, Full, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use crate::style::Style;
use maestro_core::env::Env;
use maestro_core::input::vars as var;
use maestro_core::text::label::Label;

/// `-v` shows debug events, `-vv` trace; `MAESTRO_DEBUG=true` counts as `-v`.
pub(crate) fn init(verbose: u8, env: &Env, style: Style) {
    let debug = env.get(var::MAESTRO_DEBUG).is_some_and(|value| value.trim().eq_ignore_ascii_case("true"));
    let level = match (verbose, debug) {
        (0, false) => "info",
        (0 | 1, _) => "debug",
        _ => "trace",
    };
    let plain = tracing_subscriber::fmt::format().with_target(false).without_time().with_ansi(style.colour);
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(format!("maestro={level}")))
        .with_writer(std::io::stderr)
        .with_ansi(style.colour)
        .event_format(Labelled { plain, style })
        .try_init();
}

/// Warnings and errors with maestro's labels; every other event as tracing formats it.
struct Labelled {
    plain: Format<Full, ()>,
    style: Style,
}

impl<S, N> FormatEvent<S, N> for Labelled
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(&self, context: &FmtContext<'_, S, N>, mut writer: Writer<'_>, event: &Event<'_>) -> fmt::Result {
        let label = match *event.metadata().level() {
            Level::WARN => Label::Warning,
            Level::ERROR => Label::Error,
            _ => return self.plain.format_event(context, writer, event),
        };
        write!(writer, "{} ", self.style.label(label))?;
        context.format_fields(writer.by_ref(), event)?;
        writeln!(writer)
    }
}
