package probes_test

import (
	"strings"
	"testing"
	"time"

	"pcfailback/probes"
)

// The backup instance as the failover left it, parsed from the simulator's reply to the real health batch.
func TestParseHealthBackupAfterFailover(t *testing.T) {
	s, _ := newSim(t, "")
	watched := `\\fs01.contoso.local\csmirror\mgc_20240310094000.bak`
	missing := `\\fs01.contoso.local\pchatls\nothing-here.bak`
	in, err := parse(healthSets(t, s, "SQLBACKUP", watched, missing)...)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	if in.Server != "SQLBACKUP" || in.Version != "11.0.7001.0" || !in.ServerTime.Equal(simStart) {
		t.Errorf("server row: %q %q %v", in.Server, in.Version, in.ServerTime)
	}
	mgc := in.Database("mgc")
	if !mgc.Exists || mgc.State != "ONLINE" || mgc.RecoveryModel != "FULL" || mgc.UserAccess != "MULTI_USER" || mgc.ID == 0 {
		t.Errorf("mgc: %+v", mgc)
	}
	m := mgc.Mirroring
	if !m.Mirrored() || m.Role != "PRINCIPAL" || m.State != "SYNCHRONIZED" || m.PartnerInstance != "SQLBACKUP-MIR" ||
		!strings.HasPrefix(m.Partner, "TCP://sqlbackup-mir.contoso.local:") || len(m.GUID) != 36 {
		t.Errorf("mgc mirroring: %+v", m)
	}
	if len(mgc.Files) != 2 || mgc.SizeMB() <= 1024 || mgc.Files[0].Logical != "mgc" || mgc.Files[1].Type != "LOG" {
		t.Errorf("mgc files: %+v", mgc.Files)
	}
	if mgc.SessionCount() != 6 || len(mgc.Sessions) != 2 || mgc.Sessions[0].Program != "Persistent Chat Service" {
		t.Errorf("mgc sessions: %+v", mgc.Sessions)
	}
	if mgc.LastFull == nil || mgc.LastFull.Type != "D" || mgc.LastFull.Device != watched || mgc.LastFull.Finish.IsZero() ||
		mgc.LastFull.LastLSN == 0 || mgc.LastFull.Name != "" {
		t.Errorf("mgc last full: %+v", mgc.LastFull)
	}
	if mgc.LastLog == nil || mgc.LastLog.Type != "L" {
		t.Errorf("mgc last log: %+v", mgc.LastLog)
	}
	if mgc.LastRestore == nil || mgc.LastRestore.Replace || !mgc.LastRestore.Recovery || mgc.LastRestore.Type != "D" {
		t.Errorf("mgc last restore: %+v", mgc.LastRestore)
	}
	if comp := in.Database("mgccomp"); !comp.Exists || comp.Mirroring.Role != "PRINCIPAL" || comp.LastRestore != nil {
		t.Errorf("mgccomp: %+v", comp)
	}
	if a := in.Service("agent"); a == nil || a.Status != "Running" || a.Account != `CONTOSO\svc-agt-bak` {
		t.Errorf("agent service: %+v", a)
	}
	alert := in.Job("lsalert_sqlbackup")
	if alert == nil || !alert.Enabled || alert.Category != "Log Shipping" || alert.LastOutcome != "Succeeded" ||
		!alert.LastRun.Equal(time.Date(2024, 3, 12, 9, 28, 0, 0, time.UTC)) || alert.NextRun.IsZero() || alert.Running {
		t.Errorf("alert job: %+v", alert)
	}
	if len(in.LSPrimary)+len(in.LSSecondaries)+len(in.LSSecondary)+len(in.Requests) != 0 {
		t.Errorf("log shipping or requests on a fresh backup: %+v %+v %+v %+v", in.LSPrimary, in.LSSecondaries, in.LSSecondary, in.Requests)
	}
	if !in.Share.Checked || !in.Share.IsDir || in.Share.Exists {
		t.Errorf("share: %+v", in.Share)
	}
	if f := in.File(strings.ToUpper(watched)); !f.Checked || !f.Exists || f.IsDir {
		t.Errorf("watched file (looked up case-insensitively): %+v", f)
	}
	if f := in.File(missing); !f.Checked || f.Exists || !f.ParentExists {
		t.Errorf("missing file: %+v", f)
	}
	if f := in.File(`\\elsewhere\x.bak`); f.Checked {
		t.Errorf("an unwatched file reads as checked: %+v", f)
	}
}

