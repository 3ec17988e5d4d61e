//! Hides known secret values in text maestro relays (pack's output), in every CI: GitHub's
//! masking only works on GitHub, and a buildpack may print its environment anywhere.

/// Values shorter than this are not hidden: they are words (`true`, `web`, `3000`) more often than
/// secrets, and hiding them everywhere would garble the build's log.
pub const SHORTEST_HIDDEN: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// Longest first, so a value containing another is hidden whole.
    values: Vec<String>,
}

impl Redactor {
    /// Hides each of `secrets`; a multi-line value is hidden line by line, as it is printed.
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a str>) -> Self {
        let mut values: Vec<String> = secrets
            .into_iter()
            .flat_map(str::lines)
            .map(str::trim)
            .filter(|line| line.chars().count() >= SHORTEST_HIDDEN)
            .map(str::to_owned)
            .collect();
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_value_and_every_line_of_a_multi_line_one_is_hidden() {
        let redactor =
            Redactor::new(["s3cr3t-token", "-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----", "abc", "s3cr3t"]);
        assert_eq!(redactor.redact("token=s3cr3t-token and s3cr3t"), "token=*** and ***");
        assert_eq!(redactor.redact("  MIIBOgIBAAJBAK"), "  ***");
        assert_eq!(
            redactor.redact("abc stays: too short to be told from a word"),
            "abc stays: too short to be told from a word"
        );
    }
}
