"""CloudWatch alarms: PutMetricAlarm, DescribeAlarms and DeleteAlarms as their API references state
them, where moto stores or answers anything. CloudWatch speaks the Smithy RPC v2 CBOR protocol to
the SDK; moto's own exceptions (`moto.cloudwatch.exceptions`) are serialised in it, so the refusals
here raise those, with the codes the references list.
"""

from moto.cloudwatch import responses as cloudwatch_responses
from moto.cloudwatch.exceptions import InvalidParameterCombination, InvalidParameterValue, ValidationError
from moto.core.responses import ActionResult

from .aws import page, patch

Response = cloudwatch_responses.CloudWatchResponse

PUT_METRIC_ALARM = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html"
DESCRIBE_ALARMS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html"
DELETE_ALARMS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DeleteAlarms.html"

# PutMetricAlarm (PUT_METRIC_ALARM): AlarmName "Length Constraints: Minimum length of 1. Maximum
# length of 255."; Statistic "Valid Values: SampleCount | Average | Sum | Minimum | Maximum";
# TreatMissingData "Valid Values: breaching | notBreaching | ignore | missing"; Tags "Array Members:
# Maximum number of 50 items" (Tag: Key 1 to 128 characters, Value 0 to 256).
NAME_LIMIT = 255
STATISTICS = ("SampleCount", "Average", "Sum", "Minimum", "Maximum")
MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")
TAG_LIMIT = 50
# Period: "Valid values are 10, 20, 30, and any multiple of 60." and "An alarm's total current
# evaluation period can be no longer than seven days, so Period multiplied by EvaluationPeriods
# can't be more than 604,800 seconds. For alarms with a period of less than one hour (3,600
# seconds), the total evaluation period can't be longer than one day (86,400 seconds)."
HIGH_RESOLUTION = (10, 20, 30)
# "If you use the Metrics parameter, you cannot include the Namespace, MetricName, Dimensions,
# Period, Unit, Statistic, or ExtendedStatistic parameters of PutMetricAlarm in the same operation.
# Instead, you retrieve the metrics you are using in your math expression as part of the Metrics
# array." (Metrics)
SINGLE_METRIC = ("Namespace", "MetricName", "Dimensions", "Period", "Unit", "Statistic", "ExtendedStatistic")
# DescribeAlarms MaxRecords: "Valid Range: Minimum value of 1. Maximum value of 100."; DeleteAlarms
# AlarmNames: "Array Members: Maximum number of 100 items."
MAX_RECORDS = 100


def check_period(period):
    if not isinstance(period, int) or not (period in HIGH_RESOLUTION or (period > 0 and period % 60 == 0)):
        raise InvalidParameterValue(f"The parameter Period must be 10, 20, 30 or a multiple of 60, not {period}.")


def check_metrics(metrics):
    """Metrics (MetricDataQuery): Id "must start with a lowercase letter"; each either a MetricStat
    or an Expression ("Within each MetricDataQuery object, you must specify either Expression or
    MetricStat but not both"); ReturnData: "When used in PutMetricAlarm, specify true for the one
    expression result to use as the alarm. For all other metrics and expressions in the same
    PutMetricAlarm operation, specify ReturnData as False." The periods of a MetricStat as above."""
    returned = 0
    for query in metrics:
        query_id = query.get("Id") or ""
        if not query_id[:1].islower():
            raise ValidationError(f"The metric id '{query_id}' must start with a lowercase letter.")
        if (query.get("Expression") is None) == (query.get("MetricStat") is None):
            raise ValidationError(f"The metric {query_id} must have exactly one of Expression and MetricStat.")
        if query.get("MetricStat") is not None:
            check_period(query["MetricStat"].get("Period"))
        if query.get("ReturnData", True) in (True, "true"):
            returned += 1
    if returned != 1:
        raise ValidationError(f"Exactly one metric of an alarm returns its data ({returned} do).")


