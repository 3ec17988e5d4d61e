//! Cancellation: the CI cancelling the job. A phase that can take long (the build, the wait for
//! the rollouts) races its work against [`requested`] and cleans up when it wins.

/// Resolves when the CI cancels the job (SIGINT or SIGTERM).
pub(crate) async fn requested() {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminated = async {
        match terminate.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminated => {}
    }
}
