package sim

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/remote"
)

// epoch is the simulated start of every test estate.
var epoch = time.Date(2024, 3, 12, 9, 30, 0, 0, time.UTC)

// newTestSim builds an estate on a virtual clock.
func newTestSim(t testing.TB, scenario string) (*Sim, *clock.Virtual) {
	t.Helper()
	clk := clock.NewVirtual(epoch)
	s, err := New(Options{Seed: 42, Clock: clk, Scenario: scenario})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, clk
}

// resultSet is one result set of a batch.
type resultSet struct {
	cols []string
	rows [][]any
}

// get returns a column of a row by name.
func (r resultSet) get(row int, col string) any {
	for i, c := range r.cols {
		if strings.EqualFold(c, col) {
			return r.rows[row][i]
		}
	}
	panic(fmt.Sprintf("no column %q in %v", col, r.cols))
}

// batchResult is everything a batch produced.
type batchResult struct {
	sets   []resultSet
	events []remote.SQLEvent
	err    error
}

// infos returns the texts of the informational messages.
func (b batchResult) infos() []string {
	var out []string
	for _, e := range b.events {
		if e.Kind == remote.SQLInfoMsg {
			out = append(out, e.Text)
		}
	}
	return out
}

// errs returns the error messages as "number: text".
func (b batchResult) errs() []string {
	var out []string
	for _, e := range b.events {
		if e.Kind == remote.SQLErrorMsg {
			out = append(out, fmt.Sprintf("%d: %s", e.Number, e.Text))
		}
	}
	return out
}

// errNumbers returns the numbers of the error messages.
func (b batchResult) errNumbers() []int32 {
	var out []int32
	for _, e := range b.events {
		if e.Kind == remote.SQLErrorMsg {
			out = append(out, e.Number)
		}
	}
	return out
}

// connect opens a session as the DBA.
func connect(t testing.TB, s *Sim, server, db string) remote.SQLSession {
	t.Helper()
	c, err := s.SQL(server, Login{User: `CONTOSO\dba`, App: "pcfailback", Workstation: "JUMP01"})
	if err != nil {
		t.Fatalf("SQL(%s): %v", server, err)
	}
	sess, err := c.Connect(context.Background(), db)
	if err != nil {
		t.Fatalf("Connect(%s, %s): %v", server, db, err)
	}
	t.Cleanup(func() { sess.Close() })
	return sess
}

// runBatch runs a batch and collects what it produced.
func runBatch(ctx context.Context, sess remote.SQLSession, batch string) batchResult {
	var res batchResult
	res.err = sess.Run(ctx, batch, func(ev remote.SQLEvent) {
		res.events = append(res.events, ev)
		switch ev.Kind {
		case remote.SQLResultStart:
			set := resultSet{}
			for _, c := range ev.Columns {
				set.cols = append(set.cols, c.Name)
			}
			res.sets = append(res.sets, set)
		case remote.SQLRow:
			last := &res.sets[len(res.sets)-1]
			last.rows = append(last.rows, ev.Values)
		}
	})
	return res
}

// mustRun runs a batch that must succeed.
func mustRun(t testing.TB, sess remote.SQLSession, batch string) batchResult {
	t.Helper()
	res := runBatch(context.Background(), sess, batch)
	if res.err != nil {
		t.Fatalf("batch failed: %v\nerrors: %v\nbatch:\n%s", res.err, res.errs(), batch)
	}
	return res
}

// query runs a single-result-set query on a fresh session.
func query(t testing.TB, s *Sim, server, db, q string) resultSet {
	t.Helper()
	sess := connect(t, s, server, db)
	res := mustRun(t, sess, q)
	if len(res.sets) == 0 {
		t.Fatalf("no result set for %s", q)
	}
	return res.sets[0]
}

// healthBatch is the batch the console sends to every instance.
const healthBatch = `SET NOCOUNT ON;
SELECT N'server' AS probe, @@SERVERNAME AS server_name, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, GETDATE() AS server_time;
SELECT N'databases' AS probe, name, database_id, state_desc, recovery_model_desc, user_access_desc, is_read_only FROM sys.databases WHERE name IN (N'mgc', N'mgccomp');
SELECT N'sessions' AS probe, DB_NAME(database_id) AS db, host_name, program_name, COUNT(*) AS sessions FROM sys.dm_exec_sessions WHERE database_id IN (DB_ID(N'mgc'), DB_ID(N'mgccomp')) AND session_id <> @@SPID GROUP BY database_id, host_name, program_name;
SELECT TOP (1) N'backup' AS probe, bs.database_name, bs.type, bs.backup_finish_date, bs.has_backup_checksums, bmf.physical_device_name FROM msdb.dbo.backupset bs JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id WHERE bs.database_name = N'mgc' AND bs.type = 'D' ORDER BY bs.backup_finish_date DESC;
DECLARE @share TABLE (file_exists int, file_is_dir int, parent_dir_exists int);
INSERT @share EXEC master.dbo.xp_fileexist N'\\fs01.contoso.local\pchatls';
SELECT N'share' AS probe, file_exists, file_is_dir, parent_dir_exists FROM @share;`
