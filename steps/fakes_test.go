package steps_test

import (
	"context"
	"strings"
	"time"

	"pcfailback/pwsh"
	"pcfailback/tsql"
)

// sqlRecorder is a tiny SQL Server for rendering tests: it answers the few system views and functions the step
// scripts read and records every BACKUP, RESTORE, ALTER DATABASE, EXEC and USE with its evaluated arguments, so a
// test can compare what would reach the server with the names it started from.
type sqlRecorder struct {
	// singleUser lists databases sys.databases shows ONLINE in SINGLE_USER (so the scripts' IF takes its branch).
	singleUser []string

	uses     []string
	backups  []tsql.BackupSpec
	restores []tsql.RestoreSpec
	alters   []tsql.AlterDatabaseSpec
	execs    []execCall
	funcs    []funcCall
}

type execCall struct {
	proc string
	args map[string]tsql.Value
}

type funcCall struct {
	name string
	args []tsql.Value
}

func (h *sqlRecorder) Now() time.Time { return time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC) }

func (h *sqlRecorder) Table(ctx context.Context, n tsql.ObjectName) (*tsql.Table, error) {
	col := func(name string, t tsql.Type) tsql.Column { return tsql.Column{Name: name, Type: t} }
	switch strings.ToLower(n.Schema + "." + n.Object) {
	case "sys.databases":
		t := &tsql.Table{Columns: []tsql.Column{col("database_id", tsql.TypeInt), col("name", tsql.TypeNVarChar),
			col("state_desc", tsql.TypeNVarChar), col("user_access_desc", tsql.TypeNVarChar)}}
		for i, db := range h.singleUser {
			t.Rows = append(t.Rows, []tsql.Value{int64(10 + i), db, "ONLINE", "SINGLE_USER"})
		}
		return t, nil
	case "sys.master_files":
		return &tsql.Table{Columns: []tsql.Column{col("database_id", tsql.TypeInt), col("name", tsql.TypeNVarChar),
			col("physical_name", tsql.TypeNVarChar), col("size", tsql.TypeInt)},
			Rows: [][]tsql.Value{{int64(1), "master", `C:\master.mdf`, int64(512)}}}, nil
	case "sys.dm_server_services":
		return &tsql.Table{Columns: []tsql.Column{col("servicename", tsql.TypeNVarChar), col("status_desc", tsql.TypeNVarChar),
			col("service_account", tsql.TypeNVarChar)}}, nil
	}
	return nil, tsql.Errorf(208, 16, "Invalid object name '%s'.", n.String())
}

func (h *sqlRecorder) Func(ctx context.Context, name string, args []tsql.Value) (tsql.Value, bool, error) {
	h.funcs = append(h.funcs, funcCall{name, args})
	switch name {
	case "DB_ID":
		return int64(5), true, nil
	case "DB_NAME":
		return "db", true, nil
	case "SERVERPROPERTY":
		return "11.0.7001.0", true, nil
	}
	return nil, false, nil
}

func (h *sqlRecorder) Global(name string) (tsql.Value, bool) {
	if name == "SERVERNAME" {
		return "SQLTEST", true
	}
	return nil, false
}

func (h *sqlRecorder) Exec(ctx context.Context, proc tsql.ObjectName, args []tsql.Arg, out tsql.Output) (int, error) {
	call := execCall{proc: strings.ToLower(proc.Object), args: map[string]tsql.Value{}}
	for i, a := range args {
		call.args[strings.ToLower(a.Name)] = a.Value
		if a.Output {
			// The OUTPUT parameters the scripts declare: job, primary and secondary IDs are uniqueidentifiers,
			// schedule IDs integers.
			switch strings.ToLower(a.Name) {
			case "@schedule_id":
				args[i].Value = int64(7)
			default:
				args[i].Value = tsql.GUID{1, 2, 3}
			}
		}
	}
	h.execs = append(h.execs, call)
	return 0, nil
}

func (h *sqlRecorder) Use(ctx context.Context, db string) error {
	h.uses = append(h.uses, db)
	return nil
}

func (h *sqlRecorder) Backup(ctx context.Context, spec tsql.BackupSpec, out tsql.Output) error {
	h.backups = append(h.backups, spec)
	return nil
}

func (h *sqlRecorder) Restore(ctx context.Context, spec tsql.RestoreSpec, out tsql.Output) error {
	h.restores = append(h.restores, spec)
	return nil
}

func (h *sqlRecorder) AlterDatabase(ctx context.Context, spec tsql.AlterDatabaseSpec, out tsql.Output) error {
	h.alters = append(h.alters, spec)
	return nil
}

func (h *sqlRecorder) Kill(ctx context.Context, spid int64, out tsql.Output) error { return nil }

func (h *sqlRecorder) Sleep(ctx context.Context, d time.Duration) error { return ctx.Err() }

// execsOf returns the recorded calls of one procedure.
func (h *sqlRecorder) execsOf(proc string) []execCall {
	var out []execCall
	for _, c := range h.execs {
		if c.proc == strings.ToLower(proc) {
			out = append(out, c)
		}
	}
	return out
}

// errOutput records the errors a batch sends.
type errOutput struct{ errs []tsql.Message }

func (o *errOutput) Info(tsql.Message)     {}
func (o *errOutput) Error(m tsql.Message)  { o.errs = append(o.errs, m) }
func (o *errOutput) ResultSet(*tsql.Table) {}
func (o *errOutput) RowsAffected(int64)    {}

// psRecorder is a Lync host for rendering tests: it records every cmdlet with its bound parameters and every
// method call.
type psRecorder struct {
	calls   []psCall
	methods []psCall
}

type psCall struct {
	name   string
	params []pwsh.Param
	args   []pwsh.Value
}

// param returns a recorded parameter's value by name.
func (c psCall) param(name string) (pwsh.Value, bool) {
	for _, p := range c.params {
		if strings.EqualFold(p.Name, name) {
			return p.Value, true
		}
	}
	return nil, false
}

var psCommands = map[string]bool{
	"import-module": true, "get-cspersistentchatstate": true, "set-cspersistentchatstate": true,
	"set-cspersistentchatactiveserver": true, "install-csmirrordatabase": true, "invoke-csdatabasefailover": true,
	"new-object": true,
}

func (h *psRecorder) Now() time.Time { return time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC) }

func (h *psRecorder) Invoke(ctx context.Context, name string, params []pwsh.Param, input []pwsh.Value, st pwsh.Streams) ([]pwsh.Value, error) {
	if !psCommands[strings.ToLower(name)] {
		return nil, pwsh.ErrUnknownCommand
	}
	h.calls = append(h.calls, psCall{name: name, params: params})
	if strings.EqualFold(name, "New-Object") {
		return []pwsh.Value{&pwsh.Object{TypeName: "System.__ComObject"}}, nil
	}
	return nil, nil
}

func (h *psRecorder) CallMethod(ctx context.Context, obj *pwsh.Object, method string, args []pwsh.Value) (pwsh.Value, error) {
	h.methods = append(h.methods, psCall{name: method, args: args})
	return &pwsh.Object{TypeName: "System.__ComObject", Props: []pwsh.Prop{{Name: "AvailableSpace", Value: int64(1 << 40)}}}, nil
}

func (h *psRecorder) Sleep(ctx context.Context, d time.Duration) error { return ctx.Err() }

// consoleOutput records a script's console lines.
type consoleOutput struct{ out, err []string }

func (o *consoleOutput) Stdout(l string) { o.out = append(o.out, l) }
func (o *consoleOutput) Stderr(l string) { o.err = append(o.err, l) }
