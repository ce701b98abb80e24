package journal

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// what describes one record for the timeline. Markers in capitals and bold are the entries a reviewer looks for:
// notes, confirmations, failures, skips, reconciles, lost control and breaks in the chain.
func (e *exporter) what(r Record) string {
	var b strings.Builder
	f := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	step := md(r.Step)
	switch r.Kind {
	case KindStart:
		b.WriteString("Console started")
		if r.Mode != "" {
			f(" in %s mode", md(string(r.Mode)))
		}
		if r.Environment != "" {
			f(" on %s", md(r.Environment))
		}
		if r.Host != "" {
			f(", host %s", md(r.Host))
		}
		if r.SSHClient != "" {
			f(", SSH from %s", md(r.SSHClient))
		}
		if r.Version != "" {
			f(", version %s", md(r.Version))
		}
		if r.PID != 0 {
			f(", pid %d", r.PID)
		}
		if r.ConfigDigest != "" {
			f(", configuration %s", hexDigest(r.ConfigDigest))
		}
		if r.LogFile != "" {
			f(", log file %s", md(r.LogFile))
		}
	case KindPreview:
		f("Preview of %s%s: script %s", step, on(r.Target), hexDigest(r.ScriptDigest))
		if !r.Stamp.IsZero() {
			f(", files stamped %s", e.time(r.Stamp))
		}
	case KindConfirm:
		f("**CONFIRMED** %s: typed “%s”", step, md(r.Typed))
	case KindStepStart:
		f("%s started%s: script %s", step, on(r.Target), hexDigest(r.ScriptDigest))
		f("%s", params(r.Params))
	case KindStepEnd:
		e.stepEnd(&b, r)
	case KindCheck:
		result := "pass"
		if r.Outcome != OutcomePass {
			result = loud(string(r.Outcome))
		}
		f("Check of %s: %s: %s", step, md(r.Check), result)
		if r.Detail != "" {
			f(" (%s)", md(r.Detail))
		}
	case KindNote:
		f("**NOTE**: %s", md(r.Text))
	case KindSkip:
		f("**SKIPPED** %s: %s", step, md(r.Reason))
	case KindUnskip:
		f("Skip of %s taken back", step)
		if r.Reason != "" {
			f(": %s", md(r.Reason))
		}
	case KindReconcile:
		f("**RECONCILED** %s as %s from server state: %s", step, md(string(r.Outcome)), md(r.Detail))
	case KindControl:
		e.control(&b, r)
	case KindExit:
		f("Console exited: %s", md(r.Reason))
		if r.Detail != "" {
			f(": %s", md(r.Detail))
		}
	case KindBreak:
		f("⚠ **CHAIN BREAK**: the console found the journal damaged and started a new segment: %s", md(r.Detail))
	default:
		f("%s", md(string(r.Kind)))
	}
	return b.String()
}

// params lists a plan's parameters, sorted by name.
func params(p map[string]string) string {
	if len(p) == 0 {
		return ""
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i == 0 {
			b.WriteString("; ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(md(k) + " = " + md(p[k]))
	}
	return b.String()
}

func on(target string) string {
	if target == "" {
		return ""
	}
	return " on " + md(target)
}

func (e *exporter) stepEnd(b *strings.Builder, r Record) {
	f := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	marker := loud(string(r.Outcome))
	if r.Outcome == OutcomeDone {
		marker = "Done:"
	}
	f("%s %s", marker, md(r.Step))
	if r.Duration != 0 {
		f(" after %s", time.Duration(r.Duration))
	}
	if r.ErrorNumber != 0 {
		f(": **error %d**", r.ErrorNumber)
	}
	if r.ErrorText != "" {
		f(": %s", md(r.ErrorText))
	}
	if r.LogFile != "" || r.OutputDigest != "" {
		f("; output in %s (%s)", md(r.LogFile), hexDigest(r.OutputDigest))
	}
}

func (e *exporter) control(b *strings.Builder, r Record) {
	switch r.Control {
	case ControlTaken:
		b.WriteString("Took control of the environment")
	case ControlLost:
		b.WriteString("**LOST CONTROL** of the environment")
	case ControlReadOnly:
		b.WriteString("Read-only: control is held by " + md(r.Holder))
	default:
		b.WriteString("Control: " + md(string(r.Control)))
	}
	if r.Control != ControlReadOnly && r.Holder != "" {
		b.WriteString(" (holder: " + md(r.Holder) + ")")
	}
	if r.Detail != "" {
		b.WriteString(": " + md(r.Detail))
	}
}

// loud is a marker a reviewer's eye catches: bold capitals.
func loud(s string) string {
	if s == "" {
		s = "unknown"
	}
	return "**" + md(strings.ToUpper(s)) + "**"
}
