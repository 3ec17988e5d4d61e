//! maestro's pure core: input parsing, naming, the deploy request, the planner, the diff, the
//! verdicts on releases and rollouts, and the payloads reports send.
//!
//! Architecture invariant: this crate performs no I/O. It reads no environment variable, no file
//! and no clock; its manifest has no async runtime, AWS SDK, HTTP client or tracing, so none can be
//! imported. The `maestro` binary passes everything in as values.

pub mod abort;
pub mod account_guard;
pub mod app;
pub mod aws_profiles;
pub mod backoff;
pub mod build;
pub mod ci;
pub mod credential_sources;
pub mod credentials;
pub mod destroy;
pub mod env;
pub mod eventual;
#[cfg(test)]
mod fixtures;
pub mod fuzz;
pub mod history;
pub mod init;
pub mod input;
pub mod input_error;
pub mod lease;
pub mod logs;
pub mod naming;
pub mod oidc_doctor;
pub mod one_off;
pub mod pacing;
pub mod permissions;
pub mod plan;
pub mod platform;
pub mod preview;
pub mod provision;
pub mod queue;
pub mod redact;
pub mod release;
pub mod report;
pub mod request;
pub mod restart;
pub mod resume;
pub mod rollback;
pub mod rollout;
pub mod secret;
pub mod settings;
pub mod spec;
pub mod status;
pub mod test_phase;
pub mod text;
pub mod types;
pub mod verify;
