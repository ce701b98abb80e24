package preview

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"pcfailback/steps"
	"pcfailback/transcript"
)

// body is the scrollable part: source, changes, notes, preconditions, verification, then each script in full.
func (m Model) body() string {
	w := m.innerWidth()
	s, c := m.c.Step, m.c
	var b strings.Builder
	para := func(label, text string) {
		b.WriteString(m.st.Bold.Render(label) + " ")
		b.WriteString(wrap(text, w-len(label)-1, len(label)+1) + "\n")
	}
	section := func(title string) {
		b.WriteString("\n" + m.st.HelpSection.Render(transcript.Escape(title)) + "\n")
	}

	para("From:", s.Source)
	para("Changes:", s.Changes)
	if len(c.Plan.Scripts) > 0 {
		var where []string
		for _, sc := range c.Plan.Scripts {
			where = append(where, c.Env.Describe(sc.Target))
		}
		para("Runs on:", strings.Join(dedupe(where), ", "))
	}
	for _, n := range s.Notes {
		b.WriteString(m.st.Info.Render("note") + " " + wrap(n, w-5, 5) + "\n")
	}

	section("Preconditions")
	if len(c.Pre) == 0 {
		b.WriteString(m.st.Muted.Render("  none beyond reachability") + "\n")
	}
	for _, ch := range c.Pre {
		b.WriteString(m.check(ch, w))
	}

	section("Verification (against a fresh probe after the script ends)")
	for _, v := range s.Verify {
		b.WriteString("  · " + wrap(v, w-4, 4) + "\n")
	}
	if s.Settle > 0 {
		b.WriteString(m.st.Muted.Render(fmt.Sprintf("  may take up to %s (schedules, synchronisation)", s.Settle)) + "\n")
	}

	if c.Error != nil {
		section("Script")
		b.WriteString(m.st.Bad.Render(wrap("✗ cannot resolve: "+c.Error.Error(), w, 2)) + "\n")
		return clipLines(b.String(), w)
	}
	for i, sc := range c.Plan.Scripts {
		section(fmt.Sprintf("Script %d/%d · %s on %s · %s", i+1, len(c.Plan.Scripts), sc.Lang, c.Env.Describe(sc.Target), sc.Purpose))
		if sc.Always {
			b.WriteString(m.st.Warn.Render("  runs even if an earlier script fails") + "\n")
		}
		if sc.Lang == steps.TSQL {
			b.WriteString(m.st.Muted.Render("  session starts in database "+transcript.Escape(sc.Database)) + "\n")
		}
		for _, l := range strings.Split(strings.TrimRight(sc.Text, "\n"), "\n") {
			// Long lines wrap rather than truncate: every character of the script must be readable. A
			// continuation is marked, so it is not read as a line of its own.
			// Escaped: a control character in a script must be visible, not acted on by the terminal.
			for k, part := range strings.Split(ansi.Hardwrap(transcript.Escape(l), w-2, true), "\n") {
				lead := "  "
				if k > 0 {
					lead = m.st.Muted.Render("↪ ")
				}
				b.WriteString(lead + m.st.Code.Render(part) + "\n")
			}
		}
	}
	b.WriteString(m.st.Muted.Render(fmt.Sprintf("\nscript text sha256 %s", c.Plan.Digest)) + "\n")
	return clipLines(b.String(), w)
}

// clipLines keeps every line inside the dialog; scripts are hard-wrapped before this, so only prose can be cut.
func clipLines(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "…")
	}
	return strings.Join(lines, "\n")
}

func (m Model) check(ch steps.Check, w int) string {
	var mark string
	switch {
	case ch.OK:
		mark = m.st.Good.Render("✓ pass")
	case ch.Warn:
		mark = m.st.Warn.Render("! note")
	default:
		mark = m.st.Bad.Render("✗ FAIL")
	}
	out := "  " + mark + " " + wrap(ch.Text, w-9, 9) + "\n"
	if ch.Detail != "" {
		out += m.st.Muted.Render("         "+wrap(ch.Detail, w-9, 9)) + "\n"
	}
	if !ch.OK && ch.Advice != "" {
		out += m.st.Info.Render("         → "+wrap(ch.Advice, w-11, 11)) + "\n"
	}
	return out
}

// wrap word-wraps text to w columns, indenting continuation lines.
func wrap(text string, w, indent int) string {
	if w < 10 {
		w = 10
	}
	// Checks quote what servers said: anything that could steer the terminal is shown escaped.
	lines := strings.Split(ansi.Wrap(transcript.Escape(text), w, " "), "\n")
	return strings.Join(lines, "\n"+strings.Repeat(" ", indent))
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
