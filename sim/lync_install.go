package sim

import (
	"time"

	"pcfailback/tsql"
)

// Pauses of the Lync cmdlets between their steps (simulated time): connecting, creating endpoints, setting
// partners.
const (
	failoverPause = 8 * time.Second
	stepPause     = 2 * time.Second
)

// nopOutput discards SQL output (the cmdlets report through their own verbose stream).
type nopOutput struct{}

func (nopOutput) Info(tsql.Message)     {}
func (nopOutput) Error(tsql.Message)    {}
func (nopOutput) ResultSet(*tsql.Table) {}
func (nopOutput) RowsAffected(int64)    {}

// toolSession opens the connection a cmdlet makes to an instance (visible in sys.dm_exec_sessions while it
// works). Callers hold the lock.
func (s *Sim) toolSession(in *instance) *session {
	ss := s.newSession(in, kindTool, s.topo.LyncAdmin, ".Net SqlClient Data Provider", upperShort(s.topo.LyncHost), "master")
	ss.running, ss.command = true, "SELECT"
	in.addSession(ss)
	return ss
}

func (s *Sim) closeTool(ss *session) {
	ss.running = false
	ss.inst.removeSession(ss)
}

// installMirror is Install-CsMirrorDatabase for one database: back up the database and its log to the file
// share, restore both on the mirror WITH NORECOVERY, create the endpoints and set the partners.
func (c *cmdletCall) installMirror(principal, mirror *instance, name string) error {
	s := c.s
	share := c.b.text("FileShare")
	verbose := c.streams.Verbose
	s.lock()
	d := principal.db(name)
	if err := c.mirrorChecks(principal, mirror, d, name, share); err != nil {
		s.unlock()
		return err
	}
	if d.mirror != nil {
		s.unlock()
		verbose("Database \"" + name + "\" is already mirrored to \"" + mirror.spec.FQDN + "\". Skipping.")
		return nil
	}
	stamp := s.now.Format("20060102150405")
	bak, trn := joinPath(share, name+"_"+stamp+".bak"), joinPath(share, name+"_"+stamp+".trn")
	ps, ms := s.toolSession(principal), s.toolSession(mirror)
	s.unlock()
	defer func() {
		s.lock()
		s.closeTool(ps)
		s.closeTool(ms)
		s.unlock()
	}()
	verbose("Prerequisites checked for mirroring \"" + name + "\" from \"" + principal.spec.FQDN + "\" to \"" + mirror.spec.FQDN + "\".")
	verbose("Backing up database \"" + name + "\" to \"" + bak + "\".")
	if err := c.toolBackup(ps, tsql.BackupSpec{Kind: tsql.BackupDatabase, Database: name, Disks: []string{bak}, Init: true, Format: true}); err != nil {
		return c.fail("InvalidOperation", "BackupFailed", "An error occurred while backing up database \"%s\" on \"%s\": %s", name, principal.spec.FQDN, sqlText(err))
	}
	verbose("Backing up the transaction log of \"" + name + "\" to \"" + trn + "\".")
	if err := c.toolBackup(ps, tsql.BackupSpec{Kind: tsql.BackupLog, Database: name, Disks: []string{trn}, Init: true, Format: true}); err != nil {
		return c.fail("InvalidOperation", "BackupFailed", "An error occurred while backing up the log of database \"%s\" on \"%s\": %s", name, principal.spec.FQDN, sqlText(err))
	}
	// The copy on the mirror is dropped only once the backups exist (-DropExistingDatabasesOnMirror).
	s.lock()
	old := mirror.db(name)
	if old != nil {
		if old.mirror != nil {
			s.removeMirroring(mirror, old)
		}
		mirror.dropDB(old)
	}
	s.unlock()
	if old != nil {
		verbose("Dropped database \"" + name + "\" on mirror \"" + mirror.spec.FQDN + "\".")
	}
	verbose("Restoring database \"" + name + "\" on \"" + mirror.spec.FQDN + "\" WITH NORECOVERY.")
	if err := c.toolRestore(ms, tsql.RestoreSpec{Kind: tsql.RestoreDatabase, Database: name, Disks: []string{bak}, Replace: true, Recovery: tsql.RecoveryNoRecovery}); err != nil {
		return c.fail("InvalidOperation", "RestoreFailed", "An error occurred while restoring database \"%s\" on \"%s\": %s", name, mirror.spec.FQDN, sqlText(err))
	}
	verbose("Restoring the transaction log of \"" + name + "\" on \"" + mirror.spec.FQDN + "\" WITH NORECOVERY.")
	if err := c.toolRestore(ms, tsql.RestoreSpec{Kind: tsql.RestoreLog, Database: name, Disks: []string{trn}, Recovery: tsql.RecoveryNoRecovery}); err != nil {
		return c.fail("InvalidOperation", "RestoreFailed", "An error occurred while restoring the log of database \"%s\" on \"%s\": %s", name, mirror.spec.FQDN, sqlText(err))
	}
	for _, in := range []*instance{principal, mirror} {
		s.lock()
		exists := in.endpoint.exists
		in.endpoint.exists = true
		s.unlock()
		if !exists {
			verbose("Creating database mirroring endpoint \"Mirroring\" on port 5022 on \"" + in.spec.FQDN + "\".")
		}
	}
	if err := s.clk.Sleep(c.ctx, stepPause); err != nil {
		return err
	}
	verbose("Setting the mirroring partner of \"" + name + "\" on \"" + mirror.spec.FQDN + "\" to \"" + principal.mirrorAddress() + "\".")
	verbose("Setting the mirroring partner of \"" + name + "\" on \"" + principal.spec.FQDN + "\" to \"" + mirror.mirrorAddress() + "\".")
	s.lock()
	err := s.partnerUp(principal, mirror, name)
	s.unlock()
	if err != nil {
		return c.fail("InvalidOperation", "SetPartnerFailed", "An error occurred while enabling database mirroring for \"%s\": %s", name, sqlText(err))
	}
	verbose("Database mirroring for \"" + name + "\" is established: principal \"" + principal.spec.FQDN + "\", mirror \"" + mirror.spec.FQDN + "\", safety FULL.")
	return nil
}

