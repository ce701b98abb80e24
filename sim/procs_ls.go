package sim

import (
	"fmt"

	"pcfailback/tsql"
)

// Log-shipping configuration procedures (sys.sp_add_log_shipping_* and sys.sp_delete_log_shipping_*), with the
// parameters, defaults and errors of SQL Server 2012. They run in master and need sysadmin.

const sqllogship = `"C:\Program Files\Microsoft SQL Server\110\Tools\Binn\sqllogship.exe"`

func init() {
	defineProc(&procDef{name: "sp_add_log_shipping_primary_database", writes: true, run: runAddPrimaryDB, params: []procParam{
		req("@database"), req("@backup_directory"), req("@backup_share"), req("@backup_job_name"),
		req("@backup_retention_period"), opt("@monitor_server", nil), opt("@monitor_server_security_mode", int64(1)),
		opt("@monitor_server_login", nil), opt("@monitor_server_password", nil), opt("@backup_threshold", int64(60)),
		opt("@threshold_alert", int64(14420)), opt("@threshold_alert_enabled", int64(0)),
		opt("@history_retention_period", nil), outp("@backup_job_id"), outp("@primary_id"),
		opt("@backup_compression", int64(2)), opt("@overwrite", int64(0)), opt("@ignoreremotemonitor", int64(0)),
	}})
	defineProc(&procDef{name: "sp_add_log_shipping_primary_secondary", writes: true, run: runAddPrimarySecondary, params: []procParam{
		req("@primary_database"), req("@secondary_server"), req("@secondary_database"), opt("@overwrite", int64(0)),
	}})
	defineProc(&procDef{name: "sp_add_log_shipping_secondary_primary", writes: true, run: runAddSecondaryPrimary, params: []procParam{
		req("@primary_server"), req("@primary_database"), req("@backup_source_directory"),
		req("@backup_destination_directory"), req("@copy_job_name"), req("@restore_job_name"),
		opt("@file_retention_period", int64(14420)), opt("@monitor_server", nil),
		opt("@monitor_server_security_mode", int64(1)), opt("@monitor_server_login", nil),
		opt("@monitor_server_password", nil), outp("@copy_job_id"), outp("@restore_job_id"), outp("@secondary_id"),
		opt("@overwrite", int64(0)), opt("@ignoreremotemonitor", int64(0)),
	}})
	defineProc(&procDef{name: "sp_add_log_shipping_secondary_database", writes: true, run: runAddSecondaryDB, params: []procParam{
		req("@secondary_database"), req("@primary_server"), req("@primary_database"), opt("@restore_delay", int64(0)),
		opt("@restore_all", int64(1)), opt("@restore_mode", int64(0)), opt("@disconnect_users", int64(0)),
		opt("@block_size", int64(-1)), opt("@buffer_count", int64(-1)), opt("@max_transfer_size", nil),
		req("@restore_threshold"), opt("@threshold_alert", int64(14421)), opt("@threshold_alert_enabled", int64(1)),
		opt("@history_retention_period", nil), opt("@overwrite", int64(0)), opt("@ignoreremotemonitor", int64(0)),
	}})
	defineProc(&procDef{name: "sp_add_log_shipping_alert_job", writes: true, run: runAddAlertJob,
		params: []procParam{outp("@alert_job_id")}})
	defineProc(&procDef{name: "sp_delete_log_shipping_primary_database", writes: true, run: runDeletePrimaryDB,
		params: []procParam{req("@database"), opt("@ignoreremotemonitor", int64(0))}})
	defineProc(&procDef{name: "sp_delete_log_shipping_primary_secondary", writes: true, run: runDeletePrimarySecondary,
		params: []procParam{req("@primary_database"), req("@secondary_server"), req("@secondary_database")}})
	defineProc(&procDef{name: "sp_delete_log_shipping_secondary_primary", writes: true, run: runDeleteSecondaryPrimary,
		params: []procParam{req("@primary_server"), req("@primary_database")}})
	defineProc(&procDef{name: "sp_delete_log_shipping_secondary_database", writes: true, run: runDeleteSecondaryDB,
		params: []procParam{req("@secondary_database"), opt("@ignoreremotemonitor", int64(0))}})
	defineProc(&procDef{name: "sp_delete_log_shipping_alert_job", writes: true, run: runDeleteAlertJob})
}

