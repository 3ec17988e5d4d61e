//! An image reference maestro hands to pack (`--builder`, `--run-image`).

use super::{Invalid, text_type};

/// `heroku/builder:24`, `registry.example.com:5000/team/run@sha256:…`: pack and the registry
/// check the grammar; maestro refuses what would split into two arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef(String);
text_type!(ImageRef);

impl ImageRef {
    /// The hint names a run image; the builder's caller gives its own with [`Invalid::with_hint`].
    pub fn parse(text: &str) -> Result<Self, Invalid> {
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            Err(Invalid::new(format!("`{text}` is not an image reference"), "name an image such as `heroku/heroku:24`"))
        } else {
            Ok(Self(text.to_owned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_whitespace_in_a_reference() {
        assert!(ImageRef::parse("registry.example.com:5000/team/run@sha256:abc").is_ok());
        assert!(ImageRef::parse("heroku/builder 24").is_err());
    }
}
