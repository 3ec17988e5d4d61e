//! Running the real `maestro` binary: the shared helpers (`maestro_test_support::cli`) with this
//! crate's binary, whose path only an integration test knows.

use std::process::Command;

pub(crate) use maestro_test_support::{
    EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, Outcome, Scratch, cancel_when, repository_root, run,
};

/// The binary with an empty environment (only PATH), run from the repository root.
pub(crate) fn maestro() -> Command {
    maestro_test_support::cli::command(env!("CARGO_BIN_EXE_maestro"))
}
