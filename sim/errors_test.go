package sim

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"pcfailback/clock"
	"pcfailback/pwsh"
	"pcfailback/remote"
)

// expectErrors runs a batch and checks the numbers of the error messages it produced, in order, and that the
// batch returned the first one.
func expectErrors(t *testing.T, sess remote.SQLSession, batch string, want ...int32) batchResult {
	t.Helper()
	res := runBatch(context.Background(), sess, batch)
	if got := res.errNumbers(); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors %v, want %v\n%q", got, want, res.errs())
	}
	var se *remote.SQLError
	if !errors.As(res.err, &se) || se.Number != want[0] {
		t.Fatalf("Run returned %v, want Msg %d", res.err, want[0])
	}
	return res
}

// hasError says a result has an error message containing text.
func hasError(res batchResult, text string) bool {
	for _, e := range res.errs() {
		if strings.Contains(e, text) {
			return true
		}
	}
	return false
}

// preparedBackup returns an estate where F1-F3 are done: the failback backup exists on the share.
func preparedBackup(t *testing.T, scenario string) (*Sim, *clock.Virtual) {
	t.Helper()
	s, clk := newTestSim(t, scenario)
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", nil))
	clk.Advance(3 * time.Minute)
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	mustRun(t, b, f3Script)
	return s, clk
}

func TestBackupShareEngineDenied(t *testing.T) {
	s, clk := newTestSim(t, "share-engine-denied")
	b := connect(t, s, "SQLBACKUP", "master")
	// The share is readable, so the pre-flight check passes; writing fails.
	share := mustRun(t, b, "DECLARE @r TABLE (file_exists int, file_is_dir int, parent_dir_exists int);\n"+
		"INSERT @r EXEC master.dbo.xp_fileexist N'\\\\fs01.contoso.local\\pchatls';\nSELECT * FROM @r;").sets[0]
	if share.rows[0][1] != int64(1) {
		t.Fatalf("xp_fileexist: %v", share.rows)
	}
	before := s.Files("", s.topo.Share)
	start := clk.Now()
	res := expectErrors(t, b, f3Script, 3201, 3013)
	if !hasError(res, "Cannot open backup device '"+failbackBak+"'. Operating system error 5(Access is denied.).") ||
		!hasError(res, "BACKUP DATABASE is terminating abnormally.") {
		t.Fatalf("texts: %q", res.errs())
	}
	if !clk.Now().Equal(start) {
		t.Fatalf("a refused backup took simulated time")
	}
	if after := s.Files("", s.topo.Share); len(after) != len(before) {
		t.Fatalf("files changed: %d -> %d", len(before), len(after))
	}
}

func TestBackupPathErrors(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	cases := []struct {
		disk, os string
	}{
		{`\\fs01.contoso.local\pchatls\nosuchdir\x.bak`, "3(The system cannot find the path specified.)"},
		{`\\fs99.contoso.local\pchatls\x.bak`, "53(The network path was not found.)"},
		{`\\fs01.contoso.local\nosuchshare\x.bak`, "67(The network name cannot be found.)"},
		{`\\fs01.contoso.local\pchatls`, "5(Access is denied.)"},
		{`Q:\backups\x.bak`, "3(The system cannot find the path specified.)"},
	}
	for _, c := range cases {
		res := expectErrors(t, b, "BACKUP DATABASE [mgc] TO DISK = N'"+c.disk+"' WITH INIT", 3201, 3013)
		if !hasError(res, "Operating system error "+c.os+".") {
			t.Errorf("%s: %q", c.disk, res.errs())
		}
	}
	res := expectErrors(t, b, "RESTORE VERIFYONLY FROM DISK = N'\\\\fs01.contoso.local\\pchatls\\missing.bak'", 3201, 3013)
	if !hasError(res, "Operating system error 2(The system cannot find the file specified.).") || !hasError(res, "VERIFY DATABASE is terminating abnormally.") {
		t.Fatalf("%q", res.errs())
	}
	expectErrors(t, b, "BACKUP DATABASE [nosuchdb] TO DISK = N'x.bak'", 911, 3013)
	expectErrors(t, b, "BACKUP DATABASE tempdb TO DISK = N'x.bak'", 3147, 3013)
	// A relative name goes to the instance's default backup directory.
	mustRun(t, b, "BACKUP DATABASE msdb TO DISK = N'msdb.bak' WITH INIT")
	if files := s.Files("SQLBACKUP", `C:\Program Files\Microsoft SQL Server\MSSQL11.MSSQLSERVER\MSSQL\Backup`); files["msdb.bak"] == 0 {
		t.Fatalf("relative backup not in the default directory: %v", files)
	}
}

