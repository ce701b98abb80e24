package sim

import (
	"context"
	"errors"
	"strings"
	"time"

	"pcfailback/tsql"
)

// errSessionKilled ends a batch whose session was killed (KILL, ROLLBACK IMMEDIATE): the client finds its
// connection closed, which is a transport error rather than a SQL error.
var errSessionKilled = errors.New("the connection was closed by the server (session killed)")

// The session is the tsql.Host of its batches.
var _ tsql.Host = (*session)(nil)

// Now implements tsql.Host: GETDATE() is simulated time.
func (ss *session) Now() time.Time { return sqlDateTime(ss.sim.clk.Now()) }

// Sleep implements tsql.Host (WAITFOR DELAY): the session waits in simulated time, visible as suspended.
func (ss *session) Sleep(ctx context.Context, d time.Duration) error {
	s := ss.sim
	s.lock()
	ss.command, ss.waitType = "WAITFOR", "WAITFOR"
	s.unlock()
	err := s.clk.Sleep(ctx, d)
	s.lock()
	ss.command, ss.waitType = "SELECT", ""
	killed := ss.killed
	s.unlock()
	if killed {
		return errSessionKilled
	}
	return err
}

// Use implements tsql.Host: it changes the session's database, with SQL Server's errors for databases that
// cannot be opened.
func (ss *session) Use(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s := ss.sim
	s.lock()
	defer s.unlock()
	if ss.killed {
		return errSessionKilled
	}
	d := ss.inst.db(name)
	if err := ss.canEnter(d, name); err != nil {
		return err
	}
	ss.db = d.name
	return nil
}

// canEnter checks that the session may make d its current database.
func (ss *session) canEnter(d *database, name string) error {
	if d == nil {
		return errDBNotExist(name)
	}
	if nameEq(ss.db, d.name) {
		return nil
	}
	switch {
	case d.isMirror():
		return errIsMirror(d.name)
	case d.state == stateRestoring || d.busy != "":
		return errInRestore(d.name)
	case d.state == stateOffline:
		return errOffline(d.name)
	case d.access == accessSingle && len(ss.inst.sessionsIn(d, ss)) > 0:
		return errSingleUserInUse(d.name)
	}
	return nil
}

// Kill implements tsql.Host (KILL spid).
func (ss *session) Kill(ctx context.Context, spid int64, out tsql.Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s := ss.sim
	s.lock()
	defer s.unlock()
	ss.wrote = true
	if spid == int64(ss.spid) {
		return sqlError(6104, 16, 1, "Cannot use KILL to kill your own process.")
	}
	target := ss.inst.session(int(spid))
	if target == nil || spid <= 0 {
		return sqlError(6106, 16, 2, "Process ID %d is not an active process ID.", spid)
	}
	if target.kind == kindSystem || spid < 51 {
		return sqlError(6107, 14, 1, "Only user processes can be killed.")
	}
	target.end()
	s.nudge()
	return nil
}

// Global implements tsql.Host for the @@ variables the interpreter does not keep itself.
func (ss *session) Global(name string) (tsql.Value, bool) {
	in := ss.inst
	switch strings.ToUpper(name) {
	case "SPID":
		return int64(ss.spid), true
	case "SERVERNAME":
		return in.spec.Server, true
	case "VERSION":
		return versionBanner(in.spec.Version), true
	case "SERVICENAME":
		return "MSSQLSERVER", true
	case "LANGUAGE":
		return "us_english", true
	case "LANGID":
		return int64(0), true
	case "MAX_CONNECTIONS":
		return int64(32767), true
	case "LOCK_TIMEOUT":
		return int64(-1), true
	case "TEXTSIZE":
		return int64(2147483647), true
	case "DATEFIRST":
		return int64(7), true
	case "PROCID":
		return int64(0), true
	case "NESTLEVEL":
		return int64(0), true
	case "OPTIONS":
		return int64(5496), true
	case "MICROSOFTVERSION":
		major, minor, build := in.versionParts()
		return int64(major)<<24 | int64(minor)<<16 | int64(build), true
	case "REMSERVER":
		return nil, true
	case "MAX_PRECISION":
		return int64(38), true
	}
	return nil, false
}

// versionBanner is @@VERSION for a product version.
func versionBanner(v string) string {
	major, minor, _ := parseVersion(v)
	product, level, built := "Microsoft SQL Server 2012 (SP4) (KB4018073)", "", "Aug 15 2017 10:23:29"
	switch {
	case major == 10 && minor == 50:
		product, built = "Microsoft SQL Server 2008 R2 (SP3)", "Aug 19 2014 12:21:34"
	case major == 10:
		product, built = "Microsoft SQL Server 2008 (SP4)", "Aug 19 2014 12:21:34"
	case major == 11 && v != DefaultVersion:
		product = "Microsoft SQL Server 2012"
	case major >= 12:
		product, built = "Microsoft SQL Server", "Jan  1 2020 00:00:00"
	}
	return product + level + " - " + v + " (X64) \n\t" + built + " \n\tCopyright (c) Microsoft Corporation\n\t" +
		"Enterprise Edition (64-bit) on Windows NT 6.3 <X64> (Build 9600: ) (Hypervisor)\n"
}

// productLevel is SERVERPROPERTY('ProductLevel').
func productLevel(v string) string {
	major, minor, build := parseVersion(v)
	switch {
	case major == 11 && build >= 7001:
		return "SP4"
	case major == 11 && build >= 6020:
		return "SP3"
	case major == 11 && build >= 5058:
		return "SP2"
	case major == 11 && build >= 3000:
		return "SP1"
	case major == 10 && minor == 50 && build >= 6000:
		return "SP3"
	}
	return "RTM"
}
