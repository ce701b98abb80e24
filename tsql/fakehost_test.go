package tsql

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// fakeHost is a small, scriptable server for tests: tables by canonical name, functions, globals and
// procedures as Go functions, and a record of every state-changing call.
type fakeHost struct {
	now        time.Time
	db         string
	tables     map[string]*Table
	funcs      map[string]func(args []Value) (Value, bool)
	globals    map[string]Value
	procs      map[string]func(args []Arg, out Output) (int, error)
	tableCalls map[string]int
	execs      []string
	execArgs   [][]Arg
	backups    []BackupSpec
	restores   []RestoreSpec
	alters     []AlterDatabaseSpec
	kills      []int64
	sleeps     []time.Duration
	uses       []string
	failBackup error
	// block makes Sleep wait for cancellation (to hold a statement open).
	block   bool
	started chan struct{}
}

func newFakeHost() *fakeHost {
	return &fakeHost{
		now:        time.Date(2024, 1, 1, 12, 30, 0, 0, time.UTC),
		db:         "master",
		tables:     map[string]*Table{},
		funcs:      map[string]func([]Value) (Value, bool){},
		globals:    map[string]Value{"SPID": int64(55), "SERVERNAME": "SQLBACKUP", "VERSION": "Microsoft SQL Server 2012 (SP4) - 11.0.7001.0 (X64)"},
		procs:      map[string]func([]Arg, Output) (int, error){},
		tableCalls: map[string]int{},
	}
}

// key canonicalizes a table name relative to the current database (sys views belong to every database).
func (h *fakeHost) key(n ObjectName) string {
	schema := strings.ToLower(n.Schema)
	if schema == "sys" && n.Database == "" {
		return "sys." + strings.ToLower(n.Object)
	}
	db := n.Database
	if db == "" {
		db = h.db
	}
	if schema == "" {
		schema = "dbo"
	}
	return strings.ToLower(db + "." + schema + "." + n.Object)
}

func (h *fakeHost) Now() time.Time { return h.now }

func (h *fakeHost) Table(ctx context.Context, name ObjectName) (*Table, error) {
	k := h.key(name)
	h.tableCalls[k]++
	if t, ok := h.tables[k]; ok {
		return t, nil
	}
	return nil, Errorf(208, 16, "Invalid object name '%s'.", name.String())
}

func (h *fakeHost) Func(ctx context.Context, name string, args []Value) (Value, bool, error) {
	f, ok := h.funcs[name]
	if !ok {
		return nil, false, nil
	}
	v, ok := f(args)
	return v, ok, nil
}

func (h *fakeHost) Global(name string) (Value, bool) {
	v, ok := h.globals[name]
	return v, ok
}

func (h *fakeHost) Exec(ctx context.Context, proc ObjectName, args []Arg, out Output) (int, error) {
	h.execs = append(h.execs, proc.String())
	h.execArgs = append(h.execArgs, append([]Arg(nil), args...))
	if p, ok := h.procs[strings.ToLower(proc.Object)]; ok {
		return p(args, out)
	}
	return 0, Errorf(2812, 16, "Could not find stored procedure '%s'.", proc.String())
}

func (h *fakeHost) Use(ctx context.Context, database string) error {
	if _, ok := h.dbID(database); !ok {
		return Errorf(911, 16, "Database '%s' does not exist. Make sure that the name is entered correctly.", database)
	}
	h.uses = append(h.uses, database)
	h.db = database
	return nil
}

func (h *fakeHost) Backup(ctx context.Context, spec BackupSpec, out Output) error {
	h.backups = append(h.backups, spec)
	if h.failBackup != nil {
		return h.failBackup
	}
	if spec.Stats > 0 {
		out.Info(Message{Number: 3211, Class: 0, State: 1, Text: "100 percent processed."})
	}
	return nil
}

func (h *fakeHost) Restore(ctx context.Context, spec RestoreSpec, out Output) error {
	h.restores = append(h.restores, spec)
	if spec.Kind == RestoreHeaderOnly {
		out.ResultSet(&Table{Columns: []Column{{Name: "DatabaseName", Type: TypeNVarChar}, {Name: "BackupType", Type: TypeSmallInt}},
			Rows: [][]Value{{"mgc", int64(1)}}})
	}
	return nil
}

func (h *fakeHost) AlterDatabase(ctx context.Context, spec AlterDatabaseSpec, out Output) error {
	h.alters = append(h.alters, spec)
	return nil
}

func (h *fakeHost) Kill(ctx context.Context, spid int64, out Output) error {
	h.kills = append(h.kills, spid)
	return nil
}

func (h *fakeHost) Sleep(ctx context.Context, d time.Duration) error {
	h.sleeps = append(h.sleeps, d)
	if h.block {
		if h.started != nil {
			close(h.started)
		}
		<-ctx.Done()
		return ctx.Err()
	}
	h.now = h.now.Add(d)
	return nil
}

func (h *fakeHost) dbID(name string) (int64, bool) {
	for i, n := range []string{"master", "tempdb", "model", "msdb", "mgc", "mgccomp"} {
		if strings.EqualFold(n, name) {
			return int64(i + 1), true
		}
	}
	return 0, false
}

// event is one thing a batch sent to its Output.
type event struct {
	kind  string // info, error, rows, count
	msg   Message
	table *Table
	count int64
}

// recorder is an Output that keeps everything.
type recorder struct{ events []event }

func (r *recorder) Info(m Message)       { r.events = append(r.events, event{kind: "info", msg: m}) }
func (r *recorder) Error(m Message)      { r.events = append(r.events, event{kind: "error", msg: m}) }
func (r *recorder) ResultSet(t *Table)   { r.events = append(r.events, event{kind: "rows", table: t}) }
func (r *recorder) RowsAffected(n int64) { r.events = append(r.events, event{kind: "count", count: n}) }

func (r *recorder) tables() []*Table {
	var out []*Table
	for _, e := range r.events {
		if e.kind == "rows" {
			out = append(out, e.table)
		}
	}
	return out
}

func (r *recorder) errors() []Message {
	var out []Message
	for _, e := range r.events {
		if e.kind == "error" {
			out = append(out, e.msg)
		}
	}
	return out
}

func (r *recorder) infos() []Message {
	var out []Message
	for _, e := range r.events {
		if e.kind == "info" {
			out = append(out, e.msg)
		}
	}
	return out
}

// cell renders one value of a result set for comparisons in tests.
func cell(v Value) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return x.Format("2006-01-02 15:04:05.000")
	case bool:
		if x {
			return "1"
		}
		return "0"
	case float64:
		return fmt.Sprintf("%g", x)
	}
	return fmt.Sprint(v)
}

// grid renders a result set's rows as lines of |-separated cells.
func grid(t *Table) []string {
	var out []string
	for _, r := range t.Rows {
		parts := make([]string, len(r))
		for i, v := range r {
			parts[i] = cell(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

func colNames(t *Table) []string {
	var out []string
	for _, c := range t.Columns {
		out = append(out, c.Name)
	}
	return out
}
