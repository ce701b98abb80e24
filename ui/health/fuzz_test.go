package health

import (
	"strings"
	"testing"
	"time"

	"pcfailback/probes"
	"pcfailback/ui/internal/fixture"
)

// hostile is an instance whose every string the panels show came from the server as s.
func hostile(r probes.Role, s string, at time.Time) *probes.Instance {
	db := func(name string) *probes.Database {
		return &probes.Database{
			Name: name, Exists: true, State: s, RecoveryModel: s, UserAccess: s,
			Mirroring:   probes.Mirroring{Role: s, State: s, PartnerInstance: s, Witness: s, WitnessState: s},
			LastFull:    &probes.BackupSet{Type: "D", Device: s, Finish: at},
			LastLog:     &probes.BackupSet{Type: "L", Device: s, Finish: at},
			LastRestore: &probes.RestoreEvent{Type: s, Device: s, Date: at},
			Sessions:    []probes.SessionGroup{{Host: s, Count: 3}},
		}
	}
	return &probes.Instance{
		Role: r, Name: s, Reachable: len(s)%2 == 0, Err: s, ProbedAt: at, ServerTime: at, Version: s,
		Databases:     map[string]*probes.Database{"mgc": db("mgc"), "mgccomp": db("mgccomp")},
		Services:      []probes.Service{{Name: "SQL Server Agent", Status: s, Account: s}, {Name: "SQL Server (MSSQLSERVER)", Account: s}},
		Jobs:          []probes.Job{{Name: "LS" + s, Enabled: true, LastOutcome: s, LastRun: at, NextRun: at}},
		LSPrimary:     []probes.LSPrimary{{LastBackupFile: s, LastBackup: at, ThresholdMin: 60}},
		LSSecondaries: []probes.LSPrimarySecondary{{Server: s}},
		LSSecondary:   []probes.LSSecondary{{PrimaryServer: s, LastRestoredFile: s, LastRestored: at, LastCopied: at, ThresholdMin: 45}},
		Share:         probes.FileCheck{Checked: true, IsDir: len(s)%3 == 0},
	}
}

// FuzzPanels renders panels whose every server-supplied string is the fuzz input, at sizes from the input: the
// view stays inside its size and nothing in the data can steer the terminal.
func FuzzPanels(f *testing.F) {
	for _, s := range []string{"ONLINE", "", "\x1b[2J\x1b]0;owned\x07", "東京-サーバー 👍🏽", "tab\there", "\u202eevil", "a\nb\r\nc", "\xff\xfe", strings.Repeat("W", 300)} {
		f.Add(s, uint8(80), uint8(20), true)
	}
	f.Add("x", uint8(3), uint8(2), false)
	names := fixture.New(f, fixture.Options{}).Names
	st := fixture.Styles(f, "dark")
	f.Fuzz(func(t *testing.T, s string, w, h uint8, stacked bool) {
		at := fixture.T0
		snap := probes.Snapshot{Seq: 1, At: at, Instances: map[probes.Role]*probes.Instance{}}
		for _, r := range probes.Roles() {
			snap.Instances[r] = hostile(r, s, at)
		}
		snap.Pool = probes.Pool{Reachable: true, ProbedAt: at, State: s, Active: []string{s, "pc01.contoso.local"}, Inactive: []string{s + ".x"}}
		m := New(st)
		m.SetSize(int(w), int(h), stacked)
		m.SetInput(Input{Snap: snap, Names: names, Now: at.Add(time.Minute)})
		m.Focus()
		for _, k := range []string{"d", "j", "pgdown", "d"} {
			m, _ = m.Update(keyPress(k))
		}
		v := m.View()
		if w == 0 || h == 0 {
			if v != "" {
				t.Fatalf("%dx%d drew %q", w, h, v)
			}
			return
		}
		if h >= 2 {
			fixture.CheckBounds(t, v, int(w), int(h))
		}
		fixture.CheckNoControls(t, v)
	})
}
