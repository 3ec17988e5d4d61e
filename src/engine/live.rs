//! How the services' wait shows itself. On a terminal (stderr is one, and no CI runs the job): one
//! line per service with a spinner, redrawn in place (indicatif), as Copilot shows a deployment.
//! In CI, or when stderr is a file or a pipe: plain status lines, which a log keeps, printed when
//! something changes and at least every MAESTRO_PROGRESS_INTERVAL. Both write to stderr only:
//! stdout is the report. Lines that stay (ECS's events, a service's end) go through `say`, which on
//! a terminal lifts the live lines out of the way first, so tracing's lines are never torn.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The live lines of a terminal, or nothing (plain lines).
pub(crate) enum View {
    Lines,
    Live { board: MultiProgress, bars: BTreeMap<String, ProgressBar> },
}

/// A live view only for a person at a terminal: a CI log (any CI's, `Ci::unattended`) would keep
/// every redraw.
pub(crate) fn wanted(stderr_is_terminal: bool, unattended: bool) -> bool {
    stderr_is_terminal && !unattended
}

/// How often the spinner turns: alive between polls, which come seconds apart.
const SPIN: Duration = Duration::from_millis(120);

impl View {
    /// The view for a wait on `services`, as the run's terminal and CI call for.
    pub(crate) fn for_wait(unattended: bool, services: &[&str]) -> Self {
        if !wanted(std::io::stderr().is_terminal(), unattended) {
            return Self::Lines;
        }
        let board = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("{spinner} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bars = services
            .iter()
            .map(|service| {
                let bar = board.add(ProgressBar::new_spinner().with_style(style.clone()));
                bar.set_message(format!("{service}: waiting for ECS"));
                bar.enable_steady_tick(SPIN);
                ((*service).to_owned(), bar)
            })
            .collect();
        Self::Live { board, bars }
    }

    /// Plain lines: the caller prints each status line itself.
    pub(crate) fn plain(&self) -> bool {
        matches!(self, Self::Lines)
    }

    /// `service`'s live line says `line` (nothing in plain lines).
    pub(crate) fn status(&self, service: &str, line: &str) {
        if let Self::Live { bars, .. } = self
            && let Some(bar) = bars.get(service)
        {
            bar.set_message(line.to_owned());
        }
    }

    /// Prints a line that stays (through `print`, which logs it), above the live lines.
    pub(crate) fn say(&self, print: impl FnOnce()) {
        match self {
            Self::Lines => print(),
            Self::Live { board, .. } => board.suspend(print),
        }
    }

    /// `service`'s wait is over: its live line goes (its end is said as a line that stays).
    pub(crate) fn done(&self, service: &str) {
        if let Self::Live { bars, .. } = self
            && let Some(bar) = bars.get(service)
        {
            bar.finish_and_clear();
        }
    }
}

impl Drop for View {
    /// A wait that ends, fails or is cancelled leaves no live line behind.
    fn drop(&mut self) {
        if let Self::Live { bars, .. } = self {
            for bar in bars.values() {
                bar.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_terminal_outside_ci_gets_the_live_view() {
        assert!(wanted(true, false));
        for (terminal, unattended) in [(false, false), (true, true), (false, true)] {
            assert!(!wanted(terminal, unattended), "{terminal} {unattended}");
        }
    }

    #[test]
    fn in_plain_lines_the_view_prints_what_it_is_given_and_draws_nothing() {
        let view = View::for_wait(true, &["web"]);
        assert!(view.plain());
        view.status("web", "web: 1/2 running, 1 pending (new deployment), 3s");
        let mut said = false;
        view.say(|| said = true);
        view.done("web");
        assert!(said, "a line that stays is printed");
    }
}
