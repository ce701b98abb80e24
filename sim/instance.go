package sim

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Instance roles in the topology.
const (
	rolePrimary       = "primary"
	rolePrimaryMirror = "primary_mirror"
	roleBackup        = "backup"
	roleBackupMirror  = "backup_mirror"
)

// serverLogin is a row of sys.server_principals.
type serverLogin struct {
	name     string
	id       int
	sid      string
	typ      string // S SQL login, U Windows login, G Windows group, R server role
	disabled bool
	created  time.Time
	sysadmin bool
}

// endpoint is the database mirroring endpoint of an instance.
type endpoint struct {
	exists    bool
	port      int
	reachable bool // false when a firewall blocks the port (1418)
}

// instance is one SQL Server instance: its databases, sessions, msdb and services.
type instance struct {
	role    string
	spec    InstanceSpec
	machine string // NetBIOS machine name, upper case

	dbs      []*database
	nextDBID int

	sessions []*session
	msdb     *msdb

	engineStart  time.Time
	agentRunning bool
	agentStart   time.Time
	agentSession int // syssessions.session_id of the current Agent start

	endpoint     endpoint
	logins       []serverLogin
	deniedLogins map[string]bool // lower-case logins whose connections fail with 18456
	// ownerLookupFails says SQL Agent cannot query Active Directory: jobs owned by domain logins fail (15404).
	ownerLookupFails bool

	// backupDir is the default backup directory (relative BACKUP/RESTORE device names land here).
	backupDir string

	// dirs are the local directories that exist on the machine (lower case), for RESTORE ... MOVE checks.
	dirs map[string]bool
}

// version parts of the instance's ProductVersion.
func (in *instance) versionParts() (major, minor, build int) {
	return parseVersion(in.spec.Version)
}

func parseVersion(v string) (major, minor, build int) {
	parts := strings.Split(v, ".")
	get := func(i int) int {
		if i >= len(parts) {
			return 0
		}
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			return 0
		}
		return n
	}
	return get(0), get(1), get(2)
}

// versionText renders a version the way message 3169 shows it: "11.00.7001".
func versionText(major, minor, build int) string {
	return strconv.Itoa(major) + "." + twoDigits(minor) + "." + strconv.Itoa(build)
}

func twoDigits(n int) string {
	if n < 10 && n >= 0 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// db finds a database by name, case-insensitively.
func (in *instance) db(name string) *database {
	for _, d := range in.dbs {
		if nameEq(d.name, name) {
			return d
		}
	}
	return nil
}

// dbByID finds a database by id.
func (in *instance) dbByID(id int) *database {
	for _, d := range in.dbs {
		if d.id == id {
			return d
		}
	}
	return nil
}

// addDB adds a database with the next free id (ids are reused like SQL Server reuses them: the lowest free).
func (in *instance) addDB(d *database) {
	used := map[int]bool{}
	for _, x := range in.dbs {
		used[x.id] = true
	}
	id := 5
	for used[id] {
		id++
	}
	d.id = id
	in.dbs = append(in.dbs, d)
	sort.Slice(in.dbs, func(i, j int) bool { return in.dbs[i].id < in.dbs[j].id })
}

// dropDB removes a database; sessions in it lose their connection.
func (in *instance) dropDB(d *database) {
	for _, x := range in.sessionsIn(d, nil) {
		x.end()
	}
	for i, x := range in.dbs {
		if x == d {
			in.dbs = append(in.dbs[:i], in.dbs[i+1:]...)
			return
		}
	}
}

// session finds a live session by spid.
func (in *instance) session(spid int) *session {
	for _, s := range in.sessions {
		if s.spid == spid {
			return s
		}
	}
	return nil
}

// sessionsIn lists the sessions whose current database is d, except skip.
func (in *instance) sessionsIn(d *database, skip *session) []*session {
	var out []*session
	for _, s := range in.sessions {
		if s != skip && s.kind != kindSystem && nameEq(s.db, d.name) {
			out = append(out, s)
		}
	}
	return out
}

// nextSPID returns the lowest free user spid (51 and up), as SQL Server hands them out.
func (in *instance) nextSPID() int {
	used := map[int]bool{}
	for _, s := range in.sessions {
		used[s.spid] = true
	}
	id := 51
	for used[id] {
		id++
	}
	return id
}

// addSession registers a session, keeping the list ordered by spid.
func (in *instance) addSession(s *session) {
	in.sessions = append(in.sessions, s)
	sort.Slice(in.sessions, func(i, j int) bool { return in.sessions[i].spid < in.sessions[j].spid })
}

// removeSession forgets a session (closed or killed).
func (in *instance) removeSession(s *session) {
	for i, x := range in.sessions {
		if x == s {
			in.sessions = append(in.sessions[:i], in.sessions[i+1:]...)
			return
		}
	}
}

// login finds a server principal by name.
func (in *instance) login(name string) *serverLogin {
	for i := range in.logins {
		if strings.EqualFold(in.logins[i].name, name) {
			return &in.logins[i]
		}
	}
	return nil
}

// dirExists says a local directory exists on the instance's machine.
func (in *instance) dirExists(dir string) bool {
	return in.dirs[strings.ToLower(strings.TrimRight(normalizePath(dir), `\`))]
}

// mirrorAddress is the instance's database mirroring endpoint URL.
func (in *instance) mirrorAddress() string {
	return "TCP://" + strings.ToLower(in.spec.FQDN) + ":" + strconv.Itoa(in.endpoint.port)
}

// matches says name designates the instance (server name or FQDN, case-insensitive, optional ",port").
func (in *instance) matches(name string) bool {
	name = strings.TrimSpace(name)
	if i := strings.IndexByte(name, ','); i >= 0 {
		name = name[:i]
	}
	name = strings.TrimPrefix(strings.TrimPrefix(name, "tcp:"), "TCP:")
	return strings.EqualFold(name, in.spec.Server) || strings.EqualFold(name, in.spec.FQDN) ||
		strings.EqualFold(name, in.machine)
}