// requireSysadmin is the permission check every log-shipping procedure starts with.
func (c *procCall) requireSysadmin() error {
	if !c.ss.isSysadmin {
		return c.fail(15247, 16, 1, "User does not have permission to perform this action.")
	}
	return nil
}

// lsJobName checks a log-shipping job name is free (or held by a log-shipping job that may be overwritten).
func (c *procCall) lsJobName(name string, overwrite bool) error {
	m := c.ss.inst.msdb
	if j := m.jobByName(name); j != nil {
		if j.category != categoryLogShipping || !overwrite {
			return c.fail(32022, 16, 1, "Cannot add a log shipping job with name %s. A job with same name already "+
				"exists in the system and this job does not belong to log shipping category.", name)
		}
		m.deleteJob(j)
	}
	return nil
}

// newLSJob creates a disabled log-shipping job with one CmdExec step running sqllogship.exe.
func (s *Sim) newLSJob(in *instance, name, desc string, kind jobKind, agentID tsql.GUID, stepName, verb, owner string) *job {
	j := s.newJob(name, desc, categoryLogShipping, owner, kind, false)
	j.agentID = agentID
	s.addStep(j, stepName, "CmdExec", fmt.Sprintf("%s -%s %s -server %s", sqllogship, verb, agentID, in.spec.Server), "")
	in.msdb.jobs = append(in.msdb.jobs, j)
	return j
}

func runAddPrimaryDB(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	s, in, m := c.ss.sim, c.ss.inst, c.ss.inst.msdb
	dbName := c.text("@database")
	d := in.db(dbName)
	if d == nil {
		return 1, c.fail(15010, 16, 1, "The database '%s' does not exist. Supply a valid database name. To see available databases, use sys.databases.", dbName)
	}
	if d.recovery == recoverySimple {
		return 1, c.fail(32015, 16, 1, "The primary database %s cannot have SIMPLE recovery for log shipping to work properly.", d.name)
	}
	overwrite := c.bool("@overwrite")
	if old := m.primaryFor(d.name); old != nil {
		if !overwrite {
			return 1, c.fail(32009, 16, 1, "A log shipping primary entry already exists for database %s.", d.name)
		}
		removePrimary(m, old)
	}
	retention, err := c.int("@backup_retention_period")
	if err != nil {
		return 1, err
	}
	jobName := c.text("@backup_job_name")
	if err := c.lsJobName(jobName, overwrite); err != nil {
		return 1, err
	}
	primaryID := s.newGUID()
	j := s.newLSJob(in, jobName, fmt.Sprintf("Log shipping backup log job for %s.%s.", in.spec.Server, d.name),
		jobLSBackup, primaryID, "Log shipping backup log job step.", "Backup", c.ss.login)
	monitor, userMonitor := in.spec.Server, false
	if !c.isNull("@monitor_server") {
		monitor, userMonitor = c.text("@monitor_server"), true
	}
	m.lsPrimary = append(m.lsPrimary, &lsPrimaryDB{
		primaryID: primaryID, database: d.name, backupDirectory: c.text("@backup_directory"),
		backupShare: c.text("@backup_share"), retention: retention, backupJobID: j.id, monitorServer: monitor,
		userMonitor: userMonitor, backupCompression: c.intOr("@backup_compression", 2),
	})
	m.lsMonPrimary = append(m.lsMonPrimary, &lsMonitorPrimary{
		primaryID: primaryID, primaryServer: in.spec.Server, primaryDatabase: d.name,
		backupThreshold: c.intOr("@backup_threshold", 60), thresholdAlert: c.intOr("@threshold_alert", 14420),
		alertEnabled: c.bool("@threshold_alert_enabled"), historyRetention: c.intOr("@history_retention_period", 14420),
		created: s.now,
	})
	c.set("@backup_job_id", j.id)
	c.set("@primary_id", primaryID)
	return 0, nil
}