// The rebuilt primary: NULL mirroring columns mean "not mirrored", empty msdb means no backups and no restores.
func TestParseHealthRebuiltPrimary(t *testing.T) {
	s, _ := newSim(t, "")
	in, err := parse(healthSets(t, s, "SQLPRIMARY")...)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	mgc := in.Database("mgc")
	if !mgc.Exists || mgc.Mirroring.Mirrored() || mgc.Mirroring != (probes.Mirroring{}) {
		t.Errorf("mgc: exists %t mirroring %+v", mgc.Exists, mgc.Mirroring)
	}
	if mgc.LastFull != nil || mgc.LastLog != nil || mgc.LastRestore != nil || mgc.SessionCount() != 0 {
		t.Errorf("msdb of a rebuilt instance: %+v %+v %+v sessions %d", mgc.LastFull, mgc.LastLog, mgc.LastRestore, mgc.SessionCount())
	}
	if len(in.Jobs) != 0 {
		t.Errorf("jobs on a rebuilt instance: %+v", in.Jobs)
	}
}

// The backup mirror holds RESTORING copies in the MIRROR role.
func TestParseHealthBackupMirror(t *testing.T) {
	s, _ := newSim(t, "")
	in, err := parse(healthSets(t, s, "SQLBACKUP-MIR")...)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	if mgc := in.Database("mgc"); mgc.State != "RESTORING" || mgc.Mirroring.Role != "MIRROR" || mgc.Mirroring.PartnerInstance != "SQLBACKUP" {
		t.Errorf("mgc on the backup mirror: %+v", mgc)
	}
}

var dbCols = []string{"probe", "name", "database_id", "state_desc", "recovery_model_desc", "user_access_desc", "is_read_only"}

func TestParseHealthMissingColumn(t *testing.T) {
	cols := []string{"probe", "name", "database_id", "recovery_model_desc", "user_access_desc", "is_read_only"}
	in, err := parse(
		set(cols, []any{"databases", "mgc", int64(5), "FULL", "MULTI_USER", false}),
		set([]string{"probe", "server_name", "product_version", "server_time"}, []any{"server", "SQLB", "11.0.7001.0", simStart}),
	)
	if err == nil || !strings.Contains(err.Error(), `"databases"`) || !strings.Contains(err.Error(), `"state_desc"`) ||
		!strings.Contains(err.Error(), "missing") {
		t.Fatalf("error %v, want one naming the result set and the missing column", err)
	}
	// What could be read still is: the row's other columns and the other result sets.
	if d := in.Database("mgc"); !d.Exists || d.RecoveryModel != "FULL" || d.State != "" || in.Server != "SQLB" {
		t.Errorf("partial parse: %+v, server %q", d, in.Server)
	}
}

func TestParseHealthShortRow(t *testing.T) {
	in, err := parse(set(dbCols, []any{"databases", "mgc", int64(5)}))
	if err == nil || !strings.Contains(err.Error(), `"state_desc"`) {
		t.Fatalf("error %v, want a missing state_desc", err)
	}
	if !in.Database("mgc").Exists {
		t.Error("the row's name was not used")
	}
}

func TestParseHealthWrongTypes(t *testing.T) {
	cases := []struct {
		name string
		set  probes.ResultSet
		col  string
	}{
		{"text for a datetime", set([]string{"probe", "server_name", "product_version", "server_time"},
			[]any{"server", "SQLB", "11.0", "2024-03-12 09:30"}), "server_time"},
		{"text for an integer", set(dbCols, []any{"databases", "mgc", "five", "ONLINE", "FULL", "MULTI_USER", false}), "database_id"},
		{"a list for a string", set(dbCols, []any{"databases", "mgc", int64(5), []string{"ONLINE"}, "FULL", "MULTI_USER", false}), "state_desc"},
		{"text for a float", set([]string{"probe", "session_id", "command", "db", "percent_complete", "start_time"},
			[]any{"requests", int64(60), "BACKUP DATABASE", "mgc", "half", simStart}), "percent_complete"},
		{"an impossible Agent date", set(jobCols, []any{"jobs", "LSBackup_mgc", true, "Log Shipping", nil, nil, nil, "Idle", int64(1), int64(20241399), int64(250000), "x"}), "run_date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse(c.set)
			if err == nil || !strings.Contains(err.Error(), `"`+c.col+`"`) {
				t.Fatalf("error %v, want one naming column %q", err, c.col)
			}
		})
	}
}

