package resources

import (
	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/model"
)

// Alarms builds the errors, throttles and duration alarms of a function.
// The duration threshold is a share of the function's own timeout, in ms.
func Alarms(fn *model.Function) []Entry {
	a := fn.Alarms
	if a == nil {
		return nil
	}
	alarm := func(metric, stat, op string, threshold, period int, what string) *cfn.Map {
		// The original's name: a stack it deployed keeps its alarms (and
		// their history) when ours deploys over it.
		props := cfn.NewMap().
			Set("AlarmName", cfn.Sub("${AWS::StackName}-"+fn.LogicalID+"-"+metric)).
			Set("AlarmDescription", fn.LogicalID+": "+what).
			Set("Namespace", "AWS/Lambda").
			Set("MetricName", metric).
			Set("Dimensions", []any{cfn.NewMap().Set("Name", "FunctionName").Set("Value", cfn.Ref(fn.LogicalID))}).
			Set("Statistic", stat).
			Set("Period", period).
			Set("EvaluationPeriods", 1).
			Set("Threshold", threshold).
			Set("ComparisonOperator", op).
			Set("TreatMissingData", "notBreaching")
		if a.SNSTopicARN != "" {
			props.Set("AlarmActions", []any{a.SNSTopicARN})
		}
		return resource("AWS::CloudWatch::Alarm").Set("Properties", props)
	}
	durationMS := fn.Timeout * 1000 * a.DurationPct / 100
	return []Entry{
		{fn.LogicalID + "ErrorsAlarm", alarm("Errors", "Sum", "GreaterThanOrEqualToThreshold", a.ErrorsThreshold, a.ErrorsPeriod, "errors")},
		{fn.LogicalID + "ThrottlesAlarm", alarm("Throttles", "Sum", "GreaterThanOrEqualToThreshold", a.ThrottlesThreshold, a.ThrottlesPeriod, "throttles")},
		{fn.LogicalID + "DurationAlarm", alarm("Duration", "Maximum", "GreaterThanThreshold", durationMS, a.DurationPeriod,
			"duration above "+itoa(a.DurationPct)+"% of the "+itoa(fn.Timeout)+" s timeout")},
	}
}
