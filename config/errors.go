package config

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// MaxShownErrors is how many problems Errors.Error lists before summarising the rest.
const MaxShownErrors = 10

// Error is one problem in a configuration file.
type Error struct {
	// File is the file's path.
	File string
	// Line is the 1-based line of the problem; 0 when the problem has no line (a key that is missing).
	Line int
	// Column is the 1-based column for syntax errors; 0 otherwise.
	Column int
	// Field is the dotted path of the key, e.g. "instances.backup.port"; empty for syntax errors.
	Field string
	// Msg says what is wrong and, where it helps, what to write instead.
	Msg string
	// Err is an underlying error (such as fs.ErrNotExist), nil for content problems.
	Err error
}

// Error formats the problem as "file:line: field: message", leaving out the parts that are not known.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(e.Column))
		}
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in one file, in file order (problems without a line last).
type Errors []*Error

// Error lists the first MaxShownErrors problems, one a line, and says how many more there are.
func (es Errors) Error() string {
	if len(es) == 0 {
		return "no configuration errors"
	}
	var b strings.Builder
	for i, e := range es {
		if i == MaxShownErrors {
			fmt.Fprintf(&b, "\n(%d more problems not shown)", len(es)-MaxShownErrors)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As look at each problem.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// sortErrors puts problems in file order; those without a line go last, in the order they were found.
func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i].Line, es[j].Line
		if a == 0 || b == 0 {
			return a != 0 && b == 0
		}
		return a < b
	})
}