func TestBackupShareFull(t *testing.T) {
	s, clk := newTestSim(t, "share-full")
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", nil))
	clk.Advance(3 * time.Minute)
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	root := s.fs.folderAt("", s.topo.Share)
	free := root.vol.free
	res := expectErrors(t, b, f3Script, 3202, 3013)
	if !hasError(res, `Write on "`+failbackBak+`" failed: 112(There is not enough space on the disk.)`) {
		t.Fatalf("%q", res.errs())
	}
	infos := res.infos()
	last := infos[len(infos)-1]
	if !strings.HasSuffix(last, "percent processed.") || last == "100 percent processed." {
		t.Fatalf("progress before the failure: %q", infos)
	}
	if root.vol.free != free {
		t.Fatalf("free space %d after the failed backup, was %d", root.vol.free, free)
	}
	if _, ok := s.Files("", s.topo.Share)["mgc_failback_20240312_093500.bak"]; ok {
		t.Fatal("the partial backup file was left on the share")
	}
	if n := query(t, s, "SQLBACKUP", "msdb", "SELECT COUNT(*) AS n FROM backupset WHERE type = 'D' AND backup_start_date > '20240312'").get(0, "n"); n != int64(0) {
		t.Fatalf("a failed backup was recorded in msdb: %v", n)
	}
}

func TestRestoreRefusals(t *testing.T) {
	s, _ := preparedBackup(t, "")
	p := connect(t, s, "SQLPRIMARY", "master")
	restore := "RESTORE DATABASE [mgc] FROM DISK = N'" + failbackBak + "' WITH RECOVERY"
	res := expectErrors(t, p, restore, 3154, 3013)
	if !hasError(res, "The backup set holds a backup of a database other than the existing 'mgc' database.") {
		t.Fatalf("%q", res.errs())
	}
	// Same database, no REPLACE: the tail of the log has not been backed up.
	mustRun(t, p, restore+", REPLACE")
	expectErrors(t, p, restore, 3159, 3013)
	// The session's own database.
	inMgc := connect(t, s, "SQLPRIMARY", "mgc")
	res = expectErrors(t, inMgc, restore+", REPLACE", 3102, 3013)
	if !hasError(res, "RESTORE cannot process database 'mgc' because it is in use by this session.") {
		t.Fatalf("%q", res.errs())
	}
	// Another session in the database.
	expectErrors(t, p, restore+", REPLACE", 3101, 3013)
	inMgc.Close()
	// Log into an online database; a log from a full backup.
	expectErrors(t, p, "RESTORE LOG [mgc] FROM DISK = N'"+failbackBak+"'", 3135, 3013)
	expectErrors(t, p, "RESTORE DATABASE [mgc] FROM DISK = N'"+failbackBak+"' WITH FILE = 2, REPLACE", 4038, 3013)
	expectErrors(t, p, "RESTORE DATABASE [mgc] FROM DISK = N'"+failbackBak+"' WITH REPLACE, MOVE N'nosuch' TO N'D:\\x.mdf'", 3234, 3013)
	res = expectErrors(t, p, "RESTORE DATABASE [mgc2] FROM DISK = N'"+failbackBak+"'", 1834, 3156, 1834, 3156, 3119, 3013)
	if !hasError(res, "It is being used by database 'mgc'.") {
		t.Fatalf("%q", res.errs())
	}
	expectErrors(t, p, "RESTORE DATABASE [mgc2] FROM DISK = N'"+failbackBak+"' WITH MOVE N'mgc' TO N'X:\\nodir\\a.mdf', MOVE N'mgc_log' TO N'X:\\nodir\\a.ldf'",
		5133, 3156, 5133, 3156, 3119, 3013)
	expectErrors(t, p, "RESTORE DATABASE master FROM DISK = N'"+failbackBak+"'", 3108, 3013)
}

