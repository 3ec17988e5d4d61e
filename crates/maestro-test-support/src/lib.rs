//! What maestro's tests share: the AWS emulator that `scripts/test.sh` starts, one emulator
//! account per test, the repository's own paths and scratch copies of the example app, a real
//! OCI registry, and a CI's OIDC token endpoint.

// Test code: a failed unwrap is a failed test, and a skipped test says so on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

pub mod aws_account;
pub mod emulator;
pub mod oci;
pub mod oidc;
pub mod repository;

pub use aws_account::{Network, TestAccount, scripted};
pub use emulator::moto_url;
pub use repository::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, ScratchApp, repository_root};
