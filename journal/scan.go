package journal

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// chain is what reading a journal's bytes found: the records, the problems, and where the next record links.
type chain struct {
	records []Record
	// lines[i] is the 1-based line of records[i].
	lines    []int
	problems []Problem
	// lastSeq and lastDigest are the last record's seq and line digest: the next record follows them.
	lastSeq    int64
	lastDigest string
	// beforeSeq and beforeDigest are the record before the last one (for the head's one-record lag).
	beforeSeq    int64
	beforeDigest string
	// open is set when the bytes do not end with a line end: the next record must start a new line.
	open bool
}

// scan reads a journal's bytes. Every line that decodes is a record and the chain continues from it, whether or
// not it chained correctly, so that one altered line is one problem rather than a cascade. Lines that do not
// decode are problems and are skipped. A last line without its line end that decodes is a record all the same
// (only the line end was lost); one that does not is a torn write.
func scan(data []byte) chain {
	var c chain
	if len(data) == 0 {
		return c
	}
	lines := bytes.Split(data, []byte("\n"))
	if len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	} else {
		c.open = true
	}
	lastLine := 0
	for i, line := range lines {
		n := i + 1
		unterminated := c.open && i == len(lines)-1
		if len(line) == 0 {
			c.problems = append(c.problems, Problem{Line: n, Text: "the line is empty; the journal never writes one"})
			continue
		}
		r, err := decode(line)
		if err != nil {
			c.problems = append(c.problems, unreadable(n, line, err, unterminated))
			continue
		}
		if p, bad := link(r, n, lastLine, c.lastSeq, c.lastDigest); bad {
			c.problems = append(c.problems, p)
		}
		c.records = append(c.records, r)
		c.lines = append(c.lines, n)
		c.beforeSeq, c.beforeDigest = c.lastSeq, c.lastDigest
		c.lastSeq, c.lastDigest, lastLine = r.Seq, Digest(line), n
	}
	c.markBreaks()
	return c
}

// unreadable is the problem of a line that is not a record.
func unreadable(n int, line []byte, err error, unterminated bool) Problem {
	p := Problem{Line: n, Found: Digest(line)}
	if unterminated {
		p.Text = "the last line is incomplete (a write cut short by a crash or a full disk); it is kept as " +
			"evidence and is not part of the chain: " + printable(err.Error(), 200)
	} else {
		p.Text = "not a journal record: " + printable(err.Error(), 200)
	}
	return p
}

// link checks that r, on line n, follows the record on line lastLine (seq lastSeq, line digest lastDigest).
func link(r Record, n, lastLine int, lastSeq int64, lastDigest string) (Problem, bool) {
	seqOK, prevOK := r.Seq == lastSeq+1, r.Prev == lastDigest
	p := Problem{Line: n, Seq: r.Seq}
	if !prevOK {
		p.Expected, p.Found = lastDigest, printable(r.Prev, 80)
	}
	switch {
	case seqOK && prevOK:
		return p, false
	case lastLine == 0:
		p.Text = fmt.Sprintf("the journal starts at seq %d, not at seq 1 with no previous digest: its beginning "+
			"is missing or was altered", r.Seq)
	case !seqOK && !prevOK:
		p.Text = fmt.Sprintf("seq %d follows seq %d (line %d) and does not chain to it: records are missing, "+
			"reordered or altered", r.Seq, lastSeq, lastLine)
	case !seqOK:
		p.Text = fmt.Sprintf("seq %d follows seq %d (line %d): this record's seq was altered", r.Seq, lastSeq, lastLine)
		p.Expected, p.Found = fmt.Sprintf("seq %d", lastSeq+1), fmt.Sprintf("seq %d", r.Seq)
	default:
		p.Text = fmt.Sprintf("does not chain to line %d: that line or this record was altered", lastLine)
	}
	return p, true
}

// markBreaks marks the problems each break record lists as recorded, and adds each break as a recorded problem:
// a break stays visible to Verify for ever, even once it has been taken care of.
func (c *chain) markBreaks() {
	// Problems are found in line order, at most two per line; index them by line so that a damaged file with
	// many breaks listing many lines costs time in proportion to its size.
	byLine := map[int][]int{}
	for j, p := range c.problems {
		byLine[p.Line] = append(byLine[p.Line], j)
	}
	for i, r := range c.records {
		if r.Kind != KindBreak {
			continue
		}
		at := c.lines[i]
		for _, l := range r.Lines {
			if l >= at {
				continue
			}
			for _, j := range byLine[l] {
				c.problems[j].Recorded = true
			}
		}
		c.problems = append(c.problems, Problem{Line: at, Seq: r.Seq, Recorded: true,
			Text: fmt.Sprintf("a console found the chain broken on %s and started a new segment here: %s",
				r.At.Format(timeLayout), printable(r.Detail, 2000))})
	}
	sort.SliceStable(c.problems, func(a, b int) bool { return c.problems[a].Line < c.problems[b].Line })
}

// unrecorded are the problems no break record records yet.
func unrecorded(ps []Problem) []Problem {
	var out []Problem
	for _, p := range ps {
		if !p.Recorded {
			out = append(out, p)
		}
	}
	return out
}

// printable escapes what a terminal could act on (controls, bidirectional formatting) in text read from a file,
// and cuts it to about n bytes.
func printable(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= n {
			b.WriteString("…")
			break
		}
		if unicode.IsPrint(r) || r == ' ' {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}
