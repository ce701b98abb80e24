package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pcfailback/journal"
	"pcfailback/sim"
	"pcfailback/ui"
)

// trainingSession opens the console's session on an in-process simulator, as `pcfailback` with no configuration
// does, with its own state directory.
func trainingSession(t *testing.T) (*session, *journal.Journal) {
	t.Helper()
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("PCFAILBACK_CONFIG", "")
	s, err := open(&Flags{Seed: 1, TimeScale: 1, DBSize: 1024, Config: "", Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return s, j
}

// A console holding control that loses it (its session on the backup instance killed) is told at once, the loss
// is journaled, and the guard refuses every step from then on.
func TestLosingControlIsToldAndJournaled(t *testing.T) {
	s, j := trainingSession(t)
	if notices, err := s.takeControl(j); err != nil || len(notices) != 0 || s.lease == nil || s.mode == ui.ReadOnly {
		t.Fatalf("takeControl: %v %v (mode %s)", notices, err, s.mode)
	}
	backup := s.estate.Names.Instance("backup").Name
	admin, err := s.lab.Sim.SQL(backup, sim.Login{User: "sa", App: "SSMS"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := admin.Connect(context.Background(), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	if err := sess.Run(context.Background(), fmt.Sprintf("KILL %d;", s.lease.Holder().Session), nil); err != nil {
		t.Fatal(err)
	}

	leaseCheckEvery = time.Millisecond
	t.Cleanup(func() { leaseCheckEvery = 15 * time.Second })
	told := make(chan string, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a hang guard
	defer cancel()
	s.watchControl(ctx, j, func(text string) { told <- text })
	select {
	case text := <-told:
		if !strings.Contains(text, "CONTROL LOST") {
			t.Errorf("told %q", text)
		}
	default:
		t.Fatal("watchControl returned without telling the console")
	}
	if err := s.guard(j)(ctx); err == nil {
		t.Fatal("the guard lets a step through after control was lost")
	}
	recs, err := journal.Read(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	var lost int
	for _, r := range recs {
		if r.Kind == journal.KindControl && r.Control == journal.ControlLost {
			lost++
		}
	}
	if lost != 1 {
		t.Errorf("%d control-lost records, want exactly one", lost)
	}
}

// A second console against the same estate starts read-only, reconnected with read-only intent, naming the holder.
func TestASecondConsoleIsReadOnly(t *testing.T) {
	s, j := trainingSession(t)
	if _, err := s.takeControl(j); err != nil || s.lease == nil {
		t.Fatal(err)
	}
	second := &session{mode: ui.Training, estateCfg: s.estateCfg, liveOpts: s.liveOpts}
	if err := second.connect(s.estateCfg, s.liveOpts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(second.close)
	notices, err := second.takeControl(j)
	if err != nil || second.mode != ui.ReadOnly || second.lease != nil || len(notices) != 1 || !strings.Contains(notices[0], "control held by") {
		t.Fatalf("second console: mode %s, notices %q, err %v", second.mode, notices, err)
	}
	// Rebuilt with read-only intent (lab's tests show the intent reaching the server from these options).
	if !second.liveOpts.ReadOnly {
		t.Error("the read-only console was not reconnected with read-only intent")
	}
}