var jobCols = []string{"probe", "name", "enabled", "category", "start_execution_date", "stop_execution_date",
	"next_scheduled_run_date", "run_state", "run_status", "run_date", "run_time", "message"}

func TestParseHealthNulls(t *testing.T) {
	backupCols := []string{"probe", "database_name", "type", "name", "backup_start_date", "backup_finish_date",
		"has_backup_checksums", "is_copy_only", "first_lsn", "last_lsn", "backup_size", "physical_device_name"}
	in, err := parse(
		set(dbCols, []any{"databases", "mgc", int64(5), "RESTORING", nil, nil, nil}),
		set(backupCols, []any{"backup", "mgc", "D", nil, nil, nil, nil, nil, nil, nil, nil, nil}),
		// A job that never ran: the OUTER APPLY gives NULL history.
		set(jobCols, []any{"jobs", "LSCopy_SQLPRIMARY_mgc", int64(1), "Log Shipping Copy", nil, nil, simStart, "Idle", nil, nil, nil, nil}),
	)
	if err != nil {
		t.Fatalf("NULLs are values, not errors: %v", err)
	}
	d := in.Database("mgc")
	if d.State != "RESTORING" || d.RecoveryModel != "" || d.ReadOnly {
		t.Errorf("database with NULLs: %+v", d)
	}
	if d.LastFull == nil || !d.LastFull.Finish.IsZero() || d.LastFull.Checksums || d.LastFull.Device != "" {
		t.Errorf("backup with NULLs: %+v", d.LastFull)
	}
	j := in.Job("LSCopy_SQLPRIMARY_mgc")
	if j == nil || !j.Enabled || j.LastOutcome != "" || !j.LastRun.IsZero() || !j.NextRun.Equal(simStart) {
		t.Errorf("job that never ran: %+v", j)
	}
}

func TestParseHealthIgnoresUnknownTagsAndUntaggedSets(t *testing.T) {
	in, err := parse(
		set([]string{"probe", "whatever", "else"}, []any{"ag_replicas", int64(1), simStart}),
		set([]string{"name", "state_desc"}, []any{"mgc", "OFFLINE"}),
		set([]string{"probe", "name"}, []any{int64(7), "x"}, []any{nil, "y"}),
		set(dbCols, []any{"databases", "mgc", int64(5), "ONLINE", "FULL", "MULTI_USER", false}),
	)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	if d := in.Database("mgc"); d.State != "ONLINE" {
		t.Errorf("mgc state %q: an untagged set was read", d.State)
	}
}

func TestParseHealthDatabasesAbsentAndOthersIgnored(t *testing.T) {
	in, err := parse(
		set(dbCols, []any{"databases", "MGC", int64(5), "ONLINE", "FULL", "MULTI_USER", false},
			[]any{"databases", "master", int64(1), "ONLINE", "SIMPLE", "MULTI_USER", false}),
	)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	if !in.Database("mgc").Exists {
		t.Error("database names match case-insensitively, as the default collation does")
	}
	if in.Database("mgccomp").Exists {
		t.Error("mgccomp is absent from the reply but reads as existing")
	}
	if len(in.Databases) != 2 {
		t.Errorf("databases %v: only the named ones are kept", in.Databases)
	}
}

