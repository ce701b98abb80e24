package sim

import (
	"context"
	"strings"
	"time"

	"pcfailback/tsql"
)

// How ALTER DATABASE waits for other sessions when no termination option is given: SQL Server waits for its
// lock; the simulator gives up with 5061 after lockWaitLimit of simulated time.
const (
	lockWaitLimit = 60 * time.Second
	lockWaitPoll  = 5 * time.Second
)

// AlterDatabase implements tsql.Host: ALTER DATABASE ... SET for mirroring, user access, read-only, state and
// recovery model.
func (ss *session) AlterDatabase(ctx context.Context, spec tsql.AlterDatabaseSpec, out tsql.Output) error {
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
	name := spec.Database
	if strings.EqualFold(name, "CURRENT") {
		name = ss.db
	}
	d := ss.inst.db(name)
	if d == nil {
		s.unlock()
		return tsql.Errors{sqlError(5011, 14, 5, "User does not have permission to alter database '%s', the database "+
			"does not exist, or the database is not in a state that allows access checks.", name), errAlterFailed()}
	}
	switch spec.Action {
	case tsql.AlterPartnerOff, tsql.AlterPartnerFailover, tsql.AlterPartnerSuspend, tsql.AlterPartnerResume,
		tsql.AlterPartnerAddress, tsql.AlterWitnessOff:
		err := s.alterMirroring(ss, d, spec)
		s.unlock()
		return err
	}
	if d.state == stateRestoring || d.busy != "" {
		s.unlock()
		return tsql.Errors{sqlError(5052, 16, 1, "ALTER DATABASE is not permitted while a database is in the Restoring state."), errAlterFailed()}
	}
	if err := checkOption(d, spec.Action); err != nil {
		s.unlock()
		return err
	}
	msgs, err := s.alterAccess(ctx, ss, d, spec)
	s.unlock()
	for _, m := range msgs {
		out.Info(m)
	}
	return err
}

// optionName is how 5058 names an option.
func optionName(a tsql.AlterAction) string {
	switch a {
	case tsql.AlterSingleUser:
		return "SINGLE_USER"
	case tsql.AlterRestrictedUser:
		return "RESTRICTED_USER"
	case tsql.AlterReadOnly:
		return "READ_ONLY"
	case tsql.AlterOffline:
		return "OFFLINE"
	case tsql.AlterRecoverySimple, tsql.AlterRecoveryBulkLogged, tsql.AlterRecoveryFull:
		return "RECOVERY"
	}
	return "MULTI_USER"
}

// checkOption refuses options that cannot be set on system databases or on mirrored databases.
func checkOption(d *database, a tsql.AlterAction) error {
	system := nameEq(d.name, "master") || nameEq(d.name, "tempdb")
	switch a {
	case tsql.AlterSingleUser, tsql.AlterRestrictedUser, tsql.AlterReadOnly, tsql.AlterOffline,
		tsql.AlterRecoveryBulkLogged, tsql.AlterRecoveryFull:
		if system {
			return tsql.Errors{sqlError(5058, 16, 1, "Option '%s' cannot be set in database '%s'.", optionName(a), d.name), errAlterFailed()}
		}
	}
	switch a {
	case tsql.AlterReadOnly, tsql.AlterOffline, tsql.AlterRecoverySimple, tsql.AlterRecoveryBulkLogged:
		if d.mirror != nil {
			return tsql.Errors{sqlError(1468, 16, 1, "The operation cannot be performed on database \"%s\" because it is involved in a database mirroring session.", d.name), errAlterFailed()}
		}
	}
	return nil
}

// needsExclusive says an action needs the other sessions out of the database, and which ones count.
func needsExclusive(a tsql.AlterAction) (bool, func(*session) bool) {
	everyone := func(*session) bool { return true }
	switch a {
	case tsql.AlterSingleUser, tsql.AlterReadOnly, tsql.AlterReadWrite, tsql.AlterOffline:
		return true, everyone
	case tsql.AlterRestrictedUser:
		return true, func(x *session) bool { return !x.isSysadmin }
	}
	return false, nil
}

