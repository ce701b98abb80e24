// Package probes reads the truth about the estate: one health batch per SQL Server instance (one round trip each)
// and one script on the Lync host, turned into a Snapshot that the checklist and the panels read. Probes never
// write; they are safe in read-only mode.
package probes

import (
	"time"
)

// Role is an instance's place in the topology.
type Role string

// The four instances of the procedure (procedure.md conventions <P>, <PM>, <B>, <BM>).
const (
	Primary       Role = "primary"
	PrimaryMirror Role = "primary_mirror"
	Backup        Role = "backup"
	BackupMirror  Role = "backup_mirror"
)

// Roles lists the roles in display order.
func Roles() []Role { return []Role{Primary, PrimaryMirror, Backup, BackupMirror} }

// Label is the role's name on screen.
func (r Role) Label() string {
	switch r {
	case Primary:
		return "primary"
	case PrimaryMirror:
		return "primary mirror"
	case Backup:
		return "backup"
	case BackupMirror:
		return "backup mirror"
	}
	return string(r)
}

// Snapshot is everything the probes know at one moment.
type Snapshot struct {
	// At is when the refresh finished, on the console's clock.
	At time.Time
	// Seq counts refreshes; a step's postconditions only trust snapshots taken after its script ended.
	Seq       uint64
	Instances map[Role]*Instance
	Pool      Pool
}

// Instance returns the instance of a role, never nil.
func (s Snapshot) Instance(r Role) *Instance {
	if i := s.Instances[r]; i != nil {
		return i
	}
	return &Instance{Role: r}
}

// Instance is what one SQL Server instance reported.
type Instance struct {
	Role Role
	// Name is the configured display name (SQLPRIMARY); Server is @@SERVERNAME as the instance reports it.
	Name, Host, Server string
	// Reachable is false when the last probe failed; the data below is then from ProbedAt and marked stale.
	Reachable bool
	Err       string
	// ProbedAt is the console time of the last successful probe; zero if there never was one.
	ProbedAt time.Time
	// ServerTime is GETDATE() on the instance at ProbedAt: ages are computed against it, so a server in another
	// time zone or with a skewed clock does not show backups from the future.
	ServerTime time.Time
	// StartTime is when the instance started (sys.dm_os_sys_info.sqlserver_start_time, server time): usage
	// counters such as Database.LastUserWrite only cover the time since.
	StartTime time.Time
	Version   string
	Databases map[string]*Database
	Services  []Service
	Jobs      []Job
	// LSPrimary, LSSecondaries and LSSecondary are the log-shipping monitor rows.
	LSPrimary     []LSPrimary
	LSSecondaries []LSPrimarySecondary
	LSSecondary   []LSSecondary
	// Share is xp_fileexist on the log-shipping share, as the engine service account sees it.
	Share FileCheck
	// Files are the watched backup files (the failback backup, the log-shipping initial backup) as seen from here.
	Files    map[string]FileCheck
	Requests []Request
}

// Database returns a database by name, never nil (Exists tells whether the instance has it).
func (i *Instance) Database(name string) *Database {
	if d := i.Databases[name]; d != nil {
		return d
	}
	return &Database{Name: name}
}

// ServerNow estimates the instance's clock at console time now.
func (i *Instance) ServerNow(now time.Time) time.Time {
	if i.ServerTime.IsZero() || i.ProbedAt.IsZero() {
		return now
	}
	return i.ServerTime.Add(now.Sub(i.ProbedAt))
}

// Age is how long ago server-local time t was, at console time now.
func (i *Instance) Age(t, now time.Time) time.Duration {
	if t.IsZero() {
		return 0
	}
	return i.ServerNow(now).Sub(t)
}

// Job returns the job with the given name, or nil.
func (i *Instance) Job(name string) *Job {
	for k := range i.Jobs {
		if equalFold(i.Jobs[k].Name, name) {
			return &i.Jobs[k]
		}
	}
	return nil
}

// Service returns the first service whose name contains part (case-insensitive), or nil.
func (i *Instance) Service(part string) *Service {
	for k := range i.Services {
		if containsFold(i.Services[k].Name, part) {
			return &i.Services[k]
		}
	}
	return nil
}

