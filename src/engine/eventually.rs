//! Trying a call again while AWS catches up with an earlier write: the adapter says which answers
//! mean "not yet" and for how long (`maestro_core::eventual`), this loop waits and tries again.

use std::future::Future;
use std::time::Duration;

use crate::aws::CallError;
use crate::clock::Stopwatch;
use crate::error::Failure;
use maestro_core::eventual::Patience;

/// `attempt` until it succeeds or fails for good, or until the window its "not yet" answer
/// allows is spent; the waits grow from `first_wait` (the poll interval). `what` names the call
/// in the progress lines.
pub(crate) async fn eventually<T, Attempt>(
    first_wait: Duration,
    what: &str,
    mut attempt: impl FnMut() -> Attempt,
) -> Result<T, Failure>
where
    Attempt: Future<Output = Result<T, CallError>>,
{
    let watch = Stopwatch::start();
    let mut patience: Option<Patience> = None;
    loop {
        let (failure, window) = match attempt().await {
            Ok(value) => return Ok(value),
            Err(CallError::Final(failure)) => return Err(failure),
            Err(CallError::NotYet { failure, window }) => (failure, window),
        };
        let patience = patience.get_or_insert_with(|| Patience::new(window, first_wait));
        let Some(wait) = patience.next_wait(watch.elapsed()) else {
            let waited = patience.window().as_secs();
            return Err(failure.detail(format!("maestro tried again for {waited}s: AWS still answers the same")));
        };
        tracing::info!(
            "{what}: AWS has not caught up yet ({}); trying again in {:.1}s",
            failure.message,
            wait.as_secs_f64()
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_yet(window: Duration) -> CallError {
        CallError::NotYet { failure: Failure::new("ValidationException: ECS service doesn't exist"), window }
    }

    #[tokio::test]
    async fn a_not_yet_answer_is_tried_again_until_it_succeeds() {
        let mut tries = 0;
        let result = eventually(Duration::from_millis(1), "register", || {
            tries += 1;
            let answer = if tries < 3 { Err(not_yet(Duration::from_secs(5))) } else { Ok(tries) };
            std::future::ready(answer)
        })
        .await;
        assert_eq!(result, Ok(3));
    }

    #[tokio::test]
    async fn a_final_answer_is_not_tried_again() {
        let mut tries = 0;
        let result: Result<(), Failure> = eventually(Duration::from_millis(1), "register", || {
            tries += 1;
            std::future::ready(Err(CallError::Final(Failure::new("AccessDeniedException"))))
        })
        .await;
        assert_eq!((result.unwrap_err().message.as_str(), tries), ("AccessDeniedException", 1));
    }

    #[tokio::test]
    async fn the_window_bounds_the_tries_and_the_failure_says_so() {
        let mut tries = 0;
        let result: Result<(), Failure> = eventually(Duration::from_millis(20), "register", || {
            tries += 1;
            std::future::ready(Err(not_yet(Duration::from_millis(50))))
        })
        .await;
        let failure = result.unwrap_err();
        assert_eq!(failure.message, "ValidationException: ECS service doesn't exist");
        assert_eq!(failure.details, ["maestro tried again for 0s: AWS still answers the same"]);
        // Waits of 20 ms then the 30 ms left: three tries, the last when the window closes.
        assert!((2..=4).contains(&tries), "{tries}");
    }
}
