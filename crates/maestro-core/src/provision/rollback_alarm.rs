//! The web service's rollback alarm (`MAESTRO_ROLLBACK_ALARM`): a CloudWatch alarm on the 5xx
//! answers of its target groups, which ECS watches during a deployment and rolls back on
//! ("How CloudWatch alarms detect Amazon ECS deployment failures", Amazon ECS Developer Guide).
//!
//! Under a blue-green, canary or linear deploy ECS moves the traffic between two target groups,
//! and either may be the live one afterwards. One alarm sums both (metric math, `SUM`) rather than
//! two alarms, one per group: the threshold then means what users get from the app, however ECS
//! splits the traffic, and a canary's 5% that fails every request breaches it as surely as a
//! whole revision would. ECS takes the one name in `deploymentConfiguration.alarms`.
//!
//! The shape both ways: [`wanted`] is what PutMetricAlarm is sent, the adapter reads
//! DescribeAlarms into the same [`AlarmShape`], and the diff compares the two.

use serde::Serialize;

use crate::plan::desired::ServiceAlarm;
use crate::spec::rollback_alarm::RollbackAlarm;
use crate::spec::tags::Tag;

/// The load balancer's per-target-group count of 5xx answers from the targets (not the load
/// balancer's own 5xx): "CloudWatch metrics for your Application Load Balancer".
pub const NAMESPACE: &str = "AWS/ApplicationELB";
pub const METRIC: &str = "HTTPCode_Target_5XX_Count";
pub const STATISTIC: &str = "Sum";
pub const COMPARISON: &str = "GreaterThanOrEqualToThreshold";
/// A period with no 5xx answer has no data point: that is a healthy period, not a missing one.
pub const TREAT_MISSING_DATA: &str = "notBreaching";

/// The planned alarm for a service of `service_name`'s load balancer and target groups.
pub fn planned(name: String, load_balancer: &str, target_groups: Vec<String>, alarm: &RollbackAlarm) -> ServiceAlarm {
    ServiceAlarm {
        name,
        namespace: NAMESPACE,
        metric: METRIC,
        statistic: STATISTIC,
        load_balancer: load_balancer.to_owned(),
        target_groups,
        threshold: alarm.threshold,
        period_seconds: alarm.period_seconds(),
        evaluation_periods: alarm.evaluations,
        datapoints_to_alarm: alarm.datapoints,
        treat_missing_data: TREAT_MISSING_DATA,
    }
}

/// One metric the alarm reads, with its dimensions sorted by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlarmMetric {
    /// The metric math id (`m1`, `m2`); empty for an alarm on one metric.
    pub id: String,
    pub namespace: String,
    pub metric: String,
    pub statistic: String,
    pub period: u32,
    pub dimensions: Vec<(String, String)>,
}

/// An alarm as PutMetricAlarm takes it and DescribeAlarms returns it, in either form: one metric,
/// or metrics summed by a math expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlarmShape {
    pub metrics: Vec<AlarmMetric>,
    /// The expression whose result the alarm watches (`SUM([m1, m2])`); `None` for one metric.
    pub expression: Option<String>,
    pub threshold: f64,
    pub comparison: String,
    pub evaluation_periods: u32,
    pub datapoints_to_alarm: u32,
    pub treat_missing_data: String,
}

/// The id of the expression's result in the `Metrics` list.
pub const EXPRESSION_ID: &str = "e1";

/// A live alarm of the plan's name, as read.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedAlarm {
    pub name: String,
    pub arn: String,
    /// `None` when it is not an alarm maestro could have put (a composite alarm, a math it does
    /// not write): put again, if it is the environment's.
    pub shape: Option<AlarmShape>,
    pub tags: Vec<Tag>,
}

/// `arn:…:loadbalancer/app/<name>/<id>` → `app/<name>/<id>`, `arn:…:targetgroup/<name>/<id>` →
/// `targetgroup/<name>/<id>`: the values of the `LoadBalancer` and `TargetGroup` dimensions.
pub fn dimension_value(arn: &str) -> &str {
    match arn.split_once(":loadbalancer/") {
        Some((_, suffix)) => suffix,
        None => arn.rsplit_once(':').map_or(arn, |(_, suffix)| suffix),
    }
}

