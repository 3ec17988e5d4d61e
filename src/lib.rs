//! maestro: from a commit to running AWS ECS services, from any CI.
//!
//! `core` is pure (inputs, naming, planning); the other modules are the I/O shell around it.
//! ARCHITECTURE.md has the map.

pub mod aws;
pub mod build;
pub mod cli;
pub mod commands;
pub mod core;
pub mod detection;
pub mod engine;
pub mod error;
pub mod git_checkout;
pub mod logging;
pub mod registry;
pub mod reporters;
pub mod workflow;
pub mod workspace;