// mirrorChecks are Install-CsMirrorDatabase's prerequisites (callers hold the lock).
func (c *cmdletCall) mirrorChecks(principal, mirror *instance, d *database, name, share string) error {
	s := c.s
	switch {
	case d == nil || d.state != stateOnline || d.isMirror():
		// (unverified) text
		return c.fail("InvalidOperation", "DatabaseNotOnline", "Database \"%s\" does not exist or is not online on \"%s\".", name, principal.spec.FQDN)
	case d.mirror != nil && d.mirror.partner != mirror:
		return c.fail("InvalidOperation", "AlreadyMirrored", "Database \"%s\" on \"%s\" is already mirrored to \"%s\".", name, principal.spec.FQDN, d.mirror.partnerName)
	case d.mirror != nil:
		return nil
	case d.access == accessSingle:
		return c.fail("InvalidOperation", "SingleUserDatabase", "An error occurred while enabling database mirroring for \"%s\": "+
			"Database mirroring cannot be enabled because the \"%s\" database is in single user mode. (Error 1488)", name, name)
	case d.recovery != recoveryFull:
		return c.fail("InvalidOperation", "RecoveryModelNotFull", "Database mirroring cannot be enabled because the \"%s\" "+
			"database is not in full recovery mode on both partners. (Error 1465)", name)
	}
	root := s.shareRoot(share)
	if root == nil {
		// (unverified) text
		return c.fail("ObjectNotFound", "FileShareNotFound", "The file share \"%s\" cannot be found.", share)
	}
	for _, in := range []*instance{principal, mirror} {
		if f := s.fs.folderAt("", share); f == nil || !f.allows(in.spec.EngineAccount, permRW) {
			// (unverified) text
			return c.fail("PermissionDenied", "FileShareAccessDenied", "The SQL Server service account \"%s\" of \"%s\" "+
				"does not have read and write access to the file share \"%s\".", in.spec.EngineAccount, in.spec.FQDN, share)
		}
	}
	if old := mirror.db(name); old != nil && !c.b.flag("DropExistingDatabasesOnMirror") {
		// (unverified) text
		return c.fail("InvalidOperation", "DatabaseExistsOnMirror", "Database \"%s\" already exists on the mirror \"%s\". "+
			"Use -DropExistingDatabasesOnMirror to replace it.", name, mirror.spec.FQDN)
	}
	return nil
}

// toolBackup runs a paced backup on a cmdlet's session.
func (c *cmdletCall) toolBackup(ss *session, spec tsql.BackupSpec) error {
	s := c.s
	s.lock()
	p, err := s.planBackup(ss.inst, ss.login, ss.db, spec)
	if err != nil {
		s.unlock()
		return err
	}
	s.beginBackup(p)
	total := s.ioDuration(p.bytes)
	pts := s.pacePoints(0, p.failAt)
	ss.beginRequest(p.stmt, total)
	s.unlock()
	failed, err := ss.pace(c.ctx, total, pts, func(f float64) { s.progressBackup(p, f) }, nopOutput{})
	s.lock()
	defer s.unlock()
	ss.endRequest()
	if err != nil || failed {
		s.abortBackup(p)
		if failed {
			return p.diskFullError()
		}
		return err
	}
	s.commitBackup(p, s.now.Sub(p.start))
	return nil
}

// toolRestore runs a paced restore on a cmdlet's session.
func (c *cmdletCall) toolRestore(ss *session, spec tsql.RestoreSpec) error {
	s := c.s
	s.lock()
	p, err := s.planRestore(ss.inst, ss, spec)
	if err != nil {
		s.unlock()
		return err
	}
	s.beginRestore(p)
	total := s.restoreDuration(p)
	pts := s.pacePoints(0, p.failAt)
	ss.beginRequest(p.stmt, total)
	start := s.now
	s.unlock()
	failed, err := ss.pace(c.ctx, total, pts, nil, nopOutput{})
	s.lock()
	defer s.unlock()
	ss.endRequest()
	if err != nil || failed {
		s.abortRestore(p)
		if failed {
			return fail(p.stmt, sqlError(3183, 16, 1, "RESTORE detected an error on page (1:%d) in database \"%s\" as read from the backup set.", 1000, p.d.name))
		}
		return err
	}
	s.commitRestore(p, s.now.Sub(start))
	return nil
}

// partnerUp sets the partners on both sides (SET PARTNER on the mirror, then on the principal).
func (s *Sim) partnerUp(principal, mirror *instance, name string) error {
	d, md := principal.db(name), mirror.db(name)
	if d == nil || md == nil {
		return errNotMirrored(name)
	}
	if err := s.setPartner(mirror, md, principal.mirrorAddress()); err != nil {
		return err
	}
	return s.setPartner(principal, d, mirror.mirrorAddress())
}
