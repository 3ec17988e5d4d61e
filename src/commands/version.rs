//! `maestro version` (and `--version`): which build this is, for bug reports and for checking
//! that a CI runs the release it pins.

use serde::Serialize;

use crate::output::Report;

/// The commit and date `build.rs` stamped into the binary.
pub(crate) const COMMIT: &str = env!("STAMPED_COMMIT");
pub(crate) const BUILD_DATE: &str = env!("STAMPED_BUILD_DATE");

/// `--version`'s text: `0.1.0 (commit <the 40 hex digits>, built 2026-11-30)`.
pub(crate) const LONG: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("STAMPED_COMMIT"),
    ", built ",
    env!("STAMPED_BUILD_DATE"),
    ")"
);

#[derive(Debug, Serialize)]
pub(super) struct Version {
    version: &'static str,
    commit: &'static str,
    build_date: &'static str,
}

pub(super) fn run() -> Version {
    Version { version: env!("CARGO_PKG_VERSION"), commit: COMMIT, build_date: BUILD_DATE }
}

impl Report for Version {
    fn human(&self) -> String {
        format!("maestro {LONG}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_long_version_is_the_crate_version_commit_and_date() {
        let human = run().human();
        assert!(human.starts_with(&format!("maestro {} (commit ", env!("CARGO_PKG_VERSION"))), "{human}");
        // The date is `YYYY-MM-DD`, from build.rs's own calendar arithmetic.
        let date = BUILD_DATE.as_bytes();
        assert_eq!(date.len(), 10, "{BUILD_DATE}");
        assert!(date.iter().enumerate().all(|(at, byte)| if at == 4 || at == 7 {
            *byte == b'-'
        } else {
            byte.is_ascii_digit()
        }));
    }
}
