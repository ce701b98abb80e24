package tsql

// The statements of procedure.md, verbatim.
const (
	stepF2 = `USE [master];
ALTER DATABASE [mgc]     SET PARTNER OFF;
ALTER DATABASE [mgccomp] SET PARTNER OFF;
`
	stepF3 = `USE [master];
BACKUP DATABASE [mgc]
  TO DISK = N'\\fileserver\pchatls\mgc_failback_20240101_120000.bak'
  WITH INIT, FORMAT, CHECKSUM,
       NAME = N'mgc-Full Failback', DESCRIPTION = N'Persistent Chat failback',
       STATS = 10;
`
	stepF3b = `RESTORE VERIFYONLY FROM DISK = N'\\fileserver\pchatls\mgc_failback_20240101_120000.bak'
  WITH FILE = 1, CHECKSUM, STATS = 10;
RESTORE HEADERONLY   FROM DISK = N'\\fileserver\pchatls\mgc_failback_20240101_120000.bak';
RESTORE FILELISTONLY FROM DISK = N'\\fileserver\pchatls\mgc_failback_20240101_120000.bak';
`
	stepF4 = `USE [master];
-- (added) kick remaining sessions; WITH ROLLBACK IMMEDIATE disconnects them at once [S45]
ALTER DATABASE [mgc] SET SINGLE_USER WITH ROLLBACK IMMEDIATE;
RESTORE DATABASE [mgc]
  FROM DISK = N'\\fileserver\pchatls\mgc_failback_20240101_120000.bak'
  WITH FILE = 1, REPLACE, RECOVERY, CHECKSUM, STATS = 10;
  -- add MOVE N'<logical>' TO N'<physical>' per file if F3b showed foreign paths
ALTER DATABASE [mgc] SET MULTI_USER;   -- only if sys.databases still shows SINGLE_USER
`
	stepF5bBackup = `BACKUP DATABASE [mgc] TO DISK = N'\\fileserver\pchatls\mgc_lsinit_20240101_130000.bak'
  WITH INIT, FORMAT, CHECKSUM, STATS = 10;
`
	stepF5bRestore = `USE [master];
RESTORE DATABASE [mgc] FROM DISK = N'\\fileserver\pchatls\mgc_lsinit_20240101_130000.bak'
  WITH FILE = 1, REPLACE, NORECOVERY, STATS = 10;   -- leaves mgc RESTORING
`
	stepF5c = `DECLARE @LS_BackupJobId uniqueidentifier, @LS_PrimaryId uniqueidentifier, @rc int;
EXEC @rc = master.dbo.sp_add_log_shipping_primary_database
     @database = N'mgc',
     @backup_directory = N'\\fileserver\pchatls',   -- or local path if the folder is on <P>
     @backup_share     = N'\\fileserver\pchatls',
     @backup_job_name  = N'LSBackup_mgc',
     @backup_retention_period = 4320,               -- minutes
     @backup_compression = 2,                        -- 2 = server default
     @backup_threshold = 60, @threshold_alert_enabled = 1,
     @history_retention_period = 5760,
     @backup_job_id = @LS_BackupJobId OUTPUT, @primary_id = @LS_PrimaryId OUTPUT,
     @overwrite = 1;
IF (@@ERROR = 0 AND @rc = 0)
BEGIN
  DECLARE @uid uniqueidentifier, @sid int;
  EXEC msdb.dbo.sp_add_schedule @schedule_name = N'LSBackupSchedule_mgc', @enabled = 1,
       @freq_type = 4, @freq_interval = 1, @freq_subday_type = 4, @freq_subday_interval = 15,
       @freq_recurrence_factor = 0, @active_start_date = 20240101, @active_end_date = 99991231,
       @active_start_time = 0, @active_end_time = 235900,
       @schedule_uid = @uid OUTPUT, @schedule_id = @sid OUTPUT;
  EXEC msdb.dbo.sp_attach_schedule @job_id = @LS_BackupJobId, @schedule_id = @sid;
  EXEC msdb.dbo.sp_update_job @job_id = @LS_BackupJobId, @enabled = 1;
END
EXEC master.dbo.sp_add_log_shipping_alert_job;          -- creates alert job if absent, every 2 min [S23]
EXEC master.dbo.sp_add_log_shipping_primary_secondary
     @primary_database = N'mgc', @secondary_server = N'<B>', @secondary_database = N'mgc',
     @overwrite = 1;
`
	stepF5d = `DECLARE @copy uniqueidentifier, @rest uniqueidentifier, @sec uniqueidentifier, @rc int;
EXEC @rc = master.dbo.sp_add_log_shipping_secondary_primary
     @primary_server = N'<P>', @primary_database = N'mgc',
     @backup_source_directory      = N'\\fileserver\pchatls',
     @backup_destination_directory = N'D:\LSCopy\mgc',          -- <COPYDIR>
     @copy_job_name    = N'LSCopy_<P>_mgc',
     @restore_job_name = N'LSRestore_<P>_mgc',
     @file_retention_period = 4320, @overwrite = 1,
     @copy_job_id = @copy OUTPUT, @restore_job_id = @rest OUTPUT, @secondary_id = @sec OUTPUT;
-- schedules: sp_add_schedule N'DefaultCopyJobSchedule' / N'DefaultRestoreJobSchedule'
--            (same freq_* pattern, ~15 min) + sp_attach_schedule to @copy / @rest
EXEC master.dbo.sp_add_log_shipping_secondary_database
     @secondary_database = N'mgc', @primary_server = N'<P>', @primary_database = N'mgc',
     @restore_delay = 0, @restore_mode = 0,          -- 0 = NORECOVERY (Lync: "No recovery mode")
     @disconnect_users = 0, @restore_threshold = 45, @threshold_alert_enabled = 1,
     @history_retention_period = 5760, @overwrite = 1;
EXEC msdb.dbo.sp_update_job @job_id = @copy, @enabled = 1;
EXEC msdb.dbo.sp_update_job @job_id = @rest, @enabled = 1;
`
	q31 = `SELECT name, state_desc, recovery_model_desc, user_access_desc, is_read_only, is_in_standby
FROM sys.databases WHERE name IN (N'mgc', N'mgccomp');
`
	q32 = `SELECT DB_NAME(database_id) AS db, mirroring_role_desc, mirroring_state_desc,
       mirroring_partner_name, mirroring_partner_instance, mirroring_witness_name,
       mirroring_witness_state_desc, mirroring_safety_level_desc
FROM sys.database_mirroring
WHERE database_id IN (DB_ID(N'mgc'), DB_ID(N'mgccomp'));
`
	q33 = `SELECT TOP (20) bs.database_name, bs.type, bs.is_copy_only, bs.backup_start_date, bs.backup_finish_date,
       bs.backup_size, bs.compressed_backup_size, bs.has_backup_checksums, bs.is_damaged, bs.first_lsn,
       bs.last_lsn, bs.database_backup_lsn, bs.position, bs.server_name, bmf.physical_device_name, bmf.device_type
FROM msdb.dbo.backupset bs
JOIN msdb.dbo.backupmediafamily bmf ON bmf.media_set_id = bs.media_set_id
WHERE bs.database_name = N'mgc'
ORDER BY bs.backup_finish_date DESC;

-- latest full and latest log per database
SELECT database_name, type, MAX(backup_finish_date) AS last_finish
FROM msdb.dbo.backupset WHERE database_name IN (N'mgc', N'mgccomp') AND type IN ('D','L')
GROUP BY database_name, type;
`
	q34 = `-- on <P>
SELECT primary_server, primary_database, backup_threshold, threshold_alert_enabled,
       last_backup_file, last_backup_date, DATEDIFF(minute, last_backup_date, GETDATE()) AS min_since
FROM msdb.dbo.log_shipping_monitor_primary;
SELECT primary_database, backup_directory, backup_share, backup_retention_period, backup_job_id,
       last_backup_file, last_backup_date
FROM msdb.dbo.log_shipping_primary_databases;          -- columns (unverified beyond the doc summary)
SELECT * FROM msdb.dbo.log_shipping_primary_secondaries;

-- on <B>
SELECT secondary_server, secondary_database, primary_server, primary_database, restore_threshold,
       last_copied_file, last_copied_date, last_restored_file, last_restored_date,
       last_restored_latency
FROM msdb.dbo.log_shipping_monitor_secondary;
SELECT * FROM msdb.dbo.log_shipping_secondary;           -- one row per secondary ID (dirs, jobs)
SELECT * FROM msdb.dbo.log_shipping_secondary_databases; -- restore_mode, restore_delay...
SELECT TOP (50) log_time, message, database_name FROM msdb.dbo.log_shipping_monitor_history_detail
  ORDER BY log_time DESC;
SELECT TOP (50) * FROM msdb.dbo.log_shipping_monitor_error_detail ORDER BY log_time DESC;

-- summary (sysadmin; documented to run in master on the monitor server)
EXEC master.dbo.sp_help_log_shipping_monitor;
`
	q35 = `SELECT j.name, j.enabled, c.name AS category,
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
WHERE c.name LIKE N'Log Shipping%' OR j.name LIKE N'LS%';
`
	q36 = `-- SQL 2012+: database_id exists in sys.dm_exec_sessions [S56]
SELECT session_id, login_name, host_name, program_name, status, last_request_end_time
FROM sys.dm_exec_sessions WHERE database_id = DB_ID(N'mgc') AND session_id <> @@SPID;
-- SQL 2008 R2 fallback (expert)
SELECT spid, loginame, hostname, program_name FROM sys.sysprocesses WHERE dbid = DB_ID(N'mgc');
`
	q37 = `DECLARE @r TABLE (file_exists int, file_is_dir int, parent_dir_exists int);
INSERT @r EXEC master.dbo.xp_fileexist N'\\fileserver\pchatls\mgc_failback_20240101_120000.bak';
SELECT * FROM @r;
-- SQL Server 2017+ only: SELECT file_exists, file_is_a_directory, parent_directory_exists
--                        FROM sys.dm_os_file_exists(N'\\fileserver\pchatls\...bak');
`
	q38 = `SELECT servicename, startup_type_desc, status_desc, service_account, last_startup_time
FROM sys.dm_server_services;
`
)

// The F2 postcondition and the F4 orphan-user check (procedure.md §2), verbatim.
const (
	postF2 = `SELECT d.name, m.mirroring_guid FROM sys.databases d JOIN sys.database_mirroring m ON
  m.database_id = d.database_id WHERE d.name IN (N'mgc',N'mgccomp');`
	orphanF4 = `SELECT dp.name FROM [mgc].sys.database_principals dp LEFT JOIN sys.server_principals sp ON
    sp.sid = dp.sid WHERE dp.type IN ('S','U','G') AND sp.sid IS NULL AND dp.sid IS NOT NULL AND dp.principal_id > 4;`
)