func TestParseHealthDriverShapes(t *testing.T) {
	// go-mssqldb delivers uniqueidentifiers as 16 bytes in SQL Server's mixed-endian order and numeric(25,0)
	// LSNs as text; bits may come as bool or integers.
	guid := []byte{0x08, 0x50, 0xd0, 0xf7, 0x7b, 0x18, 0x95, 0x43, 0xaf, 0xc0, 0x76, 0x2e, 0x51, 0xcf, 0xfa, 0xf8}
	mirCols := []string{"probe", "db", "mirroring_guid", "mirroring_role_desc", "mirroring_state_desc", "mirroring_partner_name",
		"mirroring_partner_instance", "mirroring_witness_name", "mirroring_witness_state_desc", "mirroring_safety_level_desc"}
	restCols := []string{"probe", "destination_database_name", "restore_date", "restore_type", "replace", "recovery",
		"backup_finish_date", "last_lsn", "physical_device_name"}
	in, err := parse(
		set(mirCols, []any{"mirroring", "mgc", guid, "PRINCIPAL", "SYNCHRONIZED", "TCP://b:5022", "B", nil, nil, "FULL"}),
		set(restCols, []any{"restore", "mgc", simStart, "D", int64(1), []byte("0"), nil, "39000000012300001.0", `\\fs\x.bak`}),
	)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	d := in.Database("mgc")
	if d.Mirroring.GUID != "F7D05008-187B-4395-AFC0-762E51CFFAF8" {
		t.Errorf("GUID %q", d.Mirroring.GUID)
	}
	if r := d.LastRestore; r == nil || !r.Replace || r.Recovery || r.LastLSN != 39000000012300001 {
		t.Errorf("restore: %+v", r)
	}
}

func TestParseHealthRequestsAndLogShipping(t *testing.T) {
	loc := time.FixedZone("PST", -8*3600)
	in, err := parse(
		set([]string{"probe", "session_id", "command", "db", "percent_complete", "start_time"},
			[]any{"requests", int64(61), "BACKUP DATABASE", "mgc", 42.5, time.Date(2024, 3, 12, 1, 0, 0, 0, loc)}),
		set([]string{"probe", "primary_database", "last_backup_file", "last_backup_date", "backup_threshold", "threshold_alert_enabled"},
			[]any{"ls_primary", "mgc", `\\fs\mgc_1.trn`, simStart, int64(60), true}),
		set([]string{"probe", "secondary_server", "secondary_database"}, []any{"ls_primary_secondary", "SQLBACKUP", "mgc"}),
		set([]string{"probe", "secondary_database", "primary_server", "primary_database", "last_copied_file", "last_copied_date",
			"last_restored_file", "last_restored_date", "last_restored_latency", "restore_threshold"},
			[]any{"ls_secondary", "mgc", "SQLPRIMARY", "mgc", `D:\c\mgc_1.trn`, simStart, nil, nil, nil, int64(45)}),
	)
	if err != nil {
		t.Fatalf("ParseHealth: %v", err)
	}
	r := in.Requests[0]
	// Server datetimes keep their wall-clock reading whatever zone the driver labelled them with.
	if r.Percent != 42.5 || r.Session != 61 || !r.Start.Equal(time.Date(2024, 3, 12, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("request: %+v", r)
	}
	if p := in.LSPrimary[0]; p.Database != "mgc" || p.ThresholdMin != 60 || !p.AlertEnabled {
		t.Errorf("ls primary: %+v", p)
	}
	if s := in.LSSecondaries[0]; s.Server != "SQLBACKUP" {
		t.Errorf("ls secondaries: %+v", s)
	}
	if s := in.LSSecondary[0]; s.PrimaryServer != "SQLPRIMARY" || s.LastRestoredFile != "" || s.ThresholdMin != 45 {
		t.Errorf("ls secondary: %+v", s)
	}
}

// ParseHealth starts from scratch: a reused instance does not keep the previous reply's databases or files.
func TestParseHealthResetsMaps(t *testing.T) {
	in := &probes.Instance{
		Databases: map[string]*probes.Database{"old": {Name: "old", Exists: true}},
		Files:     map[string]probes.FileCheck{"x": {Checked: true}},
	}
	if err := probes.ParseHealth(in, defaultNames, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := in.Databases["old"]; ok || len(in.Files) != 0 || in.Database("mgc").Exists {
		t.Errorf("maps not reset: %v %v", in.Databases, in.Files)
	}
}
