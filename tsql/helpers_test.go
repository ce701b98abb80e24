package tsql

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// run runs a batch on h with a fresh session.
func run(t *testing.T, h *fakeHost, batch string) (*recorder, error) {
	t.Helper()
	return runSess(t, h, &Session{}, batch)
}

func runSess(t *testing.T, h *fakeHost, sess *Session, batch string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	err := Run(context.Background(), h, sess, batch, rec)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Run returned a non-SQL error %T: %v", err, err)
		}
		if len(rec.errors()) == 0 {
			t.Fatalf("Run returned %v but sent no error message", err)
		}
	}
	return rec, err
}

// mustRun runs a batch that must not fail and returns its result sets.
func mustRun(t *testing.T, h *fakeHost, batch string) []*Table {
	t.Helper()
	rec, err := run(t, h, batch)
	if err != nil {
		t.Fatalf("batch failed: %v\n%s", err, batch)
	}
	return rec.tables()
}

// one runs a batch that must return exactly one result set, rendered as lines.
func one(t *testing.T, h *fakeHost, batch string) []string {
	t.Helper()
	ts := mustRun(t, h, batch)
	if len(ts) != 1 {
		t.Fatalf("got %d result sets, want 1\n%s", len(ts), batch)
	}
	return grid(ts[0])
}

// errNumber runs a batch that must fail and returns the first error's number.
func errNumber(t *testing.T, h *fakeHost, batch string) int32 {
	t.Helper()
	_, err := run(t, h, batch)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("batch did not fail: %q", batch)
	}
	return e.Number
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("rows differ\ngot:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