func TestRestoreSessionsOnPrimary(t *testing.T) {
	s, clk := preparedBackup(t, "sessions-on-primary")
	p := connect(t, s, "SQLPRIMARY", "master")
	if got := query(t, s, "SQLPRIMARY", "master", sessionsQuery); len(got.rows) != 2 {
		t.Fatalf("application sessions: %v", got.rows)
	}
	res := expectErrors(t, p, "RESTORE DATABASE [mgc] FROM DISK = N'"+failbackBak+"' WITH FILE = 1, REPLACE, RECOVERY, CHECKSUM, STATS = 10", 3101, 3013)
	if !hasError(res, "Exclusive access could not be obtained because the database is in use.") {
		t.Fatalf("%q", res.errs())
	}
	// SINGLE_USER WITH ROLLBACK IMMEDIATE disconnects them (5060), then the restore works.
	f4 := mustRun(t, p, f4Script)
	if !containsText(f4.infos(), "Nonqualified transactions are being rolled back. Estimated rollback completion: 100%.") {
		t.Fatalf("no 5060: %q", f4.infos())
	}
	// The application comes back once the database is MULTI_USER again.
	clk.Advance(time.Minute)
	if got := query(t, s, "SQLPRIMARY", "master", sessionsQuery); len(got.rows) != 2 {
		t.Fatalf("application did not reconnect: %v", got.rows)
	}
}

func TestRestoreMirroredPrimary(t *testing.T) {
	s, _ := preparedBackup(t, "primary-still-mirrored")
	p := connect(t, s, "SQLPRIMARY", "master")
	res := expectErrors(t, p, f4Script, 3104, 3013)
	if !hasError(res, "RESTORE cannot operate on database 'mgc' because it is configured for database mirroring or has joined an availability group.") {
		t.Fatalf("%q", res.errs())
	}
	mustRun(t, p, "ALTER DATABASE [mgc] SET PARTNER OFF")
	mustRun(t, p, f4Script)
	if info := mustInfo(t, s, "SQLPRIMARY-MIR", "mgc"); info.State != "RESTORING" || info.MirroringRole != "" {
		t.Fatalf("former mirror: %+v", info)
	}
}

func TestRestoreOlderVersion(t *testing.T) {
	s, _ := preparedBackup(t, "primary-older-version")
	p := connect(t, s, "SQLPRIMARY", "master")
	res := expectErrors(t, p, f4Script, 3169, 3013)
	if !hasError(res, "The database was backed up on a server running version 11.00.7001. That version is incompatible with this server, which is running version 10.50.6000.") {
		t.Fatalf("%q", res.errs())
	}
	if v := query(t, s, "SQLPRIMARY", "master", "SELECT SERVERPROPERTY('ProductVersion') AS v").get(0, "v"); v != "10.50.6000.34" {
		t.Fatalf("version %v", v)
	}
}

func TestDamagedBackup(t *testing.T) {
	s, _ := preparedBackup(t, "damaged-backup")
	p := connect(t, s, "SQLPRIMARY", "master")
	res := expectErrors(t, p, f3bVerify, 3189, 3013)
	if !hasError(res, "Damage to the backup set was detected.") || !containsText(res.infos(), "10 percent processed.") {
		t.Fatalf("%q %q", res.errs(), res.infos())
	}
	// The ALTER DATABASE after the failed RESTORE finds the database RESTORING.
	expectErrors(t, p, f4Script, 3183, 3013, 5052, 5069)
	// The interrupted restore leaves mgc RESTORING and the sequence must start again.
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.State != "RESTORING" {
		t.Fatalf("after a damaged restore: %+v", info)
	}
	expectErrors(t, p, "RESTORE DATABASE [mgc] WITH RECOVERY", 4333, 3013)
	// A media family that is not a backup at all.
	s.mu.Lock()
	s.fs.folderAt("", s.topo.Share).file("mgc_failback_20240312_093500.bak").damage = damageMedia
	s.mu.Unlock()
	expectErrors(t, p, f3bHeader, 3241, 3013)
}

