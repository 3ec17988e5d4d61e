//! Random tokens, unique to a run: heredoc delimiters of step outputs, the stop-commands token of
//! a log group, the key that finds this run's GitHub deployment again, the lease owner and the
//! build's private folder. They must not be guessed by text a run relays (pack's output), nor
//! collide between runs; they guard nothing secret, so the standard library's per-process random
//! hasher keys are enough and no RNG crate is needed.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// 16 lowercase hex digits, different on every call.
pub(crate) fn token() -> String {
    // Every `RandomState` of a process differs from the last (std bumps its keys), and the first
    // one's keys come from the OS.
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(u64::from(std::process::id()));
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_sixteen_hex_digits_and_never_repeat() {
        let tokens: Vec<String> = (0..100).map(|_| token()).collect();
        for token in &tokens {
            assert_eq!(token.len(), 16, "{token}");
            assert!(token.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{token}");
        }
        let distinct: std::collections::BTreeSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len());
    }
}
