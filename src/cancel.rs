//! Cancellation: the CI cancelling the job. A phase that can take long (the build, the release,
//! the wait for the rollouts) races its work against the cancellation and cleans up when it wins.

use tokio::signal::unix::{Signal, SignalKind, signal};

/// The CI's cancellation (SIGINT or SIGTERM), listened for from the moment it is made: a signal
/// that arrives before [`Cancellation::requested`] is awaited is kept, not lost.
pub(crate) struct Cancellation {
    interrupt: Option<Signal>,
    terminate: Option<Signal>,
}

impl Cancellation {
    pub(crate) fn listen() -> Self {
        Self { interrupt: signal(SignalKind::interrupt()).ok(), terminate: signal(SignalKind::terminate()).ok() }
    }

    /// Resolves when the CI cancels the job.
    pub(crate) async fn requested(&mut self) {
        tokio::select! {
            () = received(self.interrupt.as_mut()) => {}
            () = received(self.terminate.as_mut()) => {}
        }
    }
}

/// Resolves when `signal` arrives; never when it could not be listened for.
async fn received(signal: Option<&mut Signal>) {
    match signal {
        Some(signal) => {
            signal.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

/// Resolves when the CI cancels the job, listening from the first poll.
pub(crate) async fn requested() {
    Cancellation::listen().requested().await;
}
