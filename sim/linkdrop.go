package sim

import (
	"errors"
	"fmt"

	"pcfailback/remote"
	"pcfailback/tsql"
)

// A dropped network link in the middle of a request (the restore-connection-lost scenario).
//
// What SQL Server does when the client of a running RESTORE goes away: the server notices the broken connection
// at the latest when it next writes to it (the RESTORE sends its "n percent processed." messages as it goes), ends
// the session, and the RESTORE is aborted with it. An interrupted restore cannot be resumed into a usable
// database: the database is left RESTORING until a RESTORE of the same backup runs to completion ("Restart an
// Interrupted Restore Operation", learn.microsoft.com/sql/relational-databases/backup-restore/
// restart-an-interrupted-restore-operation-transact-sql: run the same RESTORE again, optionally WITH RESTART;
// there is no recovery option for an interrupted restore). msdb.dbo.restorehistory gets its row when a restore
// completes (procedure.md [S38]), so an aborted one leaves none. The rest of the batch (SET MULTI_USER) never
// runs, and user access stays what ALTER DATABASE set before the RESTORE (SINGLE_USER persists after the session
// that set it is gone, procedure.md [S45]) — that the sys.databases row of a database left RESTORING by an aborted
// restore still reads SINGLE_USER is the simulator's reading of that rule, not verified on a server.

// ErrConnectionDropped is returned by a WireSession whose client link dropped in the middle of a request: the
// network server must close the connection at once without sending anything more (the client finds its socket
// gone, not an error message).
var ErrConnectionDropped = errors.New("the client's network link dropped in the middle of the request")

// linkLost is what the in-process runner returns for a dropped link: what a client sees when its socket fails.
func linkLost(server string) error {
	return fmt.Errorf("%w: the connection to %s broke while the batch ran (the network link dropped); SQL Server "+
		"ends a session whose client is gone and aborts what it was running", remote.ErrConnectionLost, server)
}

// dropAt is where in a RESTORE the scenario drops the client's link (a fraction of the work), or 2 for never.
// It drops once per estate, in the first full RESTORE of the chat database on the primary (F4), somewhere
// between 40 and 60 percent. Callers hold the lock.
func (s *Sim) dropAt(in *instance, p *restorePlan) float64 {
	if !s.scenario.dropRestoreLink || s.linkDropped || in.role != rolePrimary || p.spec.Kind != tsql.RestoreDatabase ||
		!nameEq(p.spec.Database, s.topo.ChatDB) {
		return 2
	}
	s.linkDropped = true
	return 0.40 + float64(s.rng.IntN(21))/100
}

// withDrop cuts a timeline at frac and ends it with the point where the link drops.
func withDrop(pts []pacePoint, frac float64) []pacePoint {
	if frac >= 1 {
		return pts
	}
	var cut []pacePoint
	for _, pt := range pts {
		if pt.frac >= frac {
			break
		}
		cut = append(cut, pt)
	}
	return append(cut, pacePoint{frac: frac, drop: true})
}

// dropLink is the server noticing that a session's client is gone: the session ends (as a KILL would end it) and
// nothing more is sent to the client. Callers hold the lock.
func (ss *session) dropLink() {
	ss.dropped.Store(true)
	if !ss.killed && !ss.closed {
		ss.end()
	}
	ss.sim.nudge()
}

// errDroppedAbort ends the batch of a session whose link dropped: the statement is aborted and no further
// statement runs. The client never sees it (quietOutput).
func errDroppedAbort(stmt string) error {
	e := terminating(stmt)
	e.Abort = true
	return tsql.Errors{e}
}

// quietOutput passes output on until the session's link dropped, then swallows it: the client is gone.
type quietOutput struct {
	ss  *session
	out tsql.Output
}

// Info implements tsql.Output.
func (o quietOutput) Info(m tsql.Message) {
	if !o.ss.dropped.Load() {
		o.out.Info(m)
	}
}

// Error implements tsql.Output.
func (o quietOutput) Error(m tsql.Message) {
	if !o.ss.dropped.Load() {
		o.out.Error(m)
	}
}

// ResultSet implements tsql.Output.
func (o quietOutput) ResultSet(t *tsql.Table) {
	if !o.ss.dropped.Load() {
		o.out.ResultSet(t)
	}
}

// RowsAffected implements tsql.Output.
func (o quietOutput) RowsAffected(n int64) {
	if !o.ss.dropped.Load() {
		o.out.RowsAffected(n)
	}
}
