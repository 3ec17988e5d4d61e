//! CloudWatch: the web service's rollback alarm (`MAESTRO_ROLLBACK_ALARM`), read, put and
//! deleted by name; the shape both ways is the core's (`provision::rollback_alarm`).

use aws_sdk_cloudwatch::Client;
use aws_sdk_cloudwatch::types::{
    AlarmType, ComparisonOperator, Dimension, Metric, MetricAlarm, MetricDataQuery, MetricStat, Statistic,
    Tag as CloudWatchTag,
};

use super::failure::{code, failure};
use crate::error::Failure;
use maestro_core::plan::desired::ServiceAlarm;
use maestro_core::provision::rollback_alarm::{AlarmMetric, AlarmShape, EXPRESSION_ID, ObservedAlarm};
use maestro_core::spec::tags::Tag;

#[derive(Debug, Clone)]
pub(crate) struct CloudWatch(pub(crate) Client);

impl CloudWatch {
    /// The metric alarm named `name`, with its tags; `None` when there is none. DescribeAlarms
    /// is read to its last page: a name is one alarm, but the pages are AWS's to cut.
    pub(crate) async fn alarm(&self, name: &str) -> Result<Option<ObservedAlarm>, Failure> {
        let what = format!("describe alarm {name}");
        let mut pages =
            self.0.describe_alarms().alarm_names(name).alarm_types(AlarmType::MetricAlarm).into_paginator().send();
        let mut found: Option<MetricAlarm> = None;
        while let Some(page) = pages.next().await {
            let page = page.map_err(|error| failure(&what, &error))?;
            if let Some(alarm) = page.metric_alarms().iter().find(|alarm| alarm.alarm_name() == Some(name)) {
                found = Some(alarm.clone());
            }
        }
        let Some(alarm) = found else { return Ok(None) };
        let arn = alarm.alarm_arn().unwrap_or_default().to_owned();
        let tags = self
            .0
            .list_tags_for_resource()
            .resource_arn(&arn)
            .send()
            .await
            .map_err(|error| failure(&format!("read the tags of alarm {name}"), &error))?;
        let tags = tags
            .tags()
            .iter()
            .map(|tag| Tag {
                key: tag.key().unwrap_or_default().to_owned(),
                value: tag.value().unwrap_or_default().to_owned(),
            })
            .collect();
        Ok(Some(ObservedAlarm { name: name.to_owned(), arn, shape: shape_of(&alarm), tags }))
    }

    /// Creates or replaces the alarm, tagged when created (PutMetricAlarm ignores `Tags` on an
    /// update: "If you are using this operation to update an existing alarm, any tags you specify
    /// in this parameter are ignored").
    pub(crate) async fn put(&self, alarm: &ServiceAlarm, shape: &AlarmShape, tags: &[Tag]) -> Result<(), Failure> {
        let what = format!("put alarm {}", alarm.name);
        let mut request = self
            .0
            .put_metric_alarm()
            .alarm_name(&alarm.name)
            .alarm_description("maestro: ECS rolls the web service's deployment back when this alarm fires")
            .threshold(shape.threshold)
            .comparison_operator(ComparisonOperator::from(shape.comparison.as_str()))
            .evaluation_periods(int(shape.evaluation_periods))
            .datapoints_to_alarm(int(shape.datapoints_to_alarm))
            .treat_missing_data(&shape.treat_missing_data)
            .set_tags(Some(tags.iter().map(cloudwatch_tag).collect()));
        match (&shape.expression, shape.metrics.as_slice()) {
            (None, [metric]) => {
                request = request
                    .namespace(&metric.namespace)
                    .metric_name(&metric.metric)
                    .statistic(Statistic::from(metric.statistic.as_str()))
                    .period(int(metric.period))
                    .set_dimensions(Some(dimensions(metric)));
            }
            (expression, metrics) => {
                let mut queries: Vec<MetricDataQuery> = metrics
                    .iter()
                    .map(|metric| {
                        let stat = MetricStat::builder()
                            .metric(
                                Metric::builder()
                                    .namespace(&metric.namespace)
                                    .metric_name(&metric.metric)
                                    .set_dimensions(Some(dimensions(metric)))
                                    .build(),
                            )
                            .period(int(metric.period))
                            .stat(&metric.statistic)
                            .build();
                        MetricDataQuery::builder().id(&metric.id).metric_stat(stat).return_data(false).build()
                    })
                    .collect();
                queries.extend(expression.as_ref().map(|expression| {
                    MetricDataQuery::builder()
                        .id(EXPRESSION_ID)
                        .expression(expression)
                        .label("5xx answers")
                        .return_data(true)
                        .build()
                }));
                request = request.set_metrics(Some(queries));
            }
        }
        request.send().await.map_err(|error| failure(&what, &error))?;
        Ok(())
    }

