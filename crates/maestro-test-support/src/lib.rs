//! What maestro's tests share: the AWS emulator that `scripts/test.sh` starts and raw calls to
//! it, one emulator account per test, the repository's own paths, scratch folders, running the
//! CLI and asserting on it, a real OCI registry, and a CI's OIDC token endpoint.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod aws_account;
pub mod cli;
pub mod emulator;
pub mod oci;
pub mod oidc;
pub mod repository;
pub mod runner;
pub mod scratch;

pub use aws_account::{Network, TestAccount, scripted};
pub use cli::{Outcome, Watched, cancel_when, run};
pub use emulator::{
    EmulatorCall, deny, ecs_throttled, issue_certificate, journal, moto_url, plan_rollout, plan_slow_rollout,
    plan_task, scale_clock, service_deployment_trace, start_journal, throttle_ecs, xml_values,
};
pub use repository::{EXAMPLE_APP, EXAMPLE_ENV, EXAMPLE_REPOSITORY, EXAMPLE_TAG, repository_root, rust_files};
pub use scratch::Scratch;
