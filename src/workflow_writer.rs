//! The one writer of the GitHub workflow commands that change how the runner reads the rest of the
//! log: `::add-mask::`, and `::group::` with its `::stop-commands::` block.
//!
//! The runner does not process `::add-mask::` inside a stop-commands block: it prints the line, and
//! the secret with it (actions/runner `ActionCommandManager.TryProcessCommand`, "Currently
//! stopped": anything but the resume token returns false and `OutputManager` prints it). A mask
//! can be needed at any moment (the SDK refreshes the OIDC session from whichever task makes a
//! call), so every mask goes through this writer: when a block is open it closes the block, writes
//! the mask, and opens a new block with a fresh token (the old one has been printed by then, and
//! relayed text could now resume with it). One process-wide lock keeps the sequence whole across
//! threads, and each sequence is one write to stderr, so no other line lands inside it.

use std::io::Write;
use std::sync::Mutex;

use crate::random;
use maestro_core::text::workflow_command;

static WRITER: Mutex<Writer> = Mutex::new(Writer { open: None });

/// Which stop-commands block is open, if any.
#[derive(Debug)]
struct Writer {
    open: Option<String>,
}

impl Writer {
    /// The lines that mask `secret` from now on: each trimmed line of it, and a multi-line value
    /// whole too; data escaped as the runner unescapes it (`%25`, `%0D`, `%0A`), so a secret that
    /// holds `%25` is registered as written.
    fn mask(&mut self, secret: &str, fresh_token: impl FnOnce() -> String) -> String {
        let mut masks: Vec<&str> = secret.split(['\r', '\n']).map(str::trim).filter(|line| !line.is_empty()).collect();
        if secret.trim().contains(['\n', '\r']) {
            masks.insert(0, secret);
        }
        if masks.is_empty() {
            return String::new();
        }
        let lines: String =
            masks.iter().map(|mask| format!("::add-mask::{}\n", workflow_command::data(mask))).collect();
        match self.open.take() {
            None => lines,
            Some(token) => {
                let fresh = fresh_token();
                let text = format!("::{token}::\n{lines}::stop-commands::{fresh}\n");
                self.open = Some(fresh);
                text
            }
        }
    }

    /// Opens a group whose commands are stopped until [`Writer::end_group`].
    fn group(&mut self, title: &str, token: String) -> String {
        let mut text = self.end_group();
        // The title is command data: a line break in it would end the command early.
        text.push_str(&format!("::group::{}\n::stop-commands::{token}\n", workflow_command::data(title)));
        self.open = Some(token);
        text
    }

    /// Resumes commands (with whichever token is current) and ends the group.
    fn end_group(&mut self) -> String {
        match self.open.take() {
            Some(token) => format!("::{token}::\n::endgroup::\n"),
            None => String::new(),
        }
    }
}

/// Writes what `step` returns to stderr, in one write, under the writer's lock.
fn write(step: impl FnOnce(&mut Writer) -> String) {
    let mut writer = WRITER.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let text = step(&mut writer);
    if !text.is_empty() {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Masks `secret` from now on, wherever the log is (see the module's comment).
pub(crate) fn mask(secret: &str) {
    write(|writer| writer.mask(secret, stop_token));
}

/// `::group::` with commands stopped inside, so relayed text cannot issue any.
pub(crate) fn start_group(title: &str) {
    write(|writer| writer.group(title, stop_token()));
}

/// A new stop-commands token: random, so relayed text cannot resume commands by guessing it.
fn stop_token() -> String {
    format!("maestro-{}", random::token())
}

pub(crate) fn end_group() {
    write(Writer::end_group);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> impl FnMut() -> String {
        let mut next = 0;
        move || {
            next += 1;
            format!("fresh-{next}")
        }
    }

    #[test]
    fn a_mask_inside_a_group_closes_the_block_and_reopens_it_with_a_fresh_token() {
        let mut writer = Writer { open: None };
        let mut fresh = tokens();
        assert_eq!(writer.group("Roll out", "first-token".into()), "::group::Roll out\n::stop-commands::first-token\n");
        assert_eq!(
            writer.mask("ASIAKEY", &mut fresh),
            "::first-token::\n::add-mask::ASIAKEY\n::stop-commands::fresh-1\n"
        );
        assert_eq!(writer.mask("secret2", &mut fresh), "::fresh-1::\n::add-mask::secret2\n::stop-commands::fresh-2\n");
        assert_eq!(writer.end_group(), "::fresh-2::\n::endgroup::\n");
        assert_eq!(writer.mask("outside", &mut fresh), "::add-mask::outside\n");
        assert_eq!(writer.end_group(), "", "no group is open");
    }

    #[test]
    fn mask_data_is_escaped_and_a_multi_line_value_masked_whole_and_line_by_line() {
        let mut writer = Writer { open: None };
        assert_eq!(writer.mask("p%25ss", tokens()), "::add-mask::p%2525ss\n");
        assert_eq!(
            writer.mask("-----BEGIN-----\r\n  MIIB \n-----END-----", tokens()),
            "::add-mask::-----BEGIN-----%0D%0A  MIIB %0A-----END-----\n::add-mask::-----BEGIN-----\n::add-mask::MIIB\n::add-mask::-----END-----\n"
        );
        assert_eq!(writer.mask(" \n ", tokens()), "", "nothing to mask");
    }

    #[test]
    fn a_title_cannot_end_its_command_and_a_new_group_ends_the_open_one() {
        let mut writer = Writer { open: None };
        assert_eq!(
            writer.group("build web\n::error::fake 100%", "a".into()),
            "::group::build web%0A::error::fake 100%25\n::stop-commands::a\n"
        );
        assert_eq!(writer.group("next", "b".into()), "::a::\n::endgroup::\n::group::next\n::stop-commands::b\n");
    }
}
