package lower

import (
	"strings"

	"github.com/deployless/deployless/internal/config"
	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/pyfront"
)

// auth reads configure(auth=…) / @route(auth=…): absent inherits, None is
// public, "api_key" requires a key without an authorizer (SPEC.md §3).
func (l *lowerer) auth(a *args, inherited model.Auth) model.Auth {
	v := a.vals["auth"]
	switch {
	case v == nil:
		return inherited
	case v.Kind == pyfront.KNone:
		return model.AuthPublic
	case v.Kind == pyfront.KStr && v.Str == "api_key":
		return model.AuthAPIKey
	}
	l.d.Add(diag.E10, v.Span, "%s() auth must be None (public) or \"api_key\", got %s", a.fn, v.Repr())
	return inherited
}

// alarms reads configure(alarms=True | False | {...}). True takes the
// project's alarms block (or the defaults); a dict overrides those numbers.
func (l *lowerer) alarms(a *args, inherited *model.Alarms) *model.Alarms {
	v := a.vals["alarms"]
	if v == nil {
		return inherited
	}
	base := l.p.Alarms
	if base == nil {
		d := config.DefaultAlarms()
		base = &model.Alarms{ErrorsThreshold: d.Errors.Threshold, ErrorsPeriod: d.Errors.Period,
			ThrottlesThreshold: d.Throttles.Threshold, ThrottlesPeriod: d.Throttles.Period,
			DurationPct: d.Duration.ThresholdPct, DurationPeriod: d.Duration.Period}
	}
	out := *base
	switch v.Kind {
	case pyfront.KBool:
		if !v.Bool {
			return nil
		}
		return &out
	case pyfront.KDict:
	default:
		a.typeErr("alarms", "True, False or a dict", v)
		return inherited
	}
	intIn := func(block *pyfront.Value, key string, dst *int) {
		if block == nil {
			return
		}
		x := block.Get(key)
		if x == nil {
			return
		}
		if x.Kind != pyfront.KInt {
			l.d.Add(diag.E10, x.Span, "alarms %s must be an int, got %s", key, x.TypeName())
			return
		}
		*dst = int(x.Int)
	}
	known := map[string][]string{"errors": {"threshold", "period"}, "throttles": {"threshold", "period"},
		"duration": {"threshold_pct", "period"}, "sns_topic_arn": nil}
	for i, k := range v.Keys {
		sub, ok := known[k.Str]
		if k.Kind != pyfront.KStr || !ok {
			l.d.Add(diag.E10, k.Span, "unknown alarms key %s (expected errors, throttles, duration, sns_topic_arn)", k.Repr())
			continue
		}
		blk := v.Items[i]
		if sub == nil {
			continue
		}
		if blk.Kind != pyfront.KDict {
			l.d.Add(diag.E10, blk.Span, "alarms %s must be a dict with %s", k.Str, strings.Join(sub, " and "))
			continue
		}
		for _, bk := range blk.Keys {
			if bk.Kind != pyfront.KStr || (bk.Str != sub[0] && bk.Str != sub[1]) {
				l.d.Add(diag.E10, bk.Span, "unknown alarms.%s key %s (expected %s)", k.Str, bk.Repr(), strings.Join(sub, ", "))
			}
		}
	}
	intIn(v.Get("errors"), "threshold", &out.ErrorsThreshold)
	intIn(v.Get("errors"), "period", &out.ErrorsPeriod)
	intIn(v.Get("throttles"), "threshold", &out.ThrottlesThreshold)
	intIn(v.Get("throttles"), "period", &out.ThrottlesPeriod)
	intIn(v.Get("duration"), "threshold_pct", &out.DurationPct)
	intIn(v.Get("duration"), "period", &out.DurationPeriod)
	if d := v.Get("duration"); d != nil && d.Get("threshold_pct") != nil {
		if p := out.DurationPct; p < 1 || p > 100 {
			l.d.Add(diag.E24, d.Get("threshold_pct").Span, "alarms duration threshold_pct must be between 1 and 100, got %d", p)
		}
	}
	if s := v.Get("sns_topic_arn"); s != nil {
		if s.Kind != pyfront.KStr || !strings.HasPrefix(s.Str, "arn:") {
			l.d.Add(diag.E23, s.Span, "alarms sns_topic_arn must be an ARN (arn:…), got %s", s.Repr())
		} else {
			out.SNSTopicARN = s.Str
		}
	}
	return &out
}
