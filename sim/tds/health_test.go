package tds

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	mssql "github.com/microsoft/go-mssqldb"

	"pcfailback/probes"
	"pcfailback/remote"
	"pcfailback/sim"
)

// The procedure's §3 queries, as a DBA types them.
var section3 = []string{
	`SELECT name, state_desc, recovery_model_desc, user_access_desc, is_read_only, is_in_standby
FROM sys.databases WHERE name IN (N'mgc', N'mgccomp');`,
	`SELECT DB_NAME(database_id) AS db, mirroring_role_desc, mirroring_state_desc,
       mirroring_partner_name, mirroring_partner_instance, mirroring_witness_name,
       mirroring_witness_state_desc, mirroring_safety_level_desc
FROM sys.database_mirroring
WHERE database_id IN (DB_ID(N'mgc'), DB_ID(N'mgccomp'));`,
	`SELECT TOP (20) bs.database_name, bs.type, bs.is_copy_only, bs.backup_start_date, bs.backup_finish_date,
       bs.backup_size, bs.compressed_backup_size, bs.has_backup_checksums, bs.is_damaged, bs.first_lsn,
       bs.last_lsn, bs.database_backup_lsn, bs.position, bs.server_name, bmf.physical_device_name, bmf.device_type
FROM msdb.dbo.backupset bs
JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id
WHERE bs.database_name = N'mgc'
ORDER BY bs.backup_finish_date DESC;`,
	`SELECT database_name, type, MAX(backup_finish_date) AS last_finish
FROM msdb.dbo.backupset WHERE database_name IN (N'mgc', N'mgccomp') AND type IN ('D','L')
GROUP BY database_name, type;`,
	`SELECT primary_server, primary_database, backup_threshold, threshold_alert_enabled,
       last_backup_file, last_backup_date, DATEDIFF(minute, last_backup_date, GETDATE()) AS min_since
FROM msdb.dbo.log_shipping_monitor_primary;`,
	`SELECT * FROM msdb.dbo.log_shipping_primary_secondaries;`,
	`SELECT secondary_server, secondary_database, primary_server, primary_database, restore_threshold,
       last_copied_file, last_copied_date, last_restored_file, last_restored_date,
       last_restored_latency
FROM msdb.dbo.log_shipping_monitor_secondary;`,
	`EXEC master.dbo.sp_help_log_shipping_monitor;`,
	`SELECT j.name, j.enabled, c.name AS category,
       ja.start_execution_date, ja.stop_execution_date, ja.next_scheduled_run_date,
       CASE WHEN ja.start_execution_date IS NOT NULL AND ja.stop_execution_date IS NULL
            THEN 'Running' ELSE 'Idle' END AS run_state,
       h.run_status, h.run_date, h.run_time, h.run_duration, h.message
FROM msdb.dbo.sysjobs j
JOIN msdb.dbo.syscategories c ON c.category_id = j.category_id
LEFT JOIN msdb.dbo.sysjobactivity ja ON ja.job_id = j.job_id
      AND ja.session_id = (SELECT MAX(session_id) FROM msdb.dbo.syssessions)
OUTER APPLY (SELECT TOP (1) run_status, run_date, run_time, run_duration, message
             FROM msdb.dbo.sysjobhistory WHERE job_id = j.job_id AND step_id = 0
             ORDER BY instance_id DESC) h
WHERE c.name LIKE N'Log Shipping%' OR j.name LIKE N'LS%';`,
	`SELECT session_id, login_name, host_name, program_name, status, last_request_end_time
FROM sys.dm_exec_sessions WHERE database_id = DB_ID(N'mgc') AND session_id <> @@SPID;`,
	`SELECT spid, loginame, hostname, program_name FROM sys.sysprocesses WHERE dbid = DB_ID(N'mgc');`,
	`DECLARE @r TABLE (file_exists int, file_is_dir int, parent_dir_exists int);
INSERT @r EXEC master.dbo.xp_fileexist N'\\fs01.contoso.local\pchatls\mgc_failback_20240101_120000.bak';
SELECT * FROM @r;`,
	`SELECT servicename, startup_type_desc, status_desc, service_account, last_startup_time
FROM sys.dm_server_services;`,
	`SELECT d.database_id, d.name, m.mirroring_guid FROM sys.databases d LEFT JOIN sys.database_mirroring m ON m.database_id = d.database_id;`,
}

// table is a result set reduced to comparable values.
type table struct {
	cols []string
	rows [][]any
}

// normalise turns the values either runner returns into one form: uniqueidentifiers as their text, numerics as
// int64, times as RFC 3339 text in UTC.
func normalise(v any, dbType string) any {
	switch x := v.(type) {
	case []byte:
		switch dbType {
		case "UNIQUEIDENTIFIER":
			var g mssql.UniqueIdentifier
			if err := g.Scan(x); err == nil {
				return g.String()
			}
		case "DECIMAL", "NUMERIC":
			if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
				return n
			}
			return string(x)
		}
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return v
}

