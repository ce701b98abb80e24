package journal

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a journal.
type Problem struct {
	// Line is the 1-based line of the journal file, or 0 for a problem with the file as a whole (its head).
	Line int
	// Seq is the record's seq when the line could be read as a record, else 0.
	Seq int64
	// Expected and Found are the digests (or seq numbers, as text) that should have matched, when the problem is
	// a mismatch; for a line that is not a record, Found alone is set, to the line's digest.
	Expected, Found string
	// Text says what is wrong in a plain sentence.
	Text string
	// Recorded is set when a later break record in the journal already records this problem, or when the
	// problem is that break record itself.
	Recorded bool
}

// String is the problem with its place: "line 7 (seq 7): …".
func (p Problem) String() string {
	var b strings.Builder
	switch {
	case p.Line > 0 && p.Seq > 0:
		fmt.Fprintf(&b, "line %d (seq %d): ", p.Line, p.Seq)
	case p.Line > 0:
		fmt.Fprintf(&b, "line %d: ", p.Line)
	default:
		b.WriteString("head: ")
	}
	b.WriteString(p.Text)
	switch {
	case p.Expected == "" && p.Found != "" && p.Seq == 0:
		fmt.Fprintf(&b, " (line digest %s)", p.Found) // an unreadable line: its digest pins what was there
	case p.Expected != "" || p.Found != "":
		fmt.Fprintf(&b, " (expected %s, found %s)", orNone(p.Expected), orNone(p.Found))
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// ChainError is a journal whose chain is damaged in ways no break record has recorded yet: tampered, reordered,
// deleted or torn lines, or a tail shorter than the head says.
type ChainError struct {
	// Path is the journal file.
	Path string
	// Problems are the damage found, in file order; head problems last.
	Problems []Problem
}

// maxErrorProblems is how many problems Error spells out; Problems has them all.
const maxErrorProblems = 5

// Error names the file and the first problems.
func (e *ChainError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "journal %s: the chain is broken", e.Path)
	for i, p := range e.Problems {
		if i == maxErrorProblems {
			fmt.Fprintf(&b, "; and %d more (pcfailback journal verify lists them)", len(e.Problems)-i)
			break
		}
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}