def put_metric_alarm(original, self):
    """PutMetricAlarm as PUT_METRIC_ALARM states it (the constants above): the name's length, either
    one metric (MetricName, with its Period) or Metrics but not both, the period and the total
    evaluation period, DatapointsToAlarm at most EvaluationPeriods (the M of "M out of N"),
    Statistic, TreatMissingData and at most 50 tags."""
    name = self._get_param("AlarmName") or ""
    if not 1 <= len(name) <= NAME_LIMIT:
        raise ValidationError(f"The alarm name must be 1 to {NAME_LIMIT} characters long ({len(name)}).")
    metrics = self._get_param("Metrics") or []
    single = [field for field in SINGLE_METRIC if self._get_param(field) not in (None, [])]
    if metrics and single:
        raise InvalidParameterCombination(f"Metrics cannot be given with {', '.join(single)}.")
    if not metrics and self._get_param("MetricName") is None:
        raise ValidationError("An alarm needs MetricName or Metrics.")
    evaluation_periods = self._get_param("EvaluationPeriods")
    if not isinstance(evaluation_periods, int) or evaluation_periods < 1:
        raise ValidationError("EvaluationPeriods must be at least 1.")
    if metrics:
        check_metrics(metrics)
        periods = [q["MetricStat"]["Period"] for q in metrics if q.get("MetricStat")]
    else:
        check_period(self._get_param("Period"))
        periods = [self._get_param("Period")]
        statistic = self._get_param("Statistic")
        if statistic is not None and statistic not in STATISTICS:
            raise ValidationError(f"Invalid Statistic '{statistic}': one of {', '.join(STATISTICS)}.")
    for period in periods:
        limit = 86_400 if period < 3_600 else 604_800
        if period * evaluation_periods > limit:
            raise ValidationError(
                f"Period multiplied by EvaluationPeriods ({period * evaluation_periods}) must not exceed {limit}."
            )
    datapoints = self._get_param("DatapointsToAlarm")
    if datapoints is not None and not 1 <= datapoints <= evaluation_periods:
        raise ValidationError(f"DatapointsToAlarm ({datapoints}) must be from 1 to EvaluationPeriods.")
    missing = self._get_param("TreatMissingData")
    if missing is not None and missing not in MISSING_DATA:
        raise ValidationError(f"Invalid TreatMissingData '{missing}': one of {', '.join(MISSING_DATA)}.")
    tags = self._get_param("Tags") or []
    if len(tags) > TAG_LIMIT:
        raise ValidationError(f"An alarm takes at most {TAG_LIMIT} tags ({len(tags)}).")
    return original(self)


def describe_alarms(original, self):
    """DescribeAlarms (DESCRIBE_ALARMS): MaxRecords from 1 to 100, and pages: "NextToken: The token
    that marks the start of the next batch of returned results." moto answers every alarm at once;
    here at most aws.PAGE a page, so a reader that ignores the token misses alarms."""
    requested = self._get_param("MaxRecords")
    if requested is not None and not 1 <= int(requested) <= MAX_RECORDS:
        raise ValidationError(f"MaxRecords must be from 1 to {MAX_RECORDS}.")
    answer = original(self).result
    alarms = list(answer["MetricAlarms"])

    def invalid():
        raise InvalidParameterValue("The NextToken is not valid.")

    chunk, token = page(alarms, self._get_param("NextToken"), requested, invalid)
    paged = {"MetricAlarms": chunk, "CompositeAlarms": answer["CompositeAlarms"] if token is None else []}
    if token is not None:
        paged["NextToken"] = token
    return ActionResult(paged)


def delete_alarms(original, self):
    """DeleteAlarms (DELETE_ALARMS): "You can delete up to 100 alarms in one operation", and "If you
    specify any incorrect alarm names, the alarms you specify with correct names are still deleted"
    (no error for a name that does not exist, as moto also does)."""
    names = self._get_param("AlarmNames") or []
    if len(names) > MAX_RECORDS:
        raise ValidationError(f"At most {MAX_RECORDS} alarms can be deleted at once ({len(names)}).")
    return original(self)


def install():
    patch(Response, "put_metric_alarm", put_metric_alarm)
    patch(Response, "describe_alarms", describe_alarms)
    patch(Response, "delete_alarms", delete_alarms)
