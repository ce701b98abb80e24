package tsql

import (
	"context"
	"strings"
	"testing"
)

// healthBatch is the short form of the batch the console sends to every instance: one round trip, a literal tag
// column first in every SELECT.
const healthBatch = `SET NOCOUNT ON;
SELECT N'server' AS probe, @@SERVERNAME AS server_name, CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS product_version, GETDATE() AS server_time;
SELECT N'databases' AS probe, name, database_id, state_desc, recovery_model_desc, user_access_desc, is_read_only FROM sys.databases WHERE name IN (N'mgc', N'mgccomp');
SELECT N'sessions' AS probe, DB_NAME(database_id) AS db, host_name, program_name, COUNT(*) AS sessions FROM sys.dm_exec_sessions WHERE database_id IN (DB_ID(N'mgc'), DB_ID(N'mgccomp')) AND session_id <> @@SPID GROUP BY database_id, host_name, program_name;
SELECT TOP (1) N'backup' AS probe, bs.database_name, bs.type, bs.backup_finish_date, bs.has_backup_checksums, bmf.physical_device_name FROM msdb.dbo.backupset bs JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id WHERE bs.database_name = N'mgc' AND bs.type = 'D' ORDER BY bs.backup_finish_date DESC;
DECLARE @share TABLE (file_exists int, file_is_dir int, parent_dir_exists int);
INSERT @share EXEC master.dbo.xp_fileexist N'\\fs01.contoso.local\pchatls';
SELECT N'share' AS probe, file_exists, file_is_dir, parent_dir_exists FROM @share;
`

func TestHealthBatch(t *testing.T) {
	h := estate(200)
	sess := &Session{}
	rec, err := runSess(t, h, sess, healthBatch)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rec.events {
		if e.kind == "count" || e.kind == "error" {
			t.Fatalf("unexpected %s event under SET NOCOUNT ON: %+v", e.kind, e)
		}
	}
	if !sess.NoCount {
		t.Fatal("SET NOCOUNT must stay on for the session")
	}
	ts := rec.tables()
	if len(ts) != 5 {
		t.Fatalf("got %d result sets, want 5", len(ts))
	}
	sameLines(t, grid(ts[0]), []string{"server|SQLBACKUP|11.0.7001.0|2024-01-01 12:30:00.000"})
	wantCols := []Column{{"probe", TypeNVarChar, 6}, {"server_name", TypeNVarChar, 128}, {"product_version", TypeNVarChar, 128}, {"server_time", TypeDateTime, 0}}
	for i, c := range wantCols {
		if ts[0].Columns[i] != c {
			t.Errorf("server column %d = %+v, want %+v", i, ts[0].Columns[i], c)
		}
	}
	sameLines(t, grid(ts[1]), []string{"databases|mgc|5|ONLINE|FULL|MULTI_USER|0", "databases|mgccomp|6|ONLINE|FULL|MULTI_USER|0"})
	sameLines(t, grid(ts[2]), []string{
		"sessions|mgc|PC03|Persistent Chat Service|3",
		"sessions|mgccomp|PC03|Persistent Chat Service|1",
		"sessions|mgc|PC04|Persistent Chat Service|3",
		"sessions|mgccomp|PC04|Persistent Chat Service|1",
	})
	if ts[2].Columns[4] != (Column{"sessions", TypeInt, 0}) {
		t.Fatalf("COUNT(*) column %+v", ts[2].Columns[4])
	}
	sameLines(t, grid(ts[3]), []string{`backup|mgc|D|2024-01-01 12:04:00.000|1|\\fs01.contoso.local\pchatls\mgc_failback_20240101_120000.bak`})
	sameLines(t, grid(ts[4]), []string{"share|0|1|1"})
	if strings.Join(colNames(ts[4]), ",") != "probe,file_exists,file_is_dir,parent_dir_exists" {
		t.Fatalf("share columns %v", colNames(ts[4]))
	}
}

func TestProbeBatch(t *testing.T) {
	h := estate(200)
	rec, err := run(t, h, probeBatch)
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, tb := range rec.tables() {
		if len(tb.Rows) > 0 {
			tags = append(tags, tb.Rows[0][0].(string))
		} else {
			tags = append(tags, "("+tb.Columns[0].Name+")")
		}
	}
	want := "server,databases,mirroring,sessions,backup,backup,restore,backup,(probe),(probe),(probe),(probe),ls_secondary,jobs,services,(probe),share,file"
	if got := strings.Join(tags, ","); got != want {
		t.Fatalf("result sets\n got %s\nwant %s", got, want)
	}
	restore := grid(rec.tables()[6])
	sameLines(t, restore, []string{`restore|mgc|2023-12-30 08:30:00.000|D|0|1|2023-12-30 09:03:00.000|2000|\\fs01.contoso.local\csmirror\mgc.bak`})
	file := grid(rec.tables()[17])
	sameLines(t, file, []string{`file|\\fs01.contoso.local\pchatls\mgc_failback_20240101_120000.bak|1|0|1`})
}

// TestHealthBatchRepeats runs the batch twice on one session, as the console does every few seconds: table
// variables belong to one batch, so the second DECLARE is not a duplicate.
func TestHealthBatchRepeats(t *testing.T) {
	h := estate(10)
	sess := &Session{}
	for i := 0; i < 2; i++ {
		rec, err := runSess(t, h, sess, healthBatch)
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if got := grid(rec.tables()[4]); len(got) != 1 {
			t.Fatalf("run %d: share rows %v", i, got)
		}
	}
}

// TestConcurrentSessionsShareCompiledBatches runs the probe batch on four instances at once, as the console
// does; the parsed batch is shared between them (run with -race).
func TestConcurrentSessionsShareCompiledBatches(t *testing.T) {
	done := make(chan []string, 4)
	for i := 0; i < 4; i++ {
		go func() {
			h := estate(50)
			rec := &recorder{}
			var tags []string
			for round := 0; round < 3; round++ {
				rec.events = nil
				if err := Run(context.Background(), h, &Session{}, probeBatch, rec); err != nil {
					tags = append(tags, err.Error())
				}
			}
			for _, tb := range rec.tables() {
				tags = append(tags, tb.Columns[0].Name)
			}
			done <- tags
		}()
	}
	for i := 0; i < 4; i++ {
		if tags := <-done; len(tags) != 18 {
			t.Fatalf("session %d: %v", i, tags)
		}
	}
}

// TestCachedBatchRechecksGlobals: a batch compiled for a Host that knows @@SERVICENAME fails with 137 on one
// that does not.
func TestCachedBatchRechecksGlobals(t *testing.T) {
	h := people()
	h.globals["SERVICENAME"] = "MSSQLSERVER"
	mustRun(t, h, "SELECT @@SERVICENAME AS cached_global_probe")
	other := people()
	if got := errNumber(t, other, "SELECT @@SERVICENAME AS cached_global_probe"); got != 137 {
		t.Fatalf("got %d", got)
	}
}
