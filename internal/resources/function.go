package resources

import (
	"path"
	"strings"

	"github.com/deployless/deployless/internal/cfn"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
)

// Function builds the AWS::Serverless::Function of fn, its log group and,
// with dlq=True, its dead-letter queue. optionsOwner reports whether fn
// answers the CORS preflight (OPTIONS) of a path.
func Function(p *model.Project, fn *model.Function, opts Options, optionsOwner func(path string) bool) []Entry {
	props := cfn.NewMap()
	props.Set("CodeUri", path.Join(opts.CodeURIBase, fn.LogicalID+".zip"))
	props.SetIf(fn.Description != "", "Description", fn.Description)
	props.Set("MemorySize", fn.Memory)
	props.Set("Timeout", fn.Timeout)
	if len(fn.Architectures) > 0 {
		props.Set("Architectures", strs(fn.Architectures))
	}
	props.SetIf(fn.Tracing, "Tracing", "Active")
	// The dependency layer first: the user's layers= come after it, so a
	// module in both is taken from the user's (later layers overlay /opt).
	var layers []any
	if fn.DepLayer != nil {
		layers = append(layers, cfn.Ref(fn.DepLayer.LogicalID))
	}
	layers = append(layers, raws(fn.Layers)...)
	props.SetIf(len(layers) > 0, "Layers", layers)
	if fn.ReservedConcurrency != nil {
		props.Set("ReservedConcurrentExecutions", *fn.ReservedConcurrency)
	}
	if fn.ProvisionedConcurrency != nil {
		// Provisioned concurrency needs a published version: SAM's alias.
		props.Set("AutoPublishAlias", "live")
		props.Set("ProvisionedConcurrencyConfig", cfn.NewMap().Set("ProvisionedConcurrentExecutions", *fn.ProvisionedConcurrency))
	}
	if fn.EphemeralStorage != nil {
		props.Set("EphemeralStorage", cfn.NewMap().Set("Size", *fn.EphemeralStorage))
	}
	dlqID := fn.DLQID()
	if fn.DLQ {
		props.Set("DeadLetterQueue", cfn.NewMap().Set("Type", "SQS").Set("TargetArn", cfn.GetAtt(dlqID, "Arn")))
	}
	if len(fn.Env) > 0 {
		props.Set("Environment", cfn.NewMap().Set("Variables", EnvVars(fn.Env)))
	}
	if policies := policies(fn); len(policies) > 0 {
		props.Set("Policies", policies)
	}
	if events := functionEvents(p, fn, optionsOwner); events.Len() > 0 {
		props.Set("Events", events)
	}

	out := []Entry{{fn.LogicalID, resource("AWS::Serverless::Function").Set("Properties", props)}}
	lg := cfn.NewMap().
		Set("LogGroupName", cfn.Sub("/aws/lambda/${"+fn.LogicalID+"}")).
		Set("RetentionInDays", fn.LogRetention)
	lg.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	out = append(out, Entry{fn.LogicalID + "LogGroup", resource("AWS::Logs::LogGroup").Set("Properties", lg)})
	out = append(out, Alarms(fn)...)
	if fn.DLQ {
		out = append(out, Entry{dlqID, resource("AWS::SQS::Queue").Set("Properties", functionDLQ(p, fn))})
	}
	return out
}

// functionDLQ is the properties of fn's dead-letter queue. A feature
// function's queue has the original's name, ${AWS::StackName}-<feature>-dlq:
// QueueName cannot change without replacing the queue (and losing the
// messages in it), so a stack first deployed with the original keeps it. A
// split (which the original never gave a DLQ) gets a generated name, as
// the feature's is taken.
func functionDLQ(p *model.Project, fn *model.Function) *cfn.Map {
	q := cfn.NewMap()
	if fn.Kind == kind.Feature && fn.Feature != nil {
		q.Set("QueueName", cfn.Sub("${AWS::StackName}-"+fn.Feature.Name+"-dlq"))
	}
	q.Set("MessageRetentionPeriod", 1209600).Set("SqsManagedSseEnabled", true)
	q.SetIf(len(p.Tags) > 0, "Tags", cfn.Tags(p.Tags))
	return q
}

// functionEvents returns the Api and Schedule events of fn. Event names are
// Method + the path's words (GetUsersByUserId); a clash gets a number.
func functionEvents(p *model.Project, fn *model.Function, optionsOwner func(string) bool) *cfn.Map {
	events := cfn.NewMap()
	add := func(name string, ev *cfn.Map) {
		base, n := name, 2
		for {
			if _, taken := events.Get(name); !taken {
				break
			}
			name = base + itoa(n)
			n++
		}
		events.Set(name, ev)
	}
	api := func(method, path string) *cfn.Map {
		props := cfn.NewMap().Set("RestApiId", cfn.Ref("Api")).Set("Path", path).Set("Method", strings.ToLower(method))
		if auth := eventAuth(p, fn.Auth, method == "OPTIONS"); auth != nil {
			props.Set("Auth", auth)
		}
		return cfn.NewMap().Set("Type", "Api").Set("Properties", props)
	}
	preflight := map[string]bool{}
	for _, r := range fn.Routes {
		add(eventName(r.Method, r.Path), api(r.Method, r.Path))
		if p.API.CORS.Preflight() && !preflight[r.Path] && optionsOwner(r.Path) {
			preflight[r.Path] = true
		}
	}
	for _, r := range fn.Routes {
		if preflight[r.Path] {
			delete(preflight, r.Path)
			add(eventName("OPTIONS", r.Path), api("OPTIONS", r.Path))
		}
	}
	if fn.Schedule != "" {
		add("Schedule", cfn.NewMap().Set("Type", "Schedule").Set("Properties", cfn.NewMap().Set("Schedule", fn.Schedule)))
	}
	return events
}

func eventName(method, p string) string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(method[:1]) + strings.ToLower(method[1:]))
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if p == "/" {
		b.WriteString("Root")
	}
	for _, s := range segs {
		if s == "" {
			continue
		}
		if strings.HasPrefix(s, "{") {
			b.WriteString("By")
			s = strings.Trim(s, "{}")
			if strings.HasSuffix(s, "+") {
				s = strings.TrimSuffix(s, "+") + "-path"
			}
		}
		for _, w := range strings.FieldsFunc(s, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	return b.String()
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
