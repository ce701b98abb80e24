package sim

import (
	"context"
	"errors"
	"sort"
	"time"

	"pcfailback/tsql"
)

// pacePoint is a moment of a long operation: a fraction done, the percentage to report (3211) if any, and
// whether the operation fails there.
type pacePoint struct {
	frac   float64
	report int
	fail   bool
	// drop is where the client's network link drops (withDrop): the session ends there.
	drop bool
}

// pacePoints lays out a long operation: a point every 10% (so sys.dm_exec_requests moves), the STATS = n
// reports with SQL Server's small irregularity (with STATS = 10 it may print 12, 22, 31 ...) ending with 100,
// and a failure point when failAt < 1. Callers hold the lock (the jitter comes from the seeded source).
func (s *Sim) pacePoints(stats int, failAt float64) []pacePoint {
	byFrac := map[int]*pacePoint{}
	add := func(pct int, report bool) {
		pt := byFrac[pct]
		if pt == nil {
			pt = &pacePoint{frac: float64(pct) / 100}
			byFrac[pct] = pt
		}
		if report {
			pt.report = pct
		}
	}
	for pct := 10; pct <= 100; pct += 10 {
		add(pct, false)
	}
	if stats > 0 {
		prev := 0
		for k := stats; k < 100; k += stats {
			v := k
			if s.rng.IntN(3) == 0 {
				v += 1 + s.rng.IntN(3)
			}
			if v <= prev || v >= 100 {
				continue
			}
			add(v, true)
			prev = v
		}
		add(100, true)
	}
	var pts []pacePoint
	for _, pt := range byFrac {
		pts = append(pts, *pt)
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].frac < pts[j].frac })
	if failAt < 1 {
		var cut []pacePoint
		for _, pt := range pts {
			if pt.frac >= failAt {
				break
			}
			cut = append(cut, pt)
		}
		pts = append(cut, pacePoint{frac: failAt, fail: true})
	}
	return pts
}

// pace runs the timeline of a long operation: it sleeps in simulated time between points without holding the
// estate lock, then, under the lock, records progress (onProgress) and sends the 3211 messages as they happen.
// It returns failed when the failure point was reached.
func (ss *session) pace(ctx context.Context, total time.Duration, pts []pacePoint, onProgress func(float64), out tsql.Output) (bool, error) {
	s := ss.sim
	prev := 0.0
	for _, pt := range pts {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		if err := s.clk.Sleep(ctx, time.Duration(float64(total)*(pt.frac-prev))); err != nil {
			return false, err
		}
		prev = pt.frac
		s.lock()
		if ss.killed || ss.closed {
			// A killed or closed connection ends its request, as an attention does on a real server.
			s.unlock()
			return false, errSessionKilled
		}
		ss.pct = pt.frac * 100
		ss.estDone = time.Duration(float64(total) * (1 - pt.frac))
		if onProgress != nil {
			onProgress(pt.frac)
		}
		if pt.drop {
			ss.dropLink()
			s.unlock()
			return false, ErrConnectionDropped
		}
		s.unlock()
		if pt.fail {
			return true, nil
		}
		if pt.report > 0 {
			out.Info(infoMsg(3211, "%d percent processed.", pt.report))
		}
	}
	return false, nil
}

// beginRequest and endRequest show a long statement in sys.dm_exec_requests (callers hold the lock).
func (ss *session) beginRequest(command string, total time.Duration) {
	ss.command, ss.pct, ss.reqStart, ss.estDone = command, 0, ss.sim.now, total
}

func (ss *session) endRequest() {
	ss.command, ss.pct, ss.estDone, ss.waitType = "SELECT", 0, 0, ""
}

// Backup implements tsql.Host: BACKUP DATABASE / BACKUP LOG, written by the engine service account, paced at
// the estate's throughput.
func (ss *session) Backup(ctx context.Context, spec tsql.BackupSpec, out tsql.Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s := ss.sim
	s.lock()
	ss.wrote = true
	if ss.killed {
		s.unlock()
		return errSessionKilled
	}
	p, err := s.planBackup(ss.inst, ss.login, ss.db, spec)
	if err != nil {
		s.unlock()
		return err
	}
	s.beginBackup(p)
	total := s.ioDuration(p.bytes)
	pts := s.pacePoints(spec.Stats, p.failAt)
	ss.beginRequest(p.stmt, total)
	s.unlock()

	failed, err := ss.pace(ctx, total, pts, func(f float64) { s.progressBackup(p, f) }, out)

	s.lock()
	if err != nil || failed {
		s.abortBackup(p)
		ss.endRequest()
		s.unlock()
		if failed {
			return p.diskFullError()
		}
		return err
	}
	msgs := s.commitBackup(p, s.now.Sub(p.start))
	ss.endRequest()
	s.unlock()
	for _, m := range msgs {
		out.Info(m)
	}
	return nil
}

