package cli

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/deployless/deployless/internal/compiler"
)

// progress prints one line per packaging step (layers resolved, installed
// or reused, bytecode, zips) with the time since the build started, when
// stdout is a terminal and the format is text; otherwise it is silent, so
// scripts and --format json see only the result. One line per step needs
// no progress-bar library: uv's own download progress is not shown (it
// writes to a pipe we read for diagnostics).
type progress struct {
	mu     sync.Mutex
	w      io.Writer // nil: quiet
	notice io.Writer // notices in text format, terminal or not (nil: json)
	start  time.Time
}

func (a *app) newProgress() *progress {
	p := &progress{start: time.Now()}
	if a.format == "text" {
		p.notice = a.stderr
	}
	if a.format == "text" && isTerminal(a.stdout) {
		p.w = a.stdout
	}
	return p
}

func (p *progress) step(s compiler.Step) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if s.Notice && p.notice != nil {
		fmt.Fprintf(p.notice, "deployless: %s %s\n", s.What, s.Detail)
		return
	}
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "  %6.2fs  %-8s %s\n", time.Since(p.start).Seconds(), s.What, s.Detail)
}
