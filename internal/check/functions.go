package check

import (
	"regexp"
	"strings"
	"sync"

	"github.com/deployless/deployless/internal/diag"
	"github.com/deployless/deployless/internal/kind"
	"github.com/deployless/deployless/internal/model"
	"github.com/deployless/deployless/internal/source"
)

// Functions checks every function's settings (E05, E06, E08, E19–E22, E25,
// E26). A setting inherited from configure() is reported once, at its
// configure() position, not once per function that inherits it.
func Functions(p *model.Project) diag.List {
	var d diag.List
	layersAt := map[source.Span]bool{} // a feature's layers= is inherited: report it once
	for _, fn := range p.Functions {
		at := func(key string) source.Span {
			if s, ok := fn.At[key]; ok {
				return s
			}
			return fn.Span
		}
		memCode, toCode, what := diag.E05, diag.E06, ""
		if fn.Kind == kind.Standalone {
			memCode, toCode, what = diag.E25, diag.E26, "lambda_function "
		}
		if _, set := fn.At["memory"]; set && !ValidMemory(fn.Memory) {
			d.Add(memCode, at("memory"), "%smemory must be %d–%d MB, got %d", what, MinMemory, MaxMemory, fn.Memory)
		}
		if _, set := fn.At["timeout"]; set && !ValidTimeout(fn.Timeout) {
			d.Add(toCode, at("timeout"), "%stimeout must be %d–%d s, got %d", what, MinTimeout, MaxTimeout, fn.Timeout)
		}
		if n := len(fn.Layers); fn.DepLayer != nil && n+1 > MaxLayers && !layersAt[at("layers")] {
			layersAt[at("layers")] = true
			d.Add(diag.E45, at("layers"), "layers= lists %d layers, which with the dependency layer deployless adds (%s) makes %d; Lambda allows at most %d per function: merge some, or put their packages in requirements.txt", n, fn.DepLayer.LogicalID, n+1, MaxLayers)
		} else if n > MaxLayers && !layersAt[at("layers")] {
			layersAt[at("layers")] = true
			d.Add(diag.E45, at("layers"), "layers= lists %d layers; Lambda allows at most %d per function: merge some", n, MaxLayers)
		}
		if s := fn.EphemeralStorage; s != nil && (*s < 512 || *s > 10240) {
			d.Add(diag.E19, at("ephemeral_storage"), "ephemeral_storage must be 512–10240 MB, got %d", *s)
		}
		if c := fn.ReservedConcurrency; c != nil && *c < 0 {
			d.Add(diag.E20, at("reserved_concurrency"), "reserved_concurrency must be >= 0, got %d", *c)
		}
		if c := fn.ProvisionedConcurrency; c != nil && *c < 1 {
			d.Add(diag.E21, at("provisioned_concurrency"), "provisioned_concurrency must be >= 1, got %d", *c)
		}
		if _, set := fn.At["log_retention"]; set && !ValidLogRetention(fn.LogRetention) {
			d.Add(diag.E22, at("log_retention"), "log_retention must be a CloudWatch retention value (1, 3, 5, 7, 14, 30, 60, 90, …, 3653), got %d", fn.LogRetention)
		}
		for _, arch := range fn.Architectures {
			if arch != "x86_64" && arch != "arm64" {
				d.Add(diag.E10, at("architectures"), "architectures must be [\"x86_64\"] or [\"arm64\"], got %q", arch)
			}
		}
		if len(fn.Architectures) > 1 {
			d.Add(diag.E10, at("architectures"), "architectures takes exactly one value, got %d", len(fn.Architectures))
		}
		if fn.Kind == kind.Cron && fn.Schedule != "" {
			if msg := scheduleProblem(fn.Schedule); msg != "" {
				d.Add(diag.E08, fn.ScheduleAt, "invalid schedule expression %q: %s", fn.Schedule, msg)
			}
		}
	}
	// Inherited settings produce the same diagnostic for each function of
	// the feature; the caller's Sorted() removes the duplicates.
	return d
}

var (
	rateRe = lazyRegexp(`^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$`)
	cronRe = lazyRegexp(`^cron\(([^()]+)\)$`)
)

// scheduleProblem validates an EventBridge schedule expression: rate(N
// unit) with singular unit only for 1, or cron() with six fields where one
// of day-of-month / day-of-week is "?".
func scheduleProblem(s string) string {
	if m := rateRe().FindStringSubmatch(s); m != nil {
		n, unit := m[1], m[2]
		if n == "0" || strings.HasPrefix(n, "0") {
			return "the rate must be a positive integer"
		}
		plural := strings.HasSuffix(unit, "s")
		if n == "1" && plural {
			return "use the singular unit for 1 (rate(1 " + strings.TrimSuffix(unit, "s") + "))"
		}
		if n != "1" && !plural {
			return "use the plural unit (rate(" + n + " " + unit + "s))"
		}
		return ""
	}
	if m := cronRe().FindStringSubmatch(s); m != nil {
		f := strings.Fields(m[1])
		if len(f) != 6 {
			return "cron() takes 6 fields (minutes hours day-of-month month day-of-week year)"
		}
		if (f[2] == "?") == (f[4] == "?") {
			return "exactly one of day-of-month and day-of-week must be \"?\""
		}
		return ""
	}
	return "expected rate(N unit) or cron(minutes hours day-of-month month day-of-week year)"
}

// lazyRegexp compiles a pattern on first use: most builds never check the
// names these patterns are for, and compiling every pattern at start-up
// cost each build a measurable part of its package initialisation.
func lazyRegexp(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