// alterAccess applies SINGLE_USER, RESTRICTED_USER, MULTI_USER, READ_ONLY/READ_WRITE, OFFLINE/ONLINE and
// SET RECOVERY, waiting for or rolling back other sessions as the termination clause says. It is called with
// the lock held and returns with it held (it releases it while waiting).
func (s *Sim) alterAccess(ctx context.Context, ss *session, d *database, spec tsql.AlterDatabaseSpec) ([]tsql.Message, error) {
	in := ss.inst
	if d.access == accessSingle && len(in.sessionsIn(d, ss)) > 0 {
		return nil, tsql.Errors{sqlError(5064, 16, 1, "Changes to the state or options of database '%s' cannot be "+
			"made at this time. The database is in single-user mode, and a user is currently connected to it.", d.name), errAlterFailed()}
	}
	var msgs []tsql.Message
	if ok, counts := needsExclusive(spec.Action); ok {
		m, err := s.clearSessions(ctx, ss, d, spec, counts)
		if err != nil {
			return m, err
		}
		msgs = m
	}
	switch spec.Action {
	case tsql.AlterSingleUser:
		d.access = accessSingle
	case tsql.AlterRestrictedUser:
		d.access = accessRestricted
	case tsql.AlterMultiUser:
		d.access = accessMulti
	case tsql.AlterReadOnly:
		d.readOnly = true
	case tsql.AlterReadWrite:
		d.readOnly = false
	case tsql.AlterOffline:
		for _, x := range in.sessionsIn(d, ss) {
			x.end()
		}
		if nameEq(ss.db, d.name) {
			ss.db = "master"
		}
		d.state = stateOffline
	case tsql.AlterOnline:
		if d.state == stateOffline {
			d.state = stateOnline
		}
	case tsql.AlterRecoveryFull:
		d.recovery = recoveryFull
	case tsql.AlterRecoveryBulkLogged:
		d.recovery = recoveryBulkLogged
	case tsql.AlterRecoverySimple:
		d.recovery = recoverySimple
		d.hasBase = false
	}
	s.nudge()
	return msgs, nil
}

// clearSessions gets the other sessions out of d according to the termination clause: wait for them (5061
// after a while), fail at once (NO_WAIT: 5070), or roll them back (ROLLBACK IMMEDIATE, or after n seconds).
func (s *Sim) clearSessions(ctx context.Context, ss *session, d *database, spec tsql.AlterDatabaseSpec, counts func(*session) bool) ([]tsql.Message, error) {
	in := ss.inst
	others := func() []*session {
		var out []*session
		for _, x := range in.sessionsIn(d, ss) {
			if counts(x) {
				out = append(out, x)
			}
		}
		return out
	}
	rollback := func() []tsql.Message {
		victims := others()
		for _, x := range victims {
			x.end()
		}
		if len(victims) == 0 {
			return nil
		}
		return []tsql.Message{infoMsg(5060, "Nonqualified transactions are being rolled back. Estimated rollback completion: 100%%.")}
	}
	switch spec.Termination {
	case tsql.TerminateRollbackImmediate:
		return rollback(), nil
	case tsql.TerminateNoWait:
		if len(others()) > 0 {
			return nil, tsql.Errors{sqlError(5070, 16, 2, "Database state cannot be changed while other users are using the database '%s'", d.name), errAlterFailed()}
		}
		return nil, nil
	}
	limit := lockWaitLimit
	if spec.Termination == tsql.TerminateRollbackAfter {
		limit = time.Duration(max(0, spec.RollbackAfter)) * time.Second
	}
	deadline := s.now.Add(limit)
	for len(others()) > 0 {
		if !s.now.Before(deadline) {
			if spec.Termination == tsql.TerminateRollbackAfter {
				return rollback(), nil
			}
			return nil, tsql.Errors{sqlError(5061, 16, 1, "ALTER DATABASE failed because a lock could not be placed on database '%s'. Try again later.", d.name), errAlterFailed()}
		}
		wait := min(lockWaitPoll, deadline.Sub(s.now))
		ss.waitType = "LCK_M_X"
		ss.command = "ALTER DATABASE"
		s.unlock()
		err := s.clk.Sleep(ctx, wait)
		s.lock()
		ss.endRequest()
		if err != nil {
			return nil, err
		}
		if ss.killed {
			return nil, errSessionKilled
		}
	}
	return nil, nil
}