// removePrimary deletes a primary configuration with its backup job and monitor row.
func removePrimary(m *msdb, p *lsPrimaryDB) {
	if j := m.jobByID(p.backupJobID); j != nil {
		m.deleteJob(j)
	}
	for i, x := range m.lsPrimary {
		if x == p {
			m.lsPrimary = append(m.lsPrimary[:i], m.lsPrimary[i+1:]...)
			break
		}
	}
	for i, x := range m.lsMonPrimary {
		if x.primaryID == p.primaryID {
			m.lsMonPrimary = append(m.lsMonPrimary[:i], m.lsMonPrimary[i+1:]...)
			break
		}
	}
}

func runAddPrimarySecondary(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	db, server, secDB := c.text("@primary_database"), c.text("@secondary_server"), c.text("@secondary_database")
	p := m.primaryFor(db)
	if p == nil {
		return 1, c.fail(32010, 16, 1, "Database %s does not exist as log shipping primary.", db)
	}
	for i, x := range m.lsPrimarySecs {
		if x.primaryID == p.primaryID && nameEq(x.secondaryServer, server) && nameEq(x.secondaryDatabase, secDB) {
			if !c.bool("@overwrite") {
				return 1, c.fail(32012, 16, 1, "Secondary %s.%s already exists for primary %s.", server, secDB, db)
			}
			m.lsPrimarySecs = append(m.lsPrimarySecs[:i], m.lsPrimarySecs[i+1:]...)
			break
		}
	}
	m.lsPrimarySecs = append(m.lsPrimarySecs, &lsPrimarySecondary{
		secondaryID: c.ss.sim.newGUID(), primaryID: p.primaryID, secondaryServer: server, secondaryDatabase: secDB,
	})
	return 0, nil
}

func runAddSecondaryPrimary(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	s, in, m := c.ss.sim, c.ss.inst, c.ss.inst.msdb
	server, db := c.text("@primary_server"), c.text("@primary_database")
	overwrite := c.bool("@overwrite")
	if old := m.secondaryFor(server, db); old != nil {
		if !overwrite {
			return 1, c.fail(32024, 16, 1, "An entry for primary server %s, primary database %s already exists.", server, db)
		}
		removeSecondary(m, old)
	}
	copyName, restoreName := c.text("@copy_job_name"), c.text("@restore_job_name")
	if err := c.lsJobName(copyName, overwrite); err != nil {
		return 1, err
	}
	if err := c.lsJobName(restoreName, overwrite); err != nil {
		return 1, err
	}
	secID := s.newGUID()
	cj := s.newLSJob(in, copyName, fmt.Sprintf("Log shipping copy job for %s:%s.", server, db), jobLSCopy, secID,
		"Log shipping copy job step.", "Copy", c.ss.login)
	rj := s.newLSJob(in, restoreName, fmt.Sprintf("Log shipping restore log job for %s:%s.", server, db), jobLSRestore,
		secID, "Log shipping restore log job step.", "Restore", c.ss.login)
	monitor, userMonitor := in.spec.Server, false
	if !c.isNull("@monitor_server") {
		monitor, userMonitor = c.text("@monitor_server"), true
	}
	m.lsSecondary = append(m.lsSecondary, &lsSecondary{
		secondaryID: secID, primaryServer: server, primaryDatabase: db,
		sourceDir: c.text("@backup_source_directory"), destDir: c.text("@backup_destination_directory"),
		retention: c.intOr("@file_retention_period", 14420), copyJobID: cj.id, restoreJobID: rj.id,
		monitorServer: monitor, userMonitor: userMonitor,
	})
	c.set("@copy_job_id", cj.id)
	c.set("@restore_job_id", rj.id)
	c.set("@secondary_id", secID)
	return 0, nil
}