func TestRestoreLogSequence(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	// A chain on the backup instance: full, log 1, log 2 (copy-only so the failback path is untouched).
	mustRun(t, b, `BACKUP DATABASE mgcComp TO DISK = N'\\fs01.contoso.local\pchatls\c_full.bak' WITH INIT, FORMAT, CHECKSUM`)
	mustRun(t, b, `BACKUP LOG mgccomp TO DISK = N'\\fs01.contoso.local\pchatls\c_1.trn' WITH INIT`)
	mustRun(t, b, `BACKUP LOG mgccomp TO DISK = N'\\fs01.contoso.local\pchatls\c_2.trn' WITH INIT`)
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, `RESTORE DATABASE c2 FROM DISK = N'\\fs01.contoso.local\pchatls\c_full.bak' WITH NORECOVERY,
		MOVE N'mgccomp' TO N'D:\CsData\PersistentChatComplianceStore\(default)\DbPath\c2.mdf',
		MOVE N'mgccomp_log' TO N'D:\CsData\PersistentChatComplianceStore\(default)\LogPath\c2.ldf'`)
	res := expectErrors(t, p, `RESTORE LOG c2 FROM DISK = N'\\fs01.contoso.local\pchatls\c_2.trn' WITH NORECOVERY`, 4305, 3013)
	if !hasError(res, "which is too recent to apply to the database. An earlier log backup that includes LSN") {
		t.Fatalf("%q", res.errs())
	}
	mustRun(t, p, `RESTORE LOG c2 FROM DISK = N'\\fs01.contoso.local\pchatls\c_1.trn' WITH NORECOVERY`)
	res = expectErrors(t, p, `RESTORE LOG c2 FROM DISK = N'\\fs01.contoso.local\pchatls\c_1.trn' WITH NORECOVERY`, 4326, 3013)
	if !hasError(res, "which is too early to apply to the database. A more recent log backup that includes LSN") {
		t.Fatalf("%q", res.errs())
	}
	log2 := mustRun(t, p, `RESTORE LOG c2 FROM DISK = N'\\fs01.contoso.local\pchatls\c_2.trn' WITH RECOVERY`)
	if !containsText(log2.infos(), "RESTORE LOG successfully processed") || !containsText(log2.infos(), "Processed 0 pages for database 'c2', file 'mgccomp' on file 1.") {
		t.Fatalf("%q", log2.infos())
	}
	expectErrors(t, p, `RESTORE LOG c2 FROM DISK = N'\\fs01.contoso.local\pchatls\c_2.trn'`, 3117, 3013)
	expectErrors(t, p, `RESTORE LOG nosuch FROM DISK = N'\\fs01.contoso.local\pchatls\c_2.trn'`, 3118, 3013)
	// BACKUP LOG on the rebuilt primary, which never had a full backup.
	expectErrors(t, p, `BACKUP LOG mgc TO DISK = N'\\fs01.contoso.local\pchatls\p.trn'`, 4214, 3013)
	expectErrors(t, p, `RESTORE VERIFYONLY FROM DISK = N'\\fs01.contoso.local\pchatls\c_1.trn' WITH CHECKSUM`, 3187, 3013)
}

