//! Reconciling the desired state with what exists in AWS: the pure half.
//!
//! The shell observes the live resources into [`observed::Observed`]; [`diff::actions`] compares
//! them with the plan over the fields maestro owns and returns the ordered actions to apply. A
//! converged app yields no action, so a second run writes nothing.

pub mod action;
mod action_sentence;
pub mod adoption;
pub mod canonical;
pub mod compare;
pub mod diff;
pub mod observed;
pub mod ownership;
pub mod preflight;
pub mod priority;
pub mod review;
pub mod rollback_alarm;
pub mod service_change;
pub mod stage;
pub mod stop;
pub mod traffic;