/// What PutMetricAlarm is sent for `alarm`, given the ARNs of its load balancer and target groups
/// (in the plan's order).
pub fn wanted(alarm: &ServiceAlarm, load_balancer_arn: &str, target_group_arns: &[&str]) -> AlarmShape {
    let single = target_group_arns.len() == 1;
    let metrics: Vec<AlarmMetric> = target_group_arns
        .iter()
        .enumerate()
        .map(|(index, arn)| AlarmMetric {
            id: if single { String::new() } else { format!("m{}", index + 1) },
            namespace: alarm.namespace.to_owned(),
            metric: alarm.metric.to_owned(),
            statistic: alarm.statistic.to_owned(),
            period: alarm.period_seconds,
            dimensions: vec![
                ("LoadBalancer".to_owned(), dimension_value(load_balancer_arn).to_owned()),
                ("TargetGroup".to_owned(), dimension_value(arn).to_owned()),
            ],
        })
        .collect();
    let expression = (!single).then(|| {
        let ids: Vec<&str> = metrics.iter().map(|metric| metric.id.as_str()).collect();
        format!("SUM([{}])", ids.join(", "))
    });
    AlarmShape {
        metrics,
        expression,
        threshold: f64::from(alarm.threshold),
        comparison: COMPARISON.to_owned(),
        evaluation_periods: alarm.evaluation_periods,
        datapoints_to_alarm: alarm.datapoints_to_alarm,
        treat_missing_data: alarm.treat_missing_data.to_owned(),
    }
}

/// The plan's line for people: what it watches and when it breaches.
pub fn describe(alarm: &ServiceAlarm) -> String {
    let minutes = alarm.period_seconds / 60;
    let period = if minutes == 1 { "1 minute".to_owned() } else { format!("{minutes} minutes") };
    let of = if alarm.datapoints_to_alarm == alarm.evaluation_periods {
        format!("{} in a row", alarm.evaluation_periods)
    } else {
        format!("{} of {}", alarm.datapoints_to_alarm, alarm.evaluation_periods)
    };
    let groups = if alarm.target_groups.len() > 1 { " (both target groups)" } else { "" };
    format!("rolls back on alarm {}: at least {} 5xx answers{groups} in {period}, {of}", alarm.name, alarm.threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(groups: &[&str]) -> ServiceAlarm {
        planned(
            "shop-main-web-5xx".into(),
            "shop-main",
            groups.iter().map(|group| (*group).to_owned()).collect(),
            &RollbackAlarm::default(),
        )
    }

    const LB: &str = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/shop-main/50dc6c495c0c9188";
    const TG: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/shop-main/73e2d6bc24d8a067";
    const ALT: &str = "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/shop-main-alt/0a1b2c3d4e5f6a7b";

    #[test]
    fn dimensions_are_the_arn_suffixes() {
        assert_eq!(dimension_value(LB), "app/shop-main/50dc6c495c0c9188");
        assert_eq!(dimension_value(TG), "targetgroup/shop-main/73e2d6bc24d8a067");
    }

    #[test]
    fn one_target_group_is_one_metric_two_are_summed() {
        let rolling = wanted(&alarm(&["shop-main"]), LB, &[TG]);
        assert_eq!((rolling.metrics.len(), rolling.expression.as_deref()), (1, None));
        assert_eq!(rolling.metrics[0].id, "");
        assert_eq!(rolling.metrics[0].dimensions[0], ("LoadBalancer".into(), "app/shop-main/50dc6c495c0c9188".into()));
        assert_eq!((rolling.threshold, rolling.evaluation_periods, rolling.datapoints_to_alarm), (10.0, 2, 2));
        assert_eq!(rolling.treat_missing_data, "notBreaching");
        let shifting = wanted(&alarm(&["shop-main", "shop-main-alt"]), LB, &[TG, ALT]);
        assert_eq!(shifting.expression.as_deref(), Some("SUM([m1, m2])"));
        assert_eq!(shifting.metrics[1].dimensions[1].1, "targetgroup/shop-main-alt/0a1b2c3d4e5f6a7b");
        assert_ne!(rolling, shifting);
    }

    #[test]
    fn the_plan_line_says_when_it_breaches() {
        assert_eq!(
            describe(&alarm(&["shop-main", "shop-main-alt"])),
            "rolls back on alarm shop-main-web-5xx: at least 10 5xx answers (both target groups) in 1 minute, 2 in a row"
        );
    }
}