    /// Deletes the alarm; one already gone is what was wanted.
    pub(crate) async fn delete(&self, name: &str) -> Result<(), Failure> {
        match self.0.delete_alarms().alarm_names(name).send().await {
            Ok(_) => Ok(()),
            Err(error) if code(&error) == Some("ResourceNotFound") => Ok(()),
            Err(error) => Err(failure(&format!("delete alarm {name}"), &error)),
        }
    }
}

fn int(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn cloudwatch_tag(tag: &Tag) -> CloudWatchTag {
    CloudWatchTag::builder().key(&tag.key).value(&tag.value).build()
}

fn dimensions(metric: &AlarmMetric) -> Vec<Dimension> {
    metric.dimensions.iter().map(|(name, value)| Dimension::builder().name(name).value(value).build()).collect()
}

fn sorted_dimensions(dimensions: &[Dimension]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = dimensions
        .iter()
        .map(|dimension| {
            (dimension.name().unwrap_or_default().to_owned(), dimension.value().unwrap_or_default().to_owned())
        })
        .collect();
    pairs.sort();
    pairs
}

/// The alarm in the core's terms, either form; `None` for what maestro never puts (another
/// comparison's reading is still compared: it differs, and the alarm is put again).
fn shape_of(alarm: &MetricAlarm) -> Option<AlarmShape> {
    let count = |value: Option<i32>| value.and_then(|value| u32::try_from(value).ok());
    let evaluation_periods = count(alarm.evaluation_periods())?;
    let mut expression = None;
    let metrics = if alarm.metrics().is_empty() {
        vec![AlarmMetric {
            id: String::new(),
            namespace: alarm.namespace()?.to_owned(),
            metric: alarm.metric_name()?.to_owned(),
            statistic: alarm.statistic()?.as_str().to_owned(),
            period: count(alarm.period())?,
            dimensions: sorted_dimensions(alarm.dimensions()),
        }]
    } else {
        let mut metrics = Vec::new();
        for query in alarm.metrics() {
            if let Some(text) = query.expression() {
                expression = Some(text.to_owned());
                continue;
            }
            let stat = query.metric_stat()?;
            let metric = stat.metric()?;
            metrics.push(AlarmMetric {
                id: query.id()?.to_owned(),
                namespace: metric.namespace()?.to_owned(),
                metric: metric.metric_name()?.to_owned(),
                statistic: stat.stat()?.to_owned(),
                period: count(stat.period())?,
                dimensions: sorted_dimensions(metric.dimensions()),
            });
        }
        metrics
    };
    Some(AlarmShape {
        metrics,
        expression,
        threshold: alarm.threshold()?,
        comparison: alarm.comparison_operator()?.as_str().to_owned(),
        evaluation_periods,
        // Unset, it is EvaluationPeriods ("If you omit this parameter, CloudWatch uses the same value here").
        datapoints_to_alarm: count(alarm.datapoints_to_alarm()).unwrap_or(evaluation_periods),
        treat_missing_data: alarm.treat_missing_data().unwrap_or("missing").to_owned(),
    })
}
