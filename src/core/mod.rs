//! The pure core: input parsing, naming, the deploy request and the planner.
//!
//! Architecture invariant: nothing under `core/` performs I/O. It reads no environment variable,
//! no file and no clock, and imports no async runtime, AWS SDK or HTTP client; the shell passes
//! everything in as values (`tests/it/architecture.rs` enforces this).

pub mod app;
pub mod build;
pub mod ci;
pub mod credentials;
pub mod env;
pub mod env_vars;
pub mod fuzz;
pub mod input_error;
pub mod lease;
pub mod naming;
pub mod plan;
pub mod provision;
pub mod redact;
pub mod release;
pub mod report;
pub mod request;
pub mod rollout;
pub mod secret;
pub mod settings;
pub mod spec;
