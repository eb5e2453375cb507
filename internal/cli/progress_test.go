package cli

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/deployless/deployless/internal/compiler"
)

// Steps print one line each with the elapsed time on a terminal; off a
// terminal only notices print, and with --format json nothing does.
func TestProgressLines(t *testing.T) {
	var term, errs bytes.Buffer
	p := &progress{w: &term, notice: &errs, start: time.Now().Add(-1500 * time.Millisecond)}
	p.step(compiler.Step{What: "layer", Detail: "reused python3.13/x86_64: 7 packages"})
	p.step(compiler.Step{What: "bytecode", Detail: "skipped: no python3.13", Notice: true})
	if !regexp.MustCompile(`^ +1\.5\ds  layer +reused python3\.13/x86_64: 7 packages\n$`).MatchString(term.String()) {
		t.Errorf("terminal lines %q", term.String())
	}
	if errs.String() != "deployless: bytecode skipped: no python3.13\n" {
		t.Errorf("notice %q", errs.String())
	}

	a := &app{format: "text", stdout: &bytes.Buffer{}, stderr: &errs}
	if q := a.newProgress(); q.w != nil || q.notice == nil {
		t.Errorf("off a terminal: lines to %v, notices to %v; want no lines, notices", q.w, q.notice)
	}
	a.format = "json"
	if q := a.newProgress(); q.w != nil || q.notice != nil {
		t.Error("--format json prints progress")
	}
}