// inProcess runs a batch through the simulator's in-process runner.
func inProcess(t *testing.T, s *sim.Sim, server, batch string) ([]table, []int32) {
	t.Helper()
	conn, err := s.SQL(server, sim.Login{User: testUser, App: "pcfailback-test"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := conn.Connect(context.Background(), "master")
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	var out []table
	var msgs []int32
	err = sess.Run(context.Background(), batch, func(e remote.SQLEvent) {
		switch e.Kind {
		case remote.SQLResultStart:
			tb := table{}
			for _, c := range e.Columns {
				tb.cols = append(tb.cols, c.Name)
			}
			out = append(out, tb)
		case remote.SQLRow:
			row := make([]any, len(e.Values))
			for i, v := range e.Values {
				row[i] = normalise(v, "")
			}
			out[len(out)-1].rows = append(out[len(out)-1].rows, row)
		case remote.SQLInfoMsg, remote.SQLErrorMsg:
			msgs = append(msgs, e.Number)
		}
	})
	if err != nil {
		t.Fatalf("in-process %s: %v", firstLine(batch), err)
	}
	return out, msgs
}

// overWire runs a batch through go-mssqldb against the server.
func overWire(t *testing.T, f *fixture, batch string) ([]table, []int32) {
	t.Helper()
	ctx := testCtx(t)
	c := f.conn(ctx, nil)
	o := mustQuery(t, ctx, c, batch)
	var out []table
	for _, s := range o.sets {
		tb := table{cols: s.cols}
		for _, r := range s.rows {
			row := make([]any, len(r))
			for i, v := range r {
				row[i] = normalise(v, s.types[i])
			}
			tb.rows = append(tb.rows, row)
		}
		if tb.rows == nil {
			tb.rows = [][]any(nil)
		}
		out = append(out, tb)
	}
	var msgs []int32
	for _, m := range o.infos {
		msgs = append(msgs, m.Number)
	}
	return out, msgs
}

// sameTables compares result sets column by column and row by row.
func sameTables(t *testing.T, what string, wire, local []table) {
	t.Helper()
	if len(wire) != len(local) {
		t.Fatalf("%s: %d result sets over the wire, %d in-process", what, len(wire), len(local))
	}
	for i := range wire {
		if !reflect.DeepEqual(wire[i].cols, local[i].cols) {
			t.Fatalf("%s set %d columns: %v vs %v", what, i, wire[i].cols, local[i].cols)
		}
		if len(wire[i].rows) != len(local[i].rows) {
			t.Fatalf("%s set %d: %d rows vs %d", what, i, len(wire[i].rows), len(local[i].rows))
		}
		for r := range wire[i].rows {
			for c := range wire[i].rows[r] {
				w, l := wire[i].rows[r][c], local[i].rows[r][c]
				if !reflect.DeepEqual(w, l) {
					t.Fatalf("%s set %d row %d column %s: %T %v over the wire, %T %v in-process",
						what, i, r, wire[i].cols[c], w, w, l, l)
				}
			}
		}
	}
}

func TestHealthBatchOverTheWireMatchesTheInProcessRunner(t *testing.T) {
	s := newSim(t, options{})
	names := probes.Names{ChatDB: "mgc", ComplianceDB: "mgccomp", Share: `\\fs01.contoso.local\pchatls`}
	batch := probes.HealthBatch(names, []string{`\\fs01.contoso.local\pchatls\mgc_failback_20240312_093000.bak`})
	for _, server := range []string{"SQLPRIMARY", "SQLPRIMARY-MIR", "SQLBACKUP", "SQLBACKUP-MIR"} {
		f := serve(t, s, options{server: server})
		wire, wireMsgs := overWire(t, f, batch)
		local, localMsgs := inProcess(t, s, server, batch)
		if len(wire) < 15 {
			t.Fatalf("%s: only %d result sets", server, len(wire))
		}
		sameTables(t, server, wire, local)
		if !reflect.DeepEqual(wireMsgs, localMsgs) {
			t.Fatalf("%s messages: %v over the wire, %v in-process", server, wireMsgs, localMsgs)
		}
		if st := f.srv.Stats(); st.Batches != 1 || st.RPCs != 0 {
			t.Fatalf("%s: the health batch took %+v", server, st)
		}
	}
}

func TestSection3QueriesOverTheWireMatchTheInProcessRunner(t *testing.T) {
	s := newSim(t, options{})
	for _, server := range []string{"SQLPRIMARY", "SQLBACKUP"} {
		f := serve(t, s, options{server: server})
		for i, q := range section3 {
			wire, _ := overWire(t, f, q)
			local, _ := inProcess(t, s, server, q)
			sameTables(t, fmt.Sprintf("%s §3 query %d", server, i+1), wire, local)
		}
	}
}
