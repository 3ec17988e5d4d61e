//! The target group's health check timing (`MAESTRO_HEALTH_CHECK_*`), within AWS's ranges.

use super::reader::Reader;
use crate::input::vars as var;
use crate::input_error::InputError;
use crate::plan::health_check::{HealthCheck, INTERVAL_RANGE, THRESHOLD_RANGE, TIMEOUT_RANGE};

pub(super) fn read(read: &mut Reader<'_>) -> HealthCheck {
    let defaults = HealthCheck::DEPLOY;
    let interval_seconds = read
        .integer(var::MAESTRO_HEALTH_CHECK_INTERVAL, INTERVAL_RANGE, "seconds")
        .unwrap_or(defaults.interval_seconds);
    let healthy_threshold = read
        .integer(var::MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD, THRESHOLD_RANGE, "a number of checks")
        .unwrap_or(defaults.healthy_threshold);
    let unhealthy_threshold = read
        .integer(var::MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD, THRESHOLD_RANGE, "a number of checks")
        .unwrap_or(defaults.unhealthy_threshold);
    let timeout = read.integer(var::MAESTRO_HEALTH_CHECK_TIMEOUT, TIMEOUT_RANGE, "seconds");
    // An HTTP target group refuses a timeout that is not below the interval ("Health check timeout
    // must be smaller than the interval"); unset, the default gives way to a short interval.
    let timeout_seconds = match timeout {
        Some(timeout) if timeout >= interval_seconds => {
            read.push(InputError::new(
                read.env.location(var::MAESTRO_HEALTH_CHECK_TIMEOUT),
                format!("a health check timeout of {timeout} s is not below the interval of {interval_seconds} s"),
                format!(
                    "set {} below {} (the load balancer refuses a timeout as long as the interval), or raise {}",
                    var::MAESTRO_HEALTH_CHECK_TIMEOUT,
                    interval_seconds,
                    var::MAESTRO_HEALTH_CHECK_INTERVAL
                ),
            ));
            defaults.timeout_seconds.min(interval_seconds - 1)
        }
        Some(timeout) => timeout,
        None => defaults.timeout_seconds.min(interval_seconds - 1),
    };
    HealthCheck { interval_seconds, timeout_seconds, healthy_threshold, unhealthy_threshold }
}

#[cfg(test)]
mod tests {
    use crate::fixtures;
    use crate::plan::health_check::HealthCheck;

    fn check(pairs: &[(&str, &str)]) -> HealthCheck {
        fixtures::settings(pairs).unwrap().load_balancer.health_check
    }

    #[test]
    fn the_defaults_are_tuned_for_deploys_and_set_the_grace_period() {
        let settings = fixtures::settings(&[]).unwrap();
        assert_eq!(settings.load_balancer.health_check, HealthCheck::DEPLOY);
        assert_eq!(settings.load_balancer.health_check_grace_period, 60);
        let slow = fixtures::settings(&[
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "30"),
            ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "5"),
        ])
        .unwrap();
        assert_eq!(slow.load_balancer.health_check_grace_period, 190);
        let chosen =
            fixtures::settings(&[("MAESTRO_HEALTH_CHECK_INTERVAL", "30"), ("MAESTRO_HEALTH_CHECK_GRACE_PERIOD", "15")])
                .unwrap();
        assert_eq!(chosen.load_balancer.health_check_grace_period, 15);
    }

    #[test]
    fn each_timing_is_overridable() {
        let check = check(&[
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "15"),
            ("MAESTRO_HEALTH_CHECK_TIMEOUT", "7"),
            ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "3"),
            ("MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD", "4"),
        ]);
        let expected =
            HealthCheck { interval_seconds: 15, timeout_seconds: 7, healthy_threshold: 3, unhealthy_threshold: 4 };
        assert_eq!(check, expected);
    }

    #[test]
    fn an_unset_timeout_stays_below_a_short_interval() {
        assert_eq!(check(&[("MAESTRO_HEALTH_CHECK_INTERVAL", "5")]).timeout_seconds, 4);
    }

    /// AWS's ranges: interval 5–300, timeout 2–120, thresholds 2–10.
    #[test]
    fn values_outside_aws_ranges_are_bad_input_naming_the_variable() {
        let cases = [
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "5", true),
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "300", true),
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "4", false),
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "301", false),
            ("MAESTRO_HEALTH_CHECK_INTERVAL", "10s", false),
            ("MAESTRO_HEALTH_CHECK_TIMEOUT", "2", true),
            ("MAESTRO_HEALTH_CHECK_TIMEOUT", "1", false),
            ("MAESTRO_HEALTH_CHECK_TIMEOUT", "121", false),
            ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "2", true),
            ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "10", true),
            ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "1", false),
            ("MAESTRO_HEALTH_CHECK_HEALTHY_THRESHOLD", "11", false),
            ("MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD", "10", true),
            ("MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD", "1", false),
            ("MAESTRO_HEALTH_CHECK_UNHEALTHY_THRESHOLD", "11", false),
        ];
        for (name, value, takes) in cases {
            let result = fixtures::settings(&[(name, value)]);
            if takes {
                assert!(result.is_ok(), "{name}={value}: {result:?}");
            } else {
                let errors = result.expect_err(&format!("{name}={value}"));
                assert_eq!(errors.0.len(), 1, "{errors:?}");
                assert_eq!(errors.0[0].location.to_string(), name);
                assert!(errors.0[0].hint.contains(name), "{errors:?}");
            }
        }
    }

    #[test]
    fn a_timeout_not_below_the_interval_is_bad_input_with_the_fix() {
        let errors =
            fixtures::settings(&[("MAESTRO_HEALTH_CHECK_INTERVAL", "10"), ("MAESTRO_HEALTH_CHECK_TIMEOUT", "10")])
                .expect_err("timeout = interval");
        assert_eq!(errors.0.len(), 1, "{errors:?}");
        let error = &errors.0[0];
        assert_eq!(error.location.to_string(), "MAESTRO_HEALTH_CHECK_TIMEOUT");
        assert_eq!(error.message, "a health check timeout of 10 s is not below the interval of 10 s");
        assert!(error.hint.contains("set MAESTRO_HEALTH_CHECK_TIMEOUT below 10"));
    }
}
