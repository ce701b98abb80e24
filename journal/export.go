package journal

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// exportTime is how the export shows a time: to the second, with the offset (an incident can span a change of
// daylight saving time).
const exportTime = "2006-01-02 15:04:05 -07:00"

// Export writes the incident timeline of records as Markdown: a title naming the environment, a summary of
// each step's outcome, and every record in order with who wrote it. Notes, errors, skips, reconciles and breaks
// in the chain are marked. Times are shown in loc (UTC when nil). Every text from the journal is escaped, so a
// note cannot break the layout or carry terminal escapes.
func Export(w io.Writer, records []Record, loc *time.Location) error {
	return ExportChecked(w, records, nil, loc)
}

// ExportChecked is Export with the problems Verify found listed in a section of their own.
func ExportChecked(w io.Writer, records []Record, problems []Problem, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	e := exporter{loc: loc, runs: map[string]Record{}}
	for _, r := range records {
		if r.Kind == KindStart {
			if _, seen := e.runs[r.Run]; !seen {
				e.runs[r.Run] = r
			}
		}
	}
	e.header(records, problems)
	e.summary(Replay(records))
	e.problems(problems)
	e.timeline(records)
	_, err := io.WriteString(w, e.b.String())
	return err
}

type exporter struct {
	b    strings.Builder
	loc  *time.Location
	runs map[string]Record // run id → its start record
}

func (e *exporter) f(format string, args ...any) { fmt.Fprintf(&e.b, format, args...) }

func (e *exporter) time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(e.loc).Format(exportTime)
}

func (e *exporter) header(records []Record, problems []Problem) {
	env := "environment not recorded"
	breaks := 0
	for _, r := range records {
		if r.Kind == KindStart && r.Environment != "" {
			env = r.Environment
		}
		if r.Kind == KindBreak {
			breaks++
		}
	}
	e.f("# Failback journal: %s\n\n", md(env))
	if len(records) == 0 {
		e.f("The journal holds no records.\n\n")
	} else {
		e.f("%s from %s to %s, written by %s. Digests show the first 12 hex digits of the SHA-256 the journal "+
			"holds.\n\n", count(len(records), "record"), e.time(records[0].At), e.time(records[len(records)-1].At),
			count(len(e.runs), "console run"))
	}
	if len(problems) > 0 || breaks > 0 || gaps(records) > 0 {
		e.f("> ⚠ **The journal's chain is damaged.** See the chain problems and the entries marked ⚠ below.\n\n")
	}
}

// count is "1 record", "2 records".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// gaps counts records whose seq does not follow the previous one.
func gaps(records []Record) int {
	n := 0
	for i := 1; i < len(records); i++ {
		if records[i].Seq != records[i-1].Seq+1 {
			n++
		}
	}
	return n
}

func (e *exporter) summary(p Progress) {
	e.f("## Summary\n\n")
	if len(p.Steps) == 0 {
		e.f("No step was previewed, run or skipped.\n\n")
	} else {
		e.f("| Step | Outcome | When |\n| --- | --- | --- |\n")
		for _, s := range p.Steps {
			e.f("| %s | %s | %s |\n", md(s.Step), outcomeCell(s), e.time(s.At))
		}
		e.f("\n")
	}
	switch {
	case p.LastStart == nil:
	case p.LastExit != nil:
		e.f("The last console run exited (%s).\n\n", md(p.LastExit.Reason))
	default:
		e.f("⚠ The last console run (started %s) recorded no exit: it crashed, was killed or is still running.\n\n",
			e.time(p.LastStart.At))
	}
}

func outcomeCell(s StepProgress) string {
	switch s.State {
	case StateDone:
		return "done"
	case StatePending:
		return "pending"
	case StateSkipped:
		if s.End == nil {
			return "skipped"
		}
		return "skipped: " + md(s.End.Reason)
	case StateInFlight:
		return "⚠ **IN FLIGHT**: started, no end recorded"
	case StateFailed:
		if s.End != nil && s.End.ErrorNumber != 0 {
			return fmt.Sprintf("**FAILED** (error %d)", s.End.ErrorNumber)
		}
		return "**FAILED**"
	}
	return loud(string(s.State))
}

func (e *exporter) problems(ps []Problem) {
	if len(ps) == 0 {
		return
	}
	e.f("## Chain problems\n\n")
	for _, p := range ps {
		note := ""
		if p.Recorded {
			note = " (recorded in the journal)"
		}
		e.f("- ⚠ %s%s\n", md(p.String()), note)
	}
	e.f("\n")
}

func (e *exporter) timeline(records []Record) {
	e.f("## Timeline\n\n")
	if len(records) == 0 {
		e.f("Nothing to show.\n")
		return
	}
	e.f("| Time | Who | What |\n| --- | --- | --- |\n")
	for i, r := range records {
		if i > 0 && r.Seq != records[i-1].Seq+1 {
			e.f("| %s | | ⚠ **CHAIN**: seq %d follows seq %d: records are missing or out of order |\n",
				e.time(r.At), r.Seq, records[i-1].Seq)
		}
		e.f("| %s | %s | %s |\n", e.time(r.At), e.who(r), e.what(r))
	}
}

// who names the operator of the run that wrote r: user@host from its start record.
func (e *exporter) who(r Record) string {
	s, ok := e.runs[r.Run]
	if !ok || s.User == "" {
		return "unknown"
	}
	if s.Host == "" {
		return md(s.User)
	}
	return md(s.User + "@" + s.Host)
}
