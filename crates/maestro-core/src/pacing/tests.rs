use std::time::Duration;

use super::{MARGIN, Pacer};

const REGISTER: &str = "RegisterTaskDefinition";

fn secs(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds)
}

/// A wait for tokens: `seconds`, plus the margin every wait has.
fn wait(seconds: f64) -> Duration {
    secs(seconds) + MARGIN
}

/// The waits of `count` calls of `action` all reserved at `now`.
fn burst(pacer: &mut Pacer, action: &str, count: usize, now: Duration) -> Vec<Duration> {
    (0..count).map(|_| pacer.reserve(action, now)).collect()
}

#[test]
fn a_full_bucket_lets_the_burst_go_then_spaces_calls_at_the_sustained_rate() {
    let mut pacer = Pacer::default();
    let waits = burst(&mut pacer, REGISTER, 23, Duration::ZERO);
    assert!(waits[..20].iter().all(Duration::is_zero), "{waits:?}");
    assert_eq!(&waits[20..], [wait(1.0), wait(2.0), wait(3.0)]);
}

#[test]
fn fifty_registrations_take_thirty_seconds_and_never_more_than_the_bucket_allows() {
    // ECS's bucket, simulated beside the pacer: each call arrives at its reserved time.
    let mut pacer = Pacer::default();
    let sent: Vec<f64> = burst(&mut pacer, REGISTER, 50, Duration::ZERO).iter().map(Duration::as_secs_f64).collect();
    let (mut tokens, mut at) = (20.0_f64, 0.0);
    for time in &sent {
        tokens = (tokens + (time - at)).min(20.0);
        at = *time;
        assert!(tokens >= 1.0 - 1e-9, "a call at {time} s would be throttled");
        tokens -= 1.0;
    }
    assert_eq!(sent.last().copied(), Some(30.0 + MARGIN.as_secs_f64()));
}

#[test]
fn the_bucket_refills_with_time_up_to_its_burst() {
    let mut pacer = Pacer::default();
    burst(&mut pacer, REGISTER, 20, Duration::ZERO);
    // 2.5 s later: two tokens and a half.
    assert_eq!(burst(&mut pacer, REGISTER, 3, secs(2.5)), [Duration::ZERO, Duration::ZERO, wait(0.5)]);
    // An hour later the bucket holds its burst, no more.
    let later = burst(&mut pacer, REGISTER, 21, secs(3600.0));
    assert!(later[..20].iter().all(Duration::is_zero));
    assert_eq!(later[20], wait(1.0));
}

#[test]
fn categories_have_their_own_buckets_and_unlisted_actions_go_at_once() {
    let mut pacer = Pacer::default();
    burst(&mut pacer, REGISTER, 25, Duration::ZERO);
    // Another category, and DeregisterTaskDefinition shares RegisterTaskDefinition's.
    assert_eq!(pacer.reserve("DescribeTaskDefinition", Duration::ZERO), Duration::ZERO);
    assert_eq!(pacer.reserve("CreateService", Duration::ZERO), Duration::ZERO);
    assert_eq!(pacer.reserve("DeregisterTaskDefinition", Duration::ZERO), wait(6.0));
    assert_eq!(pacer.reserve("StopServiceDeployment", Duration::ZERO), Duration::ZERO);
    // DescribeServices: 100, then 20 a second.
    let reads = burst(&mut pacer, "DescribeServices", 102, Duration::ZERO);
    assert_eq!(&reads[100..], [wait(0.05), wait(0.1)]);
}

#[test]
fn a_throttle_empties_the_bucket_and_halves_the_refill_until_calls_pass_again() {
    let mut pacer = Pacer::default();
    pacer.reserve(REGISTER, Duration::ZERO);
    // Another caller drained the account's bucket: ECS refuses the next call.
    pacer.throttled(REGISTER, Duration::ZERO);
    assert_eq!(pacer.share(REGISTER), 0.5);
    // Half of 1 a second: 2 s a token.
    assert_eq!(burst(&mut pacer, REGISTER, 2, Duration::ZERO), [wait(2.0), wait(4.0)]);
    for _ in 0..5 {
        pacer.throttled(REGISTER, secs(4.0));
    }
    assert_eq!(pacer.share(REGISTER), 0.25, "never below a quarter");
    pacer.passed(REGISTER, secs(4.0));
    assert_eq!(pacer.share(REGISTER), 0.375, "each call that passes gives back an eighth");
    for _ in 0..20 {
        pacer.passed(REGISTER, secs(4.0));
    }
    assert_eq!(pacer.share(REGISTER), 1.0, "never above the documented rate");
    assert_eq!(pacer.share("CreateService"), 1.0, "another category is untouched");
}

#[test]
fn callers_sharing_a_bucket_settle_under_its_rate() {
    // Five callers, one account, each registering as fast as its pacer lets it; ECS's bucket
    // answers. Events in time order: a caller reserves, waits what its pacer says, then sends.
    let mut pacers = vec![Pacer::default(); 5];
    let mut due = [(0.0_f64, false); 5]; // (when, whether its token is reserved)
    let (mut tokens, mut at) = (20.0_f64, 0.0_f64);
    let (mut passed, mut throttled) = (0, 0);
    while passed < 100 {
        let caller = (0..5).min_by(|a, b| due[*a].0.total_cmp(&due[*b].0)).unwrap_or_default();
        let (now, reserved) = due[caller];
        if !reserved {
            let wait = pacers[caller].reserve(REGISTER, secs(now)).as_secs_f64();
            due[caller] = (now + wait, true);
            continue;
        }
        tokens = (tokens + (now - at)).min(20.0);
        at = now;
        if tokens >= 1.0 {
            tokens -= 1.0;
            passed += 1;
            pacers[caller].passed(REGISTER, secs(now));
        } else {
            throttled += 1;
            pacers[caller].throttled(REGISTER, secs(now));
        }
        due[caller] = (now + 0.01, false);
    }
    // 100 registrations after a burst of 20 take 80 s at 1 a second: the pacers keep the
    // account's bucket busy (within a tenth of that), and refuse fewer calls than pass.
    assert!((79.0..88.0).contains(&at), "{at}");
    assert!(throttled < passed, "{throttled} throttled for {passed} passed");
}
