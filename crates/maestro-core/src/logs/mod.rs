//! `maestro logs`, the pure half: where a read starts (`--since`), the events of every process
//! merged into one time order, the follow's de-duplication, and each line as it is printed.
//! The binary reads CloudWatch Logs (`aws::logs`) and polls (`engine::logs`).

pub mod events;
pub mod line;
pub mod since;
pub mod sources;
pub mod timestamp;

pub use events::{LogEvent, Seen, merge};
pub use since::Since;

#[cfg(test)]
mod tests;
