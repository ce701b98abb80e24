package tsql

import (
	"reflect"
	"testing"
)

func TestAlterDatabaseForms(t *testing.T) {
	cases := []struct {
		sql  string
		want AlterDatabaseSpec
	}{
		{"ALTER DATABASE mgc SET PARTNER FAILOVER", AlterDatabaseSpec{Database: "mgc", Action: AlterPartnerFailover}},
		{"ALTER DATABASE mgc SET PARTNER SUSPEND", AlterDatabaseSpec{Database: "mgc", Action: AlterPartnerSuspend}},
		{"ALTER DATABASE mgc SET PARTNER RESUME", AlterDatabaseSpec{Database: "mgc", Action: AlterPartnerResume}},
		{"ALTER DATABASE [mgc] SET PARTNER = N'TCP://sqlprimary-mir.contoso.local:5022'", AlterDatabaseSpec{Database: "mgc", Action: AlterPartnerAddress, Address: "TCP://sqlprimary-mir.contoso.local:5022"}},
		{"ALTER DATABASE mgc SET WITNESS OFF", AlterDatabaseSpec{Database: "mgc", Action: AlterWitnessOff}},
		{"alter database mgc set restricted_user with rollback after 30 seconds", AlterDatabaseSpec{Database: "mgc", Action: AlterRestrictedUser, Termination: TerminateRollbackAfter, RollbackAfter: 30}},
		{"ALTER DATABASE mgc SET SINGLE_USER WITH ROLLBACK AFTER 5", AlterDatabaseSpec{Database: "mgc", Action: AlterSingleUser, Termination: TerminateRollbackAfter, RollbackAfter: 5}},
		{"ALTER DATABASE mgc SET MULTI_USER WITH NO_WAIT", AlterDatabaseSpec{Database: "mgc", Action: AlterMultiUser, Termination: TerminateNoWait}},
		{"ALTER DATABASE mgc SET READ_ONLY WITH ROLLBACK IMMEDIATE", AlterDatabaseSpec{Database: "mgc", Action: AlterReadOnly, Termination: TerminateRollbackImmediate}},
		{"ALTER DATABASE mgc SET READ_WRITE", AlterDatabaseSpec{Database: "mgc", Action: AlterReadWrite}},
		{"ALTER DATABASE mgc SET OFFLINE", AlterDatabaseSpec{Database: "mgc", Action: AlterOffline}},
		{"ALTER DATABASE mgc SET ONLINE", AlterDatabaseSpec{Database: "mgc", Action: AlterOnline}},
		{"ALTER DATABASE CURRENT SET RECOVERY FULL", AlterDatabaseSpec{Database: "CURRENT", Action: AlterRecoveryFull}},
		{"ALTER DATABASE mgc SET RECOVERY BULK_LOGGED", AlterDatabaseSpec{Database: "mgc", Action: AlterRecoveryBulkLogged}},
		{"ALTER DATABASE mgc SET RECOVERY SIMPLE", AlterDatabaseSpec{Database: "mgc", Action: AlterRecoverySimple}},
	}
	for _, c := range cases {
		h := people()
		mustRun(t, h, c.sql)
		c.want.Line = 1
		if len(h.alters) != 1 || h.alters[0] != c.want {
			t.Errorf("%s: got %+v, want %+v", c.sql, h.alters, c.want)
		}
	}
	for _, sql := range []string{"ALTER DATABASE mgc SET PARTNER SAFETY OFF", "ALTER DATABASE mgc SET WITNESS = 'TCP://w:5022'",
		"ALTER DATABASE mgc SET EMERGENCY", "ALTER DATABASE mgc SET AUTO_CLOSE OFF", "ALTER TABLE t ADD c int"} {
		h := people()
		if got := errNumber(t, h, sql); got != 50000 || len(h.alters) != 0 {
			t.Errorf("%s: got %d, alters %+v", sql, got, h.alters)
		}
	}
	if got := errNumber(t, people(), "ALTER DATABASE @db SET OFFLINE"); got != 102 {
		t.Errorf("a variable is not a database name for ALTER DATABASE: %d", got)
	}
}

