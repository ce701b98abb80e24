package ui

import (
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"pcfailback/journal"
	"pcfailback/steps"
	"pcfailback/ui/internal/fixture"
)

// journaledDriver is a console whose journal is a real file.
func journaledDriver(t *testing.T) (*driver, *journal.Journal) {
	t.Helper()
	e := fixture.New(t, fixture.Options{Seed: 1})
	j, err := journal.Open(filepath.Join(t.TempDir(), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	e.Executor.WithJournal(j, logPath)
	opt := options(t, e, "dark", fixture.Tick)
	opt.Journal = j
	d := &driver{t: t, e: e, m: New(opt)}
	d.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.exec(d.m.Init())
	d.drain()
	return d, j
}

func records(t *testing.T, j *journal.Journal) []journal.Record {
	t.Helper()
	recs, err := journal.Read(j.Path())
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// Everything the console shows as done, confirmed or skipped is on disk in the journal by the time it is shown:
// the preview's digest, the typed confirmation, the start, every postcondition and the outcome.
func TestWhatTheConsoleShowsIsAlreadyJournaled(t *testing.T) {
	d, j := journaledDriver(t)
	d.through(steps.F2) // F2 is destructive: its confirmation is typed
	kinds := map[string][]journal.Kind{}
	var confirm journal.Record
	for _, r := range records(t, j) {
		kinds[r.Step] = append(kinds[r.Step], r.Kind)
		if r.Kind == journal.KindConfirm && r.Step == "F2" {
			confirm = r
		}
	}
	for _, id := range []string{"F0", "F1", "F2"} {
		ks := kinds[id]
		if len(ks) < 5 || ks[0] != journal.KindPreview || ks[1] != journal.KindConfirm || ks[2] != journal.KindStepStart ||
			ks[len(ks)-1] != journal.KindStepEnd {
			t.Errorf("%s: records %v", id, ks)
		}
	}
	if confirm.Typed != "mgc+mgccomp@SQLBACKUP" || confirm.ScriptDigest == "" {
		t.Errorf("F2 confirmation %+v", confirm)
	}
}

// A note typed in the console goes into the journal, at any time: here with a step's preview open.
func TestANoteGoesIntoTheJournal(t *testing.T) {
	d, j := journaledDriver(t)
	d.press("enter")
	if d.m.preview == nil {
		t.Fatal("no preview open")
	}
	d.press("a")
	d.typeText("bridge: DBA confirms the share ACLs")
	d.press("enter")
	recs := records(t, j)
	last := recs[len(recs)-1]
	if last.Kind != journal.KindNote || last.Text != "bridge: DBA confirms the share ACLs" {
		t.Fatalf("last record %+v", last)
	}
	if d.m.preview == nil {
		t.Error("the note closed the preview")
	}
}

// A skip is journaled with its reason before the checklist shows it.
func TestASkipIsJournaledWithItsReason(t *testing.T) {
	d, j := journaledDriver(t)
	d.selectStep(steps.F6a)
	d.press("s")
	d.typeText("no log shipping in this estate")
	d.press("enter")
	recs := records(t, j)
	last := recs[len(recs)-1]
	if last.Kind != journal.KindSkip || last.Step != "F6a" || last.Reason != "no log shipping in this estate" {
		t.Fatalf("last record %+v", last)
	}
}