func TestAlterDatabaseErrors(t *testing.T) {
	s, clk := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	res := expectErrors(t, b, "ALTER DATABASE [mgc] SET PARTNER OFF", 1416)
	if !hasError(res, `Database "mgc" is not configured for database mirroring.`) {
		t.Fatalf("%q", res.errs())
	}
	// Without a termination option ALTER waits for the Persistent Chat sessions, then gives up.
	start := clk.Now()
	expectErrors(t, b, "ALTER DATABASE [mgc] SET SINGLE_USER", 5061, 5069)
	if waited := clk.Now().Sub(start); waited < lockWaitLimit {
		t.Fatalf("waited %v", waited)
	}
	expectErrors(t, b, "ALTER DATABASE [mgc] SET SINGLE_USER WITH NO_WAIT", 5070, 5069)
	expectErrors(t, b, "ALTER DATABASE [nosuch] SET MULTI_USER", 5011, 5069)
	expectErrors(t, b, "ALTER DATABASE master SET SINGLE_USER", 5058, 5069)
	bm := connect(t, s, "SQLBACKUP-MIR", "master")
	expectErrors(t, bm, "ALTER DATABASE [mgc] SET SINGLE_USER", 5052, 5069)
	// After F1 the sessions drain while ALTER waits, and it succeeds.
	mustCmd(t, s, "Set-CsPersistentChatActiveServer", np("Identity", poolID), np("ActiveServers", nil))
	clk.Advance(90 * time.Second)
	mustRun(t, b, "ALTER DATABASE [mgc] SET SINGLE_USER")
	other := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, other, "USE mgc")
	expectErrors(t, b, "USE mgc", 924)
	expectErrors(t, b, "ALTER DATABASE [mgc] SET MULTI_USER", 5064, 5069)
}

func TestUseAndKillErrors(t *testing.T) {
	s, _ := newTestSim(t, "")
	bm := connect(t, s, "SQLBACKUP-MIR", "master")
	res := expectErrors(t, bm, "USE mgc", 954)
	if !hasError(res, `The database "mgc" cannot be opened. It is acting as a mirror database.`) {
		t.Fatalf("%q", res.errs())
	}
	expectErrors(t, bm, "USE nosuch", 911)
	expectErrors(t, bm, "SELECT * FROM mgc.sys.database_principals", 954)
	b := connect(t, s, "SQLBACKUP", "master")
	mustRun(t, b, f2Script)
	res = expectErrors(t, bm, "USE mgc", 927)
	if !hasError(res, "Database 'mgc' cannot be opened. It is in the middle of a restore.") {
		t.Fatalf("%q", res.errs())
	}
	expectErrors(t, b, "KILL 5", 6107)
	expectErrors(t, b, "KILL 999", 6106)
	spid := mustRun(t, b, "SELECT @@SPID AS spid").sets[0].get(0, "spid").(int64)
	expectErrors(t, b, "KILL "+itoa64(spid), 6104)
	victim := connect(t, s, "SQLBACKUP", "master")
	vspid := mustRun(t, victim, "SELECT @@SPID AS spid").sets[0].get(0, "spid").(int64)
	mustRun(t, b, "KILL "+itoa64(vspid))
	if err := victim.Run(context.Background(), "SELECT 1", nil); !errors.Is(err, errSessionKilled) {
		t.Fatalf("killed session ran a batch: %v", err)
	}
}

func TestProcedureErrors(t *testing.T) {
	s, _ := newTestSim(t, "primary-agent-stopped")
	p := connect(t, s, "SQLPRIMARY", "master")
	expectErrors(t, p, "EXEC sp_nosuch", 2812)
	res := expectErrors(t, p, "EXEC sp_add_schedule @schedule_name = N'x'", 2812)
	if !hasError(res, "Could not find stored procedure 'sp_add_schedule'.") {
		t.Fatalf("%q", res.errs())
	}
	res = expectErrors(t, p, "EXEC msdb.dbo.sp_add_schedule @enabled = 1", 201)
	if !hasError(res, "Procedure or function 'sp_add_schedule' expects parameter '@schedule_name', which was not supplied.") {
		t.Fatalf("%q", res.errs())
	}
	expectErrors(t, p, "EXEC msdb.dbo.sp_add_schedule @schedule_name = N'x', @nosuch = 1", 8145)
	expectErrors(t, p, "EXEC msdb.dbo.sp_start_job @job_name = N'nosuch'", 14262)
	expectErrors(t, p, "EXEC msdb.dbo.sp_start_job @job_name = N'syspolicy_purge_history'", 22022)
	expectErrors(t, p, "EXEC master.dbo.sp_add_log_shipping_primary_secondary @primary_database = N'mgc', @secondary_server = N'SQLBACKUP', @secondary_database = N'mgc'", 32010)
	if svc := query(t, s, "SQLPRIMARY", "master", "SELECT status_desc FROM sys.dm_server_services WHERE servicename LIKE N'SQL Server Agent%'"); svc.get(0, "status_desc") != "Stopped" {
		t.Fatalf("agent: %v", svc.rows)
	}
}