func TestBackupOptions(t *testing.T) {
	h := people()
	mustRun(t, h, `DECLARE @db sysname = N'mgc', @p nvarchar(260) = N'\\fs\a.trn';
BACKUP LOG @db TO DISK = @p, DISK = N'\\fs\b.trn'
WITH NOINIT, NOFORMAT, NO_CHECKSUM, COPY_ONLY, NO_COMPRESSION, NORECOVERY, SKIP, MEDIANAME = N'm', BUFFERCOUNT = 50,
     MAXTRANSFERSIZE = 4194304, BLOCKSIZE = 65536, STATS = 5, NOUNLOAD, DESCRIPTION = @p`)
	off := false
	want := BackupSpec{Kind: BackupLog, Database: "mgc", Disks: []string{`\\fs\a.trn`, `\\fs\b.trn`}, CopyOnly: true,
		Compression: &off, NoRecovery: true, Skip: true, MediaName: "m", Description: `\\fs\a.trn`, Stats: 5, Line: 2}
	if !reflect.DeepEqual(h.backups[0], want) {
		t.Fatalf("got %+v\nwant %+v", h.backups[0], want)
	}
	mustRun(t, h, "BACKUP DATABASE mgc TO DISK = 'x' WITH COMPRESSION")
	if c := h.backups[1].Compression; c == nil || !*c || h.backups[1].Stats != 0 {
		t.Fatalf("compression %+v", h.backups[1])
	}
	if got := errNumber(t, h, "BACKUP DATABASE mgc TO DISK = 'x' WITH STATS = @n"); got != 102 {
		t.Fatalf("STATS takes a literal: %d", got)
	}
	if got := errNumber(t, h, "BACKUP DATABASE mgc TO URL = 'https://x'"); got != 50000 {
		t.Fatalf("URL: %d", got)
	}
}

func TestRestoreOptions(t *testing.T) {
	h := people()
	mustRun(t, h, `DECLARE @f int = 2;
RESTORE LOG [mgc] FROM DISK = N'\\fs\a.trn' WITH FILE = @f, NORECOVERY, KEEP_REPLICATION, NOUNLOAD, REWIND, STATS,
  MOVE N'mgc' TO N'D:\data\mgc.mdf', MOVE 'mgc_log' TO 'L:\log\mgc.ldf', BUFFERCOUNT = 10
RESTORE DATABASE mgc WITH RECOVERY
RESTORE DATABASE mgc FROM DISK = 'x' WITH STANDBY = N'D:\undo.tuf', REPLACE
RESTORE LABELONLY FROM DISK = 'x'`)
	want := RestoreSpec{Kind: RestoreLog, Database: "mgc", Disks: []string{`\\fs\a.trn`}, File: 2, Recovery: RecoveryNoRecovery,
		Stats: 10, Moves: []Move{{"mgc", `D:\data\mgc.mdf`}, {"mgc_log", `L:\log\mgc.ldf`}}, Line: 2}
	if !reflect.DeepEqual(h.restores[0], want) {
		t.Fatalf("got %+v\nwant %+v", h.restores[0], want)
	}
	if r := h.restores[1]; r.Kind != RestoreDatabase || len(r.Disks) != 0 || r.Recovery != RecoveryRecover || r.Line != 4 {
		t.Fatalf("recovery only %+v", r)
	}
	if r := h.restores[2]; r.Recovery != RecoveryStandby || r.StandbyFile != `D:\undo.tuf` || !r.Replace {
		t.Fatalf("standby %+v", r)
	}
	if r := h.restores[3]; r.Kind != RestoreLabelOnly {
		t.Fatalf("labelonly %+v", r)
	}
	if got := errNumber(t, h, "RESTORE DATABASE mgc FROM DISK = 'x' WITH STOPAT = '2024-01-01'"); got != 50000 {
		t.Fatalf("STOPAT: %d", got)
	}
}