// removeSecondary deletes a primary registration on the secondary with its copy and restore jobs.
func removeSecondary(m *msdb, sec *lsSecondary) {
	for _, id := range []tsql.GUID{sec.copyJobID, sec.restoreJobID} {
		if j := m.jobByID(id); j != nil {
			m.deleteJob(j)
		}
	}
	for i, x := range m.lsSecondary {
		if x == sec {
			m.lsSecondary = append(m.lsSecondary[:i], m.lsSecondary[i+1:]...)
			break
		}
	}
}

func runAddSecondaryDB(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	in, m := c.ss.inst, c.ss.inst.msdb
	secDBName, server, db := c.text("@secondary_database"), c.text("@primary_server"), c.text("@primary_database")
	sec := m.secondaryFor(server, db)
	if sec == nil {
		return 1, c.fail(32023, 16, 1, "An entry for primary server %s, primary database %s does not exist on this secondary. Register the primary first.", server, db)
	}
	d := in.db(secDBName)
	if d == nil {
		return 1, c.fail(15010, 16, 1, "The database '%s' does not exist. Supply a valid database name. To see available databases, use sys.databases.", secDBName)
	}
	threshold, err := c.int("@restore_threshold")
	if err != nil {
		return 1, err
	}
	if old := m.secDB(d.name); old != nil {
		if !c.bool("@overwrite") {
			return 1, c.fail(32013, 16, 1, "A log shipping entry already exists for secondary database %s.", d.name)
		}
		removeSecondaryDB(m, old)
	}
	m.lsSecDBs = append(m.lsSecDBs, &lsSecondaryDB{
		database: d.name, secondaryID: sec.secondaryID, restoreDelay: c.intOr("@restore_delay", 0),
		restoreAll: c.bool("@restore_all"), restoreMode: c.intOr("@restore_mode", 0),
		disconnectUsers: c.bool("@disconnect_users"), blockSize: c.intOr("@block_size", -1),
		bufferCount: c.intOr("@buffer_count", -1), maxTransferSize: c.intOr("@max_transfer_size", 0),
	})
	m.lsMonSecs = append(m.lsMonSecs, &lsMonitorSecondary{
		secondaryServer: in.spec.Server, secondaryDatabase: d.name, secondaryID: sec.secondaryID,
		primaryServer: sec.primaryServer, primaryDatabase: sec.primaryDatabase, restoreThreshold: threshold,
		thresholdAlert: c.intOr("@threshold_alert", 14421), alertEnabled: c.bool("@threshold_alert_enabled"),
		historyRetention: c.intOr("@history_retention_period", 14420), created: c.ss.sim.now,
	})
	return 0, nil
}

// removeSecondaryDB deletes a secondary database entry and its monitor row.
func removeSecondaryDB(m *msdb, x *lsSecondaryDB) {
	for i, y := range m.lsSecDBs {
		if y == x {
			m.lsSecDBs = append(m.lsSecDBs[:i], m.lsSecDBs[i+1:]...)
			break
		}
	}
	for i, y := range m.lsMonSecs {
		if nameEq(y.secondaryDatabase, x.database) {
			m.lsMonSecs = append(m.lsMonSecs[:i], m.lsMonSecs[i+1:]...)
			break
		}
	}
}

func runAddAlertJob(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	s, in, m := c.ss.sim, c.ss.inst, c.ss.inst.msdb
	if m.lsAlertJob != nil {
		if j := m.jobByID(*m.lsAlertJob); j != nil {
			c.set("@alert_job_id", j.id)
			return 0, nil
		}
	}
	j := s.addAlertJob(in, c.ss.login)
	c.set("@alert_job_id", j.id)
	return 0, nil
}

