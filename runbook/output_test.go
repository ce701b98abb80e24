package runbook_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"pcfailback/clock"
	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/runbook"
	"pcfailback/steps"
	"pcfailback/transcript"
)

// scriptedPS answers every script with fixed lines and an exit code.
type scriptedPS struct {
	lines []remote.PSLine
	code  int
}

func (p scriptedPS) Run(ctx context.Context, script string, emit func(remote.PSLine)) (int, error) {
	for _, l := range p.lines {
		emit(l)
	}
	return p.code, nil
}

// scriptedSQL answers every batch with fixed events and an error.
type scriptedSQL struct {
	events []remote.SQLEvent
	err    error
}

func (c scriptedSQL) Connect(context.Context, string) (remote.SQLSession, error) { return c, nil }
func (c scriptedSQL) Close() error                                               { return nil }
func (c scriptedSQL) Run(ctx context.Context, batch string, emit func(remote.SQLEvent)) error {
	for _, e := range c.events {
		emit(e)
	}
	return c.err
}

func drain(s *transcript.Sink) []transcript.Line {
	s.Close()
	var out []transcript.Line
	for {
		lines, _, ok := s.Receive(context.Background(), 0)
		if !ok {
			return out
		}
		out = append(out, lines...)
	}
}

func runWith(t *testing.T, sql remote.SQLConn, ps remote.PSRunner, id steps.ID) (*steps.Evidence, []transcript.Line, error) {
	t.Helper()
	sink := transcript.NewSink(nil, 0)
	x := runbook.NewExecutor(map[probes.Role]remote.SQLConn{probes.Backup: sql, probes.Primary: sql}, ps, names, sink, clock.NewVirtual(t0))
	ev, err := x.Run(context.Background(), plan(t, runbook.New(steps.Catalog()), id, env(snapshot(1, t0), t0)), snapshot(1, t0), nil)
	return ev, drain(sink), err
}

func kinds(lines []transcript.Line, k transcript.Kind) []string {
	var out []string
	for _, l := range lines {
		if l.Kind == k && l.Source != "console" {
			out = append(out, l.Text)
		}
	}
	return out
}

// Cmdlets report problems as warnings and non-terminating errors with exit code 0: either fails the script.
func TestPowerShellProblemsFailTheScript(t *testing.T) {
	cases := []struct {
		name  string
		ps    scriptedPS
		err   string
		kind  transcript.Kind
		lines []string
	}{
		{
			name: "clean run",
			ps: scriptedPS{lines: []remote.PSLine{{Stream: remote.Stdout, Text: "done"},
				{Stream: remote.Stderr, Text: "VERBOSE: Updating the active server list."}}},
			kind: transcript.Info, lines: []string{"VERBOSE: Updating the active server list."},
		},
		{
			name: "warning with exit code 0",
			ps:   scriptedPS{lines: []remote.PSLine{{Stream: remote.Stderr, Text: "WARNING: No changes were made."}}},
			err:  "PowerShell reported: WARNING: No changes were made.", kind: transcript.Warning,
			lines: []string{"WARNING: No changes were made."},
		},
		{
			name: "error record with exit code 0",
			ps: scriptedPS{lines: []remote.PSLine{{Stream: remote.Stderr, Text: "  "},
				{Stream: remote.Stderr, Text: "Set-CsPersistentChatActiveServer : Cannot find pool. "},
				{Stream: remote.Stderr, Text: "At line:3 char:1"}}},
			err: "PowerShell reported: Set-CsPersistentChatActiveServer : Cannot find pool.", kind: transcript.Error,
			lines: []string{"  ", "Set-CsPersistentChatActiveServer : Cannot find pool. ", "At line:3 char:1"},
		},
		{
			name: "exit code with a message",
			ps:   scriptedPS{code: 1, lines: []remote.PSLine{{Stream: remote.Stderr, Text: "Import-Module : The specified module 'Lync' was not loaded"}}},
			err:  "exit code 1: Import-Module : The specified module 'Lync' was not loaded", kind: transcript.Error,
			lines: []string{"Import-Module : The specified module 'Lync' was not loaded"},
		},
		{name: "exit code alone", ps: scriptedPS{code: 3}, err: "exit code 3", kind: transcript.Error},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev, lines, err := runWith(t, nil, c.ps, steps.F1)
			if c.err == "" && err != nil || c.err != "" && (err == nil || err.Error() != c.err) {
				t.Fatalf("error %v, want %q", err, c.err)
			}
			if got := kinds(lines, c.kind); strings.Join(got, "|") != strings.Join(c.lines, "|") {
				t.Errorf("%v lines %q, want %q", c.kind, got, c.lines)
			}
			if res := ev.Scripts[0]; res.ExitCode != c.ps.code || res.Err != fmt.Sprint(errText(err)) {
				t.Errorf("result %+v", res)
			}
			if c.name == "clean run" && (len(ev.Scripts[0].Stdout) != 1 || kinds(lines, transcript.Output)[0] != "done") {
				t.Errorf("stdout %q", ev.Scripts[0].Stdout)
			}
		})
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestSQLOutputRendering(t *testing.T) {
	events := []remote.SQLEvent{
		{Kind: remote.SQLInfoMsg, Number: 3211, Text: "abc percent processed."},
		{Kind: remote.SQLInfoMsg, Number: 3211, Text: "250 percent processed."},
		{Kind: remote.SQLResultStart, Columns: []remote.Column{{Name: "name"}, {Name: "guid"}, {Name: "n"}}},
	}
	for i := range 60 {
		events = append(events, remote.SQLEvent{Kind: remote.SQLRow, Values: []any{nil, []byte{0xab, 0x01}, int64(i)}})
	}
	events = append(events, remote.SQLEvent{Kind: remote.SQLRowsAffected, Count: 60},
		remote.SQLEvent{Kind: remote.SQLErrorMsg, Number: 15404, Class: 16, State: 11, Line: 7, Text: "Could not obtain information about Windows NT group/user 'CONTOSO\\dba'."})
	sql := scriptedSQL{events: events, err: &remote.SQLError{Number: 15404, Class: 16, State: 11, Line: 7, Text: "Could not obtain information"}}
	ev, lines, err := runWith(t, sql, nil, steps.F3)
	if err == nil || !strings.HasPrefix(err.Error(), "Msg 15404, Level 16, State 11, Line 7") {
		t.Fatalf("error %v", err)
	}
	out := kinds(lines, transcript.Output)
	if len(out) != 51 || out[0] != "name | guid | n" || out[1] != "NULL | 0xAB01 | 0" || out[50] != "NULL | 0xAB01 | 49" {
		t.Errorf("%d output lines: %q ... %q", len(out), out[:2], out[len(out)-1])
	}
	if info := kinds(lines, transcript.Info); len(info) != 3 || info[0] != "abc percent processed." || info[2] != "(60 rows affected; 50 shown)" {
		t.Errorf("info lines %q", info)
	}
	if p := kinds(lines, transcript.Progress); len(p) != 0 {
		t.Errorf("malformed percentages became progress: %q", p)
	}
	if e := kinds(lines, transcript.Error); len(e) != 1 || e[0] != "Level 16, State 11, Line 7: Could not obtain information about Windows NT group/user 'CONTOSO\\dba'." {
		t.Errorf("error lines %q", e)
	}
	// The evidence keeps every row, not only the logged ones.
	if res := ev.Scripts[0]; len(res.Sets) != 1 || len(res.Sets[0].Rows) != 60 || len(res.Messages) != 3 {
		t.Errorf("evidence: %d sets, %d messages", len(res.Sets), len(res.Messages))
	}
}
