//! A commit, named by its SHA.
//!
//! Three questions, three rules, all here:
//! - [`CommitSha::parse`]: a commit a user or a CI names (`--sha`, `GITHUB_SHA`): 8 to 40
//!   hexadecimal characters, because the image tag is its first 8;
//! - [`CommitSha::full`]: the SHA `.git` records for a ref: exactly 40;
//! - [`CommitSha::looks_abbreviated`]: whether a reference such as CodeBuild's source version
//!   is a commit rather than a branch name: 7 to 40, git's shortest abbreviation and up.

use super::{Invalid, text_type};

/// A commit SHA, lower-cased, 8 to 40 hexadecimal characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitSha(String);
text_type!(CommitSha);

const FULL: usize = 40;
/// The image tag is the first 8 characters, so a shorter SHA cannot name an image.
const SHORTEST: usize = 8;
/// git never abbreviates a SHA below 7 characters.
const SHORTEST_ABBREVIATION: usize = 7;

fn is_hex(text: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit())
}

impl CommitSha {
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if is_hex(text, SHORTEST..=FULL) {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(Invalid::new(
                format!("`{text}` is not a commit SHA"),
                "give the commit's hexadecimal SHA, at least its first 8 characters (`git rev-parse HEAD`)",
            ))
        }
    }

    /// A full 40-character SHA, as a ref file or `packed-refs` holds it; `None` for anything else.
    pub fn full(text: &str) -> Option<Self> {
        is_hex(text, FULL..=FULL).then(|| Self(text.to_ascii_lowercase()))
    }

    /// Whether `text` looks like a commit (7 to 40 hexadecimal characters) rather than a branch.
    pub fn looks_abbreviated(text: &str) -> bool {
        is_hex(text, SHORTEST_ABBREVIATION..=FULL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_at_its_edges() {
        assert_eq!(CommitSha::parse("3F2A9C1D").unwrap(), "3f2a9c1d");
        assert!(CommitSha::parse("3f2a9c1").is_err(), "7 characters name no image tag");
        assert!(CommitSha::parse(&"a".repeat(41)).is_err());
        assert_eq!(CommitSha::parse("HEAD").unwrap_err().message, "`HEAD` is not a commit SHA");
        assert!(CommitSha::full(&"a".repeat(40)).is_some());
        assert!(CommitSha::full(&"a".repeat(39)).is_none());
        assert!(CommitSha::looks_abbreviated("3f2a9c1"));
        assert!(!CommitSha::looks_abbreviated("3f2a9c"));
        assert!(!CommitSha::looks_abbreviated("main"));
    }
}
