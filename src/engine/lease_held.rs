//! The lease this run holds: read back before a write (unless it was written moments ago),
//! named when lost, renewed in the background.

use std::sync::{Arc, PoisonError};
use std::time::Instant;

use super::{Held, generation_name, generations, lease};
use crate::clock::unix_seconds;
use crate::error::Failure;
use maestro_core::lease::{Standing, standing};

impl Held {
    /// Whether this run's lease is surely valid unread: written less than half its TTL ago. Only an
    /// expired lease is taken over; the other half covers other runners' clocks and the next writes.
    pub(super) fn surely_valid(&self) -> bool {
        let written = *self.written.lock().unwrap_or_else(PoisonError::into_inner);
        written.is_some_and(|written| written.elapsed() < self.ttl / 2)
    }

    /// Whether this run still holds the lease, read back from SSM.
    pub(super) async fn standing(&self) -> Result<Standing, Failure> {
        let found = generations(&self.ssm, &self.folder).await?;
        Ok(standing(&found, self.generation, &self.owner, unix_seconds()))
    }

    /// Why this run may not write: it lost the lease (`standing`).
    pub(super) fn lost(&self, standing: &Standing) -> Failure {
        let message = match standing {
            Standing::Lost(holder) => {
                format!("the deploy lease of {} is no longer this run's: {holder} holds it", self.what)
            }
            _ => format!("the deploy lease of {} expired before this run renewed it", self.what),
        };
        Failure::new(message)
            .detail(format!(
                "this run stopped before writing: its lease ({}) was not renewed within MAESTRO_LOCK_TTL ({} s), so another deploy could take it over",
                generation_name(&self.folder, self.generation),
                self.ttl.as_secs()
            ))
            .hint("this run stalled (a frozen runner, or SSM unreachable); the other deploy goes on: run this one again once it has finished if it is still wanted")
    }

    /// Renews the lease every third of its TTL while this run holds it. Only this run's own
    /// generation is written, and only after it was read back as held and valid: a late renewal
    /// never revives an expired lease, nor touches the next holder's.
    pub(super) async fn renew_until_lost(self: Arc<Self>) {
        loop {
            tokio::time::sleep(self.ttl / 3).await;
            match self.standing().await {
                Ok(Standing::Holds) => {
                    let name = generation_name(&self.folder, self.generation);
                    let (at, value) = (Instant::now(), lease(&self.owner, self.run_url.as_deref(), self.ttl));
                    match self.ssm.overwrite(&name, &value).await {
                        Ok(()) => *self.written.lock().unwrap_or_else(PoisonError::into_inner) = Some(at),
                        Err(error) => tracing::warn!("{}", error.message),
                    }
                }
                Ok(lost) => {
                    tracing::warn!("{}: maestro stops before its next write", self.lost(&lost).message);
                    return;
                }
                Err(error) => tracing::warn!("{}", error.message),
            }
        }
    }
}
