//! When to send an HTTP request again, decided by a pure function of the attempt and what came
//! back, so every rule is unit-tested without a server. Each caller's policy is named here, side
//! by side: the reporters', the registry lookup's and the OIDC token request's.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use maestro_core::backoff::Backoff;

/// The longest maestro waits before a retry: a code host that is down or slow costs the deploy a
/// few seconds, never its result. A refusal asking for longer ends the retries.
const LONGEST_WAIT: Duration = Duration::from_secs(20);
const ATTEMPTS: u32 = 3;

/// Whether sending a request twice is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeat {
    /// A create or a marker: sent again only after an answer that says it had no effect (a
    /// refusal); a 5xx or a lost answer may hide a request that took effect.
    OnlyIfRefused,
    /// A read: also sent again after a 5xx or a lost answer.
    Safe,
}

/// What counts as a refusal ("not now") and how long it makes maestro wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusals {
    /// A rate limit as GitHub signals it (429, or 403 with `Retry-After` or
    /// `x-ratelimit-remaining: 0`), retried after the wait it asks for.
    AsAsked,
    /// A 429, retried after the back-off like a 5xx; its headers are not read.
    BackedOff,
    /// None: a 429 is an answer like any other.
    Answers,
}

/// How one caller's requests are retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// How many times a request is sent at most.
    attempts: u32,
    /// The waits between attempts when the server names none.
    backoff: Backoff,
    repeat: Repeat,
    refusals: Refusals,
}

/// One attempt's outcome, as the policy sees it.
#[derive(Debug)]
pub(crate) enum Attempt<'a> {
    Answered {
        status: StatusCode,
        headers: &'a HeaderMap,
    },
    /// No answer: the connection failed or timed out.
    Unanswered,
}

/// What to do after one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// The outcome is final: an answer not worth retrying, or no answer to a request that may not
    /// be repeated.
    Done,
    /// Send the request again after this wait.
    RetryAfter(Duration),
    /// Worth retrying, but that was the last attempt.
    OutOfAttempts,
    /// A refusal (`status`) asking to wait longer than maestro waits.
    AskedTooLong { status: StatusCode, wait: Duration },
}

impl RetryPolicy {
    /// The reporters': three attempts, refusals waited out as asked, 0.5 s then 1 s otherwise.
    pub(crate) fn reporting(repeat: Repeat) -> Self {
        Self {
            attempts: ATTEMPTS,
            backoff: Backoff::doubling(Duration::from_millis(500), LONGEST_WAIT),
            repeat,
            refusals: Refusals::AsAsked,
        }
    }

    /// The registry lookup (a `HEAD`): three attempts on 5xx, 429 and lost answers, 1 s then 2 s
    /// apart.
    pub(crate) fn registry_lookup() -> Self {
        Self {
            attempts: ATTEMPTS,
            backoff: Backoff::doubling(Duration::from_secs(1), LONGEST_WAIT),
            repeat: Repeat::Safe,
            refusals: Refusals::BackedOff,
        }
    }

    /// The runner's OIDC token service: three attempts on 5xx and lost answers, 0.5 s then 1 s
    /// apart; any 4xx is final (it means the job has no `id-token: write`).
    pub(crate) fn token_request() -> Self {
        Self {
            attempts: ATTEMPTS,
            backoff: Backoff::doubling(Duration::from_millis(500), LONGEST_WAIT),
            repeat: Repeat::Safe,
            refusals: Refusals::Answers,
        }
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.attempts
    }

    /// After attempt number `attempt` (from 1) ended in `outcome`; `now` is Unix seconds, for
    /// `x-ratelimit-reset`.
    pub(crate) fn decide(&self, attempt: u32, outcome: &Attempt<'_>, now: u64) -> Decision {
        let safe = self.repeat == Repeat::Safe;
        // A refusal and the wait it asks for: the request had no effect, so it may be sent again.
        let mut asked = None;
        let retryable = match *outcome {
            Attempt::Unanswered => safe,
            Attempt::Answered { status, headers } => {
                if self.refusals == Refusals::AsAsked {
                    asked = refused_for(status, headers, now).map(|wait| (status, wait));
                }
                asked.is_some()
                    || (safe && status.is_server_error())
                    || (self.refusals == Refusals::BackedOff && status == StatusCode::TOO_MANY_REQUESTS)
            }
        };
        if !retryable {
            return Decision::Done;
        }
        if attempt >= self.attempts {
            return Decision::OutOfAttempts;
        }
        match asked {
            Some((status, wait)) if wait > LONGEST_WAIT => Decision::AskedTooLong { status, wait },
            Some((_, wait)) => Decision::RetryAfter(wait),
            None => Decision::RetryAfter(self.backoff.nth_wait(attempt - 1)),
        }
    }
}

/// How long a rate-limited answer asks to wait: `Retry-After` seconds, else until
/// `x-ratelimit-reset` (at least 1 s), else 1 s. `None` when the answer is no rate limit.
fn refused_for(status: StatusCode, headers: &HeaderMap, now: u64) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let limited = status == StatusCode::TOO_MANY_REQUESTS
        || (status == StatusCode::FORBIDDEN
            && (header("retry-after").is_some() || header("x-ratelimit-remaining") == Some("0")));
    if !limited {
        return None;
    }
    if let Some(seconds) = header("retry-after").and_then(|value| value.trim().parse::<u64>().ok()) {
        return Some(Duration::from_secs(seconds));
    }
    let reset = header("x-ratelimit-reset").and_then(|value| value.parse::<u64>().ok());
    Some(Duration::from_secs(reset.map_or(1, |reset| reset.saturating_sub(now).max(1))))
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