// Restore implements tsql.Host: RESTORE DATABASE / LOG (paced, read by the engine service account),
// VERIFYONLY (paced), HEADERONLY, FILELISTONLY and LABELONLY (result sets).
func (ss *session) Restore(ctx context.Context, spec tsql.RestoreSpec, out tsql.Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch spec.Kind {
	case tsql.RestoreVerifyOnly:
		return ss.verifyOnly(ctx, spec, out)
	case tsql.RestoreHeaderOnly, tsql.RestoreFileListOnly, tsql.RestoreLabelOnly:
		return ss.restoreInfo(ctx, spec, out)
	}
	s := ss.sim
	s.lock()
	ss.wrote = true
	if ss.killed {
		s.unlock()
		return errSessionKilled
	}
	if len(spec.Disks) == 0 && spec.Kind == tsql.RestoreDatabase {
		msgs, err := s.recoverOnly(ss, spec)
		s.unlock()
		for _, m := range msgs {
			out.Info(m)
		}
		return err
	}
	p, err := s.planRestore(ss.inst, ss, spec)
	if err != nil {
		s.unlock()
		return err
	}
	s.beginRestore(p)
	total := s.restoreDuration(p)
	pts := s.pacePoints(spec.Stats, p.failAt)
	if drop := s.dropAt(ss.inst, p); drop < p.failAt {
		pts = withDrop(pts, drop)
	}
	ss.beginRequest(p.stmt, total)
	start := s.now
	s.unlock()

	failed, err := ss.pace(ctx, total, pts, nil, out)

	s.lock()
	if err != nil || failed {
		s.abortRestore(p)
		ss.endRequest()
		s.unlock()
		if errors.Is(err, ErrConnectionDropped) {
			return errDroppedAbort(p.stmt)
		}
		if failed {
			return fail(p.stmt, sqlError(3183, 16, 1, "RESTORE detected an error on page (1:%d) in database \"%s\" as read from the backup set.",
				1000+int(p.img.dataPages/3), p.d.name))
		}
		return err
	}
	msgs := s.commitRestore(p, s.now.Sub(start))
	ss.endRequest()
	s.unlock()
	for _, m := range msgs {
		out.Info(m)
	}
	return nil
}

// recoverOnly is RESTORE DATABASE x WITH RECOVERY without a backup: it brings a restoring database online.
func (s *Sim) recoverOnly(ss *session, spec tsql.RestoreSpec) ([]tsql.Message, error) {
	const stmt = "RESTORE DATABASE"
	d := ss.inst.db(spec.Database)
	if d == nil {
		return nil, fail(stmt, sqlError(3118, 16, 1, "The database \"%s\" does not exist. RESTORE can only create a "+
			"database when restoring either a full backup or a file backup of the primary file.", spec.Database))
	}
	major, _, _ := ss.inst.versionParts()
	switch {
	case d.mirror != nil:
		return nil, fail(stmt, errRestoreMirrored(major, d.name))
	case nameEq(ss.db, d.name):
		return nil, fail(stmt, errInUseBySession("RESTORE", d.name))
	case len(ss.inst.sessionsIn(d, ss)) > 0 || d.busy != "":
		return nil, fail(stmt, errExclusiveAccess())
	case d.state == stateOnline && !d.standby:
		return nil, fail(stmt, sqlError(3153, 16, 2, "The database is already fully recovered."))
	case !d.restoreOK:
		return nil, fail(stmt, sqlError(4333, 16, 1, "The database cannot be recovered because the log was not restored."))
	case spec.Recovery == tsql.RecoveryNoRecovery || spec.Recovery == tsql.RecoveryStandby:
		return []tsql.Message{infoMsg(3014, "%s", successText(stmt, 0, 250*time.Millisecond))}, nil
	}
	s.recoverDB(d)
	d.readOnly = false
	s.nudge()
	return []tsql.Message{infoMsg(3014, "%s", successText(stmt, 0, 250*time.Millisecond))}, nil
}

// verifyOnly is RESTORE VERIFYONLY: it reads the whole backup set (paced) and checks it.
func (ss *session) verifyOnly(ctx context.Context, spec tsql.RestoreSpec, out tsql.Output) error {
	const stmt = "VERIFY DATABASE"
	s := ss.sim
	s.lock()
	if ss.killed {
		s.unlock()
		return errSessionKilled
	}
	om, err := s.openMedia(ss.inst, spec.Disks, stmt)
	if err != nil {
		s.unlock()
		return err
	}
	img, err := om.set(spec.File, stmt)
	if err != nil {
		s.unlock()
		return err
	}
	if spec.Checksum && !img.checksums {
		s.unlock()
		return fail(stmt, sqlError(3187, 16, 1, "RESTORE WITH CHECKSUM cannot be specified because the backup set does not contain checksum information."))
	}
	failAt := 2.0
	if om.damaged() && (img.checksums || spec.Checksum) {
		failAt = 0.41
	}
	bytes := img.bytes / int64(max(1, img.familyCount)) * int64(len(om.files))
	total := s.ioDuration(bytes)
	pts := s.pacePoints(spec.Stats, failAt)
	ss.beginRequest("RESTORE VERIFYON", total)
	s.unlock()

	failed, err := ss.pace(ctx, total, pts, nil, out)

	s.lock()
	ss.endRequest()
	s.unlock()
	if err != nil {
		return err
	}
	if failed {
		return fail(stmt, sqlError(3189, 16, 1, "Damage to the backup set was detected."))
	}
	out.Info(infoMsg(3262, "The backup set on file %d is valid.", img.position))
	return nil
}