// Database is one database's state on one instance.
type Database struct {
	Name   string
	Exists bool
	ID     int64
	// State, RecoveryModel and UserAccess are sys.databases' *_desc values (ONLINE, FULL, MULTI_USER ...).
	State, RecoveryModel, UserAccess string
	ReadOnly                         bool
	Mirroring                        Mirroring
	LastFull, LastLog                *BackupSet
	LastRestore                      *RestoreEvent
	Sessions                         []SessionGroup
	Files                            []DBFile
	// LastUserWrite is the newest sys.dm_db_index_usage_stats.last_user_update of the database (server time),
	// zero when nothing was written since StartTime; UserUpdates is the number of writes counted since then.
	LastUserWrite time.Time
	UserUpdates   int64
}

// DBFile is one sys.master_files row of a database.
type DBFile struct {
	Logical, Physical, Type string
	SizeMB                  int64
}

// SizeMB is the database's total file size.
func (d *Database) SizeMB() int64 {
	var n int64
	for _, f := range d.Files {
		n += f.SizeMB
	}
	return n
}

// SessionCount is the number of sessions in the database.
func (d *Database) SessionCount() int {
	n := 0
	for _, s := range d.Sessions {
		n += s.Count
	}
	return n
}

// Mirroring is the database's sys.database_mirroring row; all fields empty when it is not mirrored.
type Mirroring struct {
	GUID, Role, State, Partner, PartnerInstance, Witness, WitnessState, Safety string
}

// Mirrored reports whether the database is in a mirroring session.
func (m Mirroring) Mirrored() bool { return m.GUID != "" || m.Role != "" }

// BackupSet is one msdb.dbo.backupset row with its device.
type BackupSet struct {
	Database string
	// Type is D (full), I (differential) or L (log).
	Type          string
	Name          string
	Start, Finish time.Time
	Checksums     bool
	CopyOnly      bool
	Device        string
	FirstLSN      int64
	LastLSN       int64
	SizeBytes     int64
}

// RestoreEvent is the newest msdb.dbo.restorehistory row for a database with the backup it restored.
type RestoreEvent struct {
	Database  string
	Date      time.Time
	Type      string // D, L ...
	Replace   bool
	Recovery  bool
	Device    string
	BackupEnd time.Time
	LastLSN   int64
}

// SessionGroup counts sessions in a database by client host and program.
type SessionGroup struct {
	Host, Program string
	Count         int
}

// Service is a sys.dm_server_services row.
type Service struct {
	Name, StartupType, Status, Account string
}

// Job is a SQL Agent job with its current activity and last outcome.
type Job struct {
	Name     string
	Category string
	Enabled  bool
	Running  bool
	// LastOutcome is Succeeded, Failed, Retry, Canceled, In progress, or "" when the job never ran.
	LastOutcome string
	LastRun     time.Time
	LastMessage string
	NextRun     time.Time
}

// LSPrimary is a log_shipping_monitor_primary row.
type LSPrimary struct {
	Database       string
	LastBackupFile string
	LastBackup     time.Time
	ThresholdMin   int
	AlertEnabled   bool
}

// LSPrimarySecondary is a log_shipping_primary_secondaries row: a secondary the primary ships to.
type LSPrimarySecondary struct {
	Server, Database string
}

// LSSecondary is a log_shipping_monitor_secondary row.
type LSSecondary struct {
	Database, PrimaryServer, PrimaryDatabase string
	LastCopiedFile                           string
	LastCopied                               time.Time
	LastRestoredFile                         string
	LastRestored                             time.Time
	LatencyMin                               int
	ThresholdMin                             int
}

// FileCheck is xp_fileexist's answer for a path.
type FileCheck struct {
	Path                        string
	Checked                     bool
	Exists, IsDir, ParentExists bool
}

// Request is a running BACKUP or RESTORE seen in sys.dm_exec_requests.
type Request struct {
	Session  int64
	Command  string
	Database string
	Percent  float64
	Start    time.Time
}

// Pool is the Persistent Chat pool as the Lync Management Shell reports it.
type Pool struct {
	Host      string
	Reachable bool
	Err       string
	ProbedAt  time.Time
	// Identity is what Get-CsPersistentChatState returns; the steps pass it back rather than guessing its form.
	Identity string
	FQDN     string
	State    string
	Active   []string
	Inactive []string
	// ShareFree is the free space on the log-shipping share in bytes, as the Lync host sees it; -1 when unknown.
	ShareFree int64
	// ShareErr says why ShareFree is unknown.
	ShareErr string
}
