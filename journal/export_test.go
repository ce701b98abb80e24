package journal

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/x/exp/golden"
)

// incident is the failback records as two runs: the first crashed with F4 in flight, the second reconciled it,
// found a damaged chain and carried on.
func incident() []Record {
	rs := failback()
	rs = rs[:len(rs)-1]
	for i := range rs {
		rs[i].Run = "run-a"
	}
	rs = append(rs,
		Record{Kind: KindStepStart, Run: "run-a", At: at(70), Step: "F4", Target: "SQLPRIMARY", ScriptDigest: Digest([]byte("F4"))},
		Record{Kind: KindStart, Run: "run-b", At: at(300), Environment: "Contoso production", User: "bob", Host: "jump02", Mode: ModeLive},
		Record{Kind: KindBreak, Run: "run-b", At: at(300), Lines: []int{15},
			Detail: "line 15: the last line is incomplete (a write cut short by a crash or a full disk)"},
		Record{Kind: KindReconcile, Run: "run-b", At: at(305), Step: "F4", Outcome: OutcomeUnknown,
			Detail: "no restore_history row for mgc since 09:31:10; mgc is RESTORING"},
		Record{Kind: KindControl, Run: "run-b", At: at(306), Control: ControlReadOnly, Holder: "carol on jump03 since 09:35"},
		Record{Kind: KindUnskip, Run: "run-b", At: at(307), Step: "F5e", Reason: "mirror is back"},
		Record{Kind: KindExit, Run: "run-b", At: at(400), Reason: ExitHangup},
	)
	for i := range rs {
		rs[i].Seq = int64(i + 1)
	}
	return rs
}

func TestExportGolden(t *testing.T) {
	var b bytes.Buffer
	if err := Export(&b, incident(), time.FixedZone("CET", 3600)); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, b.String())
}

func TestExportCheckedGolden(t *testing.T) {
	rs := failback()
	for i := range rs {
		rs[i].Seq = int64(i + 1)
	}
	rs = append(rs[:4], rs[5:]...) // a record missing
	rs = append(rs[:len(rs)-1], Record{Kind: KindStepStart, Seq: 12, Run: rs[0].Run, At: at(80), Step: "F4", Target: "SQLPRIMARY"})
	problems := []Problem{{Line: 5, Seq: 6, Text: "seq 6 follows seq 4 (line 4) and does not chain to it: records are missing, reordered or altered",
		Expected: Digest([]byte("a")), Found: Digest([]byte("b"))}}
	var b bytes.Buffer
	if err := ExportChecked(&b, rs, problems, time.UTC); err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, b.String())
}

func TestExportOfAnEmptyJournal(t *testing.T) {
	var b bytes.Buffer
	if err := Export(&b, nil, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "holds no records") || strings.Contains(b.String(), "| Time |") {
		t.Errorf("%s", b.String())
	}
}

// hostile is text an operator (or whoever edited the file) might put in a note to break the export.
const hostile = "ok | injected cell\n# Heading\n| a | b |\n<script>alert(1)</script> [link](http://x) ![img](y) **bold** `code` " +
	"\x1b[31mred\x1b[0m \x1b]8;;http://x\x07osc\x1b]8;;\x07 \u202eevil\u202c \r\t &amp; $x$ ~~s~~ \x00 \u0085"

func TestExportNeutralisesMarkdownAndTerminalEscapes(t *testing.T) {
	rs := []Record{
		{Kind: KindStart, Seq: 1, Run: "r", At: at(0), Environment: hostile, User: hostile, Host: "h"},
		{Kind: KindNote, Seq: 2, Run: "r", At: at(1), Text: hostile},
		{Kind: KindSkip, Seq: 3, Run: "r", At: at(2), Step: hostile, Reason: hostile},
		{Kind: KindStepEnd, Seq: 4, Run: "r", At: at(3), Step: "F4", Outcome: Outcome(hostile), ErrorText: hostile, LogFile: hostile, OutputDigest: hostile},
		{Kind: KindStepStart, Seq: 5, Run: "r", At: at(4), Step: "F4", Params: map[string]string{hostile: hostile}},
	}
	var b bytes.Buffer
	if err := ExportChecked(&b, rs, []Problem{{Line: 2, Text: hostile}}, time.UTC); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || needsEscape(r)) {
			t.Fatalf("raw control character %U in the export", r)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| ---"):
			// Every table row keeps its three columns: count the unescaped pipes.
			if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 4 {
				t.Errorf("row with %d column separators: %s", n, line)
			}
		case strings.HasPrefix(line, "#"):
			if line != "## Summary" && line != "## Timeline" && line != "## Chain problems" && !strings.HasPrefix(line, "# Failback journal: ") {
				t.Errorf("a heading from the journal's text: %s", line)
			}
		}
		for _, bad := range []string{"<script", "](", "**bold**", "`code`"} {
			if strings.Contains(line, bad) && !strings.Contains(line, `\`+bad[:1]) {
				t.Errorf("%q survived unescaped: %s", bad, line)
			}
		}
	}
	if strings.Contains(out, "\n# Heading") || strings.Contains(out, "\n| a | b |") {
		t.Error("a line break in a note started a new Markdown block")
	}
}

func TestMdEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"a|b":        `a\|b`,
		"line\nnext": "line ↵ next",
		"\x1b[31m":   `\\u001b\[31m`,
		"*x* _y_":    `\*x\* \_y\_`,
		"<b>&":       `\<b\>\&`,
		"F3b 10.0.1": "F3b 10.0.1",
	} {
		if got := md(in); got != want {
			t.Errorf("md(%q) = %q, want %q", in, got, want)
		}
	}
	if got := md(strings.Repeat("a", maxCell+10)); len(got) > maxCell+len("…") {
		t.Errorf("md does not cut long text: %d bytes", len(got))
	}
}
