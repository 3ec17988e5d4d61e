//! Hides known secret values in text maestro relays (pack's output, the app's log lines), in every
//! CI: GitHub's masking only works on GitHub, and a buildpack or an app may print its environment
//! anywhere.
//!
//! A tool seldom prints a value only as written: a buildpack dumps its environment as JSON, a URL
//! carries it percent-encoded, a config file base64-encodes it. Each value is hidden in those
//! forms too, as the GitHub runner's own masker does (its `SecretMasker` encoders: base64 at the
//! three byte alignments, URI-escaped, JSON-escaped).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};

use crate::text::{percent, workflow_command};

/// Values shorter than this are not hidden: they are words (`true`, `web`, `3000`) more often than
/// secrets, hiding them everywhere would garble the log, and a value that short is guessed by
/// trying them all, hidden or not. (On GitHub they are still masked: the runner decides.)
pub const SHORTEST_HIDDEN: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Every form of every value, longest first, so a value containing another is hidden whole.
    values: Vec<String>,
}

impl Redactor {
    /// Hides each of `secrets`; a multi-line value is hidden line by line, as it is printed, and
    /// whole in its encoded forms (where its line breaks are escaped).
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut values = Vec::new();
        for secret in secrets {
            let lines = secret.split(['\r', '\n']).map(str::trim).filter(|line| !line.is_empty());
            for value in std::iter::once(secret).chain(lines) {
                if value.chars().count() >= SHORTEST_HIDDEN {
                    values.push(value.to_owned());
                    values.extend(encoded_forms(value));
                }
            }
        }
        values.retain(|value| value.chars().count() >= SHORTEST_HIDDEN);
        values.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        Self { values }
    }

    pub fn redact(&self, line: &str) -> String {
        let mut out = line.to_owned();
        for value in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), "***");
            }
        }
        out
    }

    /// A relayed line (text maestro did not write), redacted and unable to be a workflow command.
    pub fn relay(&self, line: &str) -> String {
        workflow_command::inert(&self.redact(line))
    }
}

/// The forms a tool may print `value` in: JSON-escaped, percent-encoded (RFC 3986, and with `+`
/// for spaces as HTML forms do), and base64 (standard and URL-safe alphabets) at each of the three
/// alignments it can start at inside a longer encoded text.
fn encoded_forms(value: &str) -> Vec<String> {
    let mut forms = vec![json_escaped(value), percent::encode(value), percent::encode(value).replace("%20", "+")];
    for offset in 0..3 {
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            forms.push(base64_at(engine, value.as_bytes(), offset));
        }
    }
    forms.retain(|form| form != value);
    forms
}

/// The characters of the base64 of `value`, preceded by `offset` unknown bytes and followed by
/// more, that depend on `value` alone: the leading ones mix in the bytes before it and the last
/// partial one the bytes after.
fn base64_at(engine: &base64::engine::GeneralPurpose, value: &[u8], offset: usize) -> String {
    let mut bytes = vec![0; offset];
    bytes.extend_from_slice(value);
    let encoded = engine.encode(&bytes);
    let first = (offset * 8).div_ceil(6);
    let last = (bytes.len() * 8) / 6;
    encoded.get(first..last).unwrap_or_default().to_owned()
}

/// `value` as it reads between the quotes of a JSON string (serde_json's escaping).
fn json_escaped(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default().to_owned()
}

#[cfg(test)]
#[path = "redact_tests.rs"]
mod tests;
