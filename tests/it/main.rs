//! One integration-test binary: the CLI as a user runs it, and checks on the repository itself.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod architecture;
mod bad_input;
mod ci_scenarios;
mod docs;
mod plan_cli;
mod support;
