// Package source holds the position types shared by every stage: a file
// (project-relative path plus its bytes) and 1-based line:column spans.
// Line and column are computed in exactly one place (File.Pos) so that YAML,
// Python and .env diagnostics all count the same way: columns are 1-based
// and counted in bytes, like gcc and go vet.
package source

import (
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"
)

// File is one input file of the project.
type File struct {
	Path    string // slash-separated, relative to the project root
	Content []byte
	lines   []int // byte offset of the start of every line, built lazily
}

// NewFile wraps content read from path.
func NewFile(path string, content []byte) *File {
	return &File{Path: path, Content: content}
}

// Pos converts a 0-based byte offset into a 1-based line and column.
func (f *File) Pos(offset int) (line, col int) {
	if f.lines == nil {
		f.lines = []int{0}
		for i, b := range f.Content {
			if b == '\n' {
				f.lines = append(f.lines, i+1)
			}
		}
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > offset }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, offset - f.lines[i] + 1
}

// Line returns the text of 1-based line n without its newline ("" if out of range).
func (f *File) Line(n int) string {
	f.Pos(0) // builds the line index
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start, end := f.lines[n-1], len(f.Content)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	return strings.TrimSuffix(string(f.Content[start:end]), "\r")
}

// Span is a position in a project file. The zero Span means "no position"
// (a problem with the project as a whole).
type Span struct {
	Path string
	Line int // 1-based; 0 when unknown
	Col  int // 1-based; 0 when unknown
}

// At builds a span for file path at line:col.
func At(path string, line, col int) Span { return Span{Path: path, Line: line, Col: col} }

// IsZero reports whether the span carries no position at all.
func (s Span) IsZero() bool { return s.Path == "" && s.Line == 0 }

// String renders path:line:col, dropping the parts that are unknown.
func (s Span) String() string {
	switch {
	case s.Path == "":
		return ""
	case s.Line == 0:
		return s.Path
	case s.Col == 0:
		return fmt.Sprintf("%s:%d", s.Path, s.Line)
	}
	return fmt.Sprintf("%s:%d:%d", s.Path, s.Line, s.Col)
}

// Less orders spans by path, then line, then column.
func (s Span) Less(o Span) bool {
	if s.Path != o.Path {
		return s.Path < o.Path
	}
	if s.Line != o.Line {
		return s.Line < o.Line
	}
	return s.Col < o.Col
}

// InvalidUTF8 returns the position of the first byte of f that is not
// UTF-8, and false; or true when the whole file is UTF-8. Every input of
// the compiler must be: a Python file that is not is refused by Python,
// and YAML and env parsers would turn such bytes into U+FFFD silently.
func (f *File) InvalidUTF8() (Span, byte, bool) {
	b := f.Content
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			line, col := f.Pos(i)
			return At(f.Path, line, col), b[i], false
		}
		i += n
	}
	return Span{}, 0, true
}

// FileError is err without the path a file operation wraps it in (an
// *fs.PathError): for diagnostics that already name the file.
func FileError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
