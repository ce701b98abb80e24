package steps

import (
	"strings"
	"time"

	"pcfailback/pwsh"
	"pcfailback/quote"
)

// The script texts follow procedure.md §2 statement for statement. Every name goes through quote.Ident,
// quote.String or pwsh.Quote.

const psPrologue = "$ErrorActionPreference = 'Stop'\nImport-Module Lync\n"

func sqlScript(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

func backupPath(share, db, kind string, at time.Time) string {
	return strings.TrimRight(share, `\`) + `\` + db + "_" + kind + "_" + at.Format("20060102_150405") + ".bak"
}

// backupDatabase is F3 and the first half of F5b.
func backupDatabase(db, path, name, desc string) string {
	return sqlScript(
		"USE [master];",
		"BACKUP DATABASE "+quote.Ident(db),
		"  TO DISK = "+quote.String(path),
		"  WITH INIT, FORMAT, CHECKSUM,",
		"       NAME = "+quote.String(name)+", DESCRIPTION = "+quote.String(desc)+",",
		"       STATS = 10;",
	)
}

// restoreDatabase restores over an existing database with exclusive access, from master on one session, and
// puts the database back to MULTI_USER only when it is still online in SINGLE_USER (a RESTORE ... NORECOVERY
// leaves it RESTORING, where ALTER DATABASE would fail).
func restoreDatabase(db, path, recovery string, moves []string) string {
	return restoreScript(db, path, recovery, moves, true)
}

// restoreScript is restoreDatabase; without exclusive it leaves SET SINGLE_USER out, for a database an
// interrupted restore left RESTORING (no session can be in it, and ALTER DATABASE would fail with 5052).
func restoreScript(db, path, recovery string, moves []string, exclusive bool) string {
	with := "  WITH FILE = 1, REPLACE, " + recovery + ", CHECKSUM, STATS = 10"
	lines := []string{"USE [master];"}
	if exclusive {
		lines = append(lines,
			"-- disconnect remaining sessions at once (procedure.md §5.5)",
			"ALTER DATABASE "+quote.Ident(db)+" SET SINGLE_USER WITH ROLLBACK IMMEDIATE;")
	} else {
		lines = append(lines, "-- the database is RESTORING (an earlier restore did not complete): restore it from the start")
	}
	lines = append(lines,
		"RESTORE DATABASE "+quote.Ident(db),
		"  FROM DISK = "+quote.String(path),
	)
	if len(moves) == 0 {
		lines = append(lines, with+";")
	} else {
		lines = append(lines, with+",")
		for i, m := range moves {
			sep := ","
			if i == len(moves)-1 {
				sep = ";"
			}
			lines = append(lines, "       "+m+sep)
		}
	}
	lines = append(lines,
		"IF EXISTS (SELECT 1 FROM sys.databases WHERE name = "+quote.String(db)+" AND state_desc = N'ONLINE' AND user_access_desc = N'SINGLE_USER')",
		"  ALTER DATABASE "+quote.Ident(db)+" SET MULTI_USER;",
	)
	return sqlScript(lines...)
}

func verifyBackup(path string) string {
	return sqlScript(
		"RESTORE VERIFYONLY FROM DISK = "+quote.String(path),
		"  WITH FILE = 1, CHECKSUM, STATS = 10;",
		"RESTORE HEADERONLY FROM DISK = "+quote.String(path)+";",
		"RESTORE FILELISTONLY FROM DISK = "+quote.String(path)+";",
	)
}

// lsJobNames are the SSMS job names (procedure.md §2 F5).
func lsBackupJob(db string) string           { return "LSBackup_" + db }
func lsCopyJob(primary, db string) string    { return "LSCopy_" + primary + "_" + db }
func lsRestoreJob(primary, db string) string { return "LSRestore_" + primary + "_" + db }
func lsBackupSchedule(db string) string      { return "LSBackupSchedule_" + db }

// schedule15 is sp_add_schedule's every-15-minutes daily schedule, from today, its lines joined with indent. The
// indent goes between the lines as they are built: indenting the finished text would also change a line break
// inside the quoted schedule name.
func schedule15(name string, today time.Time, uidVar, idVar, indent string) string {
	return strings.Join([]string{
		"EXEC msdb.dbo.sp_add_schedule @schedule_name = " + quote.String(name) + ", @enabled = 1,",
		"     @freq_type = 4, @freq_interval = 1, @freq_subday_type = 4, @freq_subday_interval = 15,",
		"     @freq_recurrence_factor = 0, @active_start_date = " + today.Format("20060102") + ", @active_end_date = 99991231,",
		"     @active_start_time = 0, @active_end_time = 235900,",
		"     @schedule_uid = " + uidVar + " OUTPUT, @schedule_id = " + idVar + " OUTPUT;",
	}, "\n"+indent)
}

// lsPrimary is F5c: the primary side of log shipping, run in master on the primary (or, for F5e, on its mirror
// while it is the principal). startJob takes the first log backup at once instead of waiting for the schedule.
func lsPrimary(db, share, secondary string, today time.Time, startJob bool) string {
	job := lsBackupJob(db)
	lines := []string{
		"USE [master];",
		"DECLARE @LS_BackupJobId uniqueidentifier, @LS_PrimaryId uniqueidentifier, @rc int;",
		"EXEC @rc = master.dbo.sp_add_log_shipping_primary_database",
		"     @database = " + quote.String(db) + ",",
		"     @backup_directory = " + quote.String(share) + ",",
		"     @backup_share = " + quote.String(share) + ",",
		"     @backup_job_name = " + quote.String(job) + ",",
		"     @backup_retention_period = 4320,",
		"     @backup_compression = 2,",
		"     @backup_threshold = 60, @threshold_alert_enabled = 1,",
		"     @history_retention_period = 5760,",
		"     @backup_job_id = @LS_BackupJobId OUTPUT, @primary_id = @LS_PrimaryId OUTPUT,",
		"     @overwrite = 1;",
		"IF (@@ERROR = 0 AND @rc = 0)",
		"BEGIN",
		"  DECLARE @uid uniqueidentifier, @sid int;",
		"  " + schedule15(lsBackupSchedule(db), today, "@uid", "@sid", "  "),
		"  EXEC msdb.dbo.sp_attach_schedule @job_id = @LS_BackupJobId, @schedule_id = @sid;",
		"  EXEC msdb.dbo.sp_update_job @job_id = @LS_BackupJobId, @enabled = 1;",
		"END",
		"EXEC master.dbo.sp_add_log_shipping_alert_job;",
		"EXEC master.dbo.sp_add_log_shipping_primary_secondary",
		"     @primary_database = " + quote.String(db) + ", @secondary_server = " + quote.String(secondary) + ",",
		"     @secondary_database = " + quote.String(db) + ", @overwrite = 1;",
	}
	if startJob {
		lines = append(lines, "EXEC msdb.dbo.sp_start_job @job_name = "+quote.String(job)+";")
	}
	return sqlScript(lines...)
}

// lsSecondary is F5d: the secondary side, run in master on the backup instance.
func lsSecondary(db, primary, share, copyDir string, today time.Time) string {
	copyJob, restoreJob := lsCopyJob(primary, db), lsRestoreJob(primary, db)
	return sqlScript(
		"USE [master];",
		"DECLARE @copy uniqueidentifier, @rest uniqueidentifier, @sec uniqueidentifier, @rc int;",
		"EXEC @rc = master.dbo.sp_add_log_shipping_secondary_primary",
		"     @primary_server = "+quote.String(primary)+", @primary_database = "+quote.String(db)+",",
		"     @backup_source_directory = "+quote.String(share)+",",
		"     @backup_destination_directory = "+quote.String(copyDir)+",",
		"     @copy_job_name = "+quote.String(copyJob)+",",
		"     @restore_job_name = "+quote.String(restoreJob)+",",
		"     @file_retention_period = 4320, @overwrite = 1,",
		"     @copy_job_id = @copy OUTPUT, @restore_job_id = @rest OUTPUT, @secondary_id = @sec OUTPUT;",
		"IF (@@ERROR = 0 AND @rc = 0)",
		"BEGIN",
		"  DECLARE @cuid uniqueidentifier, @csid int, @ruid uniqueidentifier, @rsid int;",
		"  "+schedule15("DefaultCopyJobSchedule", today, "@cuid", "@csid", "  "),
		"  EXEC msdb.dbo.sp_attach_schedule @job_id = @copy, @schedule_id = @csid;",
		"  "+schedule15("DefaultRestoreJobSchedule", today, "@ruid", "@rsid", "  "),
		"  EXEC msdb.dbo.sp_attach_schedule @job_id = @rest, @schedule_id = @rsid;",
		"  EXEC master.dbo.sp_add_log_shipping_secondary_database",
		"       @secondary_database = "+quote.String(db)+", @primary_server = "+quote.String(primary)+", @primary_database = "+quote.String(db)+",",
		"       @restore_delay = 0, @restore_mode = 0,",
		"       @disconnect_users = 0, @restore_threshold = 45, @threshold_alert_enabled = 1,",
		"       @history_retention_period = 5760, @overwrite = 1;",
		"  EXEC msdb.dbo.sp_update_job @job_id = @copy, @enabled = 1;",
		"  EXEC msdb.dbo.sp_update_job @job_id = @rest, @enabled = 1;",
		"  EXEC msdb.dbo.sp_start_job @job_name = "+quote.String(copyJob)+";",
		"END",
	)
}

func psScript(lines ...string) string { return psPrologue + strings.Join(lines, "\n") + "\n" }

func psList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = pwsh.Quote(s)
	}
	return strings.Join(q, ",")
}
