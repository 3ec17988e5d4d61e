use super::*;

const NOW: u64 = 1_750_000_000;

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, value.parse().unwrap());
    }
    map
}

/// The decision after attempt `attempt` was answered `status` with `pairs` as headers.
fn after(policy: &RetryPolicy, attempt: u32, status: u16, pairs: &[(&'static str, &str)]) -> Decision {
    let headers = headers(pairs);
    let status = StatusCode::from_u16(status).unwrap();
    policy.decide(attempt, &Attempt::Answered { status, headers: &headers }, NOW)
}

fn lost(policy: &RetryPolicy, attempt: u32) -> Decision {
    policy.decide(attempt, &Attempt::Unanswered, NOW)
}

fn seconds(seconds: u64) -> Decision {
    Decision::RetryAfter(Duration::from_secs(seconds))
}

fn millis(millis: u64) -> Decision {
    Decision::RetryAfter(Duration::from_millis(millis))
}

#[test]
fn a_rate_limit_is_waited_out_as_asked_even_for_a_create() {
    let create = RetryPolicy::reporting(Repeat::OnlyIfRefused);
    assert_eq!(after(&create, 1, 429, &[("retry-after", "7")]), seconds(7));
    assert_eq!(after(&create, 2, 429, &[("retry-after", " 3 ")]), seconds(3));
    assert_eq!(after(&create, 1, 429, &[]), seconds(1));
    // GitHub's secondary rate limit: a 403 that says when to come back.
    assert_eq!(
        after(&create, 1, 403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1750000012")]),
        seconds(12)
    );
    assert_eq!(after(&create, 1, 403, &[("retry-after", "2")]), seconds(2));
    // A reset already past, or unreadable, still waits a second.
    assert_eq!(
        after(&create, 1, 403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1749999990")]),
        seconds(1)
    );
    assert_eq!(after(&create, 1, 403, &[("retry-after", "soon")]), seconds(1));
}

#[test]
fn a_plain_403_is_a_refusal_of_permission_not_a_rate_limit() {
    let create = RetryPolicy::reporting(Repeat::OnlyIfRefused);
    assert_eq!(after(&create, 1, 403, &[]), Decision::Done);
    assert_eq!(after(&create, 1, 403, &[("x-ratelimit-remaining", "4999")]), Decision::Done);
    assert_eq!(after(&create, 1, 401, &[("retry-after", "5")]), Decision::Done);
}

#[test]
fn a_wait_longer_than_maestro_waits_ends_the_retries() {
    let create = RetryPolicy::reporting(Repeat::OnlyIfRefused);
    let forbidden = StatusCode::FORBIDDEN;
    assert_eq!(
        after(&create, 1, 403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1750000600")]),
        Decision::AskedTooLong { status: forbidden, wait: Duration::from_secs(600) }
    );
    assert_eq!(after(&create, 1, 429, &[("retry-after", "20")]), seconds(20));
    assert_eq!(
        after(&create, 1, 429, &[("retry-after", "21")]),
        Decision::AskedTooLong { status: StatusCode::TOO_MANY_REQUESTS, wait: Duration::from_secs(21) }
    );
}

#[test]
fn a_create_is_never_sent_again_after_an_answer_that_may_hide_its_effect() {
    let create = RetryPolicy::reporting(Repeat::OnlyIfRefused);
    assert_eq!(after(&create, 1, 500, &[]), Decision::Done);
    assert_eq!(after(&create, 1, 502, &[("retry-after", "1")]), Decision::Done);
    assert_eq!(lost(&create, 1), Decision::Done);
    for success in [200, 201, 204, 404, 422] {
        assert_eq!(after(&create, 1, success, &[]), Decision::Done, "{success}");
    }
}

#[test]
fn a_safe_request_is_also_sent_again_after_5xx_and_lost_answers() {
    let read = RetryPolicy::reporting(Repeat::Safe);
    assert_eq!(after(&read, 1, 500, &[]), millis(500));
    assert_eq!(lost(&read, 2), millis(1_000));
    assert_eq!(after(&read, 1, 404, &[]), Decision::Done);
    assert_eq!(after(&read, 1, 429, &[("retry-after", "4")]), seconds(4));
}

#[test]
fn the_last_attempt_is_the_last() {
    let create = RetryPolicy::reporting(Repeat::OnlyIfRefused);
    assert_eq!(create.attempts(), 3);
    assert_eq!(after(&create, 3, 429, &[("retry-after", "1")]), Decision::OutOfAttempts);
    // Out of attempts before a long wait is even considered: the answer goes back as it is.
    assert_eq!(after(&create, 3, 429, &[("retry-after", "600")]), Decision::OutOfAttempts);
    assert_eq!(after(&create, 3, 200, &[]), Decision::Done);
    assert_eq!(lost(&RetryPolicy::reporting(Repeat::Safe), 3), Decision::OutOfAttempts);
}

#[test]
fn the_registry_lookup_backs_off_on_5xx_429_and_lost_answers() {
    let lookup = RetryPolicy::registry_lookup();
    assert_eq!(after(&lookup, 1, 503, &[]), seconds(1));
    assert_eq!(after(&lookup, 2, 503, &[]), seconds(2));
    assert_eq!(after(&lookup, 3, 503, &[]), Decision::OutOfAttempts);
    // A 429's headers are not read: the lookup keeps its own pace.
    assert_eq!(after(&lookup, 1, 429, &[("retry-after", "600")]), seconds(1));
    assert_eq!(lost(&lookup, 1), seconds(1));
    // Missing, found, refused: answers, never retried.
    for status in [200, 404, 401, 403] {
        assert_eq!(after(&lookup, 1, status, &[("x-ratelimit-remaining", "0")]), Decision::Done, "{status}");
    }
}

#[test]
fn the_token_request_retries_5xx_and_lost_answers_and_no_refusal() {
    let token = RetryPolicy::token_request();
    assert_eq!(after(&token, 1, 502, &[]), millis(500));
    assert_eq!(lost(&token, 2), millis(1_000));
    assert_eq!(lost(&token, 3), Decision::OutOfAttempts);
    assert_eq!(after(&token, 1, 429, &[("retry-after", "1")]), Decision::Done);
    assert_eq!(after(&token, 1, 403, &[]), Decision::Done);
    assert_eq!(after(&token, 1, 200, &[]), Decision::Done);
}
