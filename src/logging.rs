//! Logging: tracing to stderr, so stdout carries only data.

use tracing_subscriber::EnvFilter;

use maestro_core::env::Env;
use maestro_core::input::vars as var;

/// `-v` shows debug events, `-vv` trace; `MAESTRO_DEBUG=true` counts as `-v`.
pub(crate) fn init(verbose: u8, env: &Env) {
    let debug = env.get(var::MAESTRO_DEBUG).is_some_and(|value| value.trim().eq_ignore_ascii_case("true"));
    let level = match (verbose, debug) {
        (0, false) => "info",
        (0 | 1, _) => "debug",
        _ => "trace",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(format!("maestro={level}")))
        .with_writer(std::io::stderr)
        .with_target(false)
        .without_time()
        .with_ansi(env.get(var::NO_COLOR).is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
