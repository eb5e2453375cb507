// Package diag defines diagnostics as values: every stage appends to a List
// and returns it beside its result (never first-error-only); rendering to text
// or JSON is separate from collecting (see render.go).
package diag

import (
	"fmt"
	"sort"

	"github.com/deployless/deployless/internal/source"
)

// Severity of a diagnostic.
type Severity int

const (
	Error Severity = iota
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Note points at another place involved in a diagnostic (the first
// declaration of a duplicate route, for instance).
type Note struct {
	Span    source.Span
	Message string
}

// Diagnostic is one problem found in the project.
type Diagnostic struct {
	Code     Code
	Severity Severity
	Span     source.Span
	Message  string
	Notes    []Note
}

func (d Diagnostic) String() string {
	prefix := d.Span.String()
	if prefix != "" {
		prefix += ": "
	}
	return fmt.Sprintf("%s%s %s", prefix, d.Code, d.Message)
}

// List is an ordered collection of diagnostics.
type List []Diagnostic

// Add appends an error.
func (l *List) Add(code Code, span source.Span, format string, args ...any) *Diagnostic {
	*l = append(*l, Diagnostic{Code: code, Severity: Error, Span: span, Message: fmt.Sprintf(format, args...)})
	return &(*l)[len(*l)-1]
}

// Warn appends a warning.
func (l *List) Warn(code Code, span source.Span, format string, args ...any) *Diagnostic {
	*l = append(*l, Diagnostic{Code: code, Severity: Warning, Span: span, Message: fmt.Sprintf(format, args...)})
	return &(*l)[len(*l)-1]
}

// Note attaches a note to the diagnostic and returns it for chaining.
func (d *Diagnostic) Note(span source.Span, format string, args ...any) *Diagnostic {
	d.Notes = append(d.Notes, Note{Span: span, Message: fmt.Sprintf(format, args...)})
	return d
}

// Append adds all diagnostics of other.
func (l *List) Append(other List) { *l = append(*l, other...) }

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors counts the errors.
func (l List) Errors() int {
	n := 0
	for _, d := range l {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// Sorted returns the diagnostics ordered by position, then code, then
// message, with exact duplicates removed. Diagnostics without a position
// come first.
func (l List) Sorted() List {
	out := append(List(nil), l...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Span != b.Span {
			return a.Span.Less(b.Span)
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Message < b.Message
	})
	dedup := out[:0]
	for i, d := range out {
		if i > 0 && d.Span == out[i-1].Span && d.Code == out[i-1].Code && d.Message == out[i-1].Message {
			continue
		}
		dedup = append(dedup, d)
	}
	return dedup
}
