package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/deployless/deployless/internal/source"
)

// Text writes gcc-style lines ("path:line:col: E10 message"), notes
// indented beneath. With excerpt set (a terminal), the offending source line
// and a caret follow each message. files provides the excerpts by path.
func Text(w io.Writer, l List, files map[string]*source.File, excerpt bool) {
	for _, d := range l.Sorted() {
		sev := ""
		if d.Severity == Warning {
			sev = "warning: "
		}
		prefix := d.Span.String()
		if prefix != "" {
			prefix += ": "
		}
		fmt.Fprintf(w, "%s%s%s %s\n", prefix, sev, d.Code, d.Message)
		if excerpt {
			writeExcerpt(w, d.Span, files)
		}
		for _, n := range d.Notes {
			where := n.Span.String()
			if where != "" {
				where += ": "
			}
			fmt.Fprintf(w, "    %snote: %s\n", where, n.Message)
		}
	}
}

func writeExcerpt(w io.Writer, s source.Span, files map[string]*source.File) {
	f := files[s.Path]
	if f == nil || s.Line == 0 {
		return
	}
	line := f.Line(s.Line)
	if strings.TrimSpace(line) == "" {
		return
	}
	fmt.Fprintf(w, "  %5d | %s\n", s.Line, strings.ReplaceAll(line, "\t", " "))
	if s.Col > 0 && s.Col <= len(line)+1 {
		fmt.Fprintf(w, "        | %s^\n", strings.Repeat(" ", s.Col-1))
	}
}

type jsonDiag struct {
	Code     Code       `json:"code"`
	Severity string     `json:"severity"`
	File     string     `json:"file,omitempty"`
	Line     int        `json:"line,omitempty"`
	Column   int        `json:"column,omitempty"`
	Message  string     `json:"message"`
	Notes    []jsonNote `json:"notes,omitempty"`
}

type jsonNote struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// JSON writes the diagnostics as one JSON array, for machines.
func JSON(w io.Writer, l List) error {
	out := []jsonDiag{}
	for _, d := range l.Sorted() {
		jd := jsonDiag{Code: d.Code, Severity: d.Severity.String(), File: d.Span.Path, Line: d.Span.Line, Column: d.Span.Col, Message: d.Message}
		for _, n := range d.Notes {
			jd.Notes = append(jd.Notes, jsonNote{File: n.Span.Path, Line: n.Span.Line, Column: n.Span.Col, Message: n.Message})
		}
		out = append(out, jd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