// addAlertJob creates LSAlert_<server>, enabled, every two minutes.
func (s *Sim) addAlertJob(in *instance, owner string) *job {
	m := in.msdb
	j := s.newJob("LSAlert_"+in.spec.Server, "Log shipping alert job.", categoryLogShipping, owner, jobLSAlert, true)
	s.addStep(j, "Log shipping alert job step.", "TSQL", "sys.sp_check_log_shipping_monitor_alert", "master")
	m.jobs = append(m.jobs, j)
	sc := s.newSchedule(m, "Log shipping alert job schedule.", owner)
	sc.freqSubdayType, sc.freqSubdayInterval = subdayMinutes, 2
	sc.jobs = append(sc.jobs, j)
	id := j.id
	m.lsAlertJob = &id
	in.scheduleJob(j, s.now)
	return j
}

func runDeletePrimaryDB(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	db := c.text("@database")
	p := m.primaryFor(db)
	if p == nil {
		return 1, c.fail(32010, 16, 1, "Database %s does not exist as log shipping primary.", db)
	}
	for _, x := range m.lsPrimarySecs {
		if x.primaryID == p.primaryID {
			return 1, c.fail(32011, 16, 1, "Primary Database %s has active log shipping secondary database(s). Drop the secondary database(s) first.", db)
		}
	}
	removePrimary(m, p)
	return 0, nil
}

func runDeletePrimarySecondary(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	db := c.text("@primary_database")
	p := m.primaryFor(db)
	if p == nil {
		return 1, c.fail(32010, 16, 1, "Database %s does not exist as log shipping primary.", db)
	}
	for i, x := range m.lsPrimarySecs {
		if x.primaryID == p.primaryID && nameEq(x.secondaryServer, c.text("@secondary_server")) &&
			nameEq(x.secondaryDatabase, c.text("@secondary_database")) {
			m.lsPrimarySecs = append(m.lsPrimarySecs[:i], m.lsPrimarySecs[i+1:]...)
			break
		}
	}
	return 0, nil
}

func runDeleteSecondaryPrimary(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	server, db := c.text("@primary_server"), c.text("@primary_database")
	sec := m.secondaryFor(server, db)
	if sec == nil {
		return 1, c.fail(32023, 16, 1, "An entry for primary server %s, primary database %s does not exist on this secondary. Register the primary first.", server, db)
	}
	for _, x := range m.lsSecDBs {
		if x.secondaryID == sec.secondaryID {
			return 1, c.fail(32025, 16, 1, "Primary Server %s, Database %s has active log shipping secondary database(s) on the secondary. Drop the secondary database(s) first.", server, db)
		}
	}
	removeSecondary(m, sec)
	return 0, nil
}

func runDeleteSecondaryDB(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	db := c.text("@secondary_database")
	x := m.secDB(db)
	if x == nil {
		return 1, c.fail(32014, 16, 1, "Database %s does not exist as log shipping secondary.", db)
	}
	removeSecondaryDB(m, x)
	// When it was the last secondary database of its primary, the primary registration and its copy and
	// restore jobs go too (sp_delete_log_shipping_secondary_primary is called internally).
	for _, y := range m.lsSecDBs {
		if y.secondaryID == x.secondaryID {
			return 0, nil
		}
	}
	if sec := m.secondaryByID(x.secondaryID); sec != nil {
		removeSecondary(m, sec)
	}
	return 0, nil
}

func runDeleteAlertJob(c *procCall) (int, error) {
	if err := c.requireSysadmin(); err != nil {
		return 1, err
	}
	m := c.ss.inst.msdb
	if len(m.lsPrimary) > 0 || len(m.lsSecDBs) > 0 || m.lsAlertJob == nil {
		return 0, nil
	}
	if j := m.jobByID(*m.lsAlertJob); j != nil {
		m.deleteJob(j)
	}
	m.lsAlertJob = nil
	return 0, nil
}
