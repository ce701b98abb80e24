package quote_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pcfailback/quote"
	"pcfailback/tsql"
)

// noHost is a server with nothing on it: SELECT of literals needs no tables or functions.
type noHost struct{}

func (noHost) Now() time.Time { return time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC) }
func (noHost) Table(context.Context, tsql.ObjectName) (*tsql.Table, error) {
	return nil, tsql.Errorf(208, 16, "Invalid object name.")
}
func (noHost) Func(context.Context, string, []tsql.Value) (tsql.Value, bool, error) {
	return nil, false, nil
}
func (noHost) Global(string) (tsql.Value, bool) { return nil, false }
func (noHost) Exec(context.Context, tsql.ObjectName, []tsql.Arg, tsql.Output) (int, error) {
	return 0, tsql.Errorf(2812, 16, "Could not find stored procedure.")
}
func (noHost) Use(context.Context, string) error                                        { return nil }
func (noHost) Backup(context.Context, tsql.BackupSpec, tsql.Output) error               { return nil }
func (noHost) Restore(context.Context, tsql.RestoreSpec, tsql.Output) error             { return nil }
func (noHost) AlterDatabase(context.Context, tsql.AlterDatabaseSpec, tsql.Output) error { return nil }
func (noHost) Kill(context.Context, int64, tsql.Output) error                           { return nil }
func (noHost) Sleep(context.Context, time.Duration) error                               { return nil }

// result keeps the result sets and errors of a batch.
type result struct {
	tables []*tsql.Table
	errs   []tsql.Message
}

func (r *result) Info(tsql.Message)       {}
func (r *result) Error(m tsql.Message)    { r.errs = append(r.errs, m) }
func (r *result) ResultSet(t *tsql.Table) { r.tables = append(r.tables, t) }
func (r *result) RowsAffected(int64)      {}

func run(t *testing.T, batch string) *result {
	t.Helper()
	r := &result{}
	if err := tsql.Run(context.Background(), noHost{}, &tsql.Session{}, batch, r); err != nil || len(r.errs) > 0 {
		t.Fatalf("%q: %v %v", batch, err, r.errs)
	}
	if len(r.tables) != 1 || len(r.tables[0].Columns) != 1 || len(r.tables[0].Rows) != 1 {
		t.Fatalf("%q: want one result set with one column and one row, got %+v", batch, r.tables)
	}
	return r
}

var roundTrip = []string{
	"mgc", "my]db", "]]", "[", "[]", "x'y", "''", "채팅", "e\u0301", "$(x)`n", "mgc]; DROP DATABASE [x", "a\nb",
	"/* c", "-- c", "N'x'", "\"q\"", " lead and trail ", "\t",
}

// An identifier quoted by Ident names exactly the given text: SELECT 1 AS <Ident(s)> returns a column named s.
func TestIdentRoundTrip(t *testing.T) {
	for _, s := range roundTrip {
		r := run(t, "SELECT 1 AS "+quote.Ident(s)+";")
		if got := r.tables[0].Columns[0].Name; got != s {
			t.Errorf("column %q, want %q", got, s)
		}
	}
}

// A literal quoted by String is exactly the given text: SELECT <String(s)> returns s.
func TestStringRoundTrip(t *testing.T) {
	for _, s := range append(roundTrip, "", `\\fs01\pchatls\mgc.bak`, `x'; SHUTDOWN; --`, "'") {
		r := run(t, "SELECT "+quote.String(s)+" AS v;")
		if got := r.tables[0].Rows[0][0]; got != s {
			t.Errorf("value %q, want %q", got, s)
		}
	}
}

func FuzzQuoteRoundTrip(f *testing.F) {
	for _, s := range roundTrip {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Text reaches SQL Server as UTF-16: invalid UTF-8 and NUL cannot be part of a name or literal it receives.
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			return
		}
		r := run(t, "SELECT "+quote.String(s)+" AS v;")
		if got := r.tables[0].Rows[0][0]; got != s {
			t.Fatalf("String round trip: %q, want %q", got, s)
		}
		// An identifier is at most 128 characters and cannot be empty.
		if s == "" || utf8.RuneCountInString(s) > 128 {
			return
		}
		r = run(t, "SELECT 1 AS "+quote.Ident(s)+";")
		if got := r.tables[0].Columns[0].Name; got != s {
			t.Fatalf("Ident round trip: %q, want %q", got, s)
		}
	})
}
