// Package diag holds the diagnostics that every stage of a build reports
// about its input: a file, a line where one is known, a severity and a message.
//
// Stages collect diagnostics instead of stopping at the first problem, so a
// writer sees every mistake in one run. A List is sorted by file, line and
// column before it is shown, and it is an error when it holds at least one
// diagnostic of severity Error. Warnings never fail a build.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a diagnostic fails the build.
type Severity int

const (
	// Error fails the build.
	Error Severity = iota
	// Warning is shown but the build goes on.
	Warning
)

// Diagnostic is one problem found in one file. File is slash-separated and
// relative to the guide's source folder; Line and Col are 1-based, 0 when
// unknown.
type Diagnostic struct {
	File     string
	Line     int
	Col      int
	Severity Severity
	Message  string
}

// String formats d as "file:line: message", with "warning: " before the
// message of a warning.
func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	if d.File != "" {
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// List is a collection of diagnostics. The zero value is empty and ready.
type List []Diagnostic

// Errorf adds an error at file:line.
func (l *List) Errorf(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Error, Message: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at file:line.
func (l *List) Warnf(file string, line int, format string, args ...any) {
	*l = append(*l, Diagnostic{File: file, Line: line, Severity: Warning, Message: fmt.Sprintf(format, args...)})
}

// Append adds all of other to l.
func (l *List) Append(other List) { *l = append(*l, other...) }

// Sort orders the list by file, line, column, then message, and drops exact
// duplicates, so that the same input always reports the same way.
func (l List) Sort() List {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(l)
}

// HasErrors reports whether any diagnostic in l is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errors returns only the errors of l.
func (l List) Errors() List {
	return l.filter(Error)
}

// Warnings returns only the warnings of l.
func (l List) Warnings() List {
	return l.filter(Warning)
}

func (l List) filter(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the errors of l, sorted, as an error, or nil if there are none.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &Errors{List: errs.Sort()}
}

// Errors is the error a stage returns when its input has errors. Callers that
// need each diagnostic use errors.As to get at the list.
type Errors struct {
	List List
}

// Error returns the diagnostics one per line.
func (e *Errors) Error() string {
	lines := make([]string, len(e.List))
	for i, d := range e.List {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}