func TestLoginDenied(t *testing.T) {
	s, _ := newTestSim(t, "primary-login-denied")
	c, err := s.SQL("sqlprimary.contoso.local", Login{User: `CONTOSO\dba`})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Connect(context.Background(), "master")
	var se *remote.SQLError
	if !errors.As(err, &se) || se.Number != 18456 || se.Class != 14 || se.Text != `Login failed for user 'CONTOSO\dba'.` {
		t.Fatalf("connect: %v", err)
	}
	c2, _ := s.SQL("SQLBACKUP-MIR", Login{User: `CONTOSO\dba`})
	if _, err := c2.Connect(context.Background(), "mgc"); !errors.As(err, &se) || se.Number != 4060 {
		t.Fatalf("connect to a mirror database: %v", err)
	}
	if _, err := s.SQL("nosuchserver", Login{}); err == nil {
		t.Fatal("unknown server accepted")
	}
}

func TestMirroringCmdletErrors(t *testing.T) {
	s, _ := preparedBackup(t, "mirror-endpoint-blocked")
	p := connect(t, s, "SQLPRIMARY", "master")
	mustRun(t, p, f4Script)
	install := []pwsh.Param{np("SqlServerFqdn", "sqlprimary.contoso.local"), np("DatabaseType", "PersistentChat"),
		np("FileShare", `\\fs01.contoso.local\csmirror`), swp("DropExistingDatabasesOnMirror")}
	_, st, err := cmd(t, s, "Install-CsMirrorDatabase", install...)
	var ce *pwsh.CmdletError
	if !errors.As(err, &ce) || !strings.Contains(ce.Message, `The server network address "TCP://sqlprimary-mir.contoso.local:5022" can not be reached or does not exist.`) {
		t.Fatalf("Install-CsMirrorDatabase: %v", err)
	}
	if len(st.verbose) == 0 {
		t.Fatal("no progress before the endpoint failure")
	}
	// The copy was restored on the mirror before the failure: it stays there, RESTORING.
	if info := mustInfo(t, s, "SQLPRIMARY-MIR", "mgc"); info.State != "RESTORING" || info.MirroringRole != "" {
		t.Fatalf("mirror copy: %+v", info)
	}
	s.mu.Lock()
	s.instanceByRole(rolePrimaryMirror).endpoint.reachable = true
	s.mu.Unlock()
	// Without -DropExistingDatabasesOnMirror the leftover copy is refused; single-user mode gives 1488.
	if _, _, err := cmd(t, s, "Install-CsMirrorDatabase", install[:3]...); !errors.As(err, &ce) || !strings.Contains(ce.Message, "already exists on the mirror") {
		t.Fatalf("existing copy: %v", err)
	}
	mustRun(t, p, "ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE")
	if _, _, err := cmd(t, s, "Install-CsMirrorDatabase", install...); !errors.As(err, &ce) || !strings.Contains(ce.Message, "single user mode") {
		t.Fatalf("single user: %v", err)
	}
	mustRun(t, p, "ALTER DATABASE [mgc] SET MULTI_USER")
	mustCmd(t, s, "Install-CsMirrorDatabase", install...)
	if info := mustInfo(t, s, "SQLPRIMARY", "mgc"); info.MirroringState != "SYNCHRONIZED" {
		t.Fatalf("after the retry: %+v", info)
	}
}

func TestTransactionRefusesBackup(t *testing.T) {
	s, _ := newTestSim(t, "")
	b := connect(t, s, "SQLBACKUP", "master")
	before := len(s.Executed())
	expectErrors(t, b, "BEGIN TRAN; BACKUP DATABASE msdb TO DISK = N'x.bak';", 3021, 3013)
	if ex := s.Executed(); len(ex) != before+1 || ex[len(ex)-1].Writes {
		t.Fatalf("a refused BACKUP counted as a write: %+v", ex[len(ex)-1])
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
