//! The validated identifiers maestro reads: each has one `parse`, used wherever that value is
//! checked, so one value is never held to two rules.
//!
//! A `parse` answers with [`Invalid`] (what is wrong, and how to fix it); the caller knows which
//! input held the text and turns it into an [`InputError`] there, with [`Invalid::at`].

mod account_id;
mod branch;
mod commit_sha;
mod image_ref;
mod region;
mod repo_slug;
mod resource_id;
mod role_arn;
mod secret_name;

pub use account_id::AccountId;
pub use branch::Branch;
pub use commit_sha::CommitSha;
pub use image_ref::ImageRef;
pub use region::Region;
pub use repo_slug::RepoSlug;
pub use resource_id::is_resource_id;
pub use role_arn::RoleArn;
pub use secret_name::{SecretName, is_secret_arn};

use crate::input::Location;
use crate::input_error::InputError;

/// Why a text is not a valid value: the message and the hint of the input error it becomes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    /// What is wrong, lower case, the value in backticks.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl Invalid {
    fn new(message: String, hint: &str) -> Self {
        Self { message, hint: hint.to_owned() }
    }

    /// The same problem with a hint of the caller's (an example that fits its input).
    pub fn with_hint(self, hint: impl Into<String>) -> Self {
        Self { hint: hint.into(), ..self }
    }

    /// The input error for the input at `location`.
    pub fn at(self, location: impl Into<Location>) -> InputError {
        InputError::new(location, self.message, self.hint)
    }
}

/// A validated text, read as the `&str` it is: `Display`, `Serialize` as a string, `Deref` to
/// `str`, so JSON and messages show it exactly as before it was typed.
macro_rules! text_type {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl From<&$name> for String {
            fn from(value: &$name) -> String {
                value.0.clone()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}
use text_type;
