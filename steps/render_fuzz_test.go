package steps_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"pcfailback/steps"
	"pcfailback/tsql"
)

// FuzzScriptNames renders F2, F3 and F4 with arbitrary database names and share path: the T-SQL always parses into
// the intended statements, and the server receives exactly the names it was given.
func FuzzScriptNames(f *testing.F) {
	f.Add("mgc", "mgccomp", `\\fs01.contoso.local\pchatls`)
	f.Add("x]; DROP DATABASE [y", "comp'; SHUTDOWN; --", `\\fs01\pchat]ls'$x\`)
	f.Add("]]", "''", `\\'']]\'']]`)
	f.Add("채팅]]''", "e\u0301ﬁ'\u0308", `\\파일서버\공유'`)
	f.Add("mgc\n  ]x", "comp\r\n'", "\\\\s\\a\nb")
	f.Add("/* x", "-- y", `\\s\*/`)
	f.Fuzz(func(t *testing.T, chat, comp, share string) {
		for _, s := range []string{chat, comp, share} {
			// The console sends text as UTF-16: a name that is not valid UTF-8 or holds NUL cannot be a server's.
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				return
			}
		}
		// sysname is at most 128 characters; the backup set name adds 14 to the chat database's name.
		if utf8.RuneCountInString(chat) > 114 || utf8.RuneCountInString(comp) > 128 || chat == comp || strings.EqualFold(chat, comp) {
			return
		}
		n := hostileNames()["injection"]
		n.ChatDB, n.ComplianceDB, n.Share = chat, comp, share
		plans, _ := resolveAll(t, n)
		path := strings.TrimRight(share, `\`) + `\` + chat + "_failback_20240312_093000.bak"

		h := parseAndRun(t, plans[steps.F2].Scripts[0].Text, nil, "USE", "ALTER DATABASE", "ALTER DATABASE")
		if len(h.alters) != 2 || h.alters[0].Database != chat || h.alters[1].Database != comp ||
			h.alters[0].Action != tsql.AlterPartnerOff || h.alters[1].Action != tsql.AlterPartnerOff {
			t.Fatalf("F2 alters %+v", h.alters)
		}
		h = parseAndRun(t, plans[steps.F3].Scripts[0].Text, nil, "USE", "BACKUP DATABASE")
		if len(h.backups) != 1 || h.backups[0].Database != chat || len(h.backups[0].Disks) != 1 || h.backups[0].Disks[0] != path {
			t.Fatalf("F3 backup %+v, want %q to %q", h.backups, chat, path)
		}
		h = parseAndRun(t, plans[steps.F4].Scripts[0].Text, []string{chat}, "USE", "ALTER DATABASE", "RESTORE DATABASE", "IF")
		if len(h.restores) != 1 || h.restores[0].Database != chat || len(h.restores[0].Disks) != 1 || h.restores[0].Disks[0] != path ||
			len(h.alters) != 2 || h.alters[0].Database != chat || h.alters[1].Database != chat {
			t.Fatalf("F4 restore %+v alters %+v, want %q from %q", h.restores, h.alters, chat, path)
		}
	})
}

// parseAndRun parses a script, checks its statements' verbs and runs it against a recorder whose sys.databases
// shows the singleUser databases ONLINE in SINGLE_USER.
func parseAndRun(t *testing.T, text string, singleUser []string, verbs ...string) *sqlRecorder {
	t.Helper()
	b, err := tsql.Parse(text)
	if err != nil {
		t.Fatalf("does not parse: %v\n%s", err, text)
	}
	if len(b.Statements) != len(verbs) {
		t.Fatalf("%d statements, want %d\n%s", len(b.Statements), len(verbs), text)
	}
	for i, s := range b.Statements {
		if s.Verb() != verbs[i] {
			t.Fatalf("statement %d is %s, want %s\n%s", i+1, s.Verb(), verbs[i], text)
		}
	}
	h := &sqlRecorder{singleUser: singleUser}
	out := &errOutput{}
	if err := tsql.Run(context.Background(), h, &tsql.Session{}, text, out); err != nil || len(out.errs) > 0 {
		t.Fatalf("run: %v %v\n%s", err, out.errs, text)
	}
	return h
}
